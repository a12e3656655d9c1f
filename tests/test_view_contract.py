"""Every view of the project under the five-part contract (tests/contract.py)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.models import Membership
from apps.evidence.services import evidence_attach
from apps.imports.services import draft_create
from apps.plans.models import PlanReport, TaskUpdate
from apps.plans.services import plan_rollup, snapshot_take
from tests.contract import CHECKS, ViewCase
from tests.evidence import samples
from tests.factories import (
    IndicatorReadingFactory,
    MembershipFactory,
    NotificationFactory,
    TaskUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path, alice, bob, charlie, dora, task_a, task_b, subdistrict_a):
    """Unit A with a plan rolled up, a reading, a snapshot and a finished report; unit B
    with a plan of its own; and the four personas."""
    settings.MEDIA_ROOT = tmp_path
    plan = task_a.plan
    indicator = task_a.indicators.get()
    IndicatorReadingFactory(indicator=indicator, date=dt.date(2023, 6, 30), note="半年报")
    plan_rollup(plan_id=plan.pk, today=dt.date(2023, 7, 1))
    plan_rollup(plan_id=task_b.plan_id, today=dt.date(2023, 7, 1))
    snapshot_take(day=dt.date(2023, 6, 30), plan_ids=[plan.pk])
    report = PlanReport.objects.create(plan=plan, requested_by=bob, status=PlanReport.Status.DONE)
    report.file.save("report.xlsx", ContentFile(b"xlsx"), save=True)
    ada = _admin("ada", subdistrict_a)
    ben = _admin("ben", task_b.plan.subdistrict)
    draft = draft_create(user=ada, filename="青松路街道要点.txt", content=IMPORT_SAMPLE.encode())
    (photo,) = evidence_attach(
        update=TaskUpdateFactory(task=task_a, user=alice),
        files=[samples.upload("现场.png", samples.png_bytes())],
        user=alice,
    )
    # The 督办 loop: alice owns the task, has a notification, and waits for review.
    task_a.owners.add(alice)
    notification = NotificationFactory(recipient=alice, title="请报送招商引资进展")
    pending = TaskUpdateFactory(
        task=task_a, user=alice, state=TaskUpdate.State.PENDING, note="待审核的进展"
    )
    return {
        "evidence": photo,
        "notification": notification,
        "pending": pending,
        "ada": ada,
        "ben": ben,
        "draft": draft,
        "alice": alice,
        "bob": bob,
        "charlie": charlie,
        "dora": dora,
        "subdistrict": subdistrict_a,
        "plan": plan,
        "task": task_a,
        "indicator": indicator,
        "report": report,
    }


IMPORT_SAMPLE = (
    "青松路街道2024年工作要点\n一、优化营商环境\n1.走访企业200家。（牵头单位：服务办）\n"
)


def _admin(username, subdistrict):
    user = UserFactory(username=username, display_name=username.title())
    MembershipFactory(user=user, subdistrict=subdistrict, role=Membership.Role.ADMIN)
    return user


def _urge_form(world) -> dict:
    return {"message": "请于周五前报送进展", "deadline": dt.date.today() + dt.timedelta(days=3)}


def _review_form(world) -> dict:
    return {"updates": [world["pending"].pk], "decision": "return", "comment": "请补充走访数据"}


OWN_NOTIFICATIONS = (
    "everyone marks their own notifications read, viewers too: it changes no unit's data"
)


def _update_form(world) -> dict:
    task = world["task"]
    return {
        "version": task.version,
        "status": "in_progress",
        "percent": 30,
        "due_date": "",
        "lead_department": task.lead_department_id,
        "responsible_person": "王科员",
        "note": "已召开推进会",
    }


# Query counts: session, user and memberships (3), the navigation bar's counts (1: unread
# notifications, my urgent tasks, the review queue) plus the page's own reads; the tests
# beside each view pin them again at two data sizes to show they do not grow.
# The import pages (the confirm writes the whole sample plan: its count is for this sample).
IMPORT_QUERIES = {
    "draft_list": 7,
    "draft_create": 6,
    "draft_detail": 8,
    "draft_json": 4,
    "draft_confirm": 27,
    "draft_file": 4,
    "task_assign": 10,
}
CASES = [
    ViewCase(
        "password_change",
        lambda w: reverse("password_change"),
        "alice",
        4,
        scoped=False,
        read_only_post=200,
        read_only_post_reason="everyone changes their own password; an empty form is redisplayed",
    ),
    ViewCase(
        "password_change_done", lambda w: reverse("password_change_done"), "alice", 4, scoped=False
    ),
    ViewCase("home", lambda w: reverse("home"), "bob", 3, status=302, scoped=False),
    ViewCase(
        "plans:task_list",
        lambda w: reverse("plans:task_list"),
        "bob",
        9,
        scoped=False,
        marker=lambda w: w["task"].title,
    ),
    ViewCase(
        "plans:task_detail",
        lambda w: reverse("plans:task_detail", args=[w["task"].pk]),
        "alice",
        # ... the task page's reads, with the timeline's 台账 files, the navigation counts
        # and the 督办 panel (its pending update with that update's 台账 files).
        15,
        read_only_post=403,
        data=_update_form,
    ),
    ViewCase(
        "plans:task_detail (update)",
        lambda w: reverse("plans:task_detail", args=[w["task"].pk]),
        "alice",
        # + the 督办 loop: the unit's review switch read, open 催办 closed, the new 责任人
        # text matched to accounts (members, existing owners); the update and its 台账 files
        # in one transaction (one savepoint more).
        31,
        method="post",
        data=_update_form,
        status=302,
        read_only_post=403,
    ),
    ViewCase(
        "plans:task_evidence_archive",
        lambda w: reverse("plans:task_evidence_archive", args=[w["task"].pk]),
        "alice",
        # ... the task; the files are read while the zip streams (tests/evidence).
        4,
    ),
    ViewCase(
        "plans:plan_evidence_archive",
        lambda w: reverse("plans:plan_evidence_archive", args=[w["plan"].pk]),
        "bob",
        4,
    ),
    ViewCase(
        "evidence:evidence_download",
        lambda w: reverse("evidence:evidence_download", args=[w["evidence"].pk]),
        "alice",
        4,
    ),
    ViewCase(
        "evidence:evidence_thumbnail",
        lambda w: reverse("evidence:evidence_thumbnail", args=[w["evidence"].pk]),
        "alice",
        4,
    ),
    ViewCase(
        "dashboard:overview",
        lambda w: reverse("dashboard:overview"),
        "bob",
        7,
        scoped=False,
        marker=lambda w: w["subdistrict"].name,
    ),
    ViewCase(
        "dashboard:theme_comparison",
        lambda w: reverse("dashboard:theme_comparison") + "?theme=economy",
        "bob",
        8,
        scoped=False,
        marker=lambda w: w["subdistrict"].name,
    ),
    ViewCase(
        "dashboard:subdistrict_detail",
        lambda w: reverse("dashboard:subdistrict_detail", args=[w["subdistrict"].pk]),
        "bob",
        6,
    ),
    ViewCase(
        "dashboard:plan_detail",
        lambda w: reverse("dashboard:plan_detail", args=[w["plan"].pk]),
        "bob",
        # The first load: with its drawn parts (dashboard/views.plan_content).
        14,
    ),
    ViewCase(
        "dashboard:plan_report_create",
        lambda w: reverse("dashboard:plan_report_create", args=[w["plan"].pk]),
        "bob",
        # ... plan, then in one transaction: the plan locked, a pending report looked for,
        # the report written.
        9,
        method="post",
        status=302,
        read_only_post=403,
    ),
    ViewCase(
        "dashboard:plan_report_status",
        lambda w: reverse("dashboard:plan_report_status", args=[w["plan"].pk]),
        "bob",
        5,
    ),
    ViewCase(
        "dashboard:plan_report_download",
        lambda w: reverse("dashboard:plan_report_download", args=[w["plan"].pk, w["report"].pk]),
        "bob",
        5,
    ),
    ViewCase(
        "dashboard:indicator_detail",
        lambda w: reverse("dashboard:indicator_detail", args=[w["indicator"].pk]),
        "bob",
        6,
    ),
    ViewCase(
        "imports:draft_list",
        lambda w: reverse("imports:draft_list"),
        "ada",
        IMPORT_QUERIES["draft_list"],
        scoped=False,
        marker=lambda w: w["draft"].source_name,
        other_unit="ben",
        read_only_post=403,
    ),
    ViewCase(
        "imports:draft_create",
        lambda w: reverse("imports:draft_create"),
        "ada",
        IMPORT_QUERIES["draft_create"],
        scoped=False,
        other_unit="ben",
        read_only_post=403,
    ),
    ViewCase(
        "imports:draft_detail",
        lambda w: reverse("imports:draft_detail", args=[w["draft"].pk]),
        "ada",
        IMPORT_QUERIES["draft_detail"],
        other_unit="ben",
        read_only_post=403,
    ),
    ViewCase(
        "imports:draft_json",
        lambda w: reverse("imports:draft_json", args=[w["draft"].pk]),
        "ada",
        IMPORT_QUERIES["draft_json"],
        other_unit="ben",
        read_only_post=403,
    ),
    ViewCase(
        "imports:draft_confirm",
        lambda w: reverse("imports:draft_confirm", args=[w["draft"].pk]),
        "ada",
        IMPORT_QUERIES["draft_confirm"],
        method="post",
        status=302,
        other_unit="ben",
        read_only_post=403,
    ),
    ViewCase(
        "imports:draft_file",
        lambda w: reverse("imports:draft_file", args=[w["draft"].pk]),
        "ada",
        IMPORT_QUERIES["draft_file"],
        other_unit="ben",
        read_only_post=403,
    ),
    ViewCase(
        "imports:task_assign",
        lambda w: reverse("imports:task_assign"),
        "bob",
        IMPORT_QUERIES["task_assign"],
        scoped=False,
        marker=lambda w: w["task"].title,
        other_unit="ben",
        read_only_post=403,
    ),
    # The 督办 loop (issue 12).
    ViewCase(
        "notifications:notification_list",
        lambda w: reverse("notifications:notification_list"),
        "alice",
        7,
        scoped=False,
        marker=lambda w: w["notification"].title,
    ),
    ViewCase(
        "notifications:notification_read",
        lambda w: reverse("notifications:notification_read", args=[w["notification"].pk]),
        "alice",
        4,
        method="post",
        status=302,
        # Someone else's notification is not found, the viewer's included.
        read_only_post=404,
        read_only_post_reason=OWN_NOTIFICATIONS,
    ),
    ViewCase(
        "notifications:notification_read_all",
        lambda w: reverse("notifications:notification_read_all"),
        "alice",
        3,
        method="post",
        status=302,
        scoped=False,
        read_only_post=302,
        read_only_post_reason=OWN_NOTIFICATIONS,
    ),
    ViewCase(
        "notifications:notification_setting",
        lambda w: reverse("notifications:notification_setting"),
        "alice",
        8,
        method="post",
        status=302,
        scoped=False,
        read_only_post=302,
        read_only_post_reason="everyone chooses their own channels, viewers too",
    ),
    ViewCase(
        "supervision:my_tasks",
        lambda w: reverse("supervision:my_tasks"),
        "alice",
        6,
        scoped=False,
        marker=lambda w: w["task"].title,
    ),
    ViewCase(
        "supervision:review_list",
        lambda w: reverse("supervision:review_list"),
        "bob",
        # session, user, memberships, the navigation counts; the queue and its 台账 files.
        6,
        scoped=False,
        marker=lambda w: w["pending"].note,
        other_unit="ben",
        read_only_post=403,
    ),
    ViewCase(
        "supervision:review_list (return)",
        lambda w: reverse("supervision:review_list"),
        "bob",
        # ... the last writes: the 催办 the returned update had closed are opened again,
        # and the unit's leaders' 待审核 notifications of it are marked read.
        15,
        method="post",
        data=_review_form,
        status=302,
        # Another unit's reviewer naming unit A's pending update: 404.
        other_unit="ben",
        read_only_post=403,
    ),
    ViewCase(
        "supervision:task_urge",
        lambda w: reverse("supervision:task_urge"),
        "bob",
        # The same reads as imports:task_assign, less its 科室 choices.
        9,
        scoped=False,
        marker=lambda w: w["task"].title,
        other_unit="ben",
        read_only_post=403,
    ),
    ViewCase(
        "supervision:task_urge_one",
        lambda w: reverse("supervision:task_urge_one", args=[w["task"].pk]),
        "bob",
        14,
        method="post",
        data=_urge_form,
        status=302,
        read_only_post=403,
    ),
    ViewCase(
        "supervision:task_owners",
        lambda w: reverse("supervision:task_owners", args=[w["task"].pk]),
        "bob",
        10,
        method="post",
        data=lambda w: {"owners": [w["alice"].pk]},
        status=302,
        read_only_post=403,
    ),
]


@pytest.mark.parametrize("check", list(CHECKS))
@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_view_keeps_the_contract(client, world, case, check):
    CHECKS[check](client, case, world)


def _url_names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


# Django's own pages: the admin (staff only, its own permissions) and the login pages.
NOT_OURS = {"login", "logout"}


def test_every_url_of_the_project_has_a_contract_case():
    ours = {n for n in _url_names(get_resolver().url_patterns) if not n.startswith("admin:")}
    covered = {case.name.split(" ")[0] for case in CASES}
    assert ours - NOT_OURS - covered == set()
