"""The admin edits what a task says; its status and percent change on the task page only,
where the version, the parents and the roll-ups are kept right."""

import pytest
from django.urls import reverse

from apps.plans.models import IndicatorReading, Task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def _change_form_data(admin_client, task, **changes):
    """The task's admin change form as it is, with `changes`."""
    page = admin_client.get(reverse("admin:plans_task_change", args=[task.pk]))
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data = {name: data.get(name, "") for name in form.fields}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for inline_form in formset.formset.forms:
            values = {**inline_form.initial, "id": inline_form.instance.pk}
            for name in inline_form.fields:
                value = values.get(name, "")
                data[inline_form.add_prefix(name)] = "" if value is None else value
    data.update(changes)
    return data


def test_status_and_percent_are_read_only_in_the_admin(admin_client, task_a):
    url = reverse("admin:plans_task_change", args=[task_a.pk])
    form = admin_client.get(url).context["adminform"].form
    assert "status" not in form.fields and "percent" not in form.fields

    data = _change_form_data(admin_client, task_a, status="done", percent=100, title="新标题")
    response = admin_client.post(url, data)

    assert response.status_code == 302
    task_a.refresh_from_db()
    assert (task_a.title, task_a.status, task_a.percent) == ("新标题", "not_started", 0)


def test_an_admin_edit_gets_a_new_version_so_an_open_task_page_cannot_overwrite_it(
    admin_client, client, task_a, alice, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "apps.plans.jobs.plan_rollup.apply_async", lambda **kwargs: queued.append(kwargs)
    )
    opened_version = task_a.version
    url = reverse("admin:plans_task_change", args=[task_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, _change_form_data(admin_client, task_a, due_date="2023-03-31"))

    task_a.refresh_from_db()
    assert task_a.version == opened_version + 1
    assert queued == [{"args": [task_a.plan_id], "countdown": 1}]

    alice_client = type(client)()
    alice_client.force_login(alice)
    response = alice_client.post(
        reverse("plans:task_detail", args=[task_a.pk]),
        {
            "version": opened_version,
            "status": "in_progress",
            "percent": 30,
            "due_date": "",
            "lead_department": task_a.lead_department_id,
            "responsible_person": "",
            "note": "",
        },
    )
    assert response.status_code == 409
    assert Task.objects.get(pk=task_a.pk).due_date.isoformat() == "2023-03-31"


def test_tasks_are_not_added_and_readings_not_edited_in_the_admin(admin_client, task_a):
    assert admin_client.get(reverse("admin:plans_task_add")).status_code == 403
    assert admin_client.get(reverse("admin:plans_indicatorreading_add")).status_code == 403
    assert not IndicatorReading.objects.exists()


def test_the_admin_search_is_the_task_lists_search(admin_client, task_a, task_b):
    url = reverse("admin:plans_task_changelist")

    by_text = admin_client.get(url, {"q": "走访企业"}).context["cl"].result_list
    by_one_character = admin_client.get(url, {"q": "企"}).context["cl"].result_list

    assert [t.pk for t in by_text] == [task_a.pk]
    assert list(by_one_character) == []
