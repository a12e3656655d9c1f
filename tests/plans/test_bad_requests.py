"""Requests with out-of-range input answer with a Chinese message, never a 500 or a bare
page (issue 14, item 9)."""

import pytest

from apps.plans.models import Task, TaskUpdate
from apps.plans.rules.progress import NOTE_MAX_LENGTH
from tests.plans.test_task_detail import form_data, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("days", ["99999999999", "3651"])
def test_a_huge_stale_days_is_a_form_error_not_a_500(client, dora, task_a, days):
    client.force_login(dora)

    response = client.get("/tasks/", {"stale_days": days})

    assert response.status_code == 200
    assert len(response.context["table"].paginated_rows) == 0
    assert response.context["filter_form"].errors


def test_a_note_of_a_megabyte_is_refused(client, alice, task_a):
    client.force_login(alice)

    response = client.post(url(task_a), form_data(task_a, note="进" * 600_000))

    assert response.status_code == 200
    assert f"进展情况最多 {NOTE_MAX_LENGTH} 字" in response.content.decode()
    assert not TaskUpdate.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_due_date_far_outside_the_plan_is_refused(client, alice, task_a, day):
    client.force_login(alice)

    response = client.post(url(task_a), form_data(task_a, due_date=day, percent=50))

    assert "截止日期须在" in response.content.decode()
    assert Task.objects.get(pk=task_a.pk).due_date != __import__("datetime").date.fromisoformat(day)


def test_the_service_refuses_a_far_due_date_too(alice, task_a):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from apps.plans.services import task_update

    with pytest.raises(ValidationError, match="截止日期须在"):
        task_update(
            task_id=task_a.pk,
            user=alice,
            version=task_a.version,
            status=task_a.status,
            percent=10,
            due_date=dt.date(1, 1, 1),
            lead_department=task_a.lead_department,
            responsible_person="",
            note="",
            readings=[],
        )


def test_a_body_over_the_limit_gets_a_chinese_400(client, alice, task_a):
    client.force_login(alice)

    response = client.post(url(task_a), form_data(task_a, note="x" * (3 * 1024 * 1024)))

    assert response.status_code == 400
    assert "请求无效" in response.content.decode()
