from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone

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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TaskUpdateForm(forms.Form):
    """The update form of the task page: the task's progress fields plus, for each of its
    indicators, an optional new actual value (`indicator_<id>_value`, `indicator_<id>_date`).

    A task with sub-tasks has no percent field: its percent is derived from the children.
    """

    status = forms.ChoiceField(label="状态", choices=Task.Status.choices)
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
    due_date = forms.DateField(label="截止日期", required=False, widget=DateInput())
    lead_department = forms.ModelChoiceField(
        label="牵头科室", queryset=Department.objects.none(), required=False
    )
    responsible_person = forms.CharField(label="责任人", max_length=100, required=False)
    note = forms.CharField(
        label="进展情况",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        error_messages={"max_length": NOTE_TOO_LONG_MESSAGE},
        widget=forms.Textarea(attrs={"rows": 3}),
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
        bounds = {"min": first.isoformat(), "max": min(last, today).isoformat()}
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}_value"] = forms.DecimalField(
                label=f"{indicator.name}实际值",
                required=False,
                max_digits=20,
                decimal_places=4,
                error_messages={"invalid": NOT_A_NUMBER_MESSAGE},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
            )
            self.fields[f"indicator_{indicator.pk}_date"] = forms.DateField(
                label=f"{indicator.name}日期",
                required=False,
                initial=self.default_date,
                widget=DateInput(attrs=bounds),
            )

    PROGRESS_FIELDS = [
        "status",
        "percent",
        "due_date",
        "lead_department",
        "responsible_person",
        "note",
    ]

    @property
    def percent_editable(self) -> bool:
        return "percent" in self.fields

    def progress_fields(self):
        """The task's own fields, in order, for the template."""
        return [self[name] for name in self.PROGRESS_FIELDS if name in self.fields]

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
