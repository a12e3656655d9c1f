"""A 街道 administrator brings a plan in through the browser, corrects it, confirms it, and
later applies a revised version; staff get 403 and another unit's drafts 404.

Screenshots of the preview and the diff go to a temporary folder; set
REFRESH_SCREENSHOTS=1 to write them to docs/screenshots/ (tracked, for the README).
"""

import datetime as dt
import json
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest

from apps.accounts.models import Membership
from apps.imports.models import ImportDraft
from apps.plans.models import Indicator, IndicatorReading, Plan, Task
from tests.browser.conftest import SCREENSHOTS, login
from tests.factories import (
    DepartmentFactory,
    IndicatorReadingFactory,
    MembershipFactory,
    SubdistrictFactory,
    UserFactory,
    update_task,
)
from tests.imports.conftest import SAMPLE
from tests.imports.test_revisions import revised

pytestmark = [pytest.mark.needs_parser]
PASSWORD = "demo-pass-2024"


@pytest.fixture
def shots(tmp_path) -> Path:
    if os.environ.get("REFRESH_SCREENSHOTS"):
        return SCREENSHOTS
    return tmp_path


@pytest.fixture
def people(transactional_db):
    unit = SubdistrictFactory(name="江浦路街道", district="杨浦区")
    other = SubdistrictFactory(name="塘桥街道", district="浦东新区")
    DepartmentFactory(subdistrict=unit, name="服务办")
    DepartmentFactory(subdistrict=unit, name="城建中心")
    users = {}
    for username, subdistrict, role in [
        ("jiangpu_admin", unit, Membership.Role.ADMIN),
        ("jiangpu_leader", unit, Membership.Role.LEADER),
        ("jiangpu_staff", unit, Membership.Role.STAFF),
        ("tangqiao_admin", other, Membership.Role.ADMIN),
    ]:
        user = UserFactory(username=username, password=PASSWORD)
        MembershipFactory(user=user, subdistrict=subdistrict, role=role)
        users[username] = user
    return users


def _saved(page, action):
    """Do `action` and wait until the editor has saved the result."""
    before = page.evaluate("document.getElementById('draft-editor').dataset.saved || ''")
    action()
    page.wait_for_function(
        "(b) => (document.getElementById('draft-editor').dataset.saved || '') !== b", arg=before
    )
    assert page.locator("#editor-status").inner_text() == "已保存"


def _row(page, title):
    return page.locator(f"li.node:has(> .node-row input.node-title-input[value='{title}'])")


def _draft_json(page, live_server, draft_id):
    return page.evaluate(
        "(url) => fetch(url).then((r) => r.json())",
        f"{live_server.url}/imports/{draft_id}/draft.json",
    )


