"""From a file as an office sends it to the parsed plan: reading and parsing together."""

import datetime as dt

import docx
import openpyxl

from apps.importer.parser import parse_document
from apps.importer.reading import decode_document
from tests.importer.test_formats import (
    GOVERNMENT_PAGE,
    add_list,
    add_numbered,
    docx_bytes,
    pdf_bytes,
    xlsx_bytes,
)


def _outline(nodes):
    return [(n.title, _outline(n.children)) for n in nodes]


def test_a_word_plan_with_automatic_numbering_becomes_its_tree():
    document = docx.Document()
    document.add_paragraph("白沙镇2025年工作要点")
    numbering = add_list(document, [("chineseCounting", "%1、"), ("decimal", "%2.")])
    add_numbered(document, "壮大镇域经济", numbering, 0)
    add_numbered(document, "新增市场主体200家。", numbering, 1)
    add_numbered(document, "改造农贸市场1个。", numbering, 1)
    add_numbered(document, "提升人居环境", numbering, 0)
    add_numbered(document, "完成农房改造30户。", numbering, 1)

    (plan,) = parse_document(decode_document(docx_bytes(document), filename="要点.docx")).plans

    assert (plan.subdistrict, plan.level, plan.year_start) == ("白沙镇", "镇", 2025)
    assert _outline(plan.nodes) == [
        ("壮大镇域经济", [("新增市场主体200家", []), ("改造农贸市场1个", [])]),
        ("提升人居环境", [("完成农房改造30户", [])]),
    ]
    assert [(i.value, i.unit) for i in plan.nodes[1].children[0].indicators] == [(30, "户")]


def test_a_task_breakdown_sheet_gives_tasks_with_their_leads_and_deadlines():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["青松路街道2025年民生实事任务分解表"])
    sheet.append(["序号", "项目名称", "目标任务", "牵头部门", "完成时限"])
    sheet.append([1, "加装电梯", "完成加装电梯20台", "管理办", "2025年6月底前"])
    sheet.append([2, "老旧小区改造", "改造老旧小区3个", "建设办", dt.date(2025, 12, 31)])

    (plan,) = parse_document(decode_document(xlsx_bytes(workbook), filename="分解表.xlsx")).plans

    assert plan.subdistrict == "青松路街道"
    first, second = plan.nodes
    assert (first.title, first.lead, first.due, first.due_text) == (
        "加装电梯",
        "管理办",
        dt.date(2025, 6, 30),
        "2025年6月底前",
    )
    assert [(i.value, i.unit) for i in first.indicators] == [(20, "台")]
    assert (second.lead, second.due) == ("建设办", dt.date(2025, 12, 31))


def test_a_saved_government_web_page_gives_its_unit_and_its_tasks():
    text = decode_document(GOVERNMENT_PAGE.encode("gb18030"), filename="notice.html")

    (plan,) = parse_document(text).plans

    assert (plan.subdistrict, plan.title, plan.year_start) == (
        "塘桥街道",
        "塘桥街道2024年工作要点",
        2024,
    )
    economy = plan.nodes[0]
    assert economy.title == "优化经济质效"
    # The table stands under the paragraph before it.
    assert _outline(economy.children) == [("加强招商引资", [("加装电梯", [])])]
    lift = economy.children[0].children[0]
    assert (lift.lead, lift.due) == ("管理办", dt.date(2024, 12, 31))


def test_a_pdf_plan_is_read_across_its_pages():
    pdf = pdf_bytes(
        [
            [(72, 780, "云岭乡2024年工作计划"), (72, 750, "一、发展特色产业"), (280, 40, "— 1 —")],
            [(72, 780, "1.新建茶叶基地500亩。"), (72, 760, "二、改善民生")],
        ]
    )

    (plan,) = parse_document(decode_document(pdf, filename="plan.pdf")).plans

    assert (plan.subdistrict, plan.level) == ("云岭乡", "乡")
    assert _outline(plan.nodes) == [("发展特色产业", [("新建茶叶基地500亩", [])]), ("改善民生", [])]
