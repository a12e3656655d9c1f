"""Every input format an office sends, each built here from a few lines of Chinese."""

import datetime as dt
import io
import random
import shutil
import struct
import sys
import zipfile
import zlib

import docx
import openpyxl
import pytest
from docx.oxml import parse_xml

from apps.importer.parser import parse_document
from apps.importer.reading import (
    MAX_BYTES,
    MAX_OFFICE_BYTES,
    decode_document,
    legacy,
    read_document,
)
from apps.importer.types import DocumentError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _error_of(call) -> str:
    with pytest.raises(DocumentError) as excinfo:
        call()
    return str(excinfo.value)


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_list(document, levels, *, styles=(), list_id=90) -> int:
    """Define a Word list in the document's numbering part: one (numFmt, lvlText) per level."""
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + (f'<w:pStyle w:val="{styles[ilvl]}"/>' if ilvl < len(styles) else "")
        + f'<w:lvlText w:val="{text}"/></w:lvl>'
        for ilvl, (fmt, text) in enumerate(levels)
    )
    abstract = f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{list_id}">{lvls}</w:abstractNum>'
    numbering.find(f"{{{W}}}num").addprevious(parse_xml(abstract))
    numbering.append(
        parse_xml(
            f'<w:num xmlns:w="{W}" w:numId="{list_id}"><w:abstractNumId w:val="{list_id}"/></w:num>'
        )
    )
    return list_id


def add_numbered(document, text, num_id, level):
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def pdf_bytes(pages, *, encrypted=False) -> bytes:
    """A PDF whose pages show `(x, y, text)` items, or raw drawing operators given as strings.

    The text is written in a CID font whose codes are the Unicode code points and whose
    ToUnicode map says so: any Chinese text, and no font file needed.
    """
    chars = sorted(
        {c for page in pages for item in page if isinstance(item, tuple) for c in item[2]}
    )
    mapping = "\n".join(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{mapping}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    page_ids = [10 + i for i in range(len(pages))]
    objects = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] /Count {len(pages)} >>",
        3: "<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H "
        "/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Song /CIDSystemInfo "
        "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        5: cmap.encode(),
    }
    for i, page in enumerate(pages):
        operators = [
            f"BT /F1 12 Tf {item[0]} {item[1]} Td <{''.join(f'{ord(c):04X}' for c in item[2])}> Tj ET"
            if isinstance(item, tuple)
            else item
            for item in page
        ]
        objects[100 + i] = "\n".join(operators).encode()
        objects[page_ids[i]] = (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {100 + i} 0 R >>"
        )
    trailer = ""
    if encrypted:  # RC4 with an owner and user key that no empty password matches
        objects[7] = f"<< /Filter /Standard /V 1 /R 2 /O <{'11' * 32}> /U <{'22' * 32}> /P -4 >>"
        trailer = f" /Encrypt 7 0 R /ID [<{'33' * 16}> <{'33' * 16}>]"

    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        body = objects[number]
        if isinstance(body, bytes):
            body = f"<< /Length {len(body)} >>\nstream\n".encode() + body + b"\nendstream"
        else:
            body = body.encode()
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        entry = (
            f"{offsets[number]:010d} 00000 n \n" if number in offsets else "0000000000 65535 f \n"
        )
        out += entry.encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _fake_office(tmp_path, monkeypatch, script: str):
    """Put a stand-in for LibreOffice's `soffice` where the reader looks for it."""
    program = tmp_path / "bin" / "soffice"
    program.parent.mkdir()
    program.write_text(f"#!{sys.executable}\n{script}")
    program.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(program) if name == "soffice" else None)


