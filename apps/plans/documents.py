"""Word documents in the layout Chinese offices use for a 通报 (after GB/T 9704, the
format of official documents): title in 小标宋 二号, issuing line under a red rule, body in
仿宋 三号 with a fixed 28-point line, parts numbered 一、二、 in 黑体, sub-parts （一） in 楷体,
and the 落款 (unit and date) at the bottom right.

The text comes in as plain data (`Bulletin`); nothing here reads the database or decides
what a status is, so the layout can change without touching a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

# Office fonts, with a common fallback a machine without them substitutes by itself.
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
# Chinese point sizes: 二号 22 pt, 三号 16 pt, 五号 10.5 pt.
TITLE_SIZE = Pt(22)
BODY_SIZE = Pt(16)
TABLE_SIZE = Pt(10.5)
LINE = Pt(28)
INDENT = Pt(32)  # two characters of 三号
# Characters XML 1.0 cannot hold (a control character pasted into a note): python-docx
# refuses them, and one of them would fail the whole 通报.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Subheading:
    text: str


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Part:
    """One numbered part: its heading (一、总体进展) and its paragraphs, sub-headings and
    tables in order."""

    heading: str
    blocks: list[str | Subheading | Table] = field(default_factory=list)


@dataclass
class Bulletin:
    title: str
    issuer: str
    date_text: str
    opening: str
    parts: list[Part]
    signature: str


def _run(paragraph, text: str):
    return paragraph.add_run(NOT_XML.sub("", text))


def _font(run, name: str, size, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    # Word takes Chinese characters' font from the East Asian slot, not from `name`.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, font: str, *, indent=INDENT, align=None, size=BODY_SIZE):
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = indent
    if align is not None:
        paragraph.alignment = align
    _font(_run(paragraph, text), font, size)
    return paragraph


def _red_rule(paragraph) -> None:
    """The red line under the issuing line (a bottom border of its paragraph)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _table(document, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        _cell(cell, text, bold=True)
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            _cell(cell, text)


def _cell(cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _font(_run(paragraph, text), BODY_FONT, TABLE_SIZE, bold=bold)


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)


def bulletin_docx(bulletin: Bulletin) -> bytes:
    """The .docx of a 通报."""
    document = Document()
    _page_setup(document)
    title = _paragraph(
        document, bulletin.title, TITLE_FONT, indent=Pt(0), align=WD_ALIGN_PARAGRAPH.CENTER
    )
    title.runs[0].font.size = TITLE_SIZE
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(12)
    issuing = _paragraph(
        document,
        f"{bulletin.issuer}　　　　{bulletin.date_text}",
        SUBHEADING_FONT,
        indent=Pt(0),
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    issuing.paragraph_format.space_after = Pt(16)
    _red_rule(issuing)
    _paragraph(document, bulletin.opening, BODY_FONT)
    for part in bulletin.parts:
        _paragraph(document, part.heading, HEADING_FONT)
        for block in part.blocks:
            if isinstance(block, Subheading):
                _paragraph(document, block.text, SUBHEADING_FONT)
            elif isinstance(block, Table):
                _table(document, block)
            else:
                _paragraph(document, block, BODY_FONT)
    document.add_paragraph()
    for line in (bulletin.signature, bulletin.date_text):
        signature = _paragraph(
            document, line, BODY_FONT, indent=Pt(0), align=WD_ALIGN_PARAGRAPH.RIGHT
        )
        signature.paragraph_format.right_indent = INDENT
    out = BytesIO()
    document.save(out)
    return out.getvalue()
