from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone

from apps.core.forms import ChineseDateField, FastSelect
from apps.evidence.services import evidence_check
from apps.plans.models import Indicator, PlanReport, Task
from apps.plans.rules.progress import (
    NOTE_MAX_LENGTH,
    NOTE_TOO_LONG_MESSAGE,
    due_date_error,
    plan_period,
    reading_date_error,
    reading_default_date,
)
from apps.plans.services import DONE_NEEDS_100_MESSAGE, PERCENT_RANGE_MESSAGE
from apps.subdistricts.models import Department

NOT_A_NUMBER_MESSAGE = "实际值必须是数字"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Any number of files from one input (Django's documented recipe); each is checked by
    `evidence_check`, the same check `evidence_attach` makes."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ACCEPTED_TYPES, "class": "attachments-input"}),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(AttachmentsField, self).clean(f, initial) for f in files]
        evidence_check(files)
        return files


# What the file picker offers; the server decides from the content (apps/evidence).
ACCEPTED_TYPES = "image/*,.pdf,.docx,.xlsx"
ATTACHMENT_NEEDS_NOTE_MESSAGE = "上传台账材料时，请在“进展情况”中写一句说明。"


class TaskUpdateForm(forms.Form):
    """The update form of the task page: the task's progress fields plus, for each of its
    indicators, an optional new actual value (`indicator_<id>_value`, `indicator_<id>_date`).

    A task with sub-tasks has no percent field: its percent is derived from the children.
    """

    status = forms.ChoiceField(label="状态", choices=Task.Status.choices, widget=FastSelect)
    percent = forms.IntegerField(
        label="完成百分比",
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": PERCENT_RANGE_MESSAGE,
            "max_value": PERCENT_RANGE_MESSAGE,
            "invalid": PERCENT_RANGE_MESSAGE,
        },
    )
    due_date = ChineseDateField(label="截止日期", required=False)
    lead_department = forms.ModelChoiceField(
        label="牵头科室", queryset=Department.objects.none(), required=False, widget=FastSelect
    )
    responsible_person = forms.CharField(label="责任人", max_length=100, required=False)
    note = forms.CharField(
        label="进展情况",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        error_messages={"max_length": NOTE_TOO_LONG_MESSAGE},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = AttachmentsField(
        label="台账附件",
        required=False,
        help_text="照片、PDF、Word 或 Excel，每个不超过 20 MB，可多选。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(
        self,
        *args,
        task: Task,
        indicators: list[Indicator],
        has_children: bool,
        **kwargs,
    ):
        kwargs.setdefault(
            "initial",
            {
                "status": task.status,
                "percent": task.percent,
                "due_date": task.due_date,
                "lead_department": task.lead_department_id,
                "responsible_person": task.responsible_person,
                "version": task.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.task = task
        self.has_children = has_children
        self.indicators = indicators
        if has_children:
            del self.fields["percent"]
        department_field = self.fields["lead_department"]
        department_field.queryset = Department.objects.filter(
            subdistrict_id=task.plan.subdistrict_id
        )
        department_field.label_from_instance = lambda d: d.name

        # A reading is dated inside the plan's period (rules/progress.py): the form offers
        # those days only, and today or the period's nearest day by default.
        plan = task.plan
        self.plan_years = {"year_start": plan.year_start, "year_end": plan.year_end}
        today = timezone.localdate()
        self.default_date = reading_default_date(**self.plan_years, today=today)
        first, last = plan_period(plan.year_start, plan.year_end)
        # Shown once under the indicator rows; a text box has no min/max of its own.
        self.reading_period = (first, max(first, min(last, today)))
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}_value"] = forms.DecimalField(
                label=f"{indicator.name}实际值",
                required=False,
                max_digits=20,
                decimal_places=4,
                error_messages={"invalid": NOT_A_NUMBER_MESSAGE},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
            )
            self.fields[f"indicator_{indicator.pk}_date"] = ChineseDateField(
                label=f"{indicator.name}日期",
                required=False,
                initial=self.default_date,
            )

    PROGRESS_FIELDS = [
        "status",
        "percent",
        "note",
        "attachments",
        "due_date",
        "lead_department",
        "responsible_person",
    ]

    @property
    def percent_editable(self) -> bool:
        return "percent" in self.fields

    # What changes at most once in a task's life; folded on the page so that the daily
    # update (status, percent, note, photos) fits a phone's screen.
    SETTINGS_FIELDS = ("due_date", "lead_department", "responsible_person")

    def progress_fields(self):
        """The task's own fields, in order, for the template."""
        return [self[name] for name in self.PROGRESS_FIELDS if name in self.fields]

    def daily_fields(self):
        return [f for f in self.progress_fields() if f.name not in self.SETTINGS_FIELDS]

    def settings_fields(self):
        return [f for f in self.progress_fields() if f.name in self.SETTINGS_FIELDS]

    @property
    def settings_have_errors(self) -> bool:
        return any(self[name].errors for name in self.SETTINGS_FIELDS)

    def indicator_rows(self):
        """(indicator, value field, date field) for the template."""
        return [
            (i, self[f"indicator_{i.pk}_value"], self[f"indicator_{i.pk}_date"])
            for i in self.indicators
        ]

    def clean(self):
        cleaned = super().clean()
        percent = cleaned.get("percent") if not self.has_children else self.task.percent
        if cleaned.get("status") == Task.Status.DONE and percent is not None and percent != 100:
            self.add_error("status", DONE_NEEDS_100_MESSAGE)

        due_date = cleaned.get("due_date")
        if due_date is not None and (problem := due_date_error(due_date, **self.plan_years)):
            self.add_error("due_date", problem)

        if cleaned.get("attachments") and not (cleaned.get("note") or "").strip():
            self.add_error("note", ATTACHMENT_NEEDS_NOTE_MESSAGE)

        today = timezone.localdate()
        for indicator in self.indicators:
            date_name = f"indicator_{indicator.pk}_date"
            date = cleaned.get(date_name)
            # A date without a value records nothing.
            if date is None or cleaned.get(f"indicator_{indicator.pk}_value") is None:
                continue
            problem = reading_date_error(date, **self.plan_years, today=today)
            if problem:
                self.add_error(date_name, problem)
        return cleaned

    def readings(self) -> list[tuple[int, dt.date, Decimal]]:
        """The indicator values entered, as `task_update` takes them; a value without a
        date takes the form's default date (today, or the plan period's nearest day)."""
        result = []
        for indicator in self.indicators:
            value = self.cleaned_data.get(f"indicator_{indicator.pk}_value")
            if value is None:
                continue
            date = self.cleaned_data.get(f"indicator_{indicator.pk}_date") or self.default_date
            result.append((indicator.pk, date, value))
        return result

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "version": data["version"],
            "status": data["status"],
            "percent": data.get("percent"),
            "due_date": data["due_date"],
            "lead_department": data["lead_department"],
            "responsible_person": data["responsible_person"],
            "note": data["note"],
            "readings": self.readings(),
        }


class PlanReportForm(forms.Form):
    """What the plan page's report buttons post: the kind, and for a 通报 its period."""

    kind = forms.ChoiceField(
        label="类型",
        choices=PlanReport.Kind.choices,
        required=False,
    )
    period = forms.ChoiceField(
        label="通报周期",
        choices=PlanReport.Period.choices,
        required=False,
    )

    def service_kwargs(self) -> dict:
        return {
            "kind": self.cleaned_data["kind"] or PlanReport.Kind.WORKBOOK,
            "period": self.cleaned_data["period"],
        }
