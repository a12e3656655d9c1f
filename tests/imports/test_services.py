"""Draft services: upload, parse, correct, confirm, expire."""

import copy
import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.importer.types import DocumentError
from apps.imports import services
from apps.imports.models import ImportDraft, PlanVersion
from apps.plans.models import Indicator, Plan, Task
from apps.subdistricts.models import Department, Subdistrict

pytestmark = pytest.mark.django_db


def _node(draft, *path):
    node = {"children": draft.data["plans"][0]["nodes"]}
    for index in path:
        node = node["children"][index]
    return node


# --- Upload and parse ---------------------------------------------------------------------


def test_an_administrators_draft_goes_to_their_own_unit_whatever_the_document_names(
    draft_a, subdistrict_a
):
    assert draft_a.status == ImportDraft.Status.READY
    assert draft_a.subdistrict == subdistrict_a
    assert draft_a.document_unit == "新港镇"
    assert draft_a.data["plans"][0]["subdistrict"] == "江浦路街道"
    assert draft_a.source_hash and draft_a.source_file.read().decode("utf-8").startswith("新港镇")
    assert not Plan.objects.exists()
    assert not Subdistrict.objects.filter(name="新港镇").exists()


def test_a_superusers_draft_keeps_a_new_unit_to_create_on_confirm(root, sample):
    draft = services.draft_create(user=root, filename="a.txt", content=sample.encode())

    assert draft.subdistrict is None
    assert draft.data["plans"][0]["subdistrict"] == "新港镇"

    services.draft_confirm(draft_id=draft.pk, user=root)

    unit = Subdistrict.objects.get(name="新港镇")
    assert unit.level == "镇"
    draft.refresh_from_db()
    assert draft.subdistrict == unit


def test_a_file_with_no_text_is_refused_and_nothing_is_stored(ada):
    with pytest.raises(DocumentError):
        services.draft_create(user=ada, filename="a.txt", content=b"\x00\x01\x02" * 50)

    assert not ImportDraft.objects.exists()


