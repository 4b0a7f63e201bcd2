"""Columns the database computes (the search vectors): declared on the models, read only when asked.

A stored generated column is written by PostgreSQL on every insert and update and read by it when
searching; Python never needs its value. Django would still fetch it with every row (a search vector
is larger than the text it indexes), so rows read through these managers leave such columns out,
also those of the rows a query joins with ``select_related``: they come as deferred fields, loaded
only if code asks for one.
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


def generated_along(model, paths) -> list[str]:
    """The generated columns of every model ``paths`` (``select_related``'s) join, as ``defer`` names them."""
    names = []
    for path in paths:
        if not path:
            continue
        joined, steps = model, []
        for step in path.split("__"):
            joined = joined._meta.get_field(step).related_model
            steps.append(step)
            names += [f"{'__'.join(steps)}__{name}" for name in generated_fields(joined)]
    return names


class QuerySet(models.QuerySet):
    def select_related(self, *fields):
        joined = super().select_related(*fields)
        deferred = generated_along(self.model, fields)
        return joined.defer(*deferred) if deferred else joined


class Manager(models.Manager.from_queryset(QuerySet)):
    """The default (and base) manager of a model with generated columns, or one whose reads join
    such a model: rows without them."""

    def get_queryset(self):
        return without_generated(super().get_queryset())
