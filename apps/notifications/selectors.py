"""Reads of notifications: always the user's own, so another person's (of any unit) is
never found (404)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from apps.notifications.models import Notification, NotificationSetting

if TYPE_CHECKING:
    from apps.accounts.models import User


def notification_list(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notification_unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_wants_email(user: User) -> bool:
    setting = NotificationSetting.objects.filter(user=user).first()
    return setting is None or setting.email
