"""审核 meets 台账: the files sent with a pending update, in the queue, on approval and
return, and in the zip an inspection gets."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.evidence.models import Evidence
from apps.plans.models import TaskUpdate
from apps.plans.services import updates_approve, updates_return
from tests.evidence import samples

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def review_on(subdistrict_a):
    subdistrict_a.updates_need_review = True
    subdistrict_a.save()


def submit_with_photo(client, user, task, name="入户照片.png", percent=30) -> TaskUpdate:
    client.force_login(user)
    data = {
        "version": task.version,
        "status": "in_progress",
        "percent": percent,
        "due_date": "",
        "lead_department": task.lead_department_id,
        "responsible_person": "",
        "note": "已完成入户评估",
        "attachments": [SimpleUploadedFile(name, samples.png_bytes(), "image/png")],
    }
    response = client.post(reverse("plans:task_detail", args=[task.pk]), data)
    assert response.status_code == 302
    return TaskUpdate.objects.filter(task=task).latest("pk")


def zip_names(response) -> list[str]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive.namelist()


def test_the_review_queue_shows_the_files_sent_with_a_pending_update(
    client, review_on, alice, bob, task_a
):
    update = submit_with_photo(client, alice, task_a)
    evidence = Evidence.objects.get(update=update)
    client.force_login(bob)

    page = client.get(reverse("supervision:review_list")).content.decode()

    assert update.state == TaskUpdate.State.PENDING
    assert reverse("evidence:evidence_download", args=[evidence.pk]) in page
    assert "入户照片.png" in page


def test_the_task_page_shows_the_pending_updates_files_beside_it(
    client, review_on, alice, bob, task_a
):
    update = submit_with_photo(client, alice, task_a)
    evidence = Evidence.objects.get(update=update)
    client.force_login(bob)

    page = client.get(reverse("plans:task_detail", args=[task_a.pk])).content.decode()

    panel = page.split('class="pending-update"', 1)[1].split("</div>", 1)[0]
    assert reverse("evidence:evidence_download", args=[evidence.pk]) in panel


def test_the_taizhang_zip_leaves_out_the_files_of_pending_and_returned_updates(
    client, review_on, alice, bob, task_a
):
    returned = submit_with_photo(client, alice, task_a, name="退回的照片.png")
    updates_return(reviewer=bob, update_ids=[returned.pk], comment="照片不清楚")
    approved = submit_with_photo(client, alice, task_a, name="通过的照片.png", percent=40)
    updates_approve(reviewer=bob, update_ids=[approved.pk])
    submit_with_photo(client, alice, task_a, name="待审的照片.png", percent=50)
    client.force_login(bob)

    task_zip = client.get(reverse("plans:task_evidence_archive", args=[task_a.pk]))
    plan_zip = client.get(reverse("plans:plan_evidence_archive", args=[task_a.plan_id]))

    for names in (zip_names(task_zip), zip_names(plan_zip)):
        files = [n for n in names if n != "目录.xlsx"]
        assert len(files) == 1 and files[0].endswith("通过的照片.png"), names
    # The files stay with their update on the timeline, where the staff member sees why.
    assert Evidence.objects.filter(update=returned).exists()