def test_an_administrator_imports_corrects_confirms_and_revises_a_plan(
    people, new_page, live_server, tmp_path, shots
):
    document = tmp_path / "新港镇2026年工作要点.txt"
    document.write_text(SAMPLE, encoding="utf-8")
    page = new_page()
    login(page, live_server, "jiangpu_admin")

    started = time.monotonic()
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("input[name=file]", str(document))
    page.click(".import-upload button[type=submit]")
    page.wait_for_selector(".node-title-input")
    draft = ImportDraft.objects.get()
    assert "文档中的发文单位是“新港镇”，将导入到“江浦路街道”" in page.content()

    # Indent (三) under (二) with the keyboard.
    _saved(
        page,
        lambda: (
            _row(page, "加强社区治理").locator(".node-title-input").first.focus(),
            page.keyboard.press("Alt+ArrowRight"),
        ),
    )
    # Fix an indicator's value.
    value = _row(page, "推进旧区改造").locator(".chip-value").first
    _saved(page, lambda: (value.fill("25"), value.press("Tab")))
    # Mark 指导思想 as not a task.
    _saved(
        page,
        lambda: (
            _row(page, "指导思想")
            .get_by_role("button", name="标记为不是任务：一、 指导思想")
            .click()
        ),
    )
    # Remove the 睦邻点 chip, then add it back from the source text.
    neighbours = _row(page, "加强社区治理")
    _saved(page, lambda: neighbours.locator(".chip-remove").first.click())
    neighbours.locator(".node-title-input").first.focus()
    page.evaluate(
        """(needle) => {
            const pre = document.getElementById('draft-source');
            const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.textContent.indexOf(needle);
                if (at !== -1) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + needle.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
        }""",
        "建设睦邻点15个",
    )
    _saved(page, lambda: page.click("#add-indicator"))
    # Map a lead onto a 科室.
    lead = page.get_by_label("经济发展办")
    _saved(page, lambda: (lead.fill("服务办"), lead.press("Tab")))
    page.screenshot(path=str(shots / "import_preview.png"), full_page=True)

    data = _draft_json(page, live_server, draft.pk)
    tasks = data["plans"][0]["nodes"][1]["children"]
    assert [n["title"] for n in tasks] == ["优化营商环境", "推进旧区改造"]
    assert tasks[1]["children"][0]["title"] == "加强社区治理"
    assert tasks[1]["indicators"][0]["value"] == 25
    assert [i["name"] for i in tasks[1]["children"][0]["indicators"]] == ["建设睦邻点"]

    page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector("text=查看计划看板")
    elapsed = time.monotonic() - started
    print(f"\n/imports/new/ → confirmed import: {elapsed:.1f} s")
    page.click("text=查看计划看板")
    plan = Plan.objects.get()
    assert page.url == f"{live_server.url}/plans/{plan.pk}/"
    page.goto(f"{live_server.url}/tasks/?plan={plan.pk}&all=1")
    rows = page.locator("table tbody tr")
    assert "服务办" in rows.filter(has_text="优化营商环境").inner_text()
    assert "城建中心" in rows.filter(has_text="推进旧区改造").inner_text()
    assert not Task.objects.filter(plan=plan, title="指导思想").exists()
    assert Task.objects.get(title="加强社区治理").parent.title == "推进旧区改造"
    assert Indicator.objects.get(name="适老化改造").target_value == 25

    # Staff record progress on the plan.
    kept = Task.objects.get(title="加强社区治理")
    update_task(kept, people["jiangpu_leader"], status="in_progress", percent=30, note="已开工")
    reading = IndicatorReadingFactory(
        indicator=Indicator.objects.get(name="适老化改造"),
        date=dt.date(2026, 3, 31),
        value=Decimal(9),
    )

    # The revised version: one task reworded, one target changed, one added, one removed.
    second = tmp_path / "新港镇2026年工作要点（修订）.txt"
    second.write_text(revised(SAMPLE), encoding="utf-8")
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("input[name=file]", str(second))
    page.click(".import-upload button[type=submit]")
    page.wait_for_selector(".diff")
    diff = page.locator(".diff")
    assert diff.locator(".diff-added li").all_inner_texts() == ["（四） 提升公共服务"]
    assert diff.locator(".diff-removed li").all_inner_texts() == ["（一） 优化营商环境"]
    assert diff.locator(".diff-reworded li").all_inner_texts() == [
        "（三） 加强社区治理 → （三） 加强基层社区治理"
    ]
    assert diff.locator(".diff-targets li").all_inner_texts() == [
        "推进旧区改造：适老化改造 等于 25户 → 等于 30户"
    ]
    page.screenshot(path=str(shots / "import_diff.png"), full_page=True)

    page.get_by_role("button", name="应用修订").click()
    page.wait_for_selector("text=查看计划看板")
    assert Plan.objects.count() == 1
    kept.refresh_from_db()
    assert (kept.title, kept.status, kept.percent) == ("加强基层社区治理", "in_progress", 30)
    assert kept.updates.get().note == "已开工"
    assert IndicatorReading.objects.filter(pk=reading.pk, indicator__target_value=30).exists()
    assert Task.all_objects.get(title="优化营商环境").archived_at is not None
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert "第2版" in page.content()


def test_staff_get_403_and_another_units_administrator_404(people, new_page, live_server):
    draft = ImportDraft.objects.create(
        created_by=people["jiangpu_admin"],
        subdistrict=people["jiangpu_admin"].memberships.get().subdistrict,
        source_name="a.txt",
        source_hash="0" * 64,
        data=json.loads('{"plans": []}'),
        status=ImportDraft.Status.READY,
    )
    staff = new_page()
    login(staff, live_server, "jiangpu_staff")
    for path in [
        "/imports/",
        "/imports/new/",
        f"/imports/{draft.pk}/",
        f"/imports/{draft.pk}/draft.json",
    ]:
        assert staff.goto(f"{live_server.url}{path}").status == 403
    other = new_page()
    login(other, live_server, "tangqiao_admin")
    assert other.goto(f"{live_server.url}/imports/{draft.pk}/").status == 404


def test_the_draft_page_fits_a_390px_phone(people, browser, live_server):
    from apps.imports.services import draft_create

    draft = draft_create(user=people["jiangpu_admin"], filename="a.txt", content=SAMPLE.encode())
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server, "jiangpu_admin")
        page.goto(f"{live_server.url}/imports/{draft.pk}/")
        page.wait_for_selector(".node-title-input")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        assert page.locator(".node-title-input").first.bounding_box()["width"] > 100
    finally:
        context.close()


