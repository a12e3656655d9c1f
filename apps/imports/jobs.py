"""Celery jobs of the browser import; the house pattern of apps/plans/jobs.py: ids in, one
service, retries for database hiccups, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from apps.imports import services
from apps.plans.jobs import RETRY


@shared_task(**RETRY, soft_time_limit=300, time_limit=330)
def draft_parse(draft_id: int) -> dict:
    draft = services.draft_parse(draft_id=draft_id)
    return {"draft_id": draft_id, "status": draft.status}


@shared_task(**RETRY)
def drafts_expire() -> int:
    return services.drafts_expire()
