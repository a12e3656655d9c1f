"""demo_setup creates the demo accounts with their scopes, once, and prints them."""

import pytest
from django.core.management import call_command

from apps.accounts.models import Membership, User
from apps.accounts.selectors import user_can_update_task
from apps.notifications.models import Notification
from apps.plans.models import IndicatorReading, Plan, PlanSnapshot, Task, TaskUpdate, Urge

pytestmark = [pytest.mark.django_db, pytest.mark.needs_parser]


@pytest.fixture
def demo(capsys):
    call_command("demo_setup", "--no-activity")
    return capsys.readouterr().out


def test_it_creates_the_five_demo_accounts_and_prints_them(demo):
    names = ["admin", "leader_city", "jiangpu_leader", "jiangpu_staff", "tangqiao_staff"]
    assert set(User.objects.values_list("username", flat=True)) == set(names)
    for name in names:
        assert name in demo
    assert "demo-pass-2024" in demo


def test_demo_accounts_use_the_demo_password(demo):
    assert User.objects.get(username="jiangpu_staff").check_password("demo-pass-2024")


def test_the_demo_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-pass-1")
    call_command("demo_setup", "--no-activity")
    assert User.objects.get(username="tangqiao_staff").check_password("another-pass-1")


def test_city_leader_views_every_subdistrict_and_updates_nothing(demo):
    user = User.objects.get(username="leader_city")
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    assert roles == {Membership.Role.VIEWER}
    assert Task.objects.for_user(user).count() == Task.objects.count()
    assert not user_can_update_task(user, Task.objects.first())


def test_jiangpu_staff_sees_only_jiangpu_and_updates_only_their_department(demo):
    user = User.objects.get(username="jiangpu_staff")
    visible = Task.objects.for_user(user)
    assert set(visible.values_list("plan__subdistrict__name", flat=True)) == {"江浦路街道"}
    own = visible.filter(lead_department__name="服务办").first()
    other = visible.exclude(lead_department__name="服务办").first()
    assert own is not None and user_can_update_task(user, own)
    assert not user_can_update_task(user, other)


def _counts():
    return [
        model.objects.count()
        for model in (
            User,
            Membership,
            Task,
            TaskUpdate,
            IndicatorReading,
            PlanSnapshot,
            Urge,
            Notification,
        )
    ]


def test_running_demo_setup_twice_changes_nothing():
    call_command("demo_setup")
    counts = _counts()
    call_command("demo_setup")
    assert _counts() == counts


def test_the_demo_gets_a_history_of_updates_readings_and_snapshots_in_the_plan_years():
    call_command("demo_setup")

    plan = Plan.objects.get(title__startswith="江浦路街道2023")
    updates = TaskUpdate.objects.filter(task__plan=plan)
    assert updates.exists()
    years = {d.year for d in updates.values_list("created_at", flat=True)}
    assert years == {2023}
    assert IndicatorReading.objects.filter(indicator__task__plan=plan).exists()
    snapshots = list(plan.snapshots.order_by("date"))
    assert snapshots[0].date.year == 2023 and len(snapshots) >= 50
    # Progress only grows in the made-up history.
    percents = [s.percent for s in snapshots]
    assert percents == sorted(percents) and percents[-1] > 0


def test_demo_accounts_do_not_exist_without_the_demo_command(db):
    assert not User.objects.filter(username="admin").exists()


def test_the_demo_staff_member_owns_tasks_and_has_a_urge_to_read(demo):
    staff = User.objects.get(username="jiangpu_staff")

    owned = Task.objects.filter(owners=staff)
    assert 0 < owned.count() <= 6
    assert set(owned.values_list("lead_department__name", flat=True)) == {"服务办"}
    urge = Notification.objects.get(recipient=staff, kind="urge")
    assert urge.read_at is None and urge.title.startswith("江浦路街道领导 催办")
    assert Urge.objects.get().sender.username == "jiangpu_leader"