def test_the_editor_renames_moves_outdents_merges_splits_deletes_and_undoes(
    people, new_page, live_server
):
    from apps.imports.services import draft_create

    draft = draft_create(user=people["jiangpu_admin"], filename="a.txt", content=SAMPLE.encode())
    page = new_page()
    login(page, live_server, "jiangpu_admin")
    page.goto(f"{live_server.url}/imports/{draft.pk}/")
    page.wait_for_selector(".node-title-input")

    def titles():
        data = _draft_json(page, live_server, draft.pk)
        return [
            (n["title"], [c["title"] for c in n["children"]]) for n in data["plans"][0]["nodes"]
        ]

    title = _row(page, "推进旧区改造").locator(".node-title-input").first
    _saved(page, lambda: (title.fill("推进旧区更新"), title.press("Tab")))
    due = _row(page, "加强社区治理").locator(".node-due-input").first
    _saved(page, lambda: (due.fill("2026-11-30"), due.press("Tab")))
    _saved(
        page,
        lambda: (
            _row(page, "加强社区治理")
            .get_by_role("button", name="上移：（三） 加强社区治理")
            .click()
        ),
    )
    assert titles()[1][1] == ["优化营商环境", "加强社区治理", "推进旧区更新"]
    _saved(
        page,
        lambda: (
            _row(page, "推进旧区更新")
            .get_by_role("button", name="升级：（二） 推进旧区更新")
            .click()
        ),
    )
    assert [t for t, _ in titles()] == ["指导思想", "重点任务", "推进旧区更新"]
    _saved(
        page,
        lambda: (
            _row(page, "推进旧区更新")
            .get_by_role("button", name="与上一项合并：（二） 推进旧区更新")
            .click()
        ),
    )
    merged = titles()
    assert [t for t, _ in merged] == ["指导思想", "重点任务"]
    # Split 优化营商环境's text at its comma: the second clause becomes a task of its own.
    row = _row(page, "优化营商环境")
    row.locator("summary").first.click()
    text = row.locator(".node-text").first
    text.evaluate(
        "(t) => { t.focus(); t.setSelectionRange(t.value.indexOf('，') + 1, t.value.indexOf('，') + 1); }"
    )
    _saved(page, lambda: row.get_by_role("button", name="拆分：（一） 优化营商环境").click())
    data = _draft_json(page, live_server, draft.pk)
    section = data["plans"][0]["nodes"][1]["children"]
    assert [n["title"] for n in section] == ["优化营商环境", "新增就业岗位1200个", "加强社区治理"]
    assert [i["name"] for i in section[1]["indicators"]] == []  # both figures share a sentence
    assert section[2]["due"] == "2026-11-30"
    _saved(
        page,
        lambda: (
            _row(page, "新增就业岗位1200个")
            .get_by_role("button", name="删除：新增就业岗位1200个")
            .click()
        ),
    )
    assert len(_draft_json(page, live_server, draft.pk)["plans"][0]["nodes"][1]["children"]) == 2
    _saved(page, lambda: page.get_by_role("button", name="撤销").click())
    assert len(_draft_json(page, live_server, draft.pk)["plans"][0]["nodes"][1]["children"]) == 3
    # An empty title is refused with the node named, and marked on the page.
    title = _row(page, "加强社区治理").locator(".node-title-input").first
    title.fill("")
    title.press("Tab")
    page.wait_for_selector(".node-invalid")
    assert page.locator("#editor-status").inner_text() == "第1个计划 › 第2项 › 第3项：标题不能为空"


SEED = (
    Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "jiangpu-2023-work-points.txt"
)


def test_a_seed_document_goes_from_upload_to_a_confirmed_plan(people, new_page, live_server):
    page = new_page()
    login(page, live_server, "jiangpu_admin")

    started = time.monotonic()
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("input[name=file]", str(SEED))
    page.click(".import-upload button[type=submit]")
    page.wait_for_selector(".node-title-input")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector("text=查看计划看板")
    elapsed = time.monotonic() - started
    print(f"\n/imports/new/ → confirmed import of {SEED.name}: {elapsed:.1f} s")

    plan = Plan.objects.get()
    assert (plan.title, plan.subdistrict.name) == ("江浦路街道2023年工作要点", "江浦路街道")
    assert Task.objects.filter(plan=plan, depth=0).count() == 5
