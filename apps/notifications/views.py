"""The notification list and marking read. Every read goes through the user's own rows
(selectors.notification_list), so another person's notification is 404."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from apps.notifications.selectors import notification_list, notification_wants_email
from apps.notifications.services import notification_setting_save, notifications_mark_read

PER_PAGE = 30


class NotificationListView(View):
    def get(self, request):
        rows = notification_list(request.user)
        if request.GET.get("unread"):
            rows = rows.filter(read_at__isnull=True)
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "unread_only": bool(request.GET.get("unread")),
            "wants_email": notification_wants_email(request.user),
        }
        return render(request, "notifications/notification_list.html", context)


class NotificationReadView(View):
    """Open a notification: mark it read and go to what it is about. Everyone may mark
    their own notifications read, viewers included: it changes nothing of the unit's data."""

    def post(self, request, pk):
        notification = get_object_or_404(notification_list(request.user), pk=pk)
        notifications_mark_read(user=request.user, ids=[notification.pk])
        target = notification.url
        if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            target = reverse("notifications:notification_list")
        return redirect(target)


class NotificationReadAllView(View):
    def post(self, request):
        notifications_mark_read(user=request.user)
        return redirect("notifications:notification_list")


class NotificationSettingView(View):
    def post(self, request):
        notification_setting_save(user=request.user, email=request.POST.get("email") == "on")
        return redirect("notifications:notification_list")
