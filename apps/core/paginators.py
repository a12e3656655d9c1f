"""A paginator that does not count every row of a long list.

COUNT(*) over every task a city-wide viewer may see is the one query of the task list that
grows with the city. This paginator counts at most `ESTIMATE_FROM` rows (a COUNT over a
LIMITed subquery): a shorter list, such as a staff member's own unit or a search, gets its
exact number in that one query. A list that reaches the cap takes PostgreSQL's planner
estimate (one EXPLAIN, no scan) and the page says "约 N 条"; on SQLite it is counted.
"""

from __future__ import annotations

import json

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

ESTIMATE_FROM = 5000


def planner_rows(queryset) -> int | None:
    """PostgreSQL's estimate of the rows `queryset` returns; None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


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
        capped = queryset.order_by()[:ESTIMATE_FROM].count()
        if capped < ESTIMATE_FROM:
            return capped
        estimate = planner_rows(queryset)
        if estimate is None:
            return queryset.count()
        self.is_estimate = True
        return max(estimate, ESTIMATE_FROM)