def _png(size: int) -> bytes:
    """A valid 1×1 PNG padded with an ancillary chunk to `size` bytes of incompressible data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    padding = chunk(b"tEXt", b"x\x00" + random.Random(1).randbytes(size))
    return b"\x89PNG\r\n\x1a\n" + header + padding + pixels + chunk(b"IEND", b"")


# --- Word .docx ---------------------------------------------------------------------------


def test_it_reads_word_numbering_as_printed_numbers():
    document = docx.Document()
    document.add_paragraph("塘桥街道2024年工作要点")
    plan = add_list(
        document,
        [
            ("chineseCounting", "%1、"),
            ("chineseCounting", "（%2）"),
            ("decimal", "%3."),
            ("decimalEnclosedCircle", "%4"),
        ],
    )
    add_numbered(document, "优化经济质效", plan, 0)
    add_numbered(document, "加强招商引资", plan, 1)
    add_numbered(document, "走访重点企业", plan, 2)
    add_numbered(document, "新增企业120家", plan, 2)
    add_numbered(document, "楼宇经济", plan, 3)
    add_numbered(document, "做好安商稳商", plan, 1)
    add_numbered(document, "建立服务专员制度", plan, 2)
    add_numbered(document, "提升治理水平", plan, 0)
    add_numbered(document, "推进精细化管理", plan, 1)

    assert decode_document(docx_bytes(document), filename="plan.docx").splitlines() == [
        "塘桥街道2024年工作要点",
        "一、优化经济质效",
        "（一）加强招商引资",
        "1.走访重点企业",
        "2.新增企业120家",
        "①楼宇经济",
        "（二）做好安商稳商",
        "1.建立服务专员制度",
        "二、提升治理水平",
        "（一）推进精细化管理",
    ]


def test_it_numbers_paragraphs_in_words_list_number_style():
    document = docx.Document()
    document.add_paragraph("加强招商引资", style="List Number")
    document.add_paragraph("做好安商稳商", style="List Number")

    assert decode_document(docx_bytes(document), filename="plan.docx").splitlines() == [
        "1.加强招商引资",
        "2.做好安商稳商",
    ]


def test_it_numbers_headings_whose_styles_are_tied_to_list_levels():
    document = docx.Document()
    headings = add_list(
        document,
        [("chineseCountingThousand", "%1、"), ("chineseCountingThousand", "（%2）")],
        styles=("Heading1", "Heading2"),
    )
    for style in ("Heading 1", "Heading 2"):
        # As Word writes it: the style names the list but not the level.
        num_pr = document.styles[style].element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = headings
    document.add_heading("经济发展", level=1)
    document.add_heading("招商引资", level=2)
    document.add_paragraph("全年引进企业120家。")
    document.add_heading("社会治理", level=1)

    assert decode_document(docx_bytes(document), filename="plan.docx").splitlines() == [
        "一、经济发展",
        "（一）招商引资",
        "全年引进企业120家。",
        "二、社会治理",
    ]


def test_headings_shown_by_their_word_style_alone_are_numbered_by_level():
    document = docx.Document()
    document.add_heading("江浦路街道2024年工作计划", level=1)  # the title: no number
    document.add_paragraph("今年重点做好以下工作。")
    document.add_heading("经济发展", level=2)
    document.add_paragraph("全年完成税收收入8亿元。")
    document.add_heading("城区管理", level=2)
    document.add_heading("垃圾分类", level=3)
    document.add_paragraph("湿垃圾分出量每日不少于30吨。")
    document.add_heading("精细化管理", level=3)
    document.add_paragraph("完成架空线入地2公里。")

    text = decode_document(docx_bytes(document), filename="plan.docx")
    assert text.splitlines() == [
        "江浦路街道2024年工作计划",
        "今年重点做好以下工作。",
        "一、经济发展",
        "全年完成税收收入8亿元。",
        "二、城区管理",
        "（一）垃圾分类",
        "湿垃圾分出量每日不少于30吨。",
        "（二）精细化管理",
        "完成架空线入地2公里。",
    ]
    (plan,) = parse_document(text).plans
    assert plan.title == "江浦路街道2024年工作计划"
    assert [n.title for n in plan.nodes] == ["经济发展", "城区管理"]
    assert [n.title for n in plan.nodes[1].children] == ["垃圾分类", "精细化管理"]


def test_a_document_that_types_its_numbers_gets_none_from_its_heading_styles():
    document = docx.Document()
    document.add_paragraph("江浦路街道2024年工作计划")
    document.add_heading("一、经济发展", level=1)
    document.add_heading("（一）稳增长", level=2)
    document.add_heading("重点项目", level=3)  # a run-in label, not a third level
    document.add_paragraph("全年完成税收收入8亿元。")
    document.add_heading("二、民生保障", level=1)
    document.add_heading("重点项目", level=3)

    lines = decode_document(docx_bytes(document), filename="plan.docx").splitlines()
    assert lines[1:4] == ["一、经济发展", "（一）稳增长", "重点项目"]


def test_a_title_styled_as_a_heading_under_a_notices_header_is_no_section():
    document = docx.Document()
    document.add_paragraph("江浦路街道办事处文件")
    document.add_paragraph("江浦办〔2024〕3号")
    document.add_heading("江浦路街道2024年工作计划", level=1)
    document.add_heading("经济发展", level=2)
    document.add_paragraph("全年完成税收收入8亿元。")
    document.add_heading("民生保障", level=2)
    document.add_paragraph("新建长者食堂2家。")

    (plan,) = parse_document(decode_document(docx_bytes(document), filename="p.docx")).plans
    assert plan.title == "江浦路街道2024年工作计划"
    assert [(n.number, n.title) for n in plan.nodes] == [("一、", "经济发展"), ("二、", "民生保障")]


def test_it_reads_a_word_table_as_one_line_per_row_with_cells_between_bars():
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    rows = [
        ("序号", "项目名称", "牵头单位", "完成时限"),
        ("1", "加装电梯", "管理办", "2024年12月"),
        ("2", "旧区改造", "", "2024年6月"),
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 1).add_paragraph("（共20台）")
    table.cell(1, 2).merge(table.cell(2, 2))

    assert decode_document(docx_bytes(document), filename="tasks.docx").splitlines() == [
        "| 序号 | 项目名称 | 牵头单位 | 完成时限 |",
        "| 1 | 加装电梯 （共20台） | 管理办 | 2024年12月 |",
        "| 2 | 旧区改造 |  | 2024年6月 |",
    ]


def test_a_word_task_table_keeps_its_rows_whatever_their_cells_hold():
    """A merged 类别 cell, a cell of numbered paragraphs and the signature under the table."""
    document = docx.Document()
    document.add_paragraph("青松路街道2024年重点工作任务分解表")
    table = document.add_table(rows=4, cols=5)
    rows = [
        ("类别", "工作任务", "具体措施", "牵头单位", "完成时限"),
        ("经济发展", "稳增长", "1.全年完成区级税收4.3亿元；", "经济发展办", "2024年12月"),
        ("", "稳就业", "新增就业岗位1200个。", "社区服务办", "2024年11月"),
        ("民生保障", "养老服务", "新增养老床位45张。", "社区服务办", "全年"),
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 2).add_paragraph("2.新增注册企业不少于600户。")
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 0).paragraphs[-1].text = ""  # merge() joins the texts; keep the first
    document.add_paragraph("青松路街道办事处")
    document.add_paragraph("2024年2月20日")

    (plan,) = parse_document(decode_document(docx_bytes(document), filename="t.docx")).plans
    assert [n.title for n in plan.nodes] == ["经济发展", "民生保障"]
    growth, jobs = plan.nodes[0].children
    assert [n.title for n in plan.nodes[0].children] == ["稳增长", "稳就业"]
    assert [(i.value, i.unit) for i in growth.indicators] == [(430_000_000, "元"), (600, "户")]
    assert (growth.lead, jobs.lead) == ("经济发展办", "社区服务办")
    assert plan.nodes[1].children[0].due == dt.date(2024, 12, 31)
    assert plan.published_on == dt.date(2024, 2, 20)


def test_a_word_table_with_a_header_over_two_rows_reads_the_lower_names():
    document = docx.Document()
    document.add_paragraph("白沙镇2024年重点工作任务清单")
    table = document.add_table(rows=3, cols=5)
    for c, value in enumerate(("序号", "重点任务", "责任单位", "", "完成时限")):
        table.cell(0, c).text = value
    table.cell(1, 2).text, table.cell(1, 3).text = "牵头单位", "配合单位"
    for c, value in enumerate(
        ("1", "新增养老床位不少于80张", "社会事业办", "卫生服务中心", "2024年10月")
    ):
        table.cell(2, c).text = value
    table.cell(0, 2).merge(table.cell(0, 3))
    for c in (0, 1, 4):
        table.cell(0, c).merge(table.cell(1, c))

    (plan,) = parse_document(decode_document(docx_bytes(document), filename="t.docx")).plans
    (task,) = plan.nodes
    assert (task.lead, task.partners, task.due) == (
        "社会事业办",
        ["卫生服务中心"],
        dt.date(2024, 10, 31),
    )


def test_it_reads_a_docx_of_80000_empty_paragraphs():
    document = docx.Document()
    body = document.element.body
    sect_pr = body[-1]
    for _ in range(80_000):
        sect_pr.addprevious(parse_xml(f'<w:p xmlns:w="{W}"/>'))
    document.add_paragraph("一、最后一段")

    text = decode_document(docx_bytes(document), filename="empty.docx")

    assert text.strip() == "一、最后一段"


def test_it_refuses_a_docx_that_would_unpack_to_more_than_50_mb(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (51 * 1024 * 1024))

    assert _error_of(lambda: read_document(path)) == (
        "文件解压后超过 50 MB（可能是压缩炸弹），无法导入：bomb.docx"
    )


def test_it_recognises_a_docx_by_its_content_whatever_its_name():
    document = docx.Document()
    document.add_paragraph("一、优化经济质效")

    assert decode_document(docx_bytes(document), filename="upload.bin") == "一、优化经济质效"


def test_it_accepts_office_files_up_to_20_mb_but_text_only_up_to_5_mb(tmp_path):
    document = docx.Document()
    document.add_paragraph("一、优化经济质效")
    document.add_paragraph().add_run().add_picture(io.BytesIO(_png(MAX_BYTES + 1024)))
    big_docx = tmp_path / "plan.docx"
    document.save(big_docx)
    big_text = tmp_path / "plan.txt"
    big_text.write_bytes("一、优化经济质效\n".encode() * (MAX_BYTES // 24 + 1))

    assert big_docx.stat().st_size > MAX_BYTES
    assert read_document(big_docx).splitlines()[0] == "一、优化经济质效"
    assert _error_of(lambda: read_document(big_text)) == "文件超过 5 MB 上限，无法导入：plan.txt"
    assert _error_of(lambda: decode_document(b"%PDF-" + b"0" * MAX_OFFICE_BYTES)) == (
        "文件超过 20 MB 上限，无法导入：（未命名文件）"
    )


# --- PDF ------------------------------------------------------------------------------------


def test_it_reads_the_text_of_a_pdf_page_by_page_without_page_numbers():
    pdf = pdf_bytes(
        [
            [
                (72, 780, "塘桥街道2024年工作要点"),
                (72, 750, "一、优化经济质效"),
                (72, 730, "1.全年引进企业120家。"),
                (280, 40, "— 1 —"),
            ],
            [
                (72, 780, "二、提升治理水平"),
                (72, 760, "（一）完成3/4的老旧小区改造。"),
                (280, 40, "第 2 页"),
            ],
            [(72, 780, "三、增进民生福祉"), (290, 40, "3")],
        ]
    )

    assert decode_document(pdf, filename="plan.pdf").splitlines() == [
        "塘桥街道2024年工作要点",
        "一、优化经济质效",
        "1.全年引进企业120家。",
        "二、提升治理水平",
        "（一）完成3/4的老旧小区改造。",
        "三、增进民生福祉",
    ]


def test_it_explains_that_a_scanned_pdf_has_no_text():
    scanned = pdf_bytes([["0.5 g 50 50 495 742 re f"]])

    assert _error_of(lambda: decode_document(scanned, filename="scan.pdf")) == (
        "该 PDF 没有可提取的文字（可能是扫描件），请提供含文字层的 PDF、.docx 或 .txt 文件：scan.pdf"
    )


def test_it_refuses_a_password_protected_pdf_with_a_clear_message():
    locked = pdf_bytes([[(72, 780, "内部资料")]], encrypted=True)

    assert _error_of(lambda: decode_document(locked, filename="locked.pdf")) == (
        "该 PDF 已加密，需要密码才能打开，请提供未加密的文件：locked.pdf"
    )


def test_it_refuses_a_damaged_pdf_with_a_clear_message():
    assert _error_of(lambda: decode_document(b"%PDF-1.4\n1 0 obj <<", filename="cut.pdf")) == (
        "无法读取 PDF 文件，文件可能已损坏：cut.pdf"
    )


# --- Web pages ------------------------------------------------------------------------------

GOVERNMENT_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于印发《塘桥街道2024年工作要点》的通知_通知公告_塘桥街道</title>
<script>var tip = "脚本里的文字";</script></head>
<body>
<div id="header"><div class="logo">塘桥街道办事处</div>
  <ul class="mainNav"><li><a href="/">首页</a></li><li><a href="/gk">政务公开</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/tz">通知公告</a></div>
<div class="wrapper">
  <div class="sidebar"><p>街道概况：塘桥街道位于浦东新区西部，辖区面积四平方公里。</p></div>
  <div class="article">
    <div id="zoom" class="TRS_Editor">
      <p>各居民区、各科室：</p>
      <p>　　现将《塘桥街道2024年工作要点》印发给你们，请认真贯彻落实。</p>
      <p>一、优化经济质效<br>（一）加强招商引资。全年引进企业<b>120</b>家。</p>
      <table>
        <tr><th>序号</th><th>项目名称</th><th>牵头单位</th><th>完成时限</th></tr>
        <tr><td>1</td><td><p>加装电梯</p></td><td>管理办</td><td>2024年12月</td></tr>
      </table>
      <div>二、提升治理水平</div>
    </div>
    <div class="bdshare">分享到：<a>微信</a><a>微博</a></div>
  </div>
</div>
<div class="footer">主办：塘桥街道办事处 版权所有 联系地址：浦东南路一号</div>
</body></html>"""


