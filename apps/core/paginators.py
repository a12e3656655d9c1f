"""A paginator that does not count every row of a long list.

COUNT(*) over every task a city-wide viewer may see is the one query of the task list that
grows with the city. This paginator counts at most `ESTIMATE_FROM` rows (a COUNT over a
LIMITed subquery): a shorter list, such as a staff member's own unit or a search, gets its
exact number in that one query. A list that reaches the cap takes PostgreSQL's planner
estimate (one EXPLAIN, no scan) and the page says "约 N 条"; on SQLite it is counted. The
same list (same SQL and values) then keeps that estimate for `LONG_LIST_SECONDS`, neither
counted to the cap nor planned again: a city-wide list does not drop below 5,000 tasks
between two page loads, and if it did, the page would show the estimate until it expires.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

ESTIMATE_FROM = 5000
# How long a list that reached ESTIMATE_FROM keeps its estimate without counting again.
LONG_LIST_SECONDS = 300


def planner_rows(queryset, *, statement: tuple[str, tuple] | None = None) -> int | None:
    """PostgreSQL's estimate of the rows `queryset` returns; None elsewhere. `statement`:
    its ids' SQL (`rows_statement`), when the caller has it already."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    statement = statement or rows_statement(queryset)
    if statement is None:
        return None
    sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def rows_statement(queryset) -> tuple[str, tuple] | None:
    """The SQL of the list's ids, which the estimate plans and the long-list mark is keyed
    by; None for a list that cannot have rows."""
    try:
        return queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None


def _long_key(statement: tuple[str, tuple]) -> str:
    sql, params = statement
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    return f"long-list:{digest}"


def _queryset_of(object_list):
    """The queryset behind a list: itself, or under django-tables2's rows
    (BoundRows -> TableQuerysetData -> QuerySet)."""
    for _ in range(3):
        if hasattr(object_list, "query"):
            return object_list
        object_list = getattr(object_list, "data", None)
    return None


class EstimatedCountPaginator(Paginator):
    """`count` is exact for short lists and the planner's estimate for long ones;
    `is_estimate` says which (the list page then writes 约)."""

    is_estimate = False

    @cached_property
    def count(self) -> int:
        queryset = _queryset_of(self.object_list)
        if queryset is None:
            return super().count
        statement = rows_statement(queryset)
        if statement is None:
            return 0
        # A list seen to reach the cap lately keeps the estimate it had then, without
        # counting it to the cap or planning it again (for a city-wide viewer, all of the
        # count's cost: the capped count, then the EXPLAIN and its compiled statement).
        key = _long_key(statement)
        estimate = cache.get(key)
        if estimate is None:
            capped = queryset.order_by()[:ESTIMATE_FROM].count()
            if capped < ESTIMATE_FROM:
                return capped
            estimate = planner_rows(queryset, statement=statement)
            if estimate is None:
                return queryset.count()
            estimate = max(estimate, ESTIMATE_FROM)
            cache.set(key, estimate, LONG_LIST_SECONDS)
        self.is_estimate = True
        return estimate
