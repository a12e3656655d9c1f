"""Statements built once per process and run with new values.

Django builds and compiles a queryset's SQL on every evaluation. For a small query asked on
every page (the navigation's counts) that building costs several times what PostgreSQL
spends running it. A `Prepared` statement is built once, with `Slot`s where the values of
a call go, compiled, and then run with those values filled in: the same SQL Django would
have sent, without building it again.

Only for statements whose SQL does not depend on the values (no `__in` of a list that
varies in length, no branch on a value): what changes the SQL is part of the key the
caller builds it under (see `Prepared.sql`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Expression, Field, QuerySet


@dataclass(frozen=True)
class _Marker:
    """Stands in a compiled statement's parameters for the value of a slot."""

    name: str
    field: Field


class Slot(Expression):
    """A value given when the statement runs, usable wherever a value goes in a filter
    (`due_date__gte=Slot("today", DateField())`). It compiles to one parameter."""

    def __init__(self, name: str, output_field: Field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [_Marker(self.name, self.output_field)]


class Prepared:
    """`build(**key)` returns the queryset (with `Slot`s) to run; it is built and compiled
    once per key and database, then run by `rows(key, values)` with the slots' values."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, tuple[str, list, list[str]]] = {}

    def sql(self, key: Mapping[str, Hashable], using: str = "default"):
        """(SQL, parameters with markers, column names) for `key`, compiled on first use."""
        cache_key = (using, *sorted(key.items()))
        found = self._compiled.get(cache_key)
        if found is None:
            compiler = self.build(**key).query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            # The select list as compiled: an annotation by its name, a column by its own.
            names = [alias or expr.target.attname for expr, _sql, alias in compiler.select]
            found = self._compiled[cache_key] = (sql, list(params), names)
        return found

    def rows(
        self, key: Mapping[str, Hashable], values: Mapping[str, Any], using: str = "default"
    ) -> list[dict[str, Any]]:
        """The statement's rows as dicts, its slots filled from `values`."""
        sql, params, names = self.sql(key, using)
        connection = connections[using]
        filled = [
            p.field.get_db_prep_value(values[p.name], connection) if isinstance(p, _Marker) else p
            for p in params
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, filled)
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