def test_it_reads_the_article_of_a_government_web_page_without_the_site_around_it():
    text = decode_document(GOVERNMENT_PAGE.encode("gb18030"), filename="notice.html")

    assert text.splitlines() == [
        "关于印发《塘桥街道2024年工作要点》的通知",
        "各居民区、各科室：",
        "现将《塘桥街道2024年工作要点》印发给你们，请认真贯彻落实。",
        "一、优化经济质效",
        "（一）加强招商引资。全年引进企业120家。",
        "| 序号 | 项目名称 | 牵头单位 | 完成时限 |",
        "| 1 | 加装电梯 | 管理办 | 2024年12月 |",
        "二、提升治理水平",
    ]


def test_it_recognises_a_web_page_by_its_content_even_when_named_xls():
    # Web systems often export "Excel" files that are HTML tables.
    page = (
        "<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><td>序号</td><td>任务</td><td>牵头单位</td></tr>"
        "<tr><td>1</td><td>走访重点企业</td><td>经济服务办</td></tr>"
        "</table></body></html>"
    )

    assert decode_document(page.encode(), filename="export.xls").splitlines() == [
        "| 序号 | 任务 | 牵头单位 |",
        "| 1 | 走访重点企业 | 经济服务办 |",
    ]


# --- Excel .xlsx ----------------------------------------------------------------------------


def xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_reads_a_task_breakdown_sheet_row_by_row():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "任务分解表"
    sheet.append(["序号", "项目名称", "牵头单位", "完成时限", "目标值"])
    sheet.append([1, "加装电梯", "管理办", dt.datetime(2024, 12, 31), 20.0])
    sheet.append([2, "旧区改造", None, dt.date(2024, 6, 30), 3.5])
    sheet.append([])
    sheet.append([3, "垃圾分类达标", "自治办", "2024年底", None])
    sheet.merge_cells("C2:C3")

    assert decode_document(xlsx_bytes(workbook), filename="tasks.xlsx").splitlines() == [
        "| 序号 | 项目名称 | 牵头单位 | 完成时限 | 目标值 |",
        "| 1 | 加装电梯 | 管理办 | 2024年12月31日 | 20 |",
        "| 2 | 旧区改造 |  | 2024年6月30日 | 3.5 |",
        "| 3 | 垃圾分类达标 | 自治办 | 2024年底 |",
    ]


def test_it_puts_each_sheet_title_before_its_rows_when_a_workbook_has_several():
    workbook = openpyxl.Workbook()
    workbook.active.title = "经济发展"
    workbook.active.append(["1", "走访重点企业"])
    workbook.create_sheet("社会治理").append(["1", "完善网格化管理"])

    assert decode_document(xlsx_bytes(workbook), filename="tasks.xlsx").splitlines() == [
        "经济发展",
        "| 1 | 走访重点企业 |",
        "社会治理",
        "| 1 | 完善网格化管理 |",
    ]


