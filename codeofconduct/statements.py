"""Rows of one plain SQL statement as model instances, for the hot reads (drafting/selectors/reading.py).

This is what ``Model.objects.raw()`` does, minus its per-call work: RawQuerySet matches columns to
fields and looks up converters on every call, which cost four times the statement itself when
profiled. Here that is worked out once per statement and set of columns, and each row is then only
converted (the database's values into Python's, as the ORM converts them: JSON, for one) and handed
to ``Model.from_db``.
"""

from django.db import DEFAULT_DB_ALIAS, connection

from .generated import stored_fields

_plans: dict = {}


def columns(model, alias: str) -> str:
    """The model's own columns, for a statement's SELECT list: ``c.id, c.draft_id, …``.

    Never ``alias.*``, and never a generated column: the search vectors PostgreSQL keeps beside the
    texts (drafting/vectors.py) are large and would be fetched, converted and set on every instance
    for nothing.
    """
    return ", ".join(f"{alias}.{field.column}" for field in stored_fields(model))


def fetch(model, sql: str, params, *, typed: dict | None = None) -> list:
    """The statement's rows as ``model`` instances. Columns that are not the model's become
    attributes of the same name; ``typed`` gives some of them a field whose conversion they need
    (``{"round_closes_at": Round._meta.get_field("closes_at")}``)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = tuple(column[0] for column in cursor.description)
        rows = cursor.fetchall()
    key = (model, names, tuple(sorted(typed or {})))
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _Plan(model, names, typed or {})
    return [plan.make(row) for row in rows]


def _converters(field, table: str) -> tuple:
    column = field.get_col(table)
    found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    return column, tuple(found)


class _Plan:
    """Which column fills which field, and how each value is converted."""

    def __init__(self, model, names: tuple[str, ...], typed: dict):
        self.model = model
        # from_db takes the values in the model's field order, whatever the table's column order.
        fields = {field.column: (position, field) for position, field in enumerate(model._meta.concrete_fields)}
        found, self.extras = [], []
        for index, name in enumerate(names):
            if name in fields:
                position, field = fields.pop(name)
                found.append((position, field.attname, (index, *_converters(field, model._meta.db_table))))
            elif name in typed:
                self.extras.append((index, name, *_converters(typed[name], model._meta.db_table)))
            else:
                self.extras.append((index, name, None, ()))
        found.sort()
        self.attnames = [attname for _, attname, _ in found]
        self.columns = [column for _, _, column in found]

    def make(self, row):
        values = [_converted(row[index], column, converters) for index, column, converters in self.columns]
        obj = self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, values)
        for index, name, column, converters in self.extras:
            setattr(obj, name, _converted(row[index], column, converters))
        return obj


def _converted(value, column, converters):
    for converter in converters:
        value = converter(value, column, connection)
    return value
