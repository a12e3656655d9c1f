"""The task table: declarative columns over rows that are already scoped and filtered."""

import django_tables2 as tables
from django.utils.html import format_html

from apps.plans.models import Task
from apps.subdistricts.labels import UNIT_LABEL


class StatusColumn(tables.Column):
    """The status as a coloured badge; the colour comes from the CSS class of the value."""

    def render(self, record):
        return format_html(
            '<span class="badge badge-{}">{}</span>', record.status, record.get_status_display()
        )

    def value(self, record):
        return record.get_status_display()


class PercentColumn(tables.Column):
    """The percent as a bar with the number beside it (the number is what a screen reader
    and the export get)."""

    def render(self, value):
        return format_html(
            '<span class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
            'aria-valuenow="{0}" aria-label="完成度"><span class="progress-bar" '
            'style="width: {0}%"></span></span> <span class="progress-text">{0}%</span>',
            value,
        )

    def value(self, value):
        return value


class DueDateColumn(tables.Column):
    """The due date, marked when the task is overdue (the flag the roll-up keeps by the
    rule in rules/progress.py, which the 已逾期 filter and the dashboards read too)."""

    def render(self, record, value):
        text = value.isoformat()
        if record.is_overdue:
            return format_html('<span class="overdue">{} <small>已逾期</small></span>', text)
        return text

    def value(self, value):
        return value


class LeadColumn(tables.Column):
    """The lead department's name, or else the lead as the document wrote it (a district
    body, a 居委会: no department of the unit), marked as such on the page and plain in the
    export. Both come from the row and its select_related department: no query per row."""

    def render(self, record, value):
        if record.lead_department_id is None:
            return format_html(
                '<span class="lead-text" title="文档中的原文，未对应到本单位的科室">{}</span>',
                value,
            )
        return value

    def value(self, value):
        return value


class LastUpdateColumn(tables.DateTimeColumn):
    """When a person last saved an update of the task (not when a recompute or an admin
    edit touched the row): what the N 天未更新 filter and the reminders go by."""

    def value(self, value):
        # A real datetime in the export, so a spreadsheet can sort and filter it.
        return value


class TaskTable(tables.Table):
    number = tables.Column(verbose_name="编号", attrs={"td": {"class": "nowrap"}})
    title = tables.Column(
        verbose_name="标题",
        linkify=("plans:task_detail", {"pk": tables.A("pk")}),
        attrs={"td": {"class": "wide"}},
    )
    plan = tables.Column(accessor="plan__title", verbose_name="计划", order_by=("plan__title",))
    subdistrict = tables.Column(
        accessor="plan__subdistrict__name",
        verbose_name=UNIT_LABEL,
        order_by=("plan__subdistrict__name",),
    )
    # The name, not str(department), which would read the department's subdistrict per row.
    lead_department = LeadColumn(
        accessor="lead_label",
        verbose_name="牵头科室",
        order_by=("lead_department__name", "lead_text"),
    )
    responsible_person = tables.Column(verbose_name="责任人")
    status = StatusColumn(verbose_name="状态")
    percent = PercentColumn(verbose_name="完成度")
    due_date = DueDateColumn(verbose_name="截止日期")
    last_update_at = LastUpdateColumn(verbose_name="最近更新", format="Y-m-d H:i")

    class Meta:
        model = Task
        fields = (
            "number",
            "title",
            "plan",
            "subdistrict",
            "lead_department",
            "responsible_person",
            "status",
            "percent",
            "due_date",
            "last_update_at",
        )
        # No default sort: the queryset is already in document order (plan, path).
        empty_text = "没有符合条件的任务。"
        attrs = {"class": "table"}
