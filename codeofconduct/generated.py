"""Columns the database computes (the search vectors): declared on the models, read only when asked.

A stored generated column is written by PostgreSQL on every insert and update and read by it when
searching; Python never needs its value. Django would still fetch it with every row (a search vector
is larger than the text it indexes), so the managers here leave such columns out: rows read through
them carry the column as a deferred field, loaded only if code asks for it.
"""

from django.db import models


def generated_fields(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if field.generated]


def stored_fields(model) -> list:
    """The model's concrete fields whose values Python reads and writes (all but generated ones)."""
    return [field for field in model._meta.concrete_fields if not field.generated]


def without_generated(queryset):
    generated = generated_fields(queryset.model)
    return queryset.defer(*generated) if generated else queryset


class Manager(models.Manager):
    """The default (and base) manager of a model with generated columns: rows without them."""

    def get_queryset(self):
        return without_generated(super().get_queryset())