def test_a_large_document_is_parsed_by_a_job_after_commit(
    ada, sample, django_capture_on_commit_callbacks
):
    content = (sample * 2000).encode("utf-8")
    assert not services.parse_runs_inline(filename="a.txt", size=len(content))

    with mock.patch("apps.imports.jobs.draft_parse.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            draft = services.draft_create(user=ada, filename="a.txt", content=content)

    assert draft.status == ImportDraft.Status.PARSING
    delay.assert_called_once_with(draft.pk)
    services.draft_parse(draft_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.READY
    assert draft.progress == 100
    # Safe to run twice.
    assert services.draft_parse(draft_id=draft.pk).status == ImportDraft.Status.READY


def test_a_queued_parse_that_fails_leaves_the_message_on_the_draft(ada):
    with mock.patch("apps.imports.jobs.draft_parse.delay"):
        draft = services.draft_create(user=ada, filename="scan.pdf", content=b"%PDF-1.4 broken")

    services.draft_parse(draft_id=draft.pk)

    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.FAILED
    assert draft.error


def test_leads_that_name_a_department_start_mapped(ada, subdistrict_a, sample):
    Department.objects.create(subdistrict=subdistrict_a, name="城建中心")

    draft = services.draft_create(user=ada, filename="a.txt", content=sample.encode())

    assert draft.data["lead_departments"] == {"城建中心": "城建中心"}


# --- Corrections --------------------------------------------------------------------------


def test_a_corrected_title_is_saved(draft_a, ada):
    data = copy.deepcopy(draft_a.data)
    data["plans"][0]["nodes"][1]["children"][0]["title"] = "持续优化营商环境"

    services.draft_update(draft=draft_a, data=data, user=ada)

    draft_a.refresh_from_db()
    assert _node(draft_a, 1, 0)["title"] == "持续优化营商环境"


def test_an_invalid_correction_changes_nothing(draft_a, ada):
    before = copy.deepcopy(draft_a.data)
    data = copy.deepcopy(draft_a.data)
    data["plans"][0]["nodes"][1]["children"][0]["title"] = ""

    with pytest.raises(DocumentError, match="第1个计划 › 第2项 › 第1项：标题不能为空"):
        services.draft_update(draft=draft_a, data=data, user=ada)

    draft_a.refresh_from_db()
    assert draft_a.data == before


def test_an_administrator_cannot_move_a_draft_to_another_unit(draft_a, ada, subdistrict_b):
    data = copy.deepcopy(draft_a.data)
    data["plans"][0]["subdistrict"] = subdistrict_b.name

    with pytest.raises(DocumentError, match="只能导入到你管理的单位"):
        services.draft_update(draft=draft_a, data=data, user=ada)


def test_the_metadata_form_sets_title_years_and_date(draft_a, ada):
    services.draft_metadata_update(
        draft=draft_a,
        user=ada,
        unit={"name": "江浦路街道"},
        plans=[
            {
                "title": "江浦路街道2026年工作要点",
                "kind": "工作要点",
                "year_start": 2026,
                "year_end": None,
                "doc_number": "江委〔2026〕1号",
                "published_on": dt.date(2026, 2, 11),
            }
        ],
    )

    plan = draft_a.data["plans"][0]
    assert (plan["title"], plan["year_end"], plan["published_on"]) == (
        "江浦路街道2026年工作要点",
        2026,
        "2026-02-11",
    )
    assert plan["doc_number"] == "江委〔2026〕1号"


# --- Confirm ------------------------------------------------------------------------------


def test_confirm_imports_the_corrected_tree_and_maps_leads(draft_a, ada, subdistrict_a):
    data = copy.deepcopy(draft_a.data)
    data["plans"][0]["nodes"][0]["not_task"] = True  # 指导思想
    data["plans"][0]["nodes"][1]["children"][0]["indicators"][1]["value"] = 1500
    data["lead_departments"] = {"经济发展办": "服务办"}
    services.draft_update(draft=draft_a, data=data, user=ada)

    draft = services.draft_confirm(draft_id=draft_a.pk, user=ada)

    assert draft.status == ImportDraft.Status.CONFIRMED
    plan = draft.plans.get()
    assert plan.subdistrict == subdistrict_a
    assert not Task.objects.filter(title="指导思想").exists()
    task = Task.objects.get(title="优化营商环境")
    assert task.depth == 1 or task.parent.title == "重点任务"
    assert task.lead_department.name == "服务办"
    assert Department.objects.filter(subdistrict=subdistrict_a, name="服务办").exists()
    assert Indicator.objects.get(name="新增就业岗位").target_value == 1500
    assert PlanVersion.objects.get(plan=plan).number == 1


def test_a_second_confirm_imports_nothing_twice(draft_a, ada):
    services.draft_confirm(draft_id=draft_a.pk, user=ada)
    counts = (Plan.objects.count(), Task.objects.count(), Indicator.objects.count())

    services.draft_confirm(draft_id=draft_a.pk, user=ada)

    assert (Plan.objects.count(), Task.objects.count(), Indicator.objects.count()) == counts


def test_confirm_locks_the_draft_row(draft_a, ada):
    with mock.patch.object(
        ImportDraft.objects, "select_for_update", wraps=ImportDraft.objects.select_for_update
    ) as lock:
        services.draft_confirm(draft_id=draft_a.pk, user=ada)

    lock.assert_called_once()


def test_a_draft_without_a_year_is_not_confirmed(draft_a, ada):
    data = copy.deepcopy(draft_a.data)
    data["plans"][0]["year_start"] = data["plans"][0]["year_end"] = None
    services.draft_update(draft=draft_a, data=data, user=ada)

    with pytest.raises(ValidationError, match="第1个计划：请填写计划年度"):
        services.draft_confirm(draft_id=draft_a.pk, user=ada)

    assert not Plan.objects.exists()


def test_a_failed_confirm_leaves_the_database_as_it_was(draft_a, ada):
    data = copy.deepcopy(draft_a.data)
    data["lead_departments"] = {"经济发展办": "服务办"}
    services.draft_update(draft=draft_a, data=data, user=ada)

    with mock.patch.object(services, "_leads_assign", side_effect=RuntimeError("断电")):
        with pytest.raises(RuntimeError):
            services.draft_confirm(draft_id=draft_a.pk, user=ada)

    assert not Plan.objects.exists()
    assert not Task.objects.exists()
    draft_a.refresh_from_db()
    assert draft_a.status == ImportDraft.Status.READY


def test_a_confirmed_draft_cannot_be_edited(draft_a, ada):
    services.draft_confirm(draft_id=draft_a.pk, user=ada)

    with pytest.raises(DocumentError, match="已经导入"):
        services.draft_update(draft=draft_a, data=draft_a.data, user=ada)


# --- Expiry -------------------------------------------------------------------------------


def test_open_drafts_expire_after_30_days_and_confirmed_ones_stay(draft_a, ada, sample):
    confirmed = services.draft_create(user=ada, filename="b.txt", content=(sample + "。").encode())
    services.draft_confirm(draft_id=confirmed.pk, user=ada)
    old = timezone.now() - dt.timedelta(days=31)
    ImportDraft.objects.update(updated_at=old)
    path = draft_a.source_file.path

    assert services.drafts_expire() == 1

    assert list(ImportDraft.objects.all()) == [confirmed]
    import os

    assert not os.path.exists(path)


def test_a_draft_touched_within_30_days_stays(draft_a):
    ImportDraft.objects.update(updated_at=timezone.now() - dt.timedelta(days=29))

    assert services.drafts_expire() == 0


def test_a_parser_crash_in_the_job_fails_the_draft_with_a_message(ada, sample):
    with mock.patch("apps.imports.jobs.draft_parse.delay"):
        draft = services.draft_create(user=ada, filename="a.pdf", content=sample.encode())

    with mock.patch.object(services, "_document_parse", side_effect=IndexError("bug")):
        services.draft_parse(draft_id=draft.pk)

    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.FAILED
    assert "解析时出错" in draft.error
