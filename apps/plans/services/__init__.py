"""Writes to plans, one module per concern; import services from here."""

from apps.plans.rules.progress import FUTURE_DATE_MESSAGE
from apps.plans.services.reminders import reminders_send
from apps.plans.services.reports import plan_report_generate, plan_report_request
from apps.plans.services.rollups import (
    plan_rollup,
    plan_rollup_schedule,
    plan_rollup_unsaved,
    plans_rollup_all,
    plans_rollup_pending,
    tasks_flag_overdue,
)
from apps.plans.services.snapshots import snapshot_take, snapshots_fill
from apps.plans.services.tasks import (
    CONFLICT_MESSAGE,
    DONE_NEEDS_100_MESSAGE,
    NO_CHANGES_MESSAGE,
    PERCENT_RANGE_MESSAGE,
    indicator_admin_saved,
    task_admin_save,
    task_recompute_ancestors,
    task_update,
)

__all__ = [
    "CONFLICT_MESSAGE",
    "DONE_NEEDS_100_MESSAGE",
    "FUTURE_DATE_MESSAGE",
    "NO_CHANGES_MESSAGE",
    "PERCENT_RANGE_MESSAGE",
    "indicator_admin_saved",
    "plan_report_generate",
    "plan_report_request",
    "plan_rollup",
    "plan_rollup_schedule",
    "plan_rollup_unsaved",
    "plans_rollup_all",
    "plans_rollup_pending",
    "reminders_send",
    "snapshot_take",
    "snapshots_fill",
    "task_admin_save",
    "task_recompute_ancestors",
    "task_update",
    "tasks_flag_overdue",
]
