"""Writing computed values to many rows in one statement.

Django's `bulk_update` writes `SET f = CASE WHEN id=1 THEN .. WHEN id=2 THEN .. END` for
every field: the statement grows with rows × fields, building it costs Python time per
cell and the database walks the CASE arms for each row. `rows_update` joins the table to
a VALUES list instead (`WITH v(pk, f..) AS (VALUES ..) UPDATE t SET f = v.f FROM v WHERE
t.pk = v.pk`), one statement per table, which PostgreSQL and SQLite (3.33+) both run.
Like `bulk_update` it calls no `save()` and sends no signals.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router


def rows_update(model, objs: Sequence, fields: Sequence[str]) -> None:
    """Write `fields` of `objs` (instances of `model` with a pk) to their rows. On PostgreSQL values are cast to each column's type, so a column of
    NULLs needs no guessing."""
    if not objs:
        return
    db = router.db_for_write(model)
    connection = connections[db]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    columns = [pk, *(model._meta.get_field(name) for name in fields)]
    if connection.vendor == "sqlite":
        # Untyped columns: SQLite stores what it is given (a CAST to "date" would turn
        # '2026-01-31' into 2026).
        casts = ", ".join("%s" for _ in columns)
    else:
        casts = ", ".join(f"CAST(%s AS {c.cast_db_type(connection)})" for c in columns)
    names = ", ".join(quote(f"c{i}") for i in range(len(columns)))
    sets = ", ".join(f"{quote(c.column)} = v.{quote(f'c{i}')}" for i, c in enumerate(columns) if i)
    table = quote(model._meta.db_table)
    limit = connection.features.max_query_params or 60000
    per_batch = max(1, limit // len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_batch):
            batch = objs[start : start + per_batch]
            values = ", ".join(f"({casts})" for _ in batch)
            params = [
                c.get_db_prep_save(getattr(obj, c.attname), connection)
                for obj in batch
                for c in columns
            ]
            cursor.execute(
                f"WITH v({names}) AS (VALUES {values}) "
                f"UPDATE {table} SET {sets} FROM v WHERE {table}.{quote(pk.column)} = v.c0",
                params,
            )
