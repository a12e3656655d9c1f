"""A paginator that does not count every row of a long list.

COUNT(*) over every task a city-wide viewer may see is the one query of the task list that
grows with the city. This paginator counts at most `ESTIMATE_FROM` rows (a COUNT over a
LIMITed subquery): a shorter list, such as a staff member's own unit or a search, gets its
exact number in that one query. A list that reaches the cap takes PostgreSQL's planner
estimate (one EXPLAIN, no scan) and the page says "约 N 条"; on SQLite it is counted. The
same list (same SQL and values) then keeps that estimate for `LONG_LIST_SECONDS`, neither
counted to the cap nor planned again: a city-wide list does not drop below 5,000 tasks
between two page loads, and if it did, the page would show the estimate until it expires.

A list whose query reads every row it matches whatever the page (a search: its index gives
the matches in no order, so all of them are sorted to find one page) is counted in the
page's own query instead (`counted_with_page`): COUNT(*) OVER () over rows already read.
That query is planned without nested loops (`_hash_joins`): it joins every match to the
unit tables, and PostgreSQL, which underestimates a search's matches (it takes the pairs of
characters as independent: 垃圾分类, 163 expected, 2,139 found), would otherwise probe
those tables by index once per match; on PostgreSQL 15 it may even walk the plans in
order for the window count (养老: 140 ms instead of 12).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections, transaction
from django.db.models import Count, Window
from django.utils.functional import cached_property

ESTIMATE_FROM = 5000
# How long a list that reached ESTIMATE_FROM keeps its estimate without counting again.
LONG_LIST_SECONDS = 300


# The annotation by which each row of a `counted_with_page` list carries the list's length.
ROWS_IN_LIST = "rows_in_list"


def counted_with_page(queryset):
    """`queryset`, each row carrying how many rows the whole list has (COUNT(*) OVER (),
    computed before the page's LIMIT), so that the paginator counts it with the page.

    Only for a list whose query reads every match anyway (a search): on a list that an
    index gives in order, the page would stop after 25 rows, and the count makes it read
    them all."""
    return queryset.annotate(**{ROWS_IN_LIST: Window(Count("*"))})


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


@contextmanager
def _hash_joins(using: str) -> Iterator[None]:
    """Queries run inside are planned without nested loops (on PostgreSQL; elsewhere it
    does nothing). For a query that reads every row it matches and joins them to small
    tables (units, plans, departments: hundreds to thousands of rows), a hash join costs
    about a millisecond whatever the estimate; nested loops cost an index probe per row.

    SET LOCAL in a transaction (a savepoint inside one), set back afterwards: the setting
    never outlives the query, and an error rolls it back with the savepoint."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_nestloop'), set_config('enable_nestloop', 'off', true)"
        )
        previous = cursor.fetchone()[0]
        yield
        cursor.execute("SELECT set_config('enable_nestloop', %s, true)", [previous])


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

    def page(self, number):
        """The page; a `counted_with_page` list is counted by the page's own query, and
        only a page past its end (no rows to carry the count) is counted apart."""
        queryset = _queryset_of(self.object_list)
        counted = queryset is not None and ROWS_IN_LIST in queryset.query.annotations
        if not counted or self.orphans or "count" in self.__dict__:
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = self.object_list[bottom : bottom + self.per_page]
        page_queryset = _queryset_of(rows)
        with _hash_joins(page_queryset.db):
            records = list(page_queryset)  # the page's query; the rows keep its results
        if not records:
            return super().page(number)
        self.__dict__["count"] = getattr(records[0], ROWS_IN_LIST)
        return self._get_page(rows, number, self)

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
