import datetime as dt
from io import BytesIO
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import Membership
from apps.plans.models import Task
from apps.plans.selectors import task_list_for_user
from apps.plans.services import plan_rollup
from apps.subdistricts.labels import UNIT_LABEL
from tests.factories import DepartmentFactory, PlanFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/tasks/"
ALL = {"all": "1"}


def _titles(response):
    return [row.record.title for row in response.context["table"].paginated_rows]


def _set_last_update(task, when):
    Task.objects.filter(pk=task.pk).update(last_update_at=when)


# --- Who sees what


def test_an_anonymous_user_is_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/tasks/"


def test_alice_sees_her_subdistricts_task_but_not_another_subdistricts(
    client, alice, task_a, task_b
):
    client.force_login(alice)

    response = client.get(URL, ALL)

    assert response.status_code == 200
    assert task_a.title in _titles(response)
    assert task_b.title not in _titles(response)


def test_charlie_sees_his_subdistricts_task_but_not_alices(client, charlie, task_a, task_b):
    client.force_login(charlie)

    titles = _titles(client.get(URL, ALL))

    assert task_b.title in titles
    assert task_a.title not in titles


def test_dora_the_city_viewer_sees_tasks_of_both_subdistricts(client, dora, task_a, task_b):
    client.force_login(dora)

    titles = _titles(client.get(URL))

    assert {task_a.title, task_b.title} <= set(titles)


def test_a_superuser_sees_every_task(client, task_a, task_b):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    titles = _titles(client.get(URL))

    assert {task_a.title, task_b.title} <= set(titles)
    assert len(titles) == Task.objects.count()


def test_the_selector_scopes_tasks_to_the_user(alice, task_a, task_b):
    assert set(task_list_for_user(alice)) == set(Task.objects.filter(plan=task_a.plan))


def test_the_title_links_to_the_task_page(client, alice, task_a):
    client.force_login(alice)

    response = client.get(URL, ALL)

    assert f'href="/tasks/{task_a.pk}/"' in response.content.decode()


# --- Filters


def test_the_status_filter_keeps_only_tasks_with_that_status(client, dora, task_a, task_b):
    Task.objects.filter(pk=task_b.pk).update(status=Task.Status.DELAYED)
    client.force_login(dora)

    titles = _titles(client.get(URL, {"status": "delayed"}))

    assert titles == [task_b.title]


def test_the_open_status_hides_done_tasks(client, dora, task_a, task_b):
    Task.objects.filter(pk=task_b.pk).update(status=Task.Status.DONE)
    client.force_login(dora)

    titles = _titles(client.get(URL, {"status": "open"}))

    assert task_a.title in titles
    assert task_b.title not in titles


def test_the_overdue_filter_keeps_past_due_tasks_that_are_not_done(client, dora, subdistrict_a):
    today = timezone.localdate()
    plan = PlanFactory(subdistrict=subdistrict_a, year_start=today.year)
    yesterday = today - dt.timedelta(days=1)
    late = TaskFactory(plan=plan, title="逾期任务", due_date=yesterday)
    TaskFactory(plan=plan, title="逾期但已完成", due_date=yesterday, status=Task.Status.DONE)
    TaskFactory(plan=plan, title="尚未到期", due_date=today)
    TaskFactory(plan=plan, title="没有期限")
    plan_rollup(plan_id=plan.pk)
    client.force_login(dora)

    titles = _titles(client.get(URL, {"overdue": "on"}))

    assert titles == [late.title]


def test_the_overdue_filter_lists_the_late_items_not_their_sections(client, dora, subdistrict_a):
    today = timezone.localdate()
    plan = PlanFactory(subdistrict=subdistrict_a, year_start=today.year)
    yesterday = today - dt.timedelta(days=1)
    section = TaskFactory(plan=plan, title="逾期板块", due_date=yesterday)
    late = TaskFactory(parent=section, title="板块下的逾期任务", due_date=yesterday)
    plan_rollup(plan_id=plan.pk)
    assert Task.objects.get(pk=section.pk).is_overdue
    client.force_login(dora)

    titles = _titles(client.get(URL, {"overdue": "on"}))

    assert titles == [late.title]


def test_the_not_updated_filter_keeps_tasks_untouched_for_n_days(client, dora, plan_a):
    stale = TaskFactory(plan=plan_a, title="久未更新")
    recent = TaskFactory(plan=plan_a, title="最近更新过")
    _set_last_update(stale, timezone.now() - dt.timedelta(days=31))
    _set_last_update(recent, timezone.now() - dt.timedelta(days=5))
    client.force_login(dora)

    titles = _titles(client.get(URL, {"stale_days": "30"}))

    assert titles == [stale.title]


