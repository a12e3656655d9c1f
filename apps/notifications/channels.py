"""The sending interface: in-app is the Notification row itself; every other way of
reaching a person (e-mail now, SMS or an IM bot later) is a `Channel` listed in
`settings.NOTIFICATION_CHANNELS` and chosen per user (NotificationSetting)."""

from __future__ import annotations

from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from apps.notifications.models import Notification, NotificationSetting


class Channel(Protocol):
    """An extra way to deliver a notification. `deliver` returns whether it sent."""

    name: str

    def deliver(self, notification: Notification) -> bool: ...


class InAppChannel:
    """The notification row is the in-app message; nothing more to send."""

    name = "in_app"

    def deliver(self, notification: Notification) -> bool:
        return True


class EmailChannel:
    """E-mail to users with an address who have not switched it off."""

    name = "email"

    def deliver(self, notification: Notification) -> bool:
        user = notification.recipient
        if not user.email:
            return False
        setting = NotificationSetting.objects.filter(user=user).first()
        if setting is not None and not setting.email:
            return False
        link = settings.SITE_URL.rstrip("/") + notification.url if notification.url else ""
        body = "\n\n".join(part for part in (notification.body, link) if part)
        send_mail(f"【{settings.SITE_NAME}】{notification.title}", body, None, [user.email])
        return True


@cache
def channels() -> list[Channel]:
    return [import_string(path)() for path in settings.NOTIFICATION_CHANNELS]
