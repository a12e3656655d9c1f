"""台账 on the task page: attaching with an update, the timeline, downloads and the zips."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.evidence.models import Evidence
from apps.evidence.services import evidence_attach
from apps.plans.models import TaskUpdate
from tests.evidence import samples
from tests.factories import TaskFactory, TaskUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def post_update(client, task, files, **overrides):
    data = {
        "version": task.version,
        "status": "in_progress",
        "percent": 30,
        "due_date": "",
        "lead_department": task.lead_department_id,
        "responsible_person": "",
        "note": "已完成入户评估",
        "attachments": files,
        **overrides,
    }
    return client.post(reverse("plans:task_detail", args=[task.pk]), data)


def attached(task, user, *files) -> list[Evidence]:
    update = TaskUpdateFactory(task=task, user=user)
    return evidence_attach(update=update, files=list(files), user=user)


def test_a_photo_sent_with_an_update_is_on_the_timeline_with_a_thumbnail(client, alice, task_a):
    client.force_login(alice)

    response = post_update(client, task_a, [samples.upload("现场.png", samples.png_bytes())])

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.update == TaskUpdate.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert reverse("evidence:evidence_thumbnail", args=[evidence.pk]) in page
    assert reverse("evidence:evidence_download", args=[evidence.pk]) in page
    assert "现场.png" in page


def test_a_refused_file_saves_neither_the_update_nor_any_file(client, alice, task_a, media):
    client.force_login(alice)

    response = post_update(
        client,
        task_a,
        [
            samples.upload("照片.png", samples.png_bytes()),
            samples.upload("病毒.jpg", samples.exe_bytes(), "image/jpeg"),
        ],
    )

    assert response.status_code == 200
    assert "“病毒.jpg”不是可以上传的文件类型" in response.content.decode()
    assert not TaskUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_files_need_a_note_saying_what_they_are(client, alice, task_a):
    client.force_login(alice)

    response = post_update(
        client, task_a, [samples.upload("照片.png", samples.png_bytes())], note=""
    )

    assert "请在“进展情况”中写一句说明" in response.content.decode()
    assert not TaskUpdate.objects.exists()


def test_dates_are_read_in_chinese_format(client, alice, task_a):
    indicator = task_a.indicators.get()
    day = timezone.localdate().replace(year=task_a.plan.year_start, month=3, day=2)
    client.force_login(alice)

    post_update(
        client,
        task_a,
        [],
        **{
            f"indicator_{indicator.pk}_value": "12",
            f"indicator_{indicator.pk}_date": f"{day.year}年3月2日",
        },
    )

    assert indicator.readings.get().date == day


def test_a_wrong_date_gets_the_accepted_formats_in_chinese(client, alice, task_a):
    client.force_login(alice)
    response = post_update(client, task_a, [], due_date="12/02/2026")
    assert "日期格式应为 2026-12-02 或 2026年12月2日" in response.content.decode()


def test_the_download_gives_the_file_and_another_unit_gets_404(client, alice, charlie, task_a):
    (evidence,) = attached(task_a, alice, samples.upload("报告.pdf", samples.pdf_bytes()))
    url = reverse("evidence:evidence_download", args=[evidence.pk])

    client.force_login(alice)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == samples.pdf_bytes()

    client.force_login(charlie)
    assert client.get(url).status_code == 404
    thumbnail = reverse("evidence:evidence_thumbnail", args=[evidence.pk])
    assert client.get(thumbnail).status_code == 404


def test_no_media_url_serves_the_stored_file(client, alice, task_a):
    (evidence,) = attached(task_a, alice, samples.upload("照片.png", samples.png_bytes()))
    client.force_login(alice)
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_task_zip_holds_every_file_and_a_contents_sheet(client, alice, task_a):
    attached(
        task_a,
        alice,
        samples.upload("现场.png", samples.png_bytes()),
        samples.upload("台账.xlsx", samples.xlsx_bytes()),
    )
    client.force_login(alice)

    archive = _zip(client.get(reverse("plans:task_evidence_archive", args=[task_a.pk])))

    names = archive.namelist()
    assert names[-1] == "目录.xlsx"
    photo_name = next(n for n in names if n.endswith("现场.png"))
    assert photo_name.startswith(f"{task_a.number} {task_a.title}/")
    assert archive.read(photo_name) == samples.png_bytes()
    rows = list(load_workbook(io.BytesIO(archive.read("目录.xlsx"))).active.values)
    assert rows[0][:5] == ("序号", "文件", "任务", "更新日期", "上传人")
    assert [row[1] for row in rows[1:]] == [n for n in names if n != "目录.xlsx"]
    assert {row[2] for row in rows[1:]} == {str(task_a)}
    assert {row[4] for row in rows[1:]} == {str(alice)}


def test_the_plan_zip_has_a_folder_per_task_and_same_names_do_not_collide(client, alice, task_a):
    other = TaskFactory(plan=task_a.plan, title="第二项任务")
    attached(task_a, alice, samples.upload("照片.png", samples.png_bytes()))
    attached(task_a, alice, samples.upload("照片.png", samples.png_bytes()))
    attached(other, alice, samples.upload("照片.png", samples.png_bytes()))
    client.force_login(alice)

    archive = _zip(client.get(reverse("plans:plan_evidence_archive", args=[task_a.plan_id])))

    files = [n for n in archive.namelist() if n != "目录.xlsx"]
    assert len(files) == len(set(files)) == 3
    assert {n.split("/")[0] for n in files} == {f"{task_a.number} {task_a.title}", str(other)}


def test_another_units_zips_are_404(client, alice, charlie, task_a):
    client.force_login(charlie)
    assert client.get(reverse("plans:task_evidence_archive", args=[task_a.pk])).status_code == 404
    url = reverse("plans:plan_evidence_archive", args=[task_a.plan_id])
    assert client.get(url).status_code == 404


def test_the_plan_page_offers_the_plans_zip(client, bob, task_a):
    client.force_login(bob)
    page = client.get(reverse("dashboard:plan_detail", args=[task_a.plan_id])).content.decode()
    assert reverse("plans:plan_evidence_archive", args=[task_a.plan_id]) in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_streamed_zip_reads_its_rows_in_one_query_whatever_their_number(
    client, alice, task_a, django_assert_num_queries, count
):
    for n in range(count):
        attached(task_a, alice, samples.upload(f"{n}.pdf", samples.pdf_bytes()))
    client.force_login(alice)
    response = client.get(reverse("plans:plan_evidence_archive", args=[task_a.plan_id]))

    with django_assert_num_queries(1):
        archive = _zip(response)

    assert len(archive.namelist()) == count + 1


def test_a_file_missing_from_the_storage_is_listed_as_missing_not_a_broken_zip(
    client, alice, task_a
):
    lost, _kept = attached(
        task_a,
        alice,
        samples.upload("丢失.pdf", samples.pdf_bytes()),
        samples.upload("现场.png", samples.png_bytes()),
    )
    lost.file.storage.delete(lost.file.name)
    client.force_login(alice)

    archive = _zip(client.get(reverse("plans:task_evidence_archive", args=[task_a.pk])))

    assert len(archive.namelist()) == 2  # the photo and the contents sheet
    rows = list(load_workbook(io.BytesIO(archive.read("目录.xlsx"))).active.values)
    assert rows[1][1] == "（文件缺失）丢失.pdf"


def test_a_form_sent_back_for_another_mistake_asks_for_the_files_again(client, alice, task_a):
    client.force_login(alice)

    response = post_update(
        client, task_a, [samples.upload("照片.png", samples.png_bytes())], percent=150
    )

    assert "所选附件需要重新选择" in response.content.decode()
    assert not Evidence.objects.exists()