# --- Legacy .doc and .xls -------------------------------------------------------------------

OLE2_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_it_asks_for_a_docx_when_libreoffice_is_not_installed(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "plan.doc"
    path.write_bytes(OLE2_HEADER + "WordDocument".encode("utf-16-le") + b"\x00" * 512)

    assert _error_of(lambda: read_document(path)) == (
        "暂不支持旧版 Word（.doc）文件：请在 Word 或 WPS 中另存为 .docx 后再导入：plan.doc"
    )


def test_it_asks_for_an_xlsx_when_libreoffice_is_not_installed(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "tasks.xls"
    path.write_bytes(OLE2_HEADER + "Workbook".encode("utf-16-le") + b"\x00" * 512)

    assert _error_of(lambda: read_document(path)) == (
        "暂不支持旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 后再导入：tasks.xls"
    )


def test_it_reads_a_legacy_doc_that_libreoffice_converts(tmp_path, monkeypatch):
    document = docx.Document()
    document.add_paragraph("一、优化经济质效")
    converted = tmp_path / "converted.docx"
    document.save(converted)
    _fake_office(
        tmp_path,
        monkeypatch,
        "import shutil, sys\n"
        "from pathlib import Path\n"
        "args = sys.argv[1:]\n"
        "out = Path(args[args.index('--outdir') + 1])\n"
        "out.mkdir(parents=True, exist_ok=True)\n"
        "target = args[args.index('--convert-to') + 1]\n"
        f"shutil.copy({str(converted)!r}, out / (Path(args[-1]).stem + '.' + target))\n",
    )
    path = tmp_path / "plan.doc"
    path.write_bytes(OLE2_HEADER + b"\x00" * 512)

    assert read_document(path) == "一、优化经济质效"


def test_it_stops_a_conversion_that_hangs(tmp_path, monkeypatch):
    _fake_office(tmp_path, monkeypatch, "import time\ntime.sleep(60)\n")
    monkeypatch.setattr(legacy, "CONVERSION_TIMEOUT_SECONDS", 0.5)
    path = tmp_path / "plan.doc"
    path.write_bytes(OLE2_HEADER + b"\x00" * 512)

    assert _error_of(lambda: read_document(path)) == (
        "转换旧版 Office 文件超过 0.5 秒，已停止：plan.doc"
    )


# --- Traditional Chinese --------------------------------------------------------------------


def test_it_turns_traditional_chinese_into_simplified(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("一、優化營商環境\n（一）加強招商引資，全年引進企業120家。\n", encoding="utf-8")

    assert read_document(path) == "一、优化营商环境\n（一）加强招商引资，全年引进企业120家。\n"


def test_it_leaves_simplified_text_with_an_odd_traditional_form_alone(tmp_path):
    # 昇 is the Traditional form of 升, but here it is part of a road's name.
    text = "一、完成东昇路沿街立面整治，推进历史风貌保护和城市更新，全年完成修缮工程三项。\n"
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")

    assert read_document(path) == text
