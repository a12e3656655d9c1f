"""Small real files of each kind, made in memory, for the 台账 tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import Workbook
from PIL import Image


def png_bytes(size=(640, 480), colour=(155, 28, 28)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size=(1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (21, 128, 61)).save(out, "JPEG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("入户评估记录")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["户数", 10])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def exe_bytes() -> bytes:
    """The start of a Windows program: what an .exe renamed .jpg still is."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
