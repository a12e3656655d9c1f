"""Celery jobs of plans. Each takes ids (or nothing), calls one service and owns retries
and logging; the services compute from the current state, so a job that runs twice (a
retry, a redelivery after a worker died, beat and a person both starting it) changes
nothing more. acks_late and the time limits are set for every job in settings."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from apps.plans import services

logger = logging.getLogger(__name__)

# Database hiccups (a restart, a lock timeout on SQLite) are worth retrying; a bug is not.
RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY, soft_time_limit=120, time_limit=150)
def plan_rollup(plan_id: int) -> dict:
    progress = services.plan_rollup(plan_id=plan_id)
    return {"plan_id": plan_id, "percent": str(progress.percent)}


@shared_task(**RETRY)
def plans_rollup_all() -> int:
    return services.plans_rollup_all()


@shared_task(**RETRY)
def plans_rollup_pending() -> int:
    return services.plans_rollup_pending()


@shared_task(**RETRY)
def tasks_flag_overdue() -> dict:
    flagged, cleared = services.tasks_flag_overdue()
    return {"flagged": flagged, "cleared": cleared}


@shared_task(**RETRY)
def snapshots_fill() -> int:
    return services.snapshots_fill()


@shared_task(**RETRY, soft_time_limit=300, time_limit=330)
def plan_report_generate(report_id: int) -> int:
    return services.plan_report_generate(report_id=report_id).pk
