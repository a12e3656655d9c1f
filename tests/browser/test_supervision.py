"""The 督办 loop in a real browser (issue 12): a leader's 催办 reaches the staff member,
who updates the task; with review on, the dashboard moves only when the leader approves;
an unanswered 催办 escalates (time moved, not waited for); a returned update shows the
leader's comment. Screenshots of /me/, the notifications and the review queue."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.plans.models import Task, Urge
from apps.subdistricts.models import Subdistrict
from apps.supervision.services import urges_escalate
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.needs_parser]


def _task():
    return Task.objects.get(plan__title="江浦路街道2023年工作要点", title="民生保障更加惠民")


def _plan_percent(page, live_server, plan_id) -> str:
    page.goto(f"{live_server.url}/plans/{plan_id}/")
    return page.locator("dl.stats dd").first.inner_text()


def _unread(page) -> int:
    badge = page.locator(".site-nav [data-count=unread]")
    return int(badge.inner_text()) if badge.count() else 0


def _submit_update(page, percent: str, note: str) -> None:
    page.select_option("select[name=status]", "in_progress")
    page.fill("input[name=percent]", percent)
    page.fill("textarea[name=note]", note)
    page.click("button:has-text('保存')")
    page.wait_for_load_state("networkidle")


def _urge(page, live_server, task, message: str, deadline: str) -> None:
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    page.click("summary:has-text('催办')")
    page.fill("textarea[name=message]", message)
    page.fill("input[name=deadline]", deadline)
    page.click("button:has-text('发送催办')")
    page.wait_for_load_state("networkidle")


def test_urge_update_review_and_escalation(demo_plans, new_page, live_server):
    Subdistrict.objects.filter(name="江浦路街道").update(updates_need_review=True)
    task = _task()
    deadline = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    leader, staff = new_page(), new_page()
    login(leader, live_server, "jiangpu_leader")
    login(staff, live_server, "jiangpu_staff")
    unread_before = _unread(staff)
    percent_before = _plan_percent(leader, live_server, task.plan_id)

    # The leader presses 催办 on the task page.
    _urge(leader, live_server, task, "请本周报送适老化改造进展", deadline)
    assert "请本周报送适老化改造进展" in leader.locator(".timeline").inner_text()

    # The staff member sees the count go up and the notification, and opens the task.
    staff.goto(f"{live_server.url}/me/")
    assert _unread(staff) == unread_before + 1
    assert "民生保障更加惠民" in staff.locator(".my-tasks").first.inner_text()
    screenshot(staff, "me.png")
    staff.click(".site-nav a:has-text('通知')")
    staff.wait_for_load_state("networkidle")
    item = staff.locator(".notification", has_text="请本周报送适老化改造进展")
    assert item.count() == 1 and "催办" in item.inner_text()
    screenshot(staff, "notifications.png")
    item.locator("button.link-button").click()
    staff.wait_for_load_state("networkidle")
    assert staff.url.endswith(f"/tasks/{task.pk}/")
    assert _unread(staff) == unread_before

    # With review on, the update waits: the task and the dashboard keep the approved state.
    _submit_update(staff, "40", "已完成10户适老化改造入户评估")
    assert "已提交，待领导审核后生效" in staff.locator("body").inner_text()
    assert "待审核的更新" in staff.locator(".pending-update").inner_text()
    assert Urge.objects.get(message="请本周报送适老化改造进展").closed_at is not None
    assert _plan_percent(leader, live_server, task.plan_id) == percent_before
    leader.goto(f"{live_server.url}/tasks/{task.pk}/")
    assert "40%" in leader.locator(".pending-update").inner_text()
    screenshot(leader, "task_pending_review.png")

    # The leader approves it in the queue; then the dashboard moves.
    leader.click(".site-nav a:has-text('审核')")
    leader.wait_for_load_state("networkidle")
    row = leader.locator("tr", has_text="民生保障更加惠民")
    assert "已完成10户适老化改造入户评估" in row.inner_text()
    screenshot(leader, "reviews.png")
    row.locator("input[name=updates]").check()
    leader.click("button:has-text('通过所选')")
    leader.wait_for_load_state("networkidle")
    assert "已通过 1 条更新" in leader.locator("body").inner_text()
    assert _plan_percent(leader, live_server, task.plan_id) != percent_before
    task.refresh_from_db()
    assert task.percent == 40
    leader.goto(f"{live_server.url}/tasks/{task.pk}/")
    answered = leader.locator(".urge-entry", has_text="请本周报送适老化改造进展")
    assert "已办结" in answered.inner_text()

    # A 催办 nobody answers escalates to its sender once its deadline has passed.
    _urge(leader, live_server, task, "请报送二季度指标", deadline)
    assert urges_escalate(now=timezone.now() + dt.timedelta(days=5)) == 1
    leader.goto(f"{live_server.url}/notifications/")
    assert leader.locator(".notification", has_text="催办逾期未反馈").count() == 1

    # A returned update shows the leader's comment to the staff member.
    staff.goto(f"{live_server.url}/tasks/{task.pk}/")
    _submit_update(staff, "60", "已完成20户")
    leader.goto(f"{live_server.url}/reviews/")
    leader.locator("tr", has_text="已完成20户").locator("input[name=updates]").check()
    leader.fill("input[name=comment]", "请附入户评估台账")
    leader.click("button:has-text('退回所选')")
    leader.wait_for_load_state("networkidle")
    staff.goto(f"{live_server.url}/notifications/")
    assert staff.locator(".notification", has_text="被退回").count() == 1
    staff.goto(f"{live_server.url}/tasks/{task.pk}/")
    timeline = staff.locator(".timeline").inner_text()
    assert "已退回" in timeline and "审核意见：请附入户评估台账" in timeline
    task.refresh_from_db()
    assert task.percent == 40


def test_a_viewer_cannot_urge_or_review(demo_plans, new_page, live_server):
    page = new_page()
    login(page, live_server, "leader_city")
    page.goto(f"{live_server.url}/tasks/{_task().pk}/")
    assert page.locator("summary:has-text('催办')").count() == 0
    assert page.goto(f"{live_server.url}/reviews/").status == 403
