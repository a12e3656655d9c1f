"""Writing many rows in one statement.

`rows_insert` inserts new instances, a tree included, in one INSERT per table (see there).

Django's `bulk_update` writes `SET f = CASE WHEN id=1 THEN .. WHEN id=2 THEN .. END` for
every field: the statement grows with rows × fields, building it costs Python time per
cell and the database walks the CASE arms for each row. `rows_update` joins the table to
a VALUES list instead (`WITH v(pk, f..) AS (VALUES ..) UPDATE t SET f = v.f FROM v WHERE
t.pk = v.pk`), one statement per table, which PostgreSQL and SQLite (3.33+) both run.
Like `bulk_update` it calls no `save()` and sends no signals.

`rows_lock_free` locks the rows it can without waiting, for writes that may leave a row to
a later pass rather than wait in a lock cycle (see there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone
from simple_history.utils import get_history_model_for_model


def rows_lock_free(model, ids: Sequence[int]) -> set[int]:
    """Lock the rows of `ids` that no other transaction holds, without waiting for the
    others (FOR UPDATE SKIP LOCKED; a no-op on SQLite, which has one writer at a time);
    returns the ids locked. Inside a transaction.

    For a computed write over many rows (a plan's roll-up, the nightly overdue flags):
    written in its own order, it could hold one row and wait for another that a user's
    save holds while that save waits for the first, and PostgreSQL fails one of the two.
    The caller writes the rows locked here and leaves the rest to its next pass."""
    if not ids:
        return set()
    return set(
        model._default_manager.filter(pk__in=ids)
        .order_by()
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )


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


def rows_insert(model, objs: Sequence) -> None:
    """Insert `objs`, new instances of `model`, setting their pks, as `bulk_create` would
    (no `save()`, no signals; auto_now fields filled), but in one statement per 2,000-odd
    rows even when they point at each other (a task tree's `parent`).

    Why: an imported plan's tasks went in one `bulk_create` per level of the tree, each
    level waiting for its parents' ids, and most of the Python time of an import was the
    ORM compiling those INSERTs value by value. On PostgreSQL, when rows of the batch point
    at each other, the ids are reserved from the table's sequence first (`nextval` over
    `generate_series`), so every foreign key is known before anything is written; the
    statement is written here. Elsewhere (SQLite: development and tests) rows go in with `bulk_create`,
    as many rounds as the batch has levels."""
    if not objs:
        return
    db = router.db_for_write(model)
    connection = connections[db]
    relations = [f for f in model._meta.concrete_fields if f.is_relation]
    if connection.vendor != "postgresql":
        pending = list(objs)
        while pending:
            ready = [o for o in pending if _related_saved(o, relations)]
            model._default_manager.using(db).bulk_create(ready)
            pending = [o for o in pending if o.pk is None]
        return
    quote = connection.ops.quote_name
    table = model._meta.db_table
    pk = model._meta.pk
    # Ids are reserved only when rows of the batch point at each other; otherwise the
    # INSERT returns them (in the order of its VALUES, as `bulk_create` relies on too).
    reserve = not _related_saved_all(objs, relations)
    fields = [f for f in model._meta.concrete_fields if reserve or f is not pk]
    returning = "" if reserve else f" RETURNING {quote(pk.column)}"
    with connection.cursor() as cursor:
        if reserve:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(objs)],
            )
            for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = value
        for obj in objs:
            for field in relations:
                if field.is_cached(obj) and (related := field.get_cached_value(obj)) is not None:
                    setattr(obj, field.attname, related.pk)
        columns = ", ".join(quote(f.column) for f in fields)
        values = [_insert_value(f, connection) for f in fields]
        row = f"({', '.join('%s' for _ in fields)})"
        per_batch = max(1, (connection.features.max_query_params or 60000) // len(fields))
        for start in range(0, len(objs), per_batch):
            batch = objs[start : start + per_batch]
            params = [value(obj) for obj in batch for value in values]
            cursor.execute(
                f"INSERT INTO {quote(table)} ({columns}) "
                f"VALUES {', '.join(row for _ in batch)}{returning}",
                params,
            )
            if not reserve:
                for obj, (value,) in zip(batch, cursor.fetchall(), strict=True):
                    obj.pk = value
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db


# Fields whose value goes to the database as it is when it already has one of these exact
# types (their get_db_prep_save would return it unchanged): a title is already a str.
_AS_IS: dict[type, tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.BigAutoField: (int,),
    models.AutoField: (int,),
    models.ForeignKey: (int,),
    models.DateField: (dt.date,),
}


def _insert_value(field, connection) -> Callable[[Any], Any]:
    """The function giving `field`'s INSERT value of an object: `get_db_prep_save` of its
    `pre_save`, as `bulk_create` sends, skipped for a value that it would pass unchanged.

    Why: preparing each cell through the field cost 7 ms of an imported plan's 40; most
    cells are strings and ints that the preparation returns as they are."""
    kinds = _AS_IS.get(type(field))
    if kinds is None or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    attname = field.attname

    def value(obj):
        found = getattr(obj, attname)
        if found is None or type(found) in kinds:
            return found
        return field.get_db_prep_save(found, connection)

    return value


def _related_saved_all(objs, relations) -> bool:
    return all(_related_saved(obj, relations) for obj in objs)


def _related_saved(obj, relations) -> bool:
    """Whether every related object `obj` holds (not just an id) has been saved."""
    return all(
        not f.is_cached(obj) or getattr(f.get_cached_value(obj), "pk", 0) is not None
        for f in relations
    )


def history_rows_create(model, objs: Sequence, *, change_reason: str) -> None:
    """simple-history's "+" rows for `objs`, just inserted, copied by the database with
    one `INSERT INTO historical… SELECT … FROM table WHERE pk IN (…)` per 5,000 rows.

    Why: `bulk_history_create` builds a second model instance per row and sends every
    value back to the database (the task's full text included); for an imported plan that
    was half of the insert time. The rows are the same: the tracked fields as stored, one
    history date for the batch, `change_reason`, and the user simple-history would take
    (the request's, through its middleware, or none). The statement is written here, not
    compiled by the ORM, which cost more than the insert itself."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history_model = _history_model(model)
    connection = connections[router.db_for_write(history_model)]
    quote = connection.ops.quote_name
    user = history_model.get_default_history_user(objs[0])
    tracked = [model._meta.get_field(f.name).column for f in history_model.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user"]
    targets = [history_model._meta.get_field(f.name).column for f in history_model.tracked_fields]
    targets += [history_model._meta.get_field(name).column for name in extra]
    date = history_model._meta.get_field("history_date").get_db_prep_save(
        timezone.now(), connection
    )
    values = [date, change_reason, "+", user.pk if user else None]
    select = ", ".join(quote(c) for c in tracked)
    insert = (
        f"INSERT INTO {quote(history_model._meta.db_table)} "
        f"({', '.join(quote(c) for c in targets)}) "
        f"SELECT {select}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN "
    )
    pks = [obj.pk for obj in objs]
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 5000):
            batch = pks[start : start + 5000]
            cursor.execute(f"{insert}({', '.join('%s' for _ in batch)})", [*values, *batch])


@cache
def _history_model(model):
    """simple-history's model for `model`, looked up once: the lookup builds a manager
    class on every call (a millisecond of each imported plan)."""
    return get_history_model_for_model(model)
