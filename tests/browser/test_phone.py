"""Daily use on a phone: a staff member records progress with a photo as 台账 from a
390 px page, the photo is on the timeline and in the task's zip, bad files are refused in
Chinese, and no page of the site scrolls sideways at phone width."""

import io
import zipfile

import pytest

from apps.accounts.models import User
from apps.demo.services import demo_password
from apps.evidence.models import Evidence
from apps.plans.models import Indicator, Plan, Task
from apps.subdistricts.models import Subdistrict
from tests.browser.conftest import LAPTOP, PHONE, login, screenshot
from tests.evidence import samples

pytestmark = [pytest.mark.needs_parser]

TASK_TITLE = "民生保障更加惠民"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _task() -> Task:
    return Task.objects.get(plan__title="江浦路街道2023年工作要点", title=TASK_TITLE)


def _loads(page) -> list[str]:
    """The URL of every document the page loads from now on."""
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    return loads


def _horizontal_overflow(page) -> dict:
    """How much wider than the viewport the document is, and the widest culprits."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const culprits = [...document.querySelectorAll("body *")]
                .filter((e) => e.getBoundingClientRect().right > width + 1)
                .filter((e) => !e.closest(".table-wrap, .chart, .js-plotly-plot"))
                .slice(0, 5)
                .map((e) => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right));
            return {extra: document.documentElement.scrollWidth - width, culprits};
        }"""
    )


def _record_progress_with_a_photo(page, task) -> list[str]:
    """From the start page after login: find the task, record 45 % with a photo, save.
    Returns the documents loaded on the way."""
    loads = _loads(page)
    page.fill("input[name=q]", "适老化")
    page.click("form button:has-text('筛选')")  # load 1: the task list, filtered
    page.wait_for_load_state("networkidle")
    page.locator(f"a[href$='/tasks/{task.pk}/']").first.click()  # load 2: the task page
    page.wait_for_load_state("networkidle")
    assert page.locator("details.task-source").get_attribute("open") is None
    page.fill("input[name=percent]", "45")
    page.fill("textarea[name=note]", "完成第一批适老化改造入户，附现场照片")
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "现场照片.jpg", "mimeType": "image/jpeg", "buffer": samples.jpeg_bytes()}],
    )
    page.click("button:has-text('保存')")  # load 3: saved, back on the task page
    page.wait_for_load_state("networkidle")
    return loads


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1366px"])
def test_staff_record_progress_with_a_photo_in_three_page_loads(
    demo_plans, new_page, live_server, viewport
):
    task = _task()
    page = new_page(viewport)
    login(page, live_server, "jiangpu_staff", password=demo_password())

    loads = _record_progress_with_a_photo(page, task)

    assert len(loads) <= 3, loads
    assert page.url.endswith(f"/tasks/{task.pk}/")
    assert "已保存" in page.locator(".messages").inner_text()
    thumbnail = page.locator(".timeline img.evidence-thumb").first
    assert thumbnail.get_attribute("alt") == "现场照片.jpg"
    assert page.evaluate(
        "(img) => img.complete && img.naturalWidth > 0", thumbnail.element_handle()
    )
    assert _horizontal_overflow(page)["extra"] <= 0
    if viewport is PHONE:
        screenshot(page, "task_detail_phone.png")

    archive_link = page.get_by_role("link", name="下载台账（.zip）")
    response = page.request.get(live_server.url + archive_link.get_attribute("href"))
    archive = zipfile.ZipFile(io.BytesIO(response.body()))
    photos = [name for name in archive.namelist() if name.endswith("现场照片.jpg")]
    assert len(photos) == 1 and "目录.xlsx" in archive.namelist()


def test_with_review_on_the_phone_path_holds_and_the_leader_reviews_the_photo_at_390px(
    demo_plans, new_page, live_server
):
    Subdistrict.objects.filter(name="江浦路街道").update(updates_need_review=True)
    task = _task()
    staff = new_page(PHONE)
    login(staff, live_server, "jiangpu_staff", password=demo_password())

    loads = _record_progress_with_a_photo(staff, task)

    assert len(loads) <= 3, loads
    assert "待领导审核" in staff.locator(".messages").inner_text()
    assert staff.locator(".pending-update img.evidence-thumb").get_attribute("alt") == (
        "现场照片.jpg"
    )
    assert _horizontal_overflow(staff)["extra"] <= 0
    leader = new_page(PHONE)
    login(leader, live_server, "jiangpu_leader", password=demo_password())
    for path in ["/reviews/", f"/tasks/{task.pk}/"]:
        leader.goto(f"{live_server.url}{path}")
        leader.wait_for_load_state("networkidle")
        thumbnail = leader.locator("img.evidence-thumb[alt='现场照片.jpg']").first
        assert leader.evaluate(
            "(img) => img.complete && img.naturalWidth > 0", thumbnail.element_handle()
        ), path
        assert _horizontal_overflow(leader)["extra"] <= 0, (path, _horizontal_overflow(leader))
        # What the leader judges (the change, the note, the photo) is on screen, not off to
        # the right of a table that scrolls sideways.
        box = thumbnail.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"], (path, box)
        screenshot(leader, "phone_review_" + path.strip("/").replace("/", "_") + ".png")


