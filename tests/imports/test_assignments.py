"""Bulk assignment: leaders and administrators set 牵头科室, 责任人 and 截止日期 at once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.imports.assignments import tasks_assign
from apps.plans.models import Task, TaskUpdate
from tests.factories import DepartmentFactory, TaskFactory

pytestmark = pytest.mark.django_db
URL = "/tasks/assign/"


@pytest.fixture
def tasks(plan_a):
    return [TaskFactory(plan=plan_a, title=f"任务{n}") for n in range(3)]


def test_it_sets_the_fields_on_every_selected_task_and_records_the_timeline(
    bob, tasks, department_a
):
    changed = tasks_assign(
        user=bob,
        task_ids=[t.pk for t in tasks[:2]],
        lead_department=department_a,
        responsible_person="王芳",
        due_date=dt.date(2026, 9, 30),
    )

    assert changed == 2
    for task in Task.objects.filter(pk__in=[t.pk for t in tasks[:2]]):
        assert (task.lead_department, task.responsible_person, task.due_date) == (
            department_a,
            "王芳",
            dt.date(2026, 9, 30),
        )
        assert TaskUpdate.objects.get(task=task).note == "批量分配"
    untouched = Task.objects.get(pk=tasks[2].pk)
    assert untouched.responsible_person == ""


def test_blank_fields_stay_as_they_were(bob, tasks, department_a):
    Task.objects.filter(pk=tasks[0].pk).update(lead_department=department_a)

    tasks_assign(user=bob, task_ids=[tasks[0].pk], responsible_person="李明")

    task = Task.objects.get(pk=tasks[0].pk)
    assert (task.lead_department, task.responsible_person) == (department_a, "李明")


def test_another_units_department_is_refused_and_nothing_changes(bob, tasks, subdistrict_b):
    foreign = DepartmentFactory(subdistrict=subdistrict_b, name="外单位科室")

    with pytest.raises(ValidationError):
        tasks_assign(user=bob, task_ids=[t.pk for t in tasks], lead_department=foreign)

    assert not TaskUpdate.objects.exists()


def test_staff_may_not_assign_in_bulk(alice, tasks):
    with pytest.raises(PermissionDenied):
        tasks_assign(user=alice, task_ids=[tasks[0].pk], responsible_person="王芳")


def test_nothing_to_set_is_a_message(bob, tasks):
    with pytest.raises(ValidationError, match="请至少填写"):
        tasks_assign(user=bob, task_ids=[tasks[0].pk])


# --- The page: the five checks --------------------------------------------------------------


def test_it_works_for_a_leader(client, bob, tasks, department_a):
    client.force_login(bob)

    page = client.get(URL).content.decode()
    response = client.post(
        URL, {"tasks": [tasks[0].pk, tasks[1].pk], "lead_department": department_a.pk}
    )

    assert "任务0" in page and 'name="tasks"' in page
    assert response.status_code == 302
    assert Task.objects.filter(lead_department=department_a).count() == 2


def test_an_anonymous_user_is_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["alice", "dora", "charlie"])
def test_staff_and_viewers_get_403(client, request, persona, tasks):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"tasks": [tasks[0].pk], "responsible_person": "x"}).status_code == 403


def test_another_units_tasks_are_neither_listed_nor_assignable(client, bob, task_b):
    client.force_login(bob)

    page = client.get(URL).content.decode()
    response = client.post(URL, {"tasks": [task_b.pk], "responsible_person": "王芳"})

    assert task_b.title not in page
    assert response.status_code == 400
    assert Task.objects.get(pk=task_b.pk).responsible_person == ""


@pytest.mark.parametrize("count", [3, 12])
def test_the_page_costs_the_same_queries_for_few_or_many_tasks(
    client, bob, plan_a, department_a, django_assert_num_queries, count
):
    for n in range(count):
        TaskFactory(plan=plan_a, title=f"任务{n}")
    client.force_login(bob)

    # Session, user, memberships, the filter's choices, the rows, their count and the
    # 科室 offered, the navigation counts: ten, whatever the number of tasks.
    with django_assert_num_queries(10):
        assert client.get(URL).status_code == 200


def test_the_task_list_links_to_it_for_leaders_only(client, bob, alice, tasks):
    client.force_login(bob)
    assert 'href="/tasks/assign/' in client.get("/tasks/").content.decode()
    client.force_login(alice)
    assert 'href="/tasks/assign/' not in client.get("/tasks/").content.decode()
