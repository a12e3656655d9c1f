"""Import pages: the five checks on every URL (works, anonymous → login, another unit → 404,
not an administrator → 403, query count pinned), then what each page does."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.imports import services
from apps.imports.models import ImportDraft
from apps.plans.models import Plan, Task

pytestmark = pytest.mark.django_db

# (method, path); {pk} is a draft of 街道 A.
URLS = [
    ("get", "/imports/"),
    ("get", "/imports/new/"),
    ("post", "/imports/new/"),
    ("get", "/imports/{pk}/"),
    ("post", "/imports/{pk}/"),
    ("get", "/imports/{pk}/draft.json"),
    ("post", "/imports/{pk}/draft.json"),
    ("post", "/imports/{pk}/confirm/"),
    ("get", "/imports/{pk}/file/"),
]
DRAFT_URLS = [u for u in URLS if "{pk}" in u[1]]


def _call(client, method, path, draft):
    url = path.format(pk=draft.pk)
    if method == "get":
        return client.get(url)
    if url.endswith("draft.json"):
        return client.post(url, json.dumps(draft.data), content_type="application/json")
    return client.post(url, {})


@pytest.mark.parametrize(("method", "path"), URLS)
def test_an_anonymous_user_is_sent_to_the_login_page(client, draft_a, method, path):
    response = _call(client, method, path, draft_a)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["alice", "bob", "dora"])
@pytest.mark.parametrize(("method", "path"), URLS)
def test_staff_leaders_and_viewers_get_403_on_every_import_url(
    client, draft_a, request, persona, method, path
):
    client.force_login(request.getfixturevalue(persona))

    assert _call(client, method, path, draft_a).status_code == 403
    assert ImportDraft.objects.count() == 1
    assert not Plan.objects.exists()


@pytest.mark.parametrize(("method", "path"), DRAFT_URLS)
def test_another_units_draft_is_not_found(client, draft_a, ben, method, path):
    client.force_login(ben)

    assert _call(client, method, path, draft_a).status_code == 404
    assert not Plan.objects.exists()


def test_another_units_drafts_are_not_listed(client, draft_a, ben):
    client.force_login(ben)

    assert draft_a.source_name not in client.get("/imports/").content.decode()


# --- Query counts ------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 4])
def test_the_history_costs_the_same_queries_for_one_or_five_drafts(
    client, ada, draft_a, sample, django_assert_num_queries, extra
):
    for n in range(extra):
        services.draft_create(user=ada, filename=f"{n}.txt", content=(sample + "。" * n).encode())
    client.force_login(ada)

    # Session, user, memberships, count, rows, their plans, the navigation counts.
    with django_assert_num_queries(7):
        response = client.get("/imports/")
    assert response.status_code == 200


def test_the_draft_page_query_count_is_pinned(client, ada, draft_a, django_assert_num_queries):
    client.force_login(ada)

    # Session, user, memberships, the draft, the units offered, its unit's departments,
    # the lookup for a plan this draft would revise, the navigation counts.
    with django_assert_num_queries(8):
        assert client.get(f"/imports/{draft_a.pk}/").status_code == 200


def test_the_draft_json_query_count_is_pinned(client, ada, draft_a, django_assert_num_queries):
    client.force_login(ada)

    with django_assert_num_queries(4):
        assert client.get(f"/imports/{draft_a.pk}/draft.json").status_code == 200


def test_the_upload_page_query_count_is_pinned(client, ada, django_assert_num_queries):
    client.force_login(ada)

    # Session, user, memberships, the units offered (the select renders them twice), the
    # navigation counts.
    with django_assert_num_queries(6):
        assert client.get("/imports/new/").status_code == 200


# --- Upload ------------------------------------------------------------------------------


def test_uploading_a_file_redirects_to_its_draft(client, ada, sample):
    client.force_login(ada)

    upload = SimpleUploadedFile("新港镇要点.txt", sample.encode("gb18030"))
    response = client.post("/imports/new/", {"file": upload})

    draft = ImportDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{draft.pk}/"
    assert draft.created_by == ada
    assert draft.status == ImportDraft.Status.READY


def test_pasted_traditional_text_becomes_a_simplified_draft(client, ada, sample):
    client.force_login(ada)

    import opencc

    response = client.post("/imports/new/", {"text": opencc.OpenCC("s2t").convert(sample)})

    assert response.status_code == 302
    assert "优化营商环境" in ImportDraft.objects.get().source_text


def test_an_upload_without_file_or_text_gets_a_chinese_message(client, ada):
    client.force_login(ada)

    response = client.post("/imports/new/", {})

    assert response.status_code == 400
    assert "请上传一个文件，或粘贴全文" in response.content.decode()


def test_an_unsupported_file_gets_a_message_next_to_it(client, ada):
    client.force_login(ada)

    upload = SimpleUploadedFile("plan.exe", b"MZ")
    response = client.post("/imports/new/", {"file": upload})

    assert response.status_code == 400
    assert "不支持这种文件" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_a_file_with_no_text_gets_the_readers_message(client, ada):
    client.force_login(ada)

    response = client.post("/imports/new/", {"file": SimpleUploadedFile("a.txt", b"\x00" * 99)})

    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_a_superuser_may_upload(client, root, sample):
    client.force_login(root)

    assert client.post("/imports/new/", {"text": sample}).status_code == 302


# --- Draft page and JSON -----------------------------------------------------------------


def test_the_draft_page_shows_metadata_tree_and_source(client, ada, draft_a):
    client.force_login(ada)

    page = client.get(f"/imports/{draft_a.pk}/").content.decode()

    assert "文档中的发文单位是“新港镇”，将导入到“江浦路街道”" in page
    assert 'value="新港镇2026年工作要点"' in page
    assert "优化营商环境" in page and "适老化改造" in page
    assert 'id="draft-source"' in page
    assert "确认导入" in page


def test_the_json_round_trips(client, ada, draft_a):
    client.force_login(ada)
    url = f"/imports/{draft_a.pk}/draft.json"
    data = client.get(url).json()
    data["plans"][0]["nodes"][1]["children"][0]["title"] = "持续优化营商环境"

    response = client.post(url, json.dumps(data), content_type="application/json")

    assert response.status_code == 200
    assert client.get(url).json()["plans"][0]["nodes"][1]["children"][0]["title"] == (
        "持续优化营商环境"
    )


def test_invalid_json_gets_a_400_in_chinese_and_changes_nothing(client, ada, draft_a):
    client.force_login(ada)
    url = f"/imports/{draft_a.pk}/draft.json"
    before = client.get(url).json()

    broken = client.post(url, "{not json", content_type="application/json")
    data = json.loads(json.dumps(before))
    data["plans"][0]["nodes"][1]["children"][2]["title"] = ""
    invalid = client.post(url, json.dumps(data), content_type="application/json")

    assert broken.status_code == 400
    assert broken.json()["error"].startswith("不是有效的 JSON")
    assert invalid.status_code == 400
    assert invalid.json()["error"] == "第1个计划 › 第2项 › 第3项：标题不能为空"
    assert client.get(url).json() == before


def test_a_parsing_draft_answers_202_with_its_progress(client, ada, draft_a):
    ImportDraft.objects.filter(pk=draft_a.pk).update(status="parsing", progress=40)
    client.force_login(ada)

    response = client.get(f"/imports/{draft_a.pk}/draft.json")
    page = client.get(f"/imports/{draft_a.pk}/").content.decode()

    assert response.status_code == 202
    assert response.json() == {"status": "parsing", "progress": 40}
    assert 'id="parse-progress"' in page


def test_the_metadata_form_saves_and_reports_errors(client, ada, draft_a):
    client.force_login(ada)
    url = f"/imports/{draft_a.pk}/"
    fields = {
        "name": "江浦路街道",
        "plan0-title": "江浦路街道2026年工作要点",
        "plan0-kind": "工作要点",
        "plan0-year_start": "2026",
        "plan0-year_end": "2025",
    }

    bad = client.post(url, fields)
    fields["plan0-year_end"] = "2026"
    good = client.post(url, fields)

    assert bad.status_code == 400
    assert "结束年份不能早于起始年份" in bad.content.decode()
    assert good.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.data["plans"][0]["title"] == "江浦路街道2026年工作要点"


def test_the_original_file_downloads(client, ada, draft_a, sample):
    client.force_login(ada)

    response = client.get(f"/imports/{draft_a.pk}/file/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == sample


# --- Confirm -----------------------------------------------------------------------------


def test_confirm_imports_and_the_page_links_to_the_plan_dashboard(client, ada, draft_a):
    client.force_login(ada)

    response = client.post(f"/imports/{draft_a.pk}/confirm/")
    again = client.post(f"/imports/{draft_a.pk}/confirm/")

    plan = Plan.objects.get()
    assert response.status_code == again.status_code == 302
    assert Task.objects.filter(plan=plan).count() == 5
    page = client.get(f"/imports/{draft_a.pk}/").content.decode()
    assert f'href="/plans/{plan.pk}/"' in page
    history = client.get("/imports/").content.decode()
    assert plan.title in history and "已导入" in history


def test_the_history_of_a_plan_imported_on_the_site_names_who_confirmed_it(client, ada, draft_a):
    client.force_login(ada)

    client.post(f"/imports/{draft_a.pk}/confirm/")

    records = Task.history.filter(plan_id=Plan.objects.get().pk)
    assert records.count() == 5
    assert set(records.values_list("history_user_id", "history_type")) == {(ada.pk, "+")}


def test_a_refused_confirm_shows_the_reason(client, ada, draft_a):
    data = json.loads(json.dumps(draft_a.data))
    data["plans"][0]["year_start"] = data["plans"][0]["year_end"] = None
    services.draft_update(draft=draft_a, data=data, user=ada)
    client.force_login(ada)

    response = client.post(f"/imports/{draft_a.pk}/confirm/", follow=True)

    assert "请填写计划年度" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_admins_add_plan_form_leads_to_the_import(client, root):
    client.force_login(root)

    response = client.get("/admin/plans/plan/add/")

    assert response.status_code == 302
    assert response["Location"] == "/imports/new/"


def test_the_navigation_shows_import_only_to_those_who_may(client, ada, alice):
    client.force_login(alice)
    assert 'href="/imports/"' not in client.get("/tasks/").content.decode()
    client.force_login(ada)
    assert 'href="/imports/"' in client.get("/imports/new/").content.decode()
