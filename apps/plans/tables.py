"""The task table: declarative columns over rows that are already scoped and filtered.

Each column's `cell(record)` is its HTML (escaped) for the page, rendered in one pass by
`FastTableMixin` (apps/core/tables.py); `value()` is what the export gets. The columns read
only the fields `selectors.TASK_LIST_COLUMNS` loads."""

from html import escape

import django_tables2 as tables
from django.utils import timezone

from apps.core.tables import EMPTY_CELL, FastColumnMixin, FastTableMixin, url_pattern
from apps.plans.models import Task
from apps.subdistricts.labels import UNIT_LABEL

STATUS_LABELS = dict(Task.Status.choices)


class Column(FastColumnMixin, tables.Column):
    pass


class TitleColumn(Column):
    """The title, linked to the task page; the URL comes from one pattern per table, not
    one reverse() per row."""

    def cell(self, record) -> str:
        href = self.pattern.format(pk=record.pk)
        return f'<a href="{href}">{escape(record.title)}</a>'

    @property
    def pattern(self) -> str:
        if not hasattr(self, "_pattern"):
            self._pattern = url_pattern("plans:task_detail")
        return self._pattern

    def value(self, record):
        return record.title


class StatusColumn(Column):
    """The status as a coloured badge; the colour comes from the CSS class of the value."""

    def cell(self, record) -> str:
        label = escape(str(STATUS_LABELS.get(record.status, record.status)))
        return f'<span class="badge badge-{escape(record.status)}">{label}</span>'

    def value(self, record):
        return record.get_status_display()


class PercentColumn(Column):
    """The percent as a bar with the number beside it (the number is what a screen reader
    and the export get)."""

    def cell(self, record) -> str:
        value = int(record.percent)
        return (
            '<span class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
            f'aria-valuenow="{value}" aria-label="完成度"><span class="progress-bar" '
            f'style="width: {value}%"></span></span> <span class="progress-text">{value}%</span>'
        )

    def value(self, value):
        return value


class DueDateColumn(Column):
    """The due date, marked when the task is overdue (the flag the roll-up keeps by the
    rule in rules/progress.py, which the 已逾期 filter and the dashboards read too)."""

    def cell(self, record) -> str:
        if record.due_date is None:
            return EMPTY_CELL
        text = record.due_date.isoformat()
        if record.is_overdue:
            return f'<span class="overdue">{text} <small>已逾期</small></span>'
        return text

    def value(self, value):
        return value


class LeadColumn(Column):
    """The lead department's name, or else the lead as the document wrote it (a district
    body, a 居委会: no department of the unit), marked as such on the page and plain in the
    export. Both come from the row and its select_related department: no query per row."""

    def cell(self, record) -> str:
        value = record.lead_label
        if not value:
            return EMPTY_CELL
        if record.lead_department_id is None:
            return (
                '<span class="lead-text" title="文档中的原文，未对应到本单位的科室">'
                f"{escape(value)}</span>"
            )
        return escape(value)

    def value(self, value):
        return value


class LastUpdateColumn(Column):
    """When a person last saved an update of the task (not when a recompute or an admin
    edit touched the row): what the N 天未更新 filter and the reminders go by."""

    def cell(self, record) -> str:
        if record.last_update_at is None:
            return EMPTY_CELL
        return timezone.localtime(record.last_update_at).strftime("%Y-%m-%d %H:%M")

    def value(self, value):
        # A real datetime in the export, so a spreadsheet can sort and filter it.
        return value


class TaskTable(FastTableMixin, tables.Table):
    number = Column(verbose_name="编号", attrs={"td": {"class": "nowrap"}})
    title = TitleColumn(verbose_name="标题", attrs={"td": {"class": "wide"}})
    plan = Column(accessor="plan__title", verbose_name="计划", order_by=("plan__title",))
    subdistrict = Column(
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
    responsible_person = Column(verbose_name="责任人")
    status = StatusColumn(verbose_name="状态")
    percent = PercentColumn(verbose_name="完成度")
    due_date = DueDateColumn(verbose_name="截止日期")
    last_update_at = LastUpdateColumn(verbose_name="最近更新")

    class Meta:
        model = Task
        template_name = "core/fast_table.html"
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
