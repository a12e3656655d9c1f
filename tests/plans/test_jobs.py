"""The jobs through a real Celery worker (a thread of this process, solo pool).

The worker thread opens its own database connection, so these tests commit their data
(transactional_db) instead of running inside a rolled-back transaction.
"""

import datetime as dt
import time
import uuid
from decimal import Decimal

import pytest
from celery import Celery
from celery.contrib.testing.app import setup_default_app
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db.models import Avg, Count
from django.utils import timezone

from apps.plans import jobs
from apps.plans.models import PlanProgress, PlanSnapshot, Task
from tests.factories import PlanFactory, TaskFactory, backdate_plan, update_task

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture(scope="module")
def worker_app():
    """One worker for the module (stopping one takes a few seconds), on an app of its own,
    configured from settings like the real one except:

    - The broker: Redis when CELERY_BROKER_URL says so (CI), else the in-memory broker, so
      that a developer's run neither reads nor leaves files under var/celery.
    - The queue: one named for this fixture alone, deleted afterwards. Redis outlives test
      runs and may be shared with a developer's running site: messages that other runs (or
      the browser tests, whose updates queue real roll-ups) left in the default queue
      must not reach this worker, and purging that queue would delete someone else's
      jobs. A queue of our own avoids both.
    - No remote control, so that the worker leaves no pidbox queue behind in Redis.

    The result backend stays django-db, as in production: the worker thread writes
    results through its own connection and `.get()` reads them, which works because the
    data is committed.
    """
    broker = settings.CELERY_BROKER_URL
    if broker.startswith("filesystem://"):
        broker = "memory://"
    queue = f"plans-tests-{uuid.uuid4().hex}"
    app = Celery("plans-tests", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=broker,
        # The memory transport polls; the default second would make every job slower.
        broker_transport_options={"polling_interval": 0.05},
        task_default_queue=queue,
        worker_enable_remote_control=False,
        worker_hijack_root_logger=False,
    )
    # start_worker makes the app the current and default one (so that the jobs queued by
    # services go to it); setup_default_app puts the project's app back afterwards.
    with setup_default_app(app):
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
        with app.connection_for_write() as connection:
            # Declared first: a transport like Redis deletes only the bindings that this
            # channel knows of, and a fresh channel knows none.
            bound = app.amqp.queues[queue].bind(connection.default_channel)
            bound.declare()
            bound.delete()


@pytest.fixture
def worker(worker_app, transactional_db):
    # The worker only touches the database while a test runs a job, and each test waits
    # for its jobs to finish, so a job never runs into the next test's data.
    return worker_app


def wait_for(condition, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    pytest.fail(f"Nothing happened within {timeout} s")


@pytest.fixture
def plan(subdistrict_a, department_a):
    """A plan of the current year: a section with two items, and one item on its own."""
    plan = PlanFactory(subdistrict=subdistrict_a, year_start=timezone.localdate().year)
    section = TaskFactory(plan=plan, title="优化经济质效", status="in_progress", percent=50)
    TaskFactory(parent=section, title="加强招商引资谋篇布局", status="done", percent=100)
    TaskFactory(
        parent=section,
        title="提供优质贴心企业服务",
        status="in_progress",
        lead_department=department_a,
    )
    TaskFactory(plan=plan, title="全力守住生产安全", status="in_progress", percent=40)
    return plan


def test_an_update_is_rolled_up_by_the_worker_once_committed(worker, plan, alice):
    task = Task.objects.get(title="提供优质贴心企业服务")

    update_task(task, alice, status="done", percent=100, note="已完成")

    progress = wait_for(
        lambda: PlanProgress.objects.filter(plan=plan, computed_at__isnull=False).first()
    )
    assert not progress.rollup_pending
    assert progress.status_counts == {"done": 2, "in_progress": 1}
    assert progress.percent == Decimal("70.0")  # (100 + 40) / 2: the section is done
    task.refresh_from_db()
    assert task.health == "done"
    assert Task.objects.get(title="优化经济质效").health == "done"


def test_running_a_job_twice_changes_nothing_more(worker, plan):
    def state():
        progress = PlanProgress.objects.filter(plan=plan).values().get()
        del progress["computed_at"]
        tasks = list(Task.objects.filter(plan=plan).values("id", "health", "is_overdue", "version"))
        return progress, tasks, Task.history.count()

    first = jobs.plan_rollup.delay(plan.pk).get(timeout=10)
    after_first = state()
    second = jobs.plan_rollup.delay(plan.pk).get(timeout=10)

    assert first == second == {"plan_id": plan.pk, "percent": "45.0"}
    assert state() == after_first


def test_the_worker_fills_the_snapshots_of_the_days_it_missed(worker, plan):
    today = timezone.localdate()
    plan.year_start = plan.year_end = (today - dt.timedelta(days=3)).year
    plan.save()
    backdate_plan(plan, timezone.now() - dt.timedelta(days=3))

    assert jobs.snapshots_fill.delay().get(timeout=10) == 3

    dates = PlanSnapshot.objects.filter(plan=plan).values_list("date", flat=True)
    assert list(dates) == [today - dt.timedelta(days=n) for n in (3, 2, 1)]
    yesterday = PlanSnapshot.objects.get(plan=plan, date=today - dt.timedelta(days=1))
    leaves = Task.objects.filter(plan=plan, children__isnull=True).order_by()
    top = Task.objects.filter(plan=plan, parent=None).aggregate(p=Avg("percent"))["p"]
    assert yesterday.leaf_total == leaves.count()
    assert yesterday.status_counts == dict(leaves.values_list("status").annotate(Count("id")))
    assert yesterday.percent == Decimal(f"{top:.1f}")
    assert jobs.snapshots_fill.delay().get(timeout=10) == 0
