import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from apps.evidence.models import Evidence
from apps.evidence.services import MAX_FILE_BYTES, evidence_attach
from tests.evidence import samples
from tests.factories import TaskUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_it_stores_each_file_under_a_random_name_with_the_extension_its_content_has(
    media, alice, task_a
):
    update = TaskUpdateFactory(task=task_a, user=alice)
    photo = samples.upload("现场照片.PNG", samples.png_bytes())
    pdf = samples.upload("评估报告.jpg", samples.pdf_bytes())  # misnamed: the content decides

    saved = evidence_attach(update=update, files=[photo, pdf], user=alice)

    assert [(e.original_name, e.kind, e.uploaded_by) for e in saved] == [
        ("现场照片.PNG", "png", alice),
        ("评估报告.jpg", "pdf", alice),
    ]
    assert saved[1].file.name.endswith(".pdf") and "评估" not in saved[1].file.name
    assert saved[1].file.read() == samples.pdf_bytes()
    assert list(update.evidence.all()) == saved


def test_an_image_gets_a_small_jpeg_thumbnail_and_a_document_none(media, alice, task_a):
    update = TaskUpdateFactory(task=task_a, user=alice)
    photo, sheet = evidence_attach(
        update=update,
        files=[
            samples.upload("照片.jpg", samples.jpeg_bytes((1600, 1200))),
            samples.upload("台账.xlsx", samples.xlsx_bytes()),
        ],
        user=alice,
    )

    with Image.open(photo.thumbnail) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert max(thumbnail.size) == 320
    assert not sheet.thumbnail


def test_an_exe_renamed_jpg_is_refused_in_chinese_and_nothing_is_stored(media, alice, task_a):
    update = TaskUpdateFactory(task=task_a, user=alice)
    files = [
        samples.upload("照片.jpg", samples.jpeg_bytes()),
        samples.upload("照片2.jpg", samples.exe_bytes(), "image/jpeg"),
    ]

    with pytest.raises(ValidationError) as refused:
        evidence_attach(update=update, files=files, user=alice)

    assert "“照片2.jpg”不是可以上传的文件类型" in refused.value.messages[0]
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_20_mb_is_refused_with_its_size(media, alice, task_a):
    update = TaskUpdateFactory(task=task_a, user=alice)
    big = samples.upload("扫描件.pdf", samples.pdf_bytes() + b"\0" * MAX_FILE_BYTES)

    with pytest.raises(ValidationError, match="超过了每个文件 20 MB 的上限"):
        evidence_attach(update=update, files=[big], user=alice)
    assert not Evidence.objects.exists()


def test_an_image_that_does_not_decode_is_refused(media, alice, task_a):
    update = TaskUpdateFactory(task=task_a, user=alice)
    broken = samples.upload("坏图.png", samples.png_bytes()[:40])

    with pytest.raises(ValidationError, match="无法读取"):
        evidence_attach(update=update, files=[broken], user=alice)


def test_a_storage_failure_removes_the_files_already_stored(media, alice, task_a, monkeypatch):
    update = TaskUpdateFactory(task=task_a, user=alice)
    files = [samples.upload(f"{n}.pdf", samples.pdf_bytes()) for n in range(3)]
    saves = []
    real_save = Evidence.file.field.storage.save

    def failing_save(name, content, max_length=None):
        if len(saves) == 2:
            raise OSError("disk full")
        saves.append(name)
        return real_save(name, content, max_length=max_length)

    monkeypatch.setattr(Evidence.file.field.storage, "save", failing_save)
    with pytest.raises(OSError):
        evidence_attach(update=update, files=files, user=alice)

    assert len(saves) == 2
    assert stored_files(media) == []
    assert not Evidence.objects.exists()
