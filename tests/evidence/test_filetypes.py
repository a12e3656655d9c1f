import io
import zipfile

import pytest

from apps.evidence.filetypes import Kind, file_kind
from tests.evidence import samples


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (samples.png_bytes(), Kind.PNG),
        (samples.jpeg_bytes(), Kind.JPEG),
        (samples.pdf_bytes(), Kind.PDF),
        (samples.docx_bytes(), Kind.DOCX),
        (samples.xlsx_bytes(), Kind.XLSX),
        (b"GIF89a" + b"\x00" * 20, Kind.GIF),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", Kind.WEBP),
    ],
)
def test_it_tells_each_accepted_kind_from_its_content(content, kind):
    assert file_kind(io.BytesIO(content)) == kind


def test_it_refuses_a_program_and_any_other_zip():
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")  # no [Content_Types].xml: not OOXML
    assert file_kind(io.BytesIO(samples.exe_bytes())) is None
    assert file_kind(other_zip) is None
    assert file_kind(io.BytesIO(b"PK\x03\x04 broken")) is None
    assert file_kind(io.BytesIO(b"")) is None


def test_it_leaves_the_file_where_it_was():
    file = io.BytesIO(samples.docx_bytes())
    file.seek(3)
    file_kind(file)
    assert file.tell() == 3