def test_a_non_numeric_day_count_shows_an_error_and_no_rows(client, dora, task_a):
    client.force_login(dora)

    response = client.get(URL, {"stale_days": "abc"})

    assert response.status_code == 200
    assert _titles(response) == []
    assert response.context["filter_form"].errors


def test_the_search_matches_words_in_the_body_text(client, dora, task_a, task_b):
    client.force_login(dora)

    titles = _titles(client.get(URL, {"q": "走访企业"}))

    assert titles == [task_a.title]


def test_the_search_matches_words_in_the_title(client, dora, task_a, task_b):
    client.force_login(dora)

    titles = _titles(client.get(URL, {"q": "烟火"}))

    assert titles == [task_b.title]


def test_a_search_counts_its_matches_and_pages_through_them(client, dora, plan_a, task_b):
    TaskFactory.create_batch(30, plan=plan_a, text="推进社区养老服务设施建设")
    client.force_login(dora)

    first = client.get(URL, {"q": "养老服务"})
    second = client.get(URL, {"q": "养老服务", "page": 2})

    assert first.context["table"].paginator.count == 30
    assert "共 30 条" in first.content.decode()
    assert len(_titles(first)) == 25
    assert len(_titles(second)) == 5


def test_a_one_character_search_looks_at_titles_only(client, dora, task_a, task_b):
    # "企" is in task_a's text (走访企业) but in no title; "烟" is in task_b's title.
    client.force_login(dora)

    assert _titles(client.get(URL, {"q": "企"})) == []
    assert _titles(client.get(URL, {"q": "烟"})) == [task_b.title]


def test_the_department_filter_keeps_tasks_that_department_leads(
    client, bob, task_a, department_a, plan_a
):
    TaskFactory(
        plan=plan_a,
        title="其他科室的任务",
        lead_department=DepartmentFactory(subdistrict=plan_a.subdistrict, name="自治办"),
    )
    client.force_login(bob)

    titles = _titles(client.get(URL, {"department": department_a.pk}))

    assert titles == [task_a.title]


def test_a_department_of_another_subdistrict_is_not_a_valid_choice(client, alice, task_a):
    other = DepartmentFactory(subdistrict=PlanFactory().subdistrict)
    client.force_login(alice)

    response = client.get(URL, {"department": other.pk})

    assert "department" in response.context["filter_form"].errors
    assert _titles(response) == []


def test_the_plan_filter_keeps_that_plans_tasks(client, dora, task_a, task_b):
    client.force_login(dora)

    titles = _titles(client.get(URL, {"plan": task_b.plan_id}))

    assert titles == [task_b.title]


def test_the_plan_choices_are_only_plans_in_scope(client, alice, task_a, task_b):
    client.force_login(alice)

    response = client.get(URL, ALL)

    choices = list(response.context["filter_form"].fields["plan"].queryset)
    assert choices == [task_a.plan]


def test_the_section_filter_keeps_the_section_and_everything_under_it(client, dora, task_a, plan_a):
    section = task_a.parent
    other_section = TaskFactory(plan=plan_a, number="(二)", title="提升城区品质")
    TaskFactory(plan=plan_a, parent=other_section, title="推进旧区改造")
    client.force_login(dora)

    titles = _titles(client.get(URL, {"section": section.pk}))

    assert titles == [section.title, task_a.title]


def test_the_section_choices_follow_the_chosen_plan(client, dora, task_a, task_b):
    client.force_login(dora)

    response = client.get(URL, {"plan": task_a.plan_id})

    assert list(response.context["filter_form"].fields["section"].queryset) == [task_a.parent]


# --- Sorting and paging


def test_sorting_by_due_date_orders_the_rows(client, dora, plan_a):
    today = timezone.localdate()
    TaskFactory(plan=plan_a, title="晚", due_date=today + dt.timedelta(days=20))
    TaskFactory(plan=plan_a, title="早", due_date=today + dt.timedelta(days=1))
    TaskFactory(plan=plan_a, title="中", due_date=today + dt.timedelta(days=10))
    client.force_login(dora)

    ascending = _titles(client.get(URL, {"sort": "due_date"}))
    descending = _titles(client.get(URL, {"sort": "-due_date"}))

    assert ascending == ["早", "中", "晚"]
    assert descending == ["晚", "中", "早"]


def test_the_list_shows_25_tasks_a_page(client, dora, plan_a):
    TaskFactory.create_batch(30, plan=plan_a)
    client.force_login(dora)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(_titles(first)) == 25
    assert len(_titles(second)) == 5


# --- The staff default


def test_alice_with_no_query_lands_on_her_departments_open_tasks(
    client, alice, task_a, department_a, plan_a
):
    TaskFactory(
        plan=plan_a,
        title="已完成的本科室任务",
        lead_department=department_a,
        status=Task.Status.DONE,
    )
    TaskFactory(plan=plan_a, title="无牵头科室的任务")
    client.force_login(alice)

    response = client.get(URL)

    assert _titles(response) == [task_a.title]
    content = response.content.decode()
    assert "默认显示本科室未完成的任务" in content
    assert 'href="?all=1"' in content


