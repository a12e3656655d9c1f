"""Filters of the task table. They receive an already scoped queryset; the choices they
offer (plans, sections, departments) are scoped to the user as well."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from apps.core.forms import FastSelect
from apps.core.querysets import subdistrict_ids_of
from apps.plans.models import HEALTH_CHOICES, Plan, Task
from apps.plans.selectors import task_search, tasks_not_updated_for
from apps.subdistricts.labels import UNIT_LABEL
from apps.subdistricts.models import Department, Subdistrict

# Not a status of its own: every status but 已完成, what "my open tasks" means.
OPEN = "open"


def _user(request):
    return getattr(request, "user", None)


def _plans(request):
    return Plan.objects.for_user(_user(request)).order_by("-year_start", "title")


def _sections(request):
    return (
        Task.objects.for_user(_user(request))
        .filter(parent__isnull=True)
        .order_by("plan_id", "path")
    )


def _subdistricts(request):
    return Subdistrict.objects.for_user(_user(request))


def _is_id(value) -> bool:
    return bool(value) and str(value).isdigit()


def _departments(request):
    return Department.objects.for_user(_user(request)).select_related("subdistrict")


class TaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索")
    subdistrict = django_filters.ModelChoiceFilter(
        widget=FastSelect(label_field="name"),
        field_name="plan__subdistrict",
        queryset=_subdistricts,
        label=UNIT_LABEL,
        empty_label=f"全部{UNIT_LABEL}",
    )
    plan = django_filters.ModelChoiceFilter(
        widget=FastSelect(label_field="title"),
        queryset=_plans,
        label="计划",
        empty_label="全部计划",
    )
    section = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        queryset=_sections,
        method="filter_section",
        label="板块",
        empty_label="全部板块",
    )
    status = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=[(OPEN, "未完成"), *Task.Status.choices],
        method="filter_status",
        label="状态",
        empty_label="全部状态",
    )
    health = django_filters.ChoiceFilter(
        widget=FastSelect, choices=HEALTH_CHOICES, label="进度状态", empty_label="全部进度状态"
    )
    department = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        field_name="lead_department",
        queryset=_departments,
        label="牵头科室",
        empty_label="全部科室",
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="已逾期", widget=forms.CheckboxInput
    )
    stale_days = django_filters.NumberFilter(
        method="filter_stale_days",
        label="未更新天数≥",
        min_value=1,
        # Ten years: a larger count once overflowed the date arithmetic into a 500.
        max_value=3650,
        widget=forms.NumberInput(attrs={"min": 1, "max": 3650, "step": 1, "placeholder": "天数"}),
    )

    class Meta:
        model = Task
        fields = [
            "q",
            "subdistrict",
            "plan",
            "section",
            "status",
            "health",
            "department",
            "overdue",
            "stale_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._narrow_by_subdistrict()
        # Sections are offered for the chosen plan only: across a city there are thousands.
        # A section given without its plan still filters (it names its own plan).
        section = (self.data.get("plan"), self.data.get("section"))
        self._narrow("section", Task, "plan_id", *section, "先选择计划")

    def _narrow(self, name, model, lookup, parent_id, own_id, empty_label) -> None:
        """Offer `name`'s choices under the chosen parent, or the one given, or none
        (`model.objects.none()`, with `empty_label` saying what to choose first). Set on
        the filter before its form field is made: choices that are none are then never
        scoped, which cost a city-wide viewer three scoped querysets on every list page."""
        filter_ = self.filters[name]
        choices = filter_.queryset  # a function of the request: the scoped choices
        if _is_id(parent_id):
            filter_.queryset = lambda request: choices(request).filter(**{lookup: parent_id})
        elif _is_id(own_id):
            filter_.queryset = lambda request: choices(request).filter(pk=own_id)
        else:
            filter_.queryset = model.objects.none()
            filter_.extra["empty_label"] = empty_label

    def _narrow_by_subdistrict(self) -> None:
        """Someone who sees many units picks one before its plans and departments are
        offered: a city has a thousand plans, and a page listing them all is slow and of
        no use. A plan or department given on its own (a link) still filters."""
        ids = subdistrict_ids_of(_user(self.request))
        if ids is not None and len(ids) <= 1:
            return
        chosen = self.data.get("subdistrict")
        for name, model in (("plan", Plan), ("department", Department)):
            own = self.data.get(name)
            self._narrow(name, model, "subdistrict_id", chosen, own, f"先选择{UNIT_LABEL}")

    def filter_q(self, queryset, name, value):
        return task_search(queryset, value)

    def filter_section(self, queryset, name, section):
        # `path` is zero-padded per level, so a section's descendants share its prefix.
        return queryset.filter(plan_id=section.plan_id).filter(
            Q(path=section.path) | Q(path__startswith=f"{section.path}.")
        )

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.exclude(status=Task.Status.DONE)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        """The leaf tasks the roll-up flagged by the overdue rule (rules/progress.py):
        the tasks the dashboards count as 逾期."""
        if not value:
            return queryset
        return queryset.filter(is_overdue=True).leaves()

    def filter_stale_days(self, queryset, name, value):
        if not value:
            return queryset
        return tasks_not_updated_for(queryset, days=int(value), now=timezone.now())
