"""Writing notifications: every app that tells somebody something calls `notify`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.notifications.channels import channels
from apps.notifications.models import Notification, NotificationSetting

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from apps.accounts.models import User

logger = logging.getLogger(__name__)


def notify(
    *,
    recipient: User,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
) -> Notification | None:
    """Store one notification and pass it to the extra channels; returns None when a
    notification with the same `key` already went to this recipient (a job's second run
    in the same period). A channel that fails rolls the row back, so the next run retries."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, title=title[:300], body=body, url=url, key=key
            )
            for channel in channels():
                channel.deliver(notification)
    except IntegrityError:
        return None
    return notification


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read: the given ones, or (ids None) all of them.
    Someone else's ids are ignored, never an error that would tell they exist."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


def notifications_settle(*, recipients: QuerySet, keys: list[str]) -> int:
    """Mark read the notifications about something now dealt with (an update one leader
    reviewed was announced to all of the unit's leaders), so that a count in the navigation
    bar means something is still waiting. `recipients`: the user ids they went to (the
    lookup then runs on the (recipient, key) index)."""
    return Notification.objects.filter(
        recipient_id__in=recipients, key__in=keys, read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_setting_save(*, user: User, email: bool) -> NotificationSetting:
    setting, _ = NotificationSetting.objects.update_or_create(user=user, defaults={"email": email})
    return setting
