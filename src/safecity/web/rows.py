"""Model instances from one hand-written SQL join, for the few queries every request makes.

Building a QuerySet and compiling it to SQL costs Django about 0.3-0.5 ms of CPU a query; the
query itself, on an index, costs SQLite about 0.04 ms. The session, the signed-in user with their
membership and agency, and the update a lead is editing are read on every request of their kind,
so they are read here with one statement each. Django offers no public way to reuse a compiled
query, so this module writes the SELECT list itself from the models' own metadata (table and
column names, quoted by the database backend) and converts values with the backend's own
converters (SQLite returns dates as text), exactly as the ORM does, then builds instances with
``Model.from_db``, the documented constructor for rows read from the database.

    rows = select_joined([(User, "u"), (Membership, "m")],
                         'FROM auth_user u LEFT JOIN ... WHERE u.id = %s', [pk])
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connections, router
from django.db.models import Model


@lru_cache(maxsize=None)
def _columns(model: type[Model], alias: str, vendor: str, db: str):
    """(SELECT expressions, attnames, converters) for every concrete field of ``model``."""
    connection = connections[db]
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    select = [f"{alias}.{quote(f.column)}" for f in fields]
    converters = []
    for field in fields:
        col = field.get_col(alias)
        found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        converters.append(tuple((conv, col) for conv in found))
    return select, tuple(f.attname for f in fields), tuple(converters)


def select_joined(specs: list[tuple[type[Model], str]], rest: str, params: list,
                  extra: tuple[str, ...] = ()) -> list[tuple]:
    """Run ``SELECT <every column of each (model, alias)>, <extra> <rest>``; for each row, one
    instance per model (None where a LEFT JOIN found nothing: its primary key is NULL), then the
    ``extra`` expressions' raw values. ``rest`` holds FROM, the joins and WHERE with ``%s``
    placeholders; table names come from ``Model._meta.db_table`` via :func:`table`."""
    db = router.db_for_read(specs[0][0])
    connection = connections[db]
    parts = [_columns(model, alias, connection.vendor, db) for model, alias in specs]
    select = ", ".join([c for part in parts for c in part[0]] + list(extra))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} {rest}", params)
        rows = cursor.fetchall()
    out = []
    for row in rows:
        at, built = 0, []
        for (model, _), (_, names, converters) in zip(specs, parts):
            values = list(row[at:at + len(names)])
            at += len(names)
            pk_index = names.index(model._meta.pk.attname)
            if values[pk_index] is None:
                built.append(None)
                continue
            for i, convs in enumerate(converters):
                for conv, col in convs:
                    values[i] = conv(values[i], col, connection)
            built.append(model.from_db(db, names, values))
        built.extend(row[at:])
        out.append(tuple(built))
    return out


def table(model: type[Model]) -> str:
    """``model``'s table name, quoted for the default database."""
    return connections[router.db_for_read(model)].ops.quote_name(model._meta.db_table)
