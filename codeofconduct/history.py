"""Every change is saved with who made it and why (django-simple-history)."""

import copy

import simple_history.manager
from django.db import connections, router
from simple_history.models import HistoricalRecords

from .generated import without_generated


def save_with_history(obj, *, by, reason: str, history: dict | None = None, **save_kwargs) -> None:
    """Save ``obj`` so that its history row names ``by`` and carries ``reason``; ``history`` gives
    the row's own fields beyond those (``{"history_as_chair": True}``)."""
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by
    obj._change_reason = reason
    obj._history_fields = history or {}
    try:
        obj.save(**save_kwargs)
    finally:
        del obj._history_fields  # this save's, not the next one's


def set_history_fields(sender, instance, history_instance, **kwargs) -> None:
    """simple-history's ``pre_create_historical_record``: the row takes the fields its save gave."""
    for name, value in getattr(instance, "_history_fields", {}).items():
        setattr(history_instance, name, value)


def pending_history(obj, *, by, reason: str, when, history: dict | None = None):
    """A copy of ``obj`` as it is now, marked as ``save_with_history`` marks what it saves, to be
    written later by ``write_with_history``. Take one after every change: an object changed
    twice in one bulk write gets two history rows, each with the state after its change."""
    record = copy.copy(obj)
    record.__dict__.pop("_history_user", None)  # left from an earlier save: not who made this change
    if by is not None and getattr(by, "is_authenticated", False):
        record._history_user = by
    record._change_reason = reason
    record._history_date = when
    record._history_fields = history or {}
    return record


def write_with_history(model, objs, records, *, fields: list[str]) -> None:
    """Write ``fields`` of ``objs`` as they are now (one UPDATE) and ``records`` from
    ``pending_history`` as their history (one INSERT per kind of row: simple-history gives a bulk
    insert one set of the rows' own fields): simple-history only sees ``save()``, so a bulk write
    records its own. ``auto_now`` fields are not stamped: set them on ``objs`` first."""
    if objs:
        _bulk_update(model, objs, fields)
    kinds: dict[tuple, list] = {}
    for record in records:
        kinds.setdefault(tuple(sorted(getattr(record, "_history_fields", {}).items())), []).append(record)
    for own, rows in kinds.items():
        model.history.bulk_history_create(rows, update=True, custom_historical_attrs=dict(own))


def _bulk_update(model, objs, fields: list[str]) -> None:
    """One UPDATE of ``fields`` for ``objs``, with its cost per row the same however many rows.

    Django's ``bulk_update`` sets each column to a CASE with a branch per object, which the
    database tries row after row: its time grows with the square of the number of objects (5,000
    amendments took seconds). Here the new values are joined in as arrays instead.
    """
    connection = connections[router.db_for_write(model)]
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    table, key = quote(meta.db_table), quote(meta.pk.column)
    assignments = ", ".join(f"{quote(f.column)} = changed.{quote(f.column)}" for f in columns[1:])
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in columns)
    names = ", ".join(quote(f.column) for f in columns)
    sql = (
        f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS changed({names}) "  # noqa: S608 - names from the model
        f"WHERE {table}.{key} = changed.{key}"
    )
    values = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in objs] for f in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


class StoredHistory(HistoricalRecords):
    """simple-history's records of a model with generated columns (its search vectors): their
    history keeps the fields written, not the ones the database computes from them. Copied, a
    generated field would be read back from the row on every save (the managers leave it out), and
    a version made a model instance again (``as_of``, ``as_instances``) would fetch the current row's
    value for it, one query per version, if it were an excluded field. ``indexes`` are the history
    table's own (simple-history copies no index of the model). ``unrecorded``: fields that are no
    part of what the history records (a setting beside the text, written alone), left out in the
    same way, so a version made an instance again takes their default without a query."""

    def __init__(self, *, indexes=(), unrecorded=(), **options):
        super().__init__(history_manager=HistoryManager, **options)
        self.indexes = list(indexes)
        self.unrecorded = frozenset(unrecorded)

    def fields_included(self, model):
        fields = super().fields_included(model)
        return [field for field in fields if not field.generated and field.name not in self.unrecorded]

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["indexes"] = [*options.get("indexes", ()), *self.indexes]
        return options


class HistoryManager(simple_history.manager.HistoryManager):
    """simple-history's manager of ``Model.history``, its class made once per queryset class.

    simple-history's descriptor calls ``from_queryset`` on every access of ``Model.history``, which
    builds a new class by introspecting the queryset (about 0.6 ms); that runs on every save that
    writes a history row and every read of a history. The class depends only on the two classes,
    so one is enough. Every model passes it through the library's own option:
    ``HistoricalRecords(history_manager=HistoryManager)``.
    """

    _made: dict = {}

    def get_super_queryset(self):
        return without_generated(super().get_super_queryset())

    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        key = (cls, queryset_class, class_name)
        made = cls._made.get(key)
        if made is None:
            made = cls._made[key] = super().from_queryset(queryset_class, class_name)
        return made