def test_the_see_all_link_switches_the_default_off(client, alice, task_a, department_a, plan_a):
    TaskFactory(
        plan=plan_a,
        title="已完成的本科室任务",
        lead_department=department_a,
        status=Task.Status.DONE,
    )
    client.force_login(alice)

    response = client.get(URL, ALL)

    assert "已完成的本科室任务" in _titles(response)
    assert "默认显示本科室未完成的任务" not in response.content.decode()


def test_sorting_the_default_view_keeps_the_default_filters(
    client, alice, task_a, department_a, plan_a
):
    TaskFactory(
        plan=plan_a,
        title="已完成的本科室任务",
        lead_department=department_a,
        status=Task.Status.DONE,
    )
    client.force_login(alice)

    response = client.get(URL, {"sort": "due_date"})

    assert _titles(response) == [task_a.title]


def test_a_user_without_a_department_gets_no_default(client, bob, task_a, plan_a):
    TaskFactory(plan=plan_a, title="已完成的任务", status=Task.Status.DONE)
    client.force_login(bob)

    response = client.get(URL)

    assert "已完成的任务" in _titles(response)
    assert "默认显示本科室未完成的任务" not in response.content.decode()


# --- Export


def test_the_xlsx_export_has_chinese_headers_and_the_filtered_rows(client, dora, task_a, task_b):
    Task.objects.filter(pk=task_a.pk).update(percent=40, due_date=dt.date(2026, 6, 30))
    client.force_login(dora)

    response = client.get(URL, {"q": "走访企业", "_export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('任务列表.xlsx')}"
    )
    sheet = load_workbook(BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "编号",
        "标题",
        "计划",
        "街道（镇）",
        "牵头科室",
        "责任人",
        "状态",
        "完成度",
        "截止日期",
        "最近更新",
    )
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["标题"] == task_a.title
    assert row["计划"] == task_a.plan.title
    assert row["街道（镇）"] == "江浦路街道"
    assert row["牵头科室"] == "管理办"
    assert row["状态"] == "未开始"
    assert row["完成度"] == 40
    assert row["截止日期"].date() == dt.date(2026, 6, 30)


def test_the_export_includes_every_page_not_just_the_first(client, dora, plan_a):
    TaskFactory.create_batch(30, plan=plan_a)
    client.force_login(dora)

    response = client.get(URL, {"_export": "xlsx"})

    sheet = load_workbook(BytesIO(response.getvalue())).active
    assert sheet.max_row == 31


def test_the_export_of_the_default_view_uses_the_default_filters(
    client, alice, task_a, department_a, plan_a
):
    TaskFactory(
        plan=plan_a,
        title="已完成的本科室任务",
        lead_department=department_a,
        status=Task.Status.DONE,
    )
    client.force_login(alice)

    response = client.get(URL, {"_export": "xlsx"})

    sheet = load_workbook(BytesIO(response.getvalue())).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [task_a.title]


# --- Query count


def _tasks_in_two_subdistricts(count, plan_a, department_a, subdistrict_b):
    plan_b = PlanFactory(subdistrict=subdistrict_b)
    department_b = DepartmentFactory(subdistrict=subdistrict_b)
    for index in range(count):
        if index % 2:
            TaskFactory(plan=plan_b, lead_department=department_b)
        else:
            TaskFactory(plan=plan_a, lead_department=department_a)


# session, user, memberships, 街道 choices, count, rows, the navigation counts: someone who sees several 街道 is
# offered plans and departments once they pick one, and sections once they pick a plan.
QUERIES = 7
EXPORT_QUERIES = 4


@pytest.mark.parametrize("count", [5, 60])
def test_the_query_count_does_not_grow_with_the_rows(
    client, dora, plan_a, department_a, subdistrict_b, django_assert_num_queries, count
):
    _tasks_in_two_subdistricts(count, plan_a, department_a, subdistrict_b)
    client.force_login(dora)

    with django_assert_num_queries(QUERIES):
        response = client.get(URL)

    assert len(_titles(response)) == min(count, 25)


# A search expected to be short: its rows' query counts them too (no count of its own). On
# PostgreSQL the expectation is the planner's estimate (an EXPLAIN), and the rows' query is
# planned in a savepoint with planner settings, set and set back: five statements more.
SEARCH_QUERIES = 6


@pytest.mark.parametrize("count", [5, 60])
def test_the_search_query_count_does_not_grow_with_the_rows(
    client, dora, plan_a, department_a, subdistrict_b, django_assert_num_queries, count
):
    _tasks_in_two_subdistricts(count, plan_a, department_a, subdistrict_b)
    Task.objects.update(text="推进社区养老服务设施建设")
    client.force_login(dora)
    expected = SEARCH_QUERIES + (5 if connection.vendor == "postgresql" else 0)

    with django_assert_num_queries(expected):
        response = client.get(URL, {"q": "养老服务"})

    assert len(_titles(response)) == min(count, 25)


@pytest.mark.parametrize("count", [5, 60])
def test_the_export_query_count_does_not_grow_with_the_rows(
    client, dora, plan_a, department_a, subdistrict_b, django_assert_num_queries, count
):
    _tasks_in_two_subdistricts(count, plan_a, department_a, subdistrict_b)
    client.force_login(dora)

    # session, user, memberships, rows: the export needs no page count.
    with django_assert_num_queries(EXPORT_QUERIES):
        client.get(URL, {"_export": "xlsx"})


def test_the_lead_column_shows_the_lead_as_written_when_no_department_is_linked(
    client, dora, task_a, plan_a
):
    TaskFactory(plan=plan_a, title="区里牵头的任务", lead_text="区建管委")
    TaskFactory(plan=plan_a, title="无牵头的任务")
    client.force_login(dora)

    response = client.get(URL, ALL)
    sheet = load_workbook(BytesIO(client.get(URL, {**ALL, "_export": "xlsx"}).getvalue())).active

    cells = {
        row.record.title: row.get_cell("lead_department")
        for row in response.context["table"].paginated_rows
    }
    assert cells[task_a.title] == "管理办"
    assert ">区建管委</span>" in cells["区里牵头的任务"]
    assert cells["无牵头的任务"] == "—"
    exported = {row[1]: row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported == {
        task_a.parent.title: None,
        task_a.title: "管理办",
        "区里牵头的任务": "区建管委",
        "无牵头的任务": None,
    }


@pytest.mark.parametrize("count", [5, 60])
def test_leads_as_written_cost_no_extra_query(
    client, dora, plan_a, department_a, subdistrict_b, django_assert_num_queries, count
):
    _tasks_in_two_subdistricts(count, plan_a, department_a, subdistrict_b)
    Task.objects.filter(pk__in=Task.objects.values("pk")[: count // 2]).update(
        lead_department=None, lead_text="区建管委"
    )
    client.force_login(dora)

    with django_assert_num_queries(QUERIES):
        client.get(URL)
    with django_assert_num_queries(EXPORT_QUERIES):
        client.get(URL, {"_export": "xlsx"})


def test_the_page_works_for_a_user_with_a_membership_role_of_admin(client, subdistrict_a, task_a):
    user = UserFactory(username="erin")
    Membership.objects.create(user=user, subdistrict=subdistrict_a, role=Membership.Role.ADMIN)
    client.force_login(user)

    assert task_a.title in _titles(client.get(URL))


def test_the_export_link_carries_the_current_filters(client, dora, task_a):
    client.force_login(dora)

    response = client.get(URL, {"q": "走访", "page": 1})

    assert 'href="?q=%E8%B5%B0%E8%AE%BF&amp;_export=xlsx"' in response.content.decode()


def test_sections_are_offered_once_a_plan_is_chosen(client, dora, task_a, task_b):
    client.force_login(dora)

    unchosen = client.get(URL).context["filter_form"].fields["section"]
    chosen = client.get(URL, {"plan": task_a.plan_id}).context["filter_form"].fields["section"]

    assert list(unchosen.queryset) == []
    assert list(chosen.queryset) == [task_a.parent]


def test_plans_and_departments_are_offered_once_a_subdistrict_is_chosen(
    client, dora, task_a, task_b
):
    client.force_login(dora)

    unchosen = client.get(URL).context["filter_form"].fields
    chosen = (
        client.get(URL, {"subdistrict": task_a.plan.subdistrict_id}).context["filter_form"].fields
    )

    assert list(unchosen["plan"].queryset) == []
    assert list(chosen["plan"].queryset) == [task_a.plan]
    assert list(chosen["department"].queryset) == [task_a.lead_department]


def test_the_choices_not_yet_offered_say_what_to_choose_first(client, dora, task_a, task_b):
    client.force_login(dora)

    page = client.get(URL).content.decode()

    assert f'<option value="" selected>先选择{UNIT_LABEL}</option></select>' in page
    assert '<option value="" selected>先选择计划</option></select>' in page
    assert task_a.plan.title not in page.split('name="plan"')[1].split("</select>")[0]


def test_a_link_with_a_plan_alone_still_filters_by_it(client, dora, task_a, task_b):
    client.force_login(dora)

    response = client.get(URL, {"plan": task_a.plan_id})

    assert set(_titles(response)) == {task_a.title, task_a.parent.title}
