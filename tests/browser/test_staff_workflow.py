"""The staff workflow in a real browser: log in, find a task, update it, see it recorded."""

import pytest

from apps.plans.models import Task
from tests.browser.conftest import login

pytestmark = [pytest.mark.needs_parser]


def test_a_staff_user_logs_in_and_lands_on_the_task_list(demo_data, new_page, live_server):
    page = new_page()
    login(page, live_server, "jiangpu_staff")
    assert page.url.startswith(f"{live_server.url}/tasks/")
    assert "任务" in page.title()


def test_a_wrong_password_gets_a_chinese_message(demo_data, new_page, live_server):
    page = new_page()
    login(page, live_server, "jiangpu_staff", password="wrong-password")
    assert "/accounts/login/" in page.url
    assert "用户名" in page.content() or "密码" in page.content()


def test_tangqiao_staff_opening_a_jiangpu_task_gets_404(demo_data, new_page, live_server):
    task = Task.objects.filter(plan__subdistrict__name="江浦路街道").first()
    page = new_page()
    login(page, live_server, "tangqiao_staff")
    response = page.goto(f"{live_server.url}/tasks/{task.pk}/")
    assert response.status == 404
