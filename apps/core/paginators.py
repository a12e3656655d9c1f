"""A paginator that does not count every row of a long list.

COUNT(*) over every task a city-wide viewer may see is the one query of the task list that
grows with the city. This paginator counts at most `ESTIMATE_FROM` rows (a COUNT over a
LIMITed subquery): a shorter list, such as a staff member's own unit or a search, gets its
exact number in that one query. A list that reaches the cap takes PostgreSQL's planner
estimate (one EXPLAIN, no scan) and the page says "约 N 条"; on SQLite it is counted. The
same list (same SQL and values) then keeps that estimate for `LONG_LIST_SECONDS`, neither
counted to the cap nor planned again: a city-wide list does not drop below 5,000 tasks
between two page loads, and if it did, the page would show the estimate until it expires.

A search (`count_with_page=True`) whose planner estimate is short is counted by the
page's own query instead: its index gives the matches in no order, so the page's query
reads and sorts all of them anyway, and COUNT(*) OVER () counts them in the same pass.
That query is planned without nested loops (`_hash_joins`): it joins every match to the
unit tables, and PostgreSQL, which underestimates a search's matches (it takes the pairs of
characters as independent: 垃圾分类, 163 expected, 2,139 found), would otherwise probe
those tables by index once per match; on PostgreSQL 15 it may even walk the plans in
order for the window count (养老: 140 ms instead of 12). A search expected to match many
rows (社区: 22,000) is not: there the page's query can walk an index in the page's order
and stop after 25 rows, and reading all the matches to count them took 82 ms, not 22. One
whose estimate was too low is marked long once its count is known, as a counted list is.
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


# The annotation by which each row of a list counted with its page carries the list's length.
ROWS_IN_LIST = "rows_in_list"


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

    Without JIT too: where a nested loop is the only way left (one unit's row), PostgreSQL
    adds ten billion to the plan's cost rather than refuse it, and a plan that costly is
    compiled by JIT first: a staff member's search took 360 ms of compiling for 6 of work.

    SET LOCAL in a transaction (a savepoint inside one), set back afterwards: the setting
    never outlives the query, and an error rolls it back with the savepoint."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_nestloop'), current_setting('jit'),"
            " set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)"
        )
        nestloop, jit = cursor.fetchone()[:2]
        yield
        cursor.execute(
            "SELECT set_config('enable_nestloop', %s, true), set_config('jit', %s, true)",
            [nestloop, jit],
        )


def _with_records(rows, records):
    """`rows` (a slice of the list: a queryset, or django-tables2's rows over one) over
    `records`, the evaluated queryset of the same slice."""
    if hasattr(rows, "query"):
        return records
    rows.data = records  # django-tables2's BoundRows iterates its `data`
    return rows


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

    def __init__(self, object_list, per_page, *args, count_with_page: bool = False, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_with_page = count_with_page

    def page(self, number):
        """The page; for a short search (`count_with_page`), counted by the page's own
        query; a page past the end (no row to carry the count) is counted apart."""
        queryset = _queryset_of(self.object_list)
        if (
            not self.count_with_page
            or queryset is None
            or self.orphans
            or "count" in self.__dict__
            or not self._expected_short()
        ):
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = self.object_list[bottom : bottom + self.per_page]
        # COUNT(*) OVER () is computed before the page's LIMIT: the whole list's length.
        page_queryset = _queryset_of(rows).annotate(**{ROWS_IN_LIST: Window(Count("*"))})
        with _hash_joins(page_queryset.db):
            records = list(page_queryset)
        if not records:
            if number == 1:
                self.__dict__["count"] = 0  # nothing found: no count to ask for
            return super().page(number)
        count = getattr(records[0], ROWS_IN_LIST)
        if count >= ESTIMATE_FROM:
            # Long after all: the next loads take the usual way (an index walk can stop early).
            cache.set(_long_key(self._statement), count, LONG_LIST_SECONDS)
        self.__dict__["count"] = count
        return self._get_page(_with_records(rows, page_queryset), number, self)

    def _expected_short(self) -> bool:
        """Whether the list is not known or expected to reach ESTIMATE_FROM rows (known:
        marked long lately; expected: PostgreSQL's estimate; on SQLite, always short)."""
        if self._statement is None or cache.get(_long_key(self._statement)) is not None:
            return False
        return self._planned is None or self._planned < ESTIMATE_FROM

    @cached_property
    def _statement(self) -> tuple[str, tuple] | None:
        """The list's ids' SQL (`rows_statement`): compiled once for the long-list mark,
        the estimate and the count."""
        return rows_statement(_queryset_of(self.object_list))

    @cached_property
    def _planned(self) -> int | None:
        """PostgreSQL's estimate of the list's rows (None elsewhere), asked for once: a
        search expected long is planned to decide, and its count would plan it again."""
        return planner_rows(_queryset_of(self.object_list), statement=self._statement)

    @cached_property
    def count(self) -> int:
        queryset = _queryset_of(self.object_list)
        if queryset is None:
            return super().count
        if self._statement is None:
            return 0
        # A list seen to reach the cap lately keeps the estimate it had then, without
        # counting it to the cap or planning it again (for a city-wide viewer, all of the
        # count's cost: the capped count, then the EXPLAIN and its compiled statement).
        key = _long_key(self._statement)
        estimate = cache.get(key)
        if estimate is None:
            capped = queryset.order_by()[:ESTIMATE_FROM].count()
            if capped < ESTIMATE_FROM:
                return capped
            estimate = self._planned
            if estimate is None:
                return queryset.count()
            estimate = max(estimate, ESTIMATE_FROM)
            cache.set(key, estimate, LONG_LIST_SECONDS)
        self.is_estimate = True
        return estimate
