"""Celery jobs of the 督办 loop; each calls one service and is safe to run twice (the
notifications carry one key per recipient and period)."""

from __future__ import annotations

from celery import shared_task

from apps.plans.jobs import RETRY
from apps.supervision import services


@shared_task(**RETRY)
def reminders_send() -> dict:
    return services.reminders_send()


@shared_task(**RETRY)
def urges_escalate() -> int:
    return services.urges_escalate()
