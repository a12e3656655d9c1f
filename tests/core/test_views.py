import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import include, path
from django.views import View

from apps.core.views import ObjectDetailView, ObjectListView, WriteRequiredMixin, require_write
from apps.plans.filtersets import TaskFilterSet
from apps.plans.models import Task
from apps.plans.tables import TaskTable
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _request(user, path="/", **params):
    request = RequestFactory().get(path, params)
    request.user = user
    return request


class TaskPage(ObjectDetailView):
    queryset = Task.objects.all()
    template_name = "base.html"

    def get_extra_context(self, request, obj):
        return {"extra": obj.title}


class Edit(WriteRequiredMixin, View):
    def get(self, request):
        return HttpResponse("ok")


class TaskList(ObjectListView):
    queryset = Task.objects.all()
    filterset = TaskFilterSet
    table = TaskTable

    def default_filters(self, request):
        return {"status": "done"}


# Used by the tests marked with @pytest.mark.urls("tests.core.test_views").
# The site's own URLs too: error pages render base.html, whose navigation links to them.
urlpatterns = [path("edit/", Edit.as_view()), path("", include("apps.urls"))]


# --- ObjectDetailView


def test_the_detail_base_shows_an_object_in_the_users_scope(alice, task_a):
    response = TaskPage.as_view()(_request(alice), pk=task_a.pk)

    assert response.status_code == 200


def test_the_detail_base_answers_404_for_an_object_of_another_subdistrict(alice, task_b):
    with pytest.raises(Http404):
        TaskPage.as_view()(_request(alice), pk=task_b.pk)


def test_the_detail_base_answers_404_for_a_missing_object(alice):
    with pytest.raises(Http404):
        TaskPage.as_view()(_request(alice), pk=999_999)


def test_the_detail_base_gives_a_superuser_any_object(task_b):
    root = UserFactory(username="root", is_superuser=True)
    view = TaskPage()
    view.setup(_request(root), pk=task_b.pk)

    assert view.get_object() == task_b


# --- Write permission


def test_require_write_lets_staff_through(alice):
    require_write(_request(alice))


def test_require_write_refuses_a_read_only_viewer(dora):
    with pytest.raises(PermissionDenied):
        require_write(_request(dora))


def test_require_write_refuses_a_user_without_memberships():
    with pytest.raises(PermissionDenied):
        require_write(_request(UserFactory()))


def test_the_write_mixin_answers_403_to_a_viewer_before_the_view_runs(dora):
    with pytest.raises(PermissionDenied):
        Edit.as_view()(_request(dora))


def test_the_write_mixin_lets_a_leader_through(bob):
    assert Edit.as_view()(_request(bob)).status_code == 200


@pytest.mark.urls("tests.core.test_views")
def test_a_viewer_gets_a_403_page_and_a_leader_the_view(client, dora, bob):
    client.force_login(dora)
    assert client.get("/edit/").status_code == 403

    client.force_login(bob)
    assert client.get("/edit/").status_code == 200


# --- ObjectListView


def test_the_list_base_scopes_rows_to_the_user(alice, task_a, task_b):
    view = TaskList()
    view.setup(_request(alice))

    assert set(view.get_queryset(view.request)) == set(Task.objects.filter(plan=task_a.plan))


def test_the_list_base_applies_defaults_only_when_no_filter_is_chosen(alice):
    view = TaskList()

    data, using_defaults = view.get_filter_data(_request(alice))
    assert using_defaults and data["status"] == "done"

    data, using_defaults = view.get_filter_data(_request(alice, sort="due_date", page="2"))
    assert using_defaults and data["sort"] == "due_date"

    data, using_defaults = view.get_filter_data(_request(alice, all="1"))
    assert not using_defaults and "status" not in data


def test_the_list_base_answers_404_to_an_export_it_does_not_offer(alice, task_a):
    with pytest.raises(Http404):
        TaskList.as_view()(_request(alice, _export="xlsx"))


# --- Security headers, password change, sessions (issue 14, item 11) -----------------------


def test_a_page_carries_csp_nosniff_referrer_policy_and_frame_options(client, alice):
    client.force_login(alice)

    response = client.get("/tasks/")

    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_script_or_event_handlers():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
        or handler.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_user_can_change_their_password(client, dora):
    client.force_login(dora)

    response = client.post(
        "/accounts/password/",
        {
            "old_password": "password",
            "new_password1": "Jiedao-kanban-2026",
            "new_password2": "Jiedao-kanban-2026",
        },
    )

    assert response.status_code == 302
    dora.refresh_from_db()
    assert dora.check_password("Jiedao-kanban-2026")


def test_a_session_is_renewed_by_use(client, alice, monkeypatch):
    import time

    from apps.core import sessions

    client.force_login(alice)
    expiry = client.session.get_expiry_date()
    real_time = time.time
    monkeypatch.setattr(sessions.time, "time", lambda: real_time() + 3600)

    client.get("/tasks/")

    from django.contrib.sessions.models import Session

    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date > expiry
