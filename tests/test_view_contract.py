"""Every view of the project under the five-part contract (tests/contract.py)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.models import Membership
from apps.imports.services import draft_create
from apps.plans.models import PlanReport
from apps.plans.services import plan_rollup, snapshot_take
from tests.contract import CHECKS, ViewCase
from tests.factories import IndicatorReadingFactory, MembershipFactory, UserFactory

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
    return {
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


# Query counts: session, user and memberships (3) plus the page's own reads; the tests
# beside each view pin them again at two data sizes to show they do not grow.
# The import pages (the confirm writes the whole sample plan: its count is for this sample).
IMPORT_QUERIES = {
    "draft_list": 6,
    "draft_create": 5,
    "draft_detail": 7,
    "draft_json": 4,
    "draft_confirm": 27,
    "draft_file": 4,
    "task_assign": 9,
}
CASES = [
    ViewCase(
        "password_change",
        lambda w: reverse("password_change"),
        "alice",
        3,
        scoped=False,
        read_only_post=200,
        read_only_post_reason="everyone changes their own password; an empty form is redisplayed",
    ),
    ViewCase(
        "password_change_done", lambda w: reverse("password_change_done"), "alice", 3, scoped=False
    ),
    ViewCase("home", lambda w: reverse("home"), "bob", 3, status=302, scoped=False),
    ViewCase(
        "plans:task_list",
        lambda w: reverse("plans:task_list"),
        "bob",
        8,
        scoped=False,
        marker=lambda w: w["task"].title,
    ),
    ViewCase(
        "plans:task_detail",
        lambda w: reverse("plans:task_detail", args=[w["task"].pk]),
        "alice",
        9,
        read_only_post=403,
        data=_update_form,
    ),
    ViewCase(
        "plans:task_detail (update)",
        lambda w: reverse("plans:task_detail", args=[w["task"].pk]),
        "alice",
        21,
        method="post",
        data=_update_form,
        status=302,
        read_only_post=403,
    ),
    ViewCase(
        "dashboard:overview",
        lambda w: reverse("dashboard:overview"),
        "bob",
        5,
        scoped=False,
        marker=lambda w: w["subdistrict"].name,
    ),
    ViewCase(
        "dashboard:theme_comparison",
        lambda w: reverse("dashboard:theme_comparison") + "?theme=economy",
        "bob",
        6,
        scoped=False,
        marker=lambda w: w["subdistrict"].name,
    ),
    ViewCase(
        "dashboard:subdistrict_detail",
        lambda w: reverse("dashboard:subdistrict_detail", args=[w["subdistrict"].pk]),
        "bob",
        5,
    ),
    ViewCase(
        "dashboard:plan_detail",
        lambda w: reverse("dashboard:plan_detail", args=[w["plan"].pk]),
        "bob",
        11,
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
        "dashboard:plan_report_download",
        lambda w: reverse("dashboard:plan_report_download", args=[w["plan"].pk, w["report"].pk]),
        "bob",
        5,
    ),
    ViewCase(
        "dashboard:indicator_detail",
        lambda w: reverse("dashboard:indicator_detail", args=[w["indicator"].pk]),
        "bob",
        5,
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
