"""The staff workflow in a real browser: log in, find a task, update it, see it recorded."""

import pytest

from apps.plans.models import Task
from tests.browser.conftest import login

pytestmark = [pytest.mark.needs_parser]


def test_a_staff_user_logs_in_and_lands_on_the_task_list(demo_plans, new_page, live_server):
    page = new_page()
    login(page, live_server, "jiangpu_staff")
    assert page.url.startswith(f"{live_server.url}/tasks/")
    assert "任务" in page.title()


def test_a_wrong_password_gets_a_chinese_message(demo_plans, new_page, live_server):
    page = new_page()
    login(page, live_server, "jiangpu_staff", password="wrong-password")
    assert "/accounts/login/" in page.url
    assert "用户名" in page.content() or "密码" in page.content()


def test_tangqiao_staff_opening_a_jiangpu_task_gets_404(demo_plans, new_page, live_server):
    task = Task.objects.filter(plan__subdistrict__name="江浦路街道").first()
    page = new_page()
    login(page, live_server, "tangqiao_staff")
    response = page.goto(f"{live_server.url}/tasks/{task.pk}/")
    assert response.status == 404


def _task_with_indicator():
    # The seed's plan; the demonstration plan of the current year has the same tasks.
    return Task.objects.get(plan__title="江浦路街道2023年工作要点", title="民生保障更加惠民")


def test_staff_filters_opens_a_task_records_progress_and_sees_it(demo_plans, new_page, live_server):
    from tests.browser.conftest import screenshot

    task = _task_with_indicator()
    indicator = task.indicators.get()
    page = new_page()
    login(page, live_server, "jiangpu_staff")  # page load 1 (+ redirect to the list: 2)

    page.fill("input[name=q]", "适老化")
    page.click("form button:has-text('筛选')")
    page.wait_for_load_state("networkidle")
    row_link = page.get_by_role("link", name="民生保障更加惠民")
    assert row_link.count() == 2  # the seed's plan and the demonstration plan
    row_link = page.locator(f"a[href$='/tasks/{task.pk}/']")
    row_link.click()  # page load 3: the task page with its form
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/tasks/{task.pk}/")
    assert page.locator("mark").count() >= 1  # the indicator's sentence is highlighted

    page.select_option("select[name=status]", "in_progress")
    page.fill("input[name=percent]", "40")
    page.fill("textarea[name=note]", "已完成10户适老化改造入户评估")
    page.fill(f"input[name=indicator_{indicator.pk}_value]", "10")
    page.click("button:has-text('保存')")
    page.wait_for_load_state("networkidle")

    timeline = page.locator(".timeline")
    assert "已完成10户适老化改造入户评估" in timeline.inner_text()
    assert "推进中" in timeline.inner_text()
    assert "10" in page.locator("section.timeline, .indicators").first.inner_text()
    screenshot(page, "task_detail.png")

    page.goto(f"{live_server.url}/tasks/?q=适老化")
    row = page.locator("tr", has=page.locator(f"a[href$='/tasks/{task.pk}/']"))
    assert "推进中" in row.inner_text()
    assert "40" in row.inner_text()


def test_saving_a_stale_form_gets_the_conflict_message(demo_plans, new_page, live_server):
    task = _task_with_indicator()
    first, second = new_page(), new_page()
    login(first, live_server, "jiangpu_leader")
    login(second, live_server, "jiangpu_staff")
    first.goto(f"{live_server.url}/tasks/{task.pk}/")
    second.goto(f"{live_server.url}/tasks/{task.pk}/")

    first.fill("textarea[name=note]", "领导先保存")
    first.click("button:has-text('保存')")
    first.wait_for_load_state("networkidle")

    second.fill("textarea[name=note]", "科员后保存")
    second.click("button:has-text('保存')")
    second.wait_for_load_state("networkidle")
    body = second.locator("body").inner_text()
    assert "江浦路街道领导" in body and "修改" in body
    assert second.locator("textarea[name=note]").input_value() == "科员后保存"
    assert task.updates.count() == 1
