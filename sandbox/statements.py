"""The few statements every console command and poll runs, written once per database instead of per request.

Building a query through the ORM costs more CPU here than running it (about 0.4 ms against 0.1 ms for a
one-row UPDATE on the bench machine), and a command needs three. Each statement below is the SQL the ORM
would write, built the first time it is needed and kept per database and shape; values go through the
fields' own preparation (``get_db_prep_save``) and the backend's converters, as the ORM applies them.
tests/sandbox/test_statements.py (and, for the read, test_views.py) compare each with the ORM's result.
"""

from __future__ import annotations

from django.db import connections, models, router
from django.db.models.sql import Query

_statements: dict[tuple, object] = {}


class _Select:
    """``SELECT <the columns> FROM table WHERE id = %s``, with Django's converters for each column (its backend's
    and its field's, as the ORM applies them)."""

    def __init__(self, model, connection, deferred: tuple[str, ...]):
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        # In the model's own order: Model.from_db takes a full row positionally.
        fields = [f for f in model._meta.concrete_fields if f.name not in deferred]
        self.attnames = [f.attname for f in fields]
        self.sql = (f"SELECT {', '.join(f'{table}.{quote(f.column)}' for f in fields)} FROM {table} "
                    f"WHERE {table}.{quote(model._meta.pk.column)} = %s")
        self.compiler = Query(model).get_compiler(connection=connection)
        self.converters = self.compiler.get_converters([f.get_col(model._meta.db_table) for f in fields])


def read(model, pk, deferred: tuple[str, ...] = ()) -> models.Model | None:
    """The row with this id as ``model.objects.defer(*deferred).get(pk=pk)`` reads it, or None."""
    connection = _connection(model, write=False)
    key = ("select", connection.alias, model, deferred)
    select = _statements.get(key)
    if select is None:
        select = _statements[key] = _Select(model, connection, deferred)
    with connection.cursor() as cursor:
        cursor.execute(select.sql, [model._meta.pk.get_db_prep_value(pk, connection)])
        rows = cursor.fetchall()
    if not rows:
        return None
    values = next(iter(select.compiler.apply_converters(rows, select.converters)))
    return model.from_db(connection.alias, select.attnames, values)


def _connection(model, write: bool):
    return connections[router.db_for_write(model) if write else router.db_for_read(model)]


def update(model, values: dict, where: dict, increment: tuple[str, ...] = (), copy: dict | None = None) -> int:
    """``UPDATE table SET <values>[, <each of increment> = it + 1][, <each key of copy> = <its value's column>]
    WHERE <where, all equal>``; returns the rows changed. A copied column gets the value the row had before
    this statement (SQL evaluates every SET against the old row), whatever ``values`` writes over it. A None
    in ``where`` means IS NULL, as ``filter(field=None)`` does."""
    copy = copy or {}
    connection = _connection(model, write=True)
    key = ("update", connection.alias, model, tuple(values), tuple((k, v is None) for k, v in where.items()),
           increment, tuple(copy.items()))
    meta = model._meta
    sql = _statements.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        column = {name: quote(meta.get_field(name).column)
                  for name in [*values, *where, *increment, *copy, *copy.values()]}
        sets = [f"{column[k]} = %s" for k in values]
        sets += [f"{column[k]} = ({column[k]} + 1)" for k in increment]
        sets += [f"{column[k]} = {column[source]}" for k, source in copy.items()]
        tests = [f"{column[k]} IS NULL" if v is None else f"{column[k]} = %s" for k, v in where.items()]
        sql = _statements[key] = (f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} "
                                  f"WHERE {' AND '.join(tests)}")
    params = [meta.get_field(k).get_db_prep_save(v, connection) for k, v in values.items()]
    params += [meta.get_field(k).get_db_prep_value(v, connection, prepared=False)
               for k, v in where.items() if v is not None]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def insert(obj: models.Model) -> models.Model:
    """``INSERT`` one new row for ``obj`` (auto_now_add and defaults filled in as ``save()`` does, no signals:
    the models written here have no receivers) and set its id."""
    model = type(obj)
    connection = _connection(model, write=True)
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    key = ("insert", connection.alias, model)
    sql = _statements.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        if connection.features.can_return_columns_from_insert:
            sql += f" RETURNING {quote(meta.db_table)}.{quote(meta.pk.column)}"
        _statements[key] = sql
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if connection.features.can_return_columns_from_insert:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj
