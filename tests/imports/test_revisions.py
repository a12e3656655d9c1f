"""Revisions: a new version of an imported plan is diffed and applied in place."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.imports import services
from apps.imports.models import PlanVersion
from apps.imports.selectors import draft_diffs
from apps.plans.models import Indicator, IndicatorReading, Plan, Task
from tests.factories import IndicatorReadingFactory, update_task

pytestmark = pytest.mark.django_db

REVISED_CHANGES = [
    # reworded
    (
        "（三）加强社区治理\n建设睦邻点15个。",
        "（三）加强基层社区治理\n建设睦邻点15个，完善议事协商。",
    ),
    # target changed
    ("完成23户适老化改造", "完成30户适老化改造"),
    # removed
    (
        "（一）优化营商环境\n全年走访企业不少于200家次，新增就业岗位1200个。（牵头单位：经济发展办）\n",
        "",
    ),
]
ADDED = "（四）提升公共服务\n新建养老服务站2个。（牵头单位：社区服务办）\n"


def revised(sample: str) -> str:
    for old, new in REVISED_CHANGES:
        assert old in sample
        sample = sample.replace(old, new)
    return sample + ADDED


@pytest.fixture
def imported(ada, sample):
    draft = services.draft_create(user=ada, filename="v1.txt", content=sample.encode())
    services.draft_confirm(draft_id=draft.pk, user=ada)
    return Plan.objects.get()


@pytest.fixture
def revision(ada, sample, imported):
    return services.draft_create(user=ada, filename="v2.txt", content=revised(sample).encode())


def test_the_diff_shows_exactly_what_changed(imported, revision):
    (diff,) = draft_diffs(revision)

    assert diff.plan == imported
    assert [n.title for n in diff.added] == ["提升公共服务"]
    assert [t.title for t in diff.removed] == ["优化营商环境"]
    assert [(m.task.title, m.node.title) for m in diff.reworded] == [
        ("加强社区治理", "加强基层社区治理")
    ]
    assert [(t.name, t.old, t.new) for _, t in diff.target_changes] == [
        ("适老化改造", "等于 23户", "等于 30户")
    ]


def test_the_draft_page_shows_the_diff(client, ada, revision):
    client.force_login(ada)

    page = client.get(f"/imports/{revision.pk}/").content.decode()

    assert "修订对比" in page
    assert "新增 1 项" in page and "删除 1 项" in page and "改写 1 项" in page
    assert "应用修订" in page


def test_applying_keeps_staff_data_archives_removed_tasks_and_records_a_version(
    ada, bob, imported, revision
):
    kept = Task.objects.get(title="推进旧区改造")
    update_task(kept, bob, status=Task.Status.IN_PROGRESS, percent=40, responsible_person="王芳")
    indicator = Indicator.objects.get(name="适老化改造")
    IndicatorReadingFactory(indicator=indicator, date=dt.date(2026, 3, 31), value=Decimal("12"))
    removed = Task.objects.get(title="优化营商环境")

    services.draft_confirm(draft_id=revision.pk, user=ada)

    assert Plan.objects.count() == 1
    kept.refresh_from_db()
    assert (kept.status, kept.percent, kept.responsible_person) == ("in_progress", 40, "王芳")
    assert kept.updates.count() == 1
    indicator.refresh_from_db()
    assert indicator.target_value == 30
    assert IndicatorReading.objects.filter(indicator=indicator).count() == 1
    assert Task.objects.get(pk=Task.objects.get(title="加强基层社区治理").pk).number == "（三）"
    assert Task.objects.filter(title="提升公共服务").exists()
    assert not Task.objects.filter(pk=removed.pk).exists()
    archived = Task.all_objects.get(pk=removed.pk)
    assert archived.archived_at is not None
    assert archived.history.count() >= 2
    versions = list(PlanVersion.objects.filter(plan=imported).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].source_name == "v2.txt"
    assert versions[1].changes["added"] == 1 and versions[1].changes["targets"] == 1
    imported.refresh_from_db()
    assert "提升公共服务" in imported.source_text


def test_the_plan_page_lists_its_versions(client, ada, bob, imported, revision):
    services.draft_confirm(draft_id=revision.pk, user=ada)
    client.force_login(bob)

    page = client.get(f"/plans/{imported.pk}/").content.decode()

    assert "第2版" in page and "第1版" in page
    assert "新增：（四） 提升公共服务" in page
    assert "目标变化：适老化改造 等于 23户 → 等于 30户" in page


def test_the_same_text_again_is_not_a_revision(ada, sample, imported):
    draft = services.draft_create(user=ada, filename="again.txt", content=sample.encode())

    assert draft_diffs(draft) == []
    services.draft_confirm(draft_id=draft.pk, user=ada)
    assert Plan.objects.count() == 1
    assert PlanVersion.objects.count() == 1


def test_a_revision_starts_with_the_last_versions_corrections(ada, sample):
    first = services.draft_create(user=ada, filename="v1.txt", content=sample.encode())
    data = first.data
    data["plans"][0]["nodes"][0]["not_task"] = True
    data["lead_departments"] = {"经济发展办": "服务办"}
    services.draft_update(draft=first, data=data, user=ada)
    services.draft_confirm(draft_id=first.pk, user=ada)

    second = services.draft_create(user=ada, filename="v2.txt", content=revised(sample).encode())

    assert second.data["plans"][0]["nodes"][0]["not_task"] is True
    assert second.data["lead_departments"]["经济发展办"] == "服务办"
    (diff,) = draft_diffs(second)
    assert [n.title for n in diff.added] == ["提升公共服务"]
