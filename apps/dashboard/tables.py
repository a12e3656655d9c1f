"""Tables under the dashboard figures: the same numbers for people who would rather read."""

from html import escape

import django_tables2 as tables
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from apps.core.formatting import plain_number
from apps.core.tables import EMPTY_CELL, FastColumnMixin, FastTableMixin, url_pattern
from apps.plans.models import Indicator
from apps.plans.rules.vocabulary import HEALTH_LABELS, label
from apps.subdistricts.labels import UNIT_LABEL


def health_badge(code: str) -> str:
    return (
        f'<span class="health health-{escape(code)}">'
        f"{escape(str(label(HEALTH_LABELS, code)))}</span>"
    )


class Column(FastColumnMixin, tables.Column):
    pass


class IndicatorNameColumn(Column):
    """The name, linked to the indicator page through one URL pattern per table."""

    def cell(self, record) -> str:
        if not hasattr(self, "_pattern"):
            self._pattern = url_pattern("dashboard:indicator_detail")
        return f'<a href="{self._pattern.format(pk=record.pk)}">{escape(record.name)}</a>'

    def value(self, record):
        return record.name


class TargetColumn(Column):
    def cell(self, record) -> str:
        comparator = record.get_comparator_display()
        return escape(f"{comparator}{plain_number(record.target_value)}{record.unit}")


class NumberColumn(Column):
    """A value in the indicator's unit; — when there is none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def cell(self, record) -> str:
        value = getattr(record, self.accessor)
        if value is None:
            return EMPTY_CELL
        return escape(f"{plain_number(value)}{record.unit}")


class HealthColumn(Column):
    # The record's code, not `value`: tables2 hands over the choice's label for model fields.
    def cell(self, record) -> str:
        return health_badge(record.health)

    def value(self, record):
        return label(HEALTH_LABELS, record.health)


class ThemeIndicatorTable(FastTableMixin, tables.Table):
    """One theme's indicators across units, side by side; rows rendered in one pass from
    each column's `cell()` (apps/core/tables.py), as the task table is."""

    subdistrict = Column(
        verbose_name=UNIT_LABEL,
        accessor="task__plan__subdistrict__name",
        order_by=("task__plan__subdistrict__name", "task__path"),
        attrs={"td": {"class": "nowrap"}},
    )
    name = IndicatorNameColumn(verbose_name="指标", attrs={"td": {"class": "wide"}})
    target = TargetColumn(verbose_name="目标", accessor="target_value", orderable=False)
    latest_value = NumberColumn(verbose_name="最新实际值")
    expected_value = NumberColumn(verbose_name="序时目标")
    forecast_value = NumberColumn(verbose_name="预测期末值")
    health = HealthColumn(verbose_name="状态")

    class Meta:
        model = Indicator
        template_name = "core/fast_table.html"
        fields = ()
        sequence = (
            "subdistrict",
            "name",
            "target",
            "latest_value",
            "expected_value",
            "forecast_value",
            "health",
        )
        attrs = {"class": "table"}
        empty_text = "没有符合条件的指标。"


def _overview_cell(key: str, value) -> str:
    if value is None:
        return "—"
    if key in {"good", "percent", "expected"}:
        return f"{value}%"
    if key == "updated":
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def subdistrict_table_html(rows, columns, *, sort: str, year: int) -> SafeString:
    """The overview's table of 街道, sortable by every column.

    Built from escaped strings rather than with django-tables2, a template loop or
    format_html per cell: for Shanghai's 215 街道 × 15 columns those cost 300, 90 and 40 ms
    of the page; this costs a few."""
    head = []
    for i, (key, heading, _get) in enumerate(columns):
        state = "asc" if sort == key else "desc" if sort == f"-{key}" else ""
        css = ("num " if i > 1 else "") + state
        link = f"?year={year}&amp;sort={'-' if sort == key else ''}{escape(key)}"
        head.append(f'<th class="{css}"><a href="{link}">{escape(heading)}</a></th>')
    body = []
    # One reverse() for the table, not one per 街道.
    pattern = url_pattern("dashboard:subdistrict_detail")
    for row in rows:
        url = pattern.format(pk=row.id)
        cells = [f'<td class="nowrap"><a href="{escape(url)}">{escape(row.name)}</a></td>']
        for i, (key, _heading, get) in enumerate(columns[1:], start=1):
            css = "" if i == 1 else ' class="num"'
            cells.append(f"<td{css}>{escape(_overview_cell(key, get(row)))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(columns)}">该年度没有可查看的计划。</td></tr>')
    # Safe: every value above went through html.escape.
    return mark_safe(
        f'<table class="table"><thead><tr>{"".join(head)}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
