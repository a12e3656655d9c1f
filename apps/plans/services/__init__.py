"""Writes to plans, one module per concern; import services from here."""

from apps.plans.rules.progress import FUTURE_DATE_MESSAGE
from apps.plans.services.owners import plan_match_owners, task_owners_set, tasks_match_owners
from apps.plans.services.reports import plan_report_generate, plan_report_request
from apps.plans.services.reviews import (
    SUBMITTED_MESSAGE,
    task_update_submit,
    updates_approve,
    updates_return,
)
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
from apps.plans.services.urges import urges_close

__all__ = [
    "CONFLICT_MESSAGE",
    "DONE_NEEDS_100_MESSAGE",
    "FUTURE_DATE_MESSAGE",
    "NO_CHANGES_MESSAGE",
    "PERCENT_RANGE_MESSAGE",
    "SUBMITTED_MESSAGE",
    "indicator_admin_saved",
    "plan_match_owners",
    "plan_report_generate",
    "plan_report_request",
    "plan_rollup",
    "plan_rollup_schedule",
    "plan_rollup_unsaved",
    "plans_rollup_all",
    "plans_rollup_pending",
    "snapshot_take",
    "snapshots_fill",
    "task_admin_save",
    "task_owners_set",
    "task_recompute_ancestors",
    "task_update",
    "task_update_submit",
    "tasks_flag_overdue",
    "tasks_match_owners",
    "updates_approve",
    "updates_return",
    "urges_close",
]
