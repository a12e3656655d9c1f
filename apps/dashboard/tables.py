"""Tables under the dashboard figures: the same numbers for people who would rather read."""

from html import escape

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from apps.core.formatting import plain_number
from apps.core.tables import url_pattern
from apps.plans.models import Indicator
from apps.plans.rules.vocabulary import HEALTH_LABELS, label
from apps.subdistricts.labels import UNIT_LABEL


def health_badge(code: str):
    return format_html('<span class="health health-{}">{}</span>', code, label(HEALTH_LABELS, code))


class HealthColumn(tables.Column):
    # The record's code, not `value`: tables2 hands over the choice's label for model fields.
    def render(self, record):
        return health_badge(record.health)

    def value(self, record):
        return label(HEALTH_LABELS, record.health)


class NumberColumn(tables.Column):
    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", self.attrs)
        super().__init__(*args, **kwargs)


class ThemeIndicatorTable(tables.Table):
    """One theme's indicators across units, side by side."""

    subdistrict = tables.Column(
        verbose_name=UNIT_LABEL,
        accessor="task__plan__subdistrict__name",
        order_by=("task__plan__subdistrict__name", "task__path"),
        attrs={"td": {"class": "nowrap"}},
    )
    name = tables.Column(verbose_name="指标", attrs={"td": {"class": "wide"}})
    target = tables.Column(verbose_name="目标", accessor="target_value", orderable=False)
    latest_value = NumberColumn(verbose_name="最新实际值")
    expected_value = NumberColumn(verbose_name="序时目标")
    forecast_value = NumberColumn(verbose_name="预测期末值")
    health = HealthColumn(verbose_name="状态")

    class Meta:
        model = Indicator
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

    def render_name(self, record, value):
        if not hasattr(self, "_indicator_url"):
            self._indicator_url = url_pattern("dashboard:indicator_detail")
        return format_html('<a href="{}">{}</a>', self._indicator_url.format(pk=record.pk), value)

    def render_target(self, record):
        return f"{record.get_comparator_display()}{plain_number(record.target_value)}{record.unit}"

    def _number(self, record, value):
        return f"{plain_number(value)}{record.unit}"

    def render_latest_value(self, record, value):
        return self._number(record, value)

    def render_expected_value(self, record, value):
        return self._number(record, value)

    def render_forecast_value(self, record, value):
        return self._number(record, value)


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
