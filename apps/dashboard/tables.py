"""Tables under the dashboard figures: the same numbers for people who would rather read."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from apps.plans.models import Indicator, _plain_number
from apps.plans.progress import HEALTH_LABELS, Health


def health_badge(code: str):
    return format_html(
        '<span class="health health-{}">{}</span>', code, HEALTH_LABELS[Health(code)]
    )


class HealthColumn(tables.Column):
    # The record's code, not `value`: tables2 hands over the choice's label for model fields.
    def render(self, record):
        return health_badge(record.health)

    def value(self, record):
        return HEALTH_LABELS[Health(record.health)]


class NumberColumn(tables.Column):
    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", self.attrs)
        super().__init__(*args, **kwargs)


class PercentTextColumn(NumberColumn):
    def render(self, value):
        return "—" if value is None else f"{value}%"


class SubdistrictTable(tables.Table):
    """The overview's rows (SubdistrictRow objects), sortable by every column."""

    name = tables.Column(verbose_name="街道", attrs={"td": {"class": "nowrap"}})
    district = tables.Column(verbose_name="区")
    plan_count = NumberColumn(verbose_name="计划数")
    leaf_total = NumberColumn(verbose_name="任务数")
    not_started = NumberColumn(
        verbose_name="未开始", accessor="status_counts__not_started", default=0
    )
    in_progress = NumberColumn(
        verbose_name="推进中", accessor="status_counts__in_progress", default=0
    )
    done = NumberColumn(verbose_name="已完成", accessor="status_counts__done", default=0)
    delayed = NumberColumn(verbose_name="滞后", accessor="status_counts__delayed", default=0)
    suspended = NumberColumn(verbose_name="暂缓", accessor="status_counts__suspended", default=0)
    overdue_count = NumberColumn(verbose_name="逾期")
    indicator_total = NumberColumn(verbose_name="指标数")
    indicator_good_share = PercentTextColumn(verbose_name="指标正常率")
    percent = PercentTextColumn(verbose_name="平均完成度")
    expected_percent = PercentTextColumn(verbose_name="序时进度")
    last_update_at = tables.DateTimeColumn(verbose_name="最近填报", format="Y-m-d H:i")

    class Meta:
        attrs = {"class": "table"}
        empty_text = "该年度没有可查看的计划。"
        order_by = ("district", "name")

    def render_name(self, record, value):
        url = reverse("dashboard:subdistrict_detail", args=[record.id])
        return format_html('<a href="{}">{}</a>', url, value)


class ThemeIndicatorTable(tables.Table):
    """One theme's indicators across 街道, side by side."""

    subdistrict = tables.Column(
        verbose_name="街道",
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
        url = reverse("dashboard:indicator_detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_target(self, record):
        return f"{record.get_comparator_display()}{_plain_number(record.target_value)}{record.unit}"

    def _number(self, record, value):
        return f"{_plain_number(value)}{record.unit}"

    def render_latest_value(self, record, value):
        return self._number(record, value)

    def render_expected_value(self, record, value):
        return self._number(record, value)

    def render_forecast_value(self, record, value):
        return self._number(record, value)
