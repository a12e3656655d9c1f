import pytest
from django.urls import reverse

from apps.notifications.models import Notification
from apps.notifications.services import notification_setting_save, notify
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_a_notification_is_stored_and_mailed_to_a_user_with_an_address(alice, mailoutbox):
    notify(recipient=alice, kind=Notification.Kind.URGE, title="请报送进展", url="/tasks/1/")

    assert Notification.objects.get(recipient=alice).title == "请报送进展"
    assert mailoutbox[0].to == [alice.email]
    assert "请报送进展" in mailoutbox[0].subject
    assert mailoutbox[0].body.endswith("/tasks/1/")


def test_a_user_who_switched_email_off_gets_the_notification_in_the_app_only(alice, mailoutbox):
    notification_setting_save(user=alice, email=False)

    notify(recipient=alice, kind=Notification.Kind.URGE, title="请报送进展")

    assert Notification.objects.filter(recipient=alice).count() == 1
    assert mailoutbox == []


def test_the_same_key_is_sent_once(alice, mailoutbox):
    first = notify(recipient=alice, kind=Notification.Kind.STALE, title="a", key="stale:2026-W49")
    second = notify(recipient=alice, kind=Notification.Kind.STALE, title="a", key="stale:2026-W49")

    assert first is not None and second is None
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert len(mailoutbox) == 1


def test_no_extra_channel_means_in_app_only(settings, alice, mailoutbox):
    from apps.notifications.channels import channels

    settings.NOTIFICATION_CHANNELS = []
    channels.cache_clear()
    try:
        notify(recipient=alice, kind=Notification.Kind.URGE, title="站内")
    finally:
        channels.cache_clear()
    assert mailoutbox == []


def test_the_navigation_bar_counts_unread_notifications(client, alice):
    NotificationFactory.create_batch(3, recipient=alice)
    NotificationFactory(recipient=alice, read_at="2026-01-01T00:00:00Z")
    client.force_login(alice)

    page = client.get(reverse("notifications:notification_list")).content.decode()

    assert 'data-count="unread" title="未读通知">3<' in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, alice, task_a):
    url = reverse("plans:task_detail", args=[task_a.pk])
    notification = NotificationFactory(recipient=alice, url=url)
    client.force_login(alice)

    response = client.post(reverse("notifications:notification_read", args=[notification.pk]))

    assert response["Location"] == url
    notification.refresh_from_db()
    assert notification.is_read


def test_mark_all_read_reads_only_my_notifications(client, alice, bob):
    NotificationFactory.create_batch(2, recipient=alice)
    theirs = NotificationFactory(recipient=bob)
    client.force_login(alice)

    client.post(reverse("notifications:notification_read_all"))

    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_someone_elses_notification_is_not_found(client, alice, charlie):
    theirs = NotificationFactory(recipient=charlie)
    client.force_login(alice)

    response = client.post(reverse("notifications:notification_read", args=[theirs.pk]))

    assert response.status_code == 404