def test_another_units_attachment_url_is_404(demo_plans, new_page, live_server):
    from apps.evidence.services import evidence_attach
    from tests.factories import TaskUpdateFactory

    task = _task()
    staff = User.objects.get(username="jiangpu_staff")
    (photo,) = evidence_attach(
        update=TaskUpdateFactory(task=task, user=staff),
        files=[samples.upload("现场.png", samples.png_bytes())],
        user=staff,
    )
    page = new_page(PHONE)
    login(page, live_server, "tangqiao_staff", password=demo_password())

    for path in (f"/evidence/{photo.pk}/", f"/evidence/{photo.pk}/thumbnail/"):
        assert page.goto(f"{live_server.url}{path}").status == 404
    assert page.goto(f"{live_server.url}/tasks/{task.pk}/evidence.zip").status == 404


def test_a_21_mb_file_and_an_exe_renamed_jpg_are_refused_in_chinese(
    demo_plans, new_page, live_server, tmp_path
):
    task = _task()
    big = tmp_path / "扫描件.pdf"
    with big.open("wb") as out:
        out.write(samples.pdf_bytes())
        out.truncate(21 * 1024 * 1024)
    program = tmp_path / "照片.jpg"
    program.write_bytes(samples.exe_bytes())
    page = new_page(PHONE)
    login(page, live_server, "jiangpu_staff", password=demo_password())
    page.goto(f"{live_server.url}/tasks/{task.pk}/")

    page.fill("textarea[name=note]", "上传台账")
    page.set_input_files("input[name=attachments]", files=[str(big), str(program)])
    page.click("button:has-text('保存')")
    page.wait_for_load_state("networkidle")

    errors = page.locator(".field-attachments .error").all_inner_texts()
    assert any("“扫描件.pdf”有 21.0 MB，超过了每个文件 20 MB 的上限" in e for e in errors)
    assert any("“照片.jpg”不是可以上传的文件类型" in e for e in errors)
    assert page.locator("textarea[name=note]").input_value() == "上传台账"
    assert not Evidence.objects.exists()
    assert not task.updates.exists()
    assert _horizontal_overflow(page)["extra"] <= 0


def _every_page() -> list[tuple[str, str]]:
    """(user, path) for each main page of the site, on 江浦路's objects."""
    jiangpu = Subdistrict.objects.get(name="江浦路街道")
    plan = Plan.objects.filter(subdistrict=jiangpu).order_by("-year_start").first()
    indicator = Indicator.objects.filter(task__plan=plan).order_by("pk").first()
    task = _task()
    staff = [
        "/dashboard/",
        "/dashboard/themes/?theme=livelihood",
        f"/subdistricts/{jiangpu.pk}/",
        f"/plans/{plan.pk}/",
        f"/indicators/{indicator.pk}/",
        "/tasks/",
        "/tasks/?all=1",
        f"/tasks/{task.pk}/",
        "/accounts/password/",
        "/me/",
        "/notifications/",
    ]
    leader = ["/reviews/", f"/tasks/urge/?plan={plan.pk}", f"/tasks/{task.pk}/"]
    admin = ["/imports/", "/imports/new/", f"/tasks/assign/?plan={plan.pk}"]
    return (
        [("jiangpu_staff", path) for path in staff]
        + [("jiangpu_leader", path) for path in leader]
        + [("admin", path) for path in admin]
    )


def test_no_page_is_wider_than_a_390px_phone(demo_plans, new_page, live_server):
    pages = _every_page()
    wide = {}
    for username in dict.fromkeys(user for user, _path in pages):
        page = new_page(PHONE)
        login(page, live_server, username, password=demo_password())
        for _user, path in [p for p in pages if p[0] == username]:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            page.wait_for_load_state("networkidle")
            overflow = _horizontal_overflow(page)
            if overflow["extra"] > 0:
                wide[path] = overflow
            # For a look by eye (var/screenshots, ignored by git).
            screenshot(page, "phone_" + path.strip("/").replace("/", "_").split("?")[0] + ".png")
    assert wide == {}
