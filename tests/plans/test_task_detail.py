import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.evidence.models import Evidence
from apps.plans.models import IndicatorReading, Task, TaskUpdate
from apps.plans.rules.progress import reading_default_date
from apps.plans.selectors import TIMELINE_SHOWN
from apps.plans.services import plan_rollup, task_update
from tests.factories import (
    DepartmentFactory,
    IndicatorFactory,
    IndicatorReadingFactory,
    MembershipFactory,
    TaskFactory,
    TaskUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(task):
    return f"/tasks/{task.pk}/"


def reading_day(task):
    """The date the form offers for a reading: today, or the plan period's nearest day."""
    plan = task.plan
    return reading_default_date(
        year_start=plan.year_start, year_end=plan.year_end, today=timezone.localdate()
    )


def form_data(task, **overrides):
    data = {
        "version": task.version,
        "status": task.status,
        "percent": task.percent,
        "due_date": "",
        "lead_department": task.lead_department_id or "",
        "responsible_person": task.responsible_person,
        "note": "",
    }
    for indicator in task.indicators.all():
        data[f"indicator_{indicator.pk}_value"] = ""
        data[f"indicator_{indicator.pk}_date"] = reading_day(task).isoformat()
    data.update(overrides)
    return data


@pytest.fixture
def eve(subdistrict_a):
    """Staff of 街道 A in another department than task_a's lead department."""
    user = UserFactory(username="eve", display_name="Eve")
    MembershipFactory(
        user=user,
        subdistrict=subdistrict_a,
        department=DepartmentFactory(subdistrict=subdistrict_a, name="自治办"),
    )
    return user


# --- Access ------------------------------------------------------------------------------


def test_it_works_for_alice(client, alice, task_a):
    client.force_login(alice)

    response = client.get(url(task_a))

    assert response.status_code == 200
    page = response.content.decode()
    assert "加强招商引资谋篇布局" in page
    assert "更新进展" in page


def test_an_anonymous_user_is_sent_to_the_login_page(client, task_a):
    response = client.get(url(task_a))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_subdistricts_task_is_not_found(client, charlie, task_a):
    client.force_login(charlie)

    assert client.get(url(task_a)).status_code == 404
    assert client.post(url(task_a), form_data(task_a, note="x")).status_code == 404


def test_a_viewer_sees_the_page_without_the_form(client, dora, task_a):
    client.force_login(dora)

    response = client.get(url(task_a))

    assert response.status_code == 200
    page = response.content.decode()
    assert "更新进展" not in page
    assert "没有更新它的权限" in page


def test_a_viewer_cannot_post_an_update(client, dora, task_a):
    client.force_login(dora)

    response = client.post(url(task_a), form_data(task_a, note="试图修改"))

    assert response.status_code == 403
    assert not TaskUpdate.objects.exists()


def test_staff_of_another_department_cannot_post_an_update(client, eve, task_a):
    client.force_login(eve)

    assert "更新进展" not in client.get(url(task_a)).content.decode()
    response = client.post(url(task_a), form_data(task_a, note="试图修改"))

    assert response.status_code == 403
    assert not TaskUpdate.objects.exists()


def test_a_leader_of_the_subdistrict_may_update_any_of_its_tasks(client, bob, task_a):
    client.force_login(bob)

    response = client.post(url(task_a), form_data(task_a, note="领导批示"))

    assert response.status_code == 302


# --- Page content ------------------------------------------------------------------------


def test_the_breadcrumb_shows_subdistrict_plan_and_sections(client, alice, task_a):
    client.force_login(alice)

    page = client.get(url(task_a)).content.decode()

    start = page.index('class="breadcrumb"')
    crumb = page[start : page.index("</nav>", start)]
    positions = [
        crumb.index(s) for s in ("江浦路街道", "江浦路街道2026年工作要点", "(一) 优化经济质效")
    ]
    assert positions == sorted(positions)
    assert "1. 加强招商引资谋篇布局" in crumb


def test_it_shows_each_indicators_target_and_latest_actual(client, alice, task_a):
    indicator = task_a.indicators.get()
    IndicatorReadingFactory(indicator=indicator, date=dt.date(2026, 3, 31), value=Decimal("50"))
    IndicatorReadingFactory(indicator=indicator, date=dt.date(2026, 4, 30), value=Decimal("120.5"))
    # Readings that arrive other than through the page (import, admin) show after the roll-up.
    plan_rollup(plan_id=task_a.plan_id)
    client.force_login(alice)

    page = client.get(url(task_a)).content.decode()

    assert "不少于 200家次" in page
    assert "120.5家次（2026-04-30）" in page


def test_it_highlights_the_indicator_sentence_and_escapes_the_text(client, alice, plan_a):
    task = TaskFactory(
        plan=plan_a,
        text="<script>alert(1)</script>全年走访企业不少于200家次。<b>其余</b>",
    )
    IndicatorFactory(task=task, source_text="全年走访企业不少于200家次。")
    client.force_login(alice)

    page = client.get(url(task)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>全年走访企业不少于200家次。</mark>&lt;b&gt;其余&lt;/b&gt;" in page


def test_it_lists_the_sub_tasks_with_status_and_percent(client, alice, task_a):
    TaskFactory(parent=task_a, title="走访重点企业", percent=60, status=Task.Status.IN_PROGRESS)
    client.force_login(alice)

    page = client.get(url(task_a)).content.decode()

    assert "走访重点企业" in page
    assert "推进中" in page
    assert "60%" in page
    # A parent's percent comes from its children: there is nothing to type.
    assert 'name="percent"' not in page


def _meta(page: str) -> str:
    start = page.index('class="task-meta"')
    return " ".join(page[start : page.index("</p>", start)].split())


def test_it_shows_the_lead_as_written_when_it_names_no_department(client, alice, plan_a):
    task = TaskFactory(plan=plan_a, lead_text="区建管委、区房管局")
    client.force_login(alice)

    meta = _meta(client.get(url(task)).content.decode())

    assert "牵头单位：" in meta
    assert "区建管委、区房管局" in meta
    assert "牵头科室" not in meta


def test_it_shows_the_linked_department_rather_than_the_lead_as_written(client, alice, task_a):
    Task.objects.filter(pk=task_a.pk).update(lead_text="街道管理办")
    client.force_login(alice)

    meta = _meta(client.get(url(task_a)).content.decode())

    assert "牵头科室：管理办" in meta
    assert "街道管理办" not in meta


def test_it_shows_the_partners_and_the_deadline_as_written_beside_the_due_date(
    client, alice, plan_a
):
    task = TaskFactory(
        plan=plan_a,
        due_date=dt.date(2026, 6, 30),
        due_text="2026年6月底前",
        partners_text="服务办、平安办",
    )
    client.force_login(alice)

    meta = _meta(client.get(url(task)).content.decode())

    assert "截止日期：2026-06-30" in meta
    assert "（原文：2026年6月底前）" in meta
    assert "配合单位：服务办、平安办" in meta
    assert meta.index("2026-06-30") < meta.index("2026年6月底前")


def test_it_shows_an_approximate_target_as_approximate(client, alice, plan_a):
    task = TaskFactory(plan=plan_a)
    IndicatorFactory(task=task, target_value=Decimal("5"), unit="万人", comparator="approx")
    client.force_login(alice)

    page = client.get(url(task)).content.decode()

    assert "约 5万人" in page


# --- Saving ------------------------------------------------------------------------------


def test_alice_saves_an_update_and_sees_it_on_the_timeline(client, alice, task_a):
    indicator = task_a.indicators.get()
    client.force_login(alice)
    today = reading_day(task_a)

    response = client.post(
        url(task_a),
        form_data(
            task_a,
            status="in_progress",
            percent="40",
            note="已走访80家企业",
            **{f"indicator_{indicator.pk}_value": "80"},
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == url(task_a)
    task_a.refresh_from_db()
    assert (task_a.status, task_a.percent, task_a.version) == ("in_progress", 40, 2)
    update = TaskUpdate.objects.get()
    assert update.user == alice
    assert [c["field"] for c in update.changes] == [
        "status",
        "percent",
        f"indicator_{indicator.pk}",
    ]
    reading = IndicatorReading.objects.get()
    assert (reading.value, reading.date, reading.recorded_by) == (80, today, alice)

    page = client.get(url(task_a)).content.decode()
    assert "已保存" in page
    assert "Alice" in page
    assert "未开始 → 推进中" in page
    assert "0% → 40%" in page
    assert f"走访企业实际值：80家次（{today.isoformat()}）" in page
    assert "已走访80家企业" in page
    assert timezone.localtime(update.created_at).strftime("%Y-%m-%d %H:%M") in page


def test_a_submit_without_changes_says_so_and_saves_nothing(client, alice, task_a):
    client.force_login(alice)

    response = client.post(url(task_a), form_data(task_a), follow=True)

    assert "没有需要保存的修改" in response.content.decode()
    assert not TaskUpdate.objects.exists()


def test_a_stale_version_names_bob_and_keeps_what_alice_typed(client, alice, bob, task_a):
    stale = form_data(task_a, percent="50", note="alice 的进展说明")
    task_update(
        task_id=task_a.pk,
        user=bob,
        version=1,
        status="delayed",
        percent=30,
        due_date=None,
        lead_department=task_a.lead_department,
        responsible_person="",
        note="",
        readings=[],
    )
    saved_at = timezone.localtime(TaskUpdate.objects.get().created_at)
    client.force_login(alice)

    response = client.post(url(task_a), stale)

    assert response.status_code == 409
    page = response.content.decode()
    assert f"该任务已被 Bob 于 {saved_at:%Y-%m-%d %H:%M} 修改，请核对最新内容后再保存。" in page
    assert "alice 的进展说明" in page
    assert 'name="version" value="2"' in page
    task_a.refresh_from_db()
    assert (task_a.percent, task_a.status, task_a.version) == (30, "delayed", 2)
    assert TaskUpdate.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"percent": "101"}, "完成百分比必须在 0 到 100 之间"),
        ({"status": "done", "percent": "80"}, "状态为已完成时，完成百分比必须为 100%"),
    ],
)
def test_it_rejects_an_inconsistent_status_or_percent(client, alice, task_a, overrides, message):
    client.force_login(alice)

    response = client.post(url(task_a), form_data(task_a, note="x", **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TaskUpdate.objects.exists()


def test_it_rejects_an_indicator_value_that_is_not_a_number(client, alice, task_a):
    indicator = task_a.indicators.get()
    client.force_login(alice)

    response = client.post(
        url(task_a), form_data(task_a, **{f"indicator_{indicator.pk}_value": "八十"})
    )

    assert "实际值必须是数字" in response.content.decode()
    assert not IndicatorReading.objects.exists()


def test_it_rejects_an_indicator_date_in_the_future(client, alice, task_a):
    indicator = task_a.indicators.get()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(alice)

    response = client.post(
        url(task_a),
        form_data(
            task_a,
            **{
                f"indicator_{indicator.pk}_value": "80",
                f"indicator_{indicator.pk}_date": tomorrow.isoformat(),
            },
        ),
    )

    assert "日期不能晚于今天" in response.content.decode()
    assert not IndicatorReading.objects.exists()


def test_saving_a_sub_task_recomputes_the_parent_percent(client, alice, task_a):
    child = TaskFactory(parent=task_a, percent=0, lead_department=task_a.lead_department)
    TaskFactory(parent=task_a, percent=50)
    client.force_login(alice)

    client.post(url(child), form_data(child, percent="100", status="done"))

    task_a.refresh_from_db()
    assert task_a.percent == 75
    assert task_a.status == Task.Status.IN_PROGRESS  # follows its children, never 未开始 at 75 %


def test_the_lead_department_choices_are_the_departments_of_the_tasks_subdistrict(
    client, alice, task_a, subdistrict_b
):
    DepartmentFactory(subdistrict=subdistrict_b, name="塘桥管理办")
    client.force_login(alice)

    page = client.get(url(task_a)).content.decode()

    assert "管理办" in page
    assert "塘桥管理办" not in page


# --- Query count -------------------------------------------------------------------------


@pytest.mark.parametrize("entries", [1, 10])
def test_the_page_costs_the_same_queries_for_1_or_10_timeline_entries(
    client, alice, task_a, django_assert_num_queries, entries
):
    TaskFactory(parent=task_a)
    reviewer = UserFactory(display_name="审核人甲")
    for n in range(entries):
        update = TaskUpdateFactory(
            task=task_a,
            changes=[{"field": "percent", "label": "完成百分比", "old": "0%", "new": "10%"}],
            # Reviewed and with files: what the timeline prints of them is read up front.
            state=TaskUpdate.State.APPROVED,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
        )
        Evidence.objects.create(
            update=update, file=f"evidence/{n}.pdf", original_name=f"{n}.pdf", kind="pdf", size=1
        )
    client.force_login(alice)

    # session, user, memberships, task, ancestors, children, indicators with their latest
    # reading, timeline with its users, the timeline's 台账 files, departments for the form;
    # the navigation counts and the 督办 panel (owners, a pending update, the 催办 on the
    # timeline).
    with django_assert_num_queries(14):
        response = client.get(url(task_a))

    assert response.status_code == 200


def test_the_timeline_shows_the_newest_updates_and_links_to_the_rest(client, alice, task_a):
    notes = [f"第{n:02d}周进展" for n in range(TIMELINE_SHOWN + 5)]
    start = timezone.now() - dt.timedelta(days=len(notes))
    for day, note in enumerate(notes):
        update = TaskUpdateFactory(task=task_a, note=note)
        TaskUpdate.objects.filter(pk=update.pk).update(created_at=start + dt.timedelta(days=day))
    client.force_login(alice)

    page = client.get(url(task_a)).content.decode()
    whole = client.get(url(task_a), {"timeline": "all"}).content.decode()

    shown = [note for note in notes if note in page]
    assert shown == notes[-TIMELINE_SHOWN:]  # the newest ones
    assert "?timeline=all" in page
    assert all(note in whole for note in notes)
    assert "?timeline=all" not in whole
