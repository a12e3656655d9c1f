"""Dashboard pages: scope, figures equal to the database, constant query counts."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.plans.models import HEALTH_CHOICES, PlanReport, Task
from apps.plans.services import plan_report_generate, plan_rollup, snapshot_take
from tests.factories import (
    IndicatorFactory,
    IndicatorReadingFactory,
    PlanFactory,
    SubdistrictFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _plan_with_tasks(subdistrict, *, year=2026, sections=2, per_section=3, title=None):
    """A plan with `sections` sections of `per_section` tasks in mixed states, rolled up."""
    plan = PlanFactory(
        subdistrict=subdistrict,
        year_start=year,
        title=title or f"{subdistrict.name}{year}年工作要点",
    )
    statuses = [Task.Status.DONE, Task.Status.IN_PROGRESS, Task.Status.NOT_STARTED]
    for s in range(1, sections + 1):
        section = TaskFactory(plan=plan, order=s, title=f"板块{s}", text="加强党建引领。")
        for n in range(per_section):
            status = statuses[n % 3]
            TaskFactory(
                plan=plan,
                parent=section,
                order=n + 1,
                title=f"养老服务任务{s}-{n}",
                text="新增养老床位。",
                status=status,
                percent={"done": 100, "in_progress": 40, "not_started": 0}[status],
                theme="livelihood",
            )
    plan_rollup(plan_id=plan.pk, today=dt.date(2026, 6, 30))
    return plan


def figure_trace(figure, name):
    return next(trace for trace in figure["data"] if trace["name"] == name)


# --- Overview ----------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("dashboard:overview"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_overview_shows_each_visible_subdistrict_with_counts_from_the_database(
    client, dora, subdistrict_a, subdistrict_b
):
    _plan_with_tasks(subdistrict_a)
    _plan_with_tasks(subdistrict_b, sections=1)
    client.force_login(dora)

    response = client.get(reverse("dashboard:overview"), {"year": 2026})

    assert response.status_code == 200
    figure = response.context["health_figure"]
    for row in response.context["rows"]:
        for code, label in HEALTH_CHOICES:
            expected = Task.objects.filter(
                plan__subdistrict_id=row.id, health=code, children__isnull=True
            ).count()
            trace = figure_trace(figure, label)
            names = trace["y"] if trace.get("orientation") == "h" else trace["x"]
            values = trace["x"] if trace.get("orientation") == "h" else trace["y"]
            assert values[names.index(row.name)] == expected
    assert {r.name for r in response.context["rows"]} == {"江浦路街道", "塘桥街道"}


def test_the_overview_leaves_out_subdistricts_outside_the_users_scope(
    client, alice, subdistrict_a, subdistrict_b
):
    _plan_with_tasks(subdistrict_a)
    _plan_with_tasks(subdistrict_b)
    client.force_login(alice)

    page = client.get(reverse("dashboard:overview")).content.decode()

    assert "江浦路街道" in page
    assert "塘桥街道" not in page


def test_the_overview_defaults_to_the_latest_year_with_plans(client, bob, subdistrict_a):
    _plan_with_tasks(subdistrict_a, year=2024)
    client.force_login(bob)

    response = client.get(reverse("dashboard:overview"))

    assert response.context["year"] == 2024


def test_home_sends_staff_to_their_tasks_and_leaders_to_the_overview(client, alice, bob):
    client.force_login(alice)
    assert client.get("/").url == reverse("plans:task_list")
    client.force_login(bob)
    assert client.get("/").url == reverse("dashboard:overview")


# --- Plan page ---------------------------------------------------------------------------


def test_the_plan_page_charts_section_percents_and_health_counts_from_the_database(
    client, bob, subdistrict_a
):
    plan = _plan_with_tasks(subdistrict_a)
    client.force_login(bob)

    response = client.get(reverse("dashboard:plan_detail", args=[plan.pk]))

    assert response.status_code == 200
    sections = list(plan.tasks.filter(parent__isnull=True).order_by("path"))
    bars = response.context["sections_figure"]["data"][0]
    assert [float(v) for v in bars["y"]] == [float(s.percent) for s in sections]
    health = response.context["health_figure"]["data"][0]
    counts = dict(zip(health["labels"], health["values"], strict=True))
    progress = plan.progress
    progress.refresh_from_db()
    assert sum(counts.values()) == progress.leaf_total == 6


def test_the_plan_page_draws_progress_over_time_from_the_snapshots(client, bob, subdistrict_a):
    plan = _plan_with_tasks(subdistrict_a)
    snapshot_take(day=dt.date(2026, 6, 1), plan_ids=[plan.pk])
    client.force_login(bob)

    response = client.get(reverse("dashboard:plan_detail", args=[plan.pk]))

    snapshots = list(plan.snapshots.all())
    actual = figure_trace(response.context["timeline_figure"], "实际进度")
    assert [float(v) for v in actual["y"]] == [float(s.percent) for s in snapshots]


def test_the_plan_page_lists_each_snapshot_under_the_chart(client, bob, subdistrict_a):
    plan = _plan_with_tasks(subdistrict_a)
    client.force_login(bob)
    empty = client.get(reverse("dashboard:plan_detail", args=[plan.pk])).content.decode()
    for day in (dt.date(2026, 6, 1), dt.date(2026, 6, 2)):
        snapshot_take(day=day, plan_ids=[plan.pk])

    page = client.get(reverse("dashboard:plan_detail", args=[plan.pk])).content.decode()

    assert "暂无快照" in empty
    for snapshot in plan.snapshots.all():
        row = (
            f'<tr><td>{snapshot.date:%Y-%m-%d}</td><td class="num">{snapshot.percent}%</td>'
            f'<td class="num">{snapshot.expected_percent}%</td></tr>'
        )
        assert row in page
    assert "暂无快照" not in page


def test_another_subdistricts_plan_is_not_found(client, charlie, subdistrict_a):
    plan = _plan_with_tasks(subdistrict_a)
    client.force_login(charlie)

    assert client.get(reverse("dashboard:plan_detail", args=[plan.pk])).status_code == 404


def test_the_plan_page_lists_late_tasks_with_their_owners(client, bob, subdistrict_a):
    plan = _plan_with_tasks(subdistrict_a)
    late = plan.tasks.filter(status=Task.Status.NOT_STARTED, children__isnull=True).first()
    Task.objects.filter(pk=late.pk).update(
        responsible_person="王主任", due_date=dt.date(2026, 3, 1)
    )
    plan_rollup(plan_id=plan.pk, today=dt.date(2026, 6, 30))
    client.force_login(bob)

    response = client.get(reverse("dashboard:plan_detail", args=[plan.pk]))

    assert late.pk in [t.pk for t in response.context["attention"]]
    assert "王主任" in response.content.decode()


def test_the_plan_page_names_the_lead_as_written_when_no_department_is_linked(
    client, bob, subdistrict_a
):
    plan = _plan_with_tasks(subdistrict_a)
    late = plan.tasks.filter(status=Task.Status.NOT_STARTED, children__isnull=True).first()
    Task.objects.filter(pk=late.pk).update(lead_text="区建管委", due_date=dt.date(2026, 3, 1))
    plan_rollup(plan_id=plan.pk, today=dt.date(2026, 6, 30))
    client.force_login(bob)

    response = client.get(reverse("dashboard:plan_detail", args=[plan.pk]))

    assert "<td>区建管委</td>" in response.content.decode()


def test_a_units_page_names_it_with_its_level(client):
    town = SubdistrictFactory(name="嘉定工业区", district="", level="其他")
    _plan_with_tasks(town)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    response = client.get(reverse("dashboard:subdistrict_detail", args=[town.pk]))

    page = response.content.decode()
    assert "<h1>嘉定工业区</h1>" in page
    assert "级别：其他" in page


@pytest.mark.parametrize("sections", [1, 6])
def test_the_plan_page_query_count_does_not_grow_with_the_plan(
    client, bob, subdistrict_a, django_assert_num_queries, sections
):
    plan = _plan_with_tasks(subdistrict_a, sections=sections, per_section=4)
    for task in plan.tasks.filter(children__isnull=True)[:sections]:
        indicator = IndicatorFactory(task=task)
        IndicatorReadingFactory(indicator=indicator, date=dt.date(2026, 3, 31))
    snapshot_take(day=dt.date(2026, 6, 1), plan_ids=[plan.pk])
    client.force_login(bob)

    # Session, user, memberships, the plan with its roll-up, the page's stamp, sections,
    # snapshots, late tasks and their count, indicators, reports, versions, open 催办, the
    # navigation counts: the same for 4 tasks or for 24. Drawn again while nothing
    # changed: the five reads of the drawn parts are not made.
    with django_assert_num_queries(14):
        client.get(reverse("dashboard:plan_detail", args=[plan.pk]))
    with django_assert_num_queries(9):
        client.get(reverse("dashboard:plan_detail", args=[plan.pk]))


@pytest.mark.parametrize("subdistricts", [2, 12])
def test_the_overview_query_count_does_not_grow_with_the_subdistricts(
    client, django_assert_num_queries, subdistricts, dora
):
    for n in range(subdistricts):
        _plan_with_tasks(SubdistrictFactory(name=f"第{n}街道"), sections=1)
    client.force_login(dora)
    dora.is_superuser = True
    dora.save()

    # Session, user, the roll-up stamp, the years, the roll-ups (a superuser needs no
    # memberships query), the navigation counts; drawn again while nothing changed: only
    # session, user, stamp and counts.
    with django_assert_num_queries(6):
        client.get(reverse("dashboard:overview"), {"year": 2026})
    with django_assert_num_queries(4):
        client.get(reverse("dashboard:overview"), {"year": 2026})


# --- Indicator page ----------------------------------------------------------------------


def test_the_indicator_page_charts_every_reading_and_the_target(client, bob, task_a):
    indicator = task_a.indicators.get()
    for month, value in [(3, "50"), (6, "95"), (9, "150")]:
        IndicatorReadingFactory(
            indicator=indicator, date=dt.date(2023, month, 28), value=Decimal(value)
        )
    plan_rollup(plan_id=task_a.plan_id, today=dt.date(2023, 10, 1))
    client.force_login(bob)

    response = client.get(reverse("dashboard:indicator_detail", args=[indicator.pk]))

    assert response.status_code == 200
    figure = response.context["figure"]
    actual = figure_trace(figure, "实际值")
    assert [float(v) for v in actual["y"]] == [50.0, 95.0, 150.0]
    assert [str(d)[:10] for d in actual["x"]] == ["2023-03-28", "2023-06-28", "2023-09-28"]
    assert "全年走访企业不少于200家次" in response.content.decode()


def test_another_subdistricts_indicator_is_not_found(client, charlie, task_a):
    indicator = task_a.indicators.get()
    client.force_login(charlie)

    response = client.get(reverse("dashboard:indicator_detail", args=[indicator.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("readings", [1, 30])
def test_the_indicator_page_query_count_does_not_grow_with_the_readings(
    client, bob, task_a, django_assert_num_queries, readings
):
    indicator = task_a.indicators.get()
    start = dt.date(2023, 1, 1)
    for n in range(readings):
        IndicatorReadingFactory(indicator=indicator, date=start + dt.timedelta(days=7 * n))
    client.force_login(bob)

    with django_assert_num_queries(6):
        client.get(reverse("dashboard:indicator_detail", args=[indicator.pk]))


# --- Themes ------------------------------------------------------------------------------


def test_the_theme_page_compares_the_same_theme_across_subdistricts(
    client, dora, subdistrict_a, subdistrict_b
):
    _plan_with_tasks(subdistrict_a)
    plan_b = _plan_with_tasks(subdistrict_b)
    IndicatorFactory(
        task=plan_b.tasks.filter(children__isnull=True).first(),
        name="新增养老床位",
        unit="张",
    )
    client.force_login(dora)

    response = client.get(
        reverse("dashboard:theme_comparison"), {"year": 2026, "theme": "livelihood", "q": "养老"}
    )

    assert response.status_code == 200
    figure = response.context["theme_figure"]
    assert sorted(figure["data"][0]["x"]) == ["塘桥街道", "江浦路街道"]
    # Mean of 100, 40 and 0 in each section.
    assert [round(float(v), 1) for v in figure["data"][0]["y"]] == [46.7, 46.7]
    assert "新增养老床位" in response.content.decode()


def test_the_theme_indicator_table_lists_the_years_plans_of_the_units_one_may_see(
    client, bob, subdistrict_a, subdistrict_b
):
    """The table counts the plans covering the year (a multi-year plan too), not a
    look-back of it, another year's plan nor another unit's."""
    cases = {
        "本年计划指标": {"year_start": 2026},
        "三年行动指标": {"year_start": 2025, "year_end": 2027},
        "回顾指标": {"year_start": 2026, "is_review": True},
        "去年指标": {"year_start": 2025},
    }
    for name, years in cases.items():
        plan = PlanFactory(subdistrict=subdistrict_a, **years)
        task = TaskFactory(plan=plan, title=f"{name}任务", theme="livelihood")
        IndicatorFactory(task=task, name=name)
    other = TaskFactory(plan=PlanFactory(subdistrict=subdistrict_b, year_start=2026))
    IndicatorFactory(task=other, name="他街道指标")
    client.force_login(bob)

    response = client.get(reverse("dashboard:theme_comparison"), {"year": 2026})

    names = [row.record.name for row in response.context["table"].page.object_list]
    assert sorted(names) == ["三年行动指标", "本年计划指标"]


# --- Reports -----------------------------------------------------------------------------


def test_asking_for_a_report_queues_the_job_and_the_finished_file_downloads(
    client, bob, dora, subdistrict_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    plan = _plan_with_tasks(subdistrict_a)
    client.force_login(bob)

    with (
        mock.patch("apps.plans.jobs.plan_report_generate.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("dashboard:plan_report_create", args=[plan.pk]))

    report = PlanReport.objects.get()
    assert response.status_code == 302
    delay.assert_called_once_with(report.pk)
    plan_report_generate(report_id=report.pk)
    client.force_login(dora)  # the viewer may download what an editor asked for
    download = client.get(reverse("dashboard:plan_report_download", args=[plan.pk, report.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_a_viewer_cannot_ask_for_a_report_nor_sees_the_button(client, dora, subdistrict_a):
    plan = _plan_with_tasks(subdistrict_a)
    client.force_login(dora)

    response = client.post(reverse("dashboard:plan_report_create", args=[plan.pk]))
    page = client.get(reverse("dashboard:plan_detail", args=[plan.pk])).content.decode()

    assert response.status_code == 403
    assert not PlanReport.objects.exists()
    assert 'name="kind"' not in page and "生成工作推进情况通报" not in page


def test_a_second_report_of_a_plan_waits_for_the_first(
    client, bob, subdistrict_a, django_capture_on_commit_callbacks
):
    plan = _plan_with_tasks(subdistrict_a)
    client.force_login(bob)
    url = reverse("dashboard:plan_report_create", args=[plan.pk])

    with mock.patch("apps.plans.jobs.plan_report_generate.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, follow=True)

    assert PlanReport.objects.count() == 1
    assert delay.call_count == 1
    assert "已有一份报表正在生成" in response.content.decode()


def test_a_report_pending_for_longer_than_any_job_runs_does_not_block_a_new_one(bob, subdistrict_a):
    from apps.plans.services import plan_report_request
    from apps.plans.services.reports import REPORT_PENDING_FOR_AT_MOST

    plan = _plan_with_tasks(subdistrict_a)
    lost = PlanReport.objects.create(plan=plan, requested_by=bob)
    PlanReport.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - REPORT_PENDING_FOR_AT_MOST - dt.timedelta(minutes=1)
    )

    with mock.patch("apps.plans.jobs.plan_report_generate.delay"):
        plan_report_request(plan_id=plan.pk, user=bob)

    assert PlanReport.objects.count() == 2


def test_asking_for_a_bulletin_queues_a_word_report_of_the_chosen_period(
    client, bob, subdistrict_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    plan = _plan_with_tasks(subdistrict_a)
    client.force_login(bob)
    url = reverse("dashboard:plan_report_create", args=[plan.pk])

    with (
        mock.patch("apps.plans.jobs.plan_report_generate.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, {"kind": "docx", "period": "quarter"})

    report = PlanReport.objects.get()
    assert response.status_code == 302
    delay.assert_called_once_with(report.pk)
    assert (report.kind, report.period) == (PlanReport.Kind.BULLETIN, PlanReport.Period.QUARTER)
    plan_report_generate(report_id=report.pk)
    download = client.get(reverse("dashboard:plan_report_download", args=[plan.pk, report.pk]))
    assert download["Content-Disposition"].endswith(".docx")


def test_an_unknown_report_kind_is_refused_with_a_message(client, bob, subdistrict_a):
    plan = _plan_with_tasks(subdistrict_a)
    client.force_login(bob)

    url = reverse("dashboard:plan_report_create", args=[plan.pk])
    response = client.post(url, {"kind": "pdf"}, follow=True)

    assert not PlanReport.objects.exists()
    assert "报表类型或通报周期无效" in response.content.decode()


def test_a_look_back_offers_no_bulletin_and_refuses_one(client, bob, subdistrict_a):
    plan = _plan_with_tasks(subdistrict_a)
    plan.is_review = True
    plan.save()
    client.force_login(bob)

    page = client.get(reverse("dashboard:plan_detail", args=[plan.pk])).content.decode()
    url = reverse("dashboard:plan_report_create", args=[plan.pk])
    response = client.post(url, {"kind": "docx"}, follow=True)

    assert 'value="docx"' not in page and 'value="xlsx"' in page
    assert not PlanReport.objects.exists()
    assert "工作回顾没有序时进度" in response.content.decode()


def test_a_bulletin_waits_while_an_excel_report_of_the_plan_is_being_made(bob, subdistrict_a):
    from apps.plans.services import plan_report_request

    plan = _plan_with_tasks(subdistrict_a)
    PlanReport.objects.create(plan=plan, requested_by=bob, status=PlanReport.Status.RUNNING)

    with pytest.raises(ValidationError) as refused:
        plan_report_request(plan_id=plan.pk, user=bob, kind=PlanReport.Kind.BULLETIN)

    assert refused.value.code == "report_pending"


def test_the_status_endpoint_follows_a_report_to_its_download_link(
    client, dora, bob, subdistrict_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan = _plan_with_tasks(subdistrict_a)
    report = PlanReport.objects.create(plan=plan, requested_by=bob, kind="docx", period="month")
    client.force_login(dora)
    url = reverse("dashboard:plan_report_status", args=[plan.pk])

    before = client.get(url).json()
    plan_report_generate(report_id=report.pk)
    after = client.get(url).json()

    assert before == {
        "unfinished": True,
        "reports": [
            {"id": report.pk, "status": "pending", "label": "排队中", "error": "", "url": ""}
        ],
    }
    download = reverse("dashboard:plan_report_download", args=[plan.pk, report.pk])
    assert after["unfinished"] is False
    assert after["reports"][0] | {"url": download} == after["reports"][0]
    assert after["reports"][0]["status"] == "done"


def test_another_subdistricts_report_cannot_be_asked_for(client, charlie, subdistrict_a):
    plan = _plan_with_tasks(subdistrict_a)
    client.force_login(charlie)

    response = client.post(reverse("dashboard:plan_report_create", args=[plan.pk]))

    assert response.status_code == 404
    assert not PlanReport.objects.exists()
