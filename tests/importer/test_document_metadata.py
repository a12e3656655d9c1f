"""What a document says about itself (issuing unit, dates, document number) and which of its
numbers are indicators."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.importer.parser import parse_document

BODY = "一、抓党建\n1.建强支部。\n"


def only_plan(text):
    (plan,) = parse_document(text).plans
    return plan


def unit(plan):
    return (plan.subdistrict, plan.district, plan.level)


def all_figures(plan):
    return [(i.value, i.unit) for n in plan.walk() for i in n.indicators]


# --- the issuing unit ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("河西区青松路街道2024年工作要点", ("青松路街道", "河西区", "街道")),
        (
            "湖南省长河市河西区青松路街道办事处2024年工作要点",
            ("青松路街道", "河西区", "街道"),
        ),
        (
            "浙江省云山县白沙镇人民政府关于印发《白沙镇2024年工作要点》的通知",
            ("白沙镇", "云山县", "镇"),
        ),
        ("四川省青川县云岭乡人民政府2024年工作计划", ("云岭乡", "青川县", "乡")),
        ("青溪镇街道2024年工作要点", ("青溪镇街道", None, "街道")),
        ("东湖工业区2024年工作要点", ("东湖工业区", None, "其他")),
        ("东湖开发区管委会2024年工作要点", ("东湖开发区", None, "其他")),
        ("河西区人民政府关于印发《2024年河西区重点工作安排》的通知", ("河西区", "河西区", "区县")),
        ("青川县人民政府2024年工作要点", ("青川县", "青川县", "区县")),
        ("江苏省青林市人民政府2024年工作要点", ("青林市", "青林市", "区县")),
        (
            "中共青松路街道工作委员会 青松路街道办事处\n关于印发《2024年工作要点》的通知",
            ("青松路街道", None, "街道"),
        ),
        # A word ending in 区 after the unit is part of the title, not a district.
        ("青松路街道美丽街区建设三年行动计划（2024—2026年）", ("青松路街道", None, "街道")),
        ("青松路街道居民区党建工作要点", ("青松路街道", None, "街道")),
        ("河西区美丽街区建设三年行动计划", ("河西区", "河西区", "区县")),
        ("江苏省青林市云山市白沙镇2024年工作要点", ("白沙镇", "云山市", "镇")),
        # Named only by the congress a report was given to.
        (
            "政府工作报告\n——2025年2月26日在白沙镇第十八届人民代表大会第五次会议上",
            ("白沙镇", None, "镇"),
        ),
        ("工作报告\n——在青松路街道第三届社区代表大会第一次会议上", ("青松路街道", None, "街道")),
    ],
)
def test_it_reads_the_issuing_unit_its_parent_and_its_level(head, expected):
    assert unit(only_plan(f"{head}\n{BODY}")) == expected


def test_the_council_a_report_is_given_for_is_no_unit():
    plan = only_plan(
        "工作报告\n——在青松路街道第三届社区代表大会第一次会议上\n"
        "现在，我代表街道社区委员会向大会报告工作。\n" + BODY
    )
    assert unit(plan) == ("青松路街道", None, "街道")


@pytest.mark.parametrize(
    ("head", "title", "kind", "years"),
    [
        ("青松路街道\n2025年工作要点", "青松路街道2025年工作要点", "工作要点", (2025, 2025)),
        (
            "河西区青松路街道2025年\n工作要点",
            "河西区青松路街道2025年工作要点",
            "工作要点",
            (2025, 2025),
        ),
        (
            "青松路街道推进社区生活圈建设\n三年行动计划\n（2024—2026年）",
            "青松路街道推进社区生活圈建设三年行动计划(2024—2026年)",
            "专项行动计划",
            (2024, 2026),
        ),
        (
            "中共青松路街道工作委员会关于印发\n《青松路街道2025年工作要点》\n的通知",
            "青松路街道2025年工作要点",
            "工作要点",
            (2025, 2025),
        ),
        (
            "中共青松路街道工作委员会\n青松路街道办事处\n二〇二五年工作要点",
            "2025年工作要点",
            "工作要点",
            (2025, 2025),
        ),
    ],
)
def test_a_title_broken_over_lines_is_read_whole(head, title, kind, years):
    plan = only_plan(f"{head}\n\n{BODY}")
    assert (plan.title, plan.kind, (plan.year_start, plan.year_end)) == (title, kind, years)
    assert plan.subdistrict == "青松路街道"
    assert [n.title for n in plan.nodes] == ["抓党建"]


def test_a_unit_named_only_inside_a_quoted_title_is_not_the_issuer():
    plan = only_plan(
        "2024年重点工作安排\n为贯彻落实《关于加强新时代街道工作的意见》，现将重点工作安排如下。\n"
        + BODY
    )
    assert unit(plan) == (None, None, None)


def test_a_unit_named_in_a_quoted_title_in_the_body_is_not_the_issuer():
    plan = only_plan(
        "2024年工作要点\n一、抓党建\n1.落实《青松路街道关于加强党建工作的意见》，建强支部。\n"
    )
    assert unit(plan) == (None, None, None)


def test_the_issuer_and_its_county_are_read_from_the_opening_sentence():
    plan = only_plan(
        "2024年工作要点\n2024年，云山县白沙镇将紧紧围绕县委、县政府决策部署，扎实推进各项工作。\n"
        + BODY
    )
    assert unit(plan) == ("白沙镇", "云山县", "镇")


def test_the_issuer_is_read_from_the_signature_at_the_end():
    plan = only_plan(f"2024年工作要点\n{BODY}白沙镇人民政府\n2024年3月8日\n")
    assert (plan.subdistrict, plan.level) == ("白沙镇", "镇")


def test_the_issuer_is_read_from_the_web_page_publisher_field():
    plan = only_plan(
        f"索引号 | HX-2024-01 |\n发布机构 | 河西区人民政府 |\n2024年重点工作安排\n{BODY}"
    )
    assert unit(plan) == ("河西区", "河西区", "区县")


def test_a_document_naming_no_unit_and_no_year_still_parses():
    plan = only_plan("工作要点\n" + BODY)
    assert unit(plan) == (None, None, None)
    assert (plan.year_start, plan.year_end) == (None, None)
    assert [n.title for n in plan.nodes] == ["抓党建"]


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "发布日期：2024-03-08",
        "发布时间：2024年3月8日",
        "成文日期：2024年03月08日",
        "成文日期：二〇二四年三月八日",
        "日期: 2024-03-08",
        "发布: 2024-03-08",
    ],
)
def test_it_reads_the_date_behind_any_label(line):
    plan = only_plan(f"青松路街道2024年工作要点\n{line}\n{BODY}")
    assert plan.published_on == dt.date(2024, 3, 8)


def test_a_report_is_dated_by_the_meeting_it_was_given_at():
    plan = parse_document(
        "青松路街道2025年社区代表大会工作报告\n"
        "——2025年1月14日在青松路街道第三届社区代表大会第五次会议上\n"
        "一、2024年工作回顾\n（一）经济发展\n走访企业300家次。\n"
        "二、2025年工作安排\n（一）经济发展\n走访企业350家次。\n"
    ).plans
    assert [p.published_on for p in plan] == [dt.date(2025, 1, 14)] * 2


@pytest.mark.parametrize("label", ["完成时间", "截止日期", "办结时间"])
def test_a_tasks_deadline_is_not_the_documents_date(label):
    plan = only_plan(
        "青松路街道2025年民生实事项目\n"
        f"1. 加装电梯。完成加装电梯35台。（责任单位：管理办；{label}：2025年8月31日）\n"
        "青松路街道办事处\n2025年1月20日\n"
    )
    assert plan.published_on == dt.date(2025, 1, 20)


def test_it_reads_a_signature_date_in_chinese_numerals():
    plan = only_plan(f"白沙镇2024年工作要点\n{BODY}白沙镇人民政府\n二〇二四年三月八日\n")
    assert plan.published_on == dt.date(2024, 3, 8)


def test_it_reads_a_year_written_with_the_letter_o_for_zero():
    plan = only_plan(f"白沙镇二OO八年工作要点\n{BODY}")
    assert (plan.year_start, plan.year_end) == (2008, 2008)


# --- document numbers ----------------------------------------------------------------------


@pytest.mark.parametrize("number", ["青政发〔2024〕3号", "青政发[2024]3号", "青政发【2024】3号"])
def test_it_reads_a_document_number_in_any_kind_of_brackets(number):
    plan = only_plan(f"青松路街道2024年工作要点\n{number}\n{BODY}")
    assert plan.doc_number == number


# --- indicators ----------------------------------------------------------------------------


def task(text):
    """The one task of a plan whose only numbered item is `text`."""
    plan = only_plan(f"青松路街道2024年工作要点\n一、办好民生实事\n1.{text}\n")
    return plan.nodes[0].children[0]


def test_an_indicator_is_named_after_the_thing_counted_not_the_number():
    (indicator,) = task("完成23户适老化改造。").indicators
    assert "适老化改造" in indicator.name
    assert not any(ch.isdigit() for ch in indicator.name)


def test_a_floor_target_is_named_and_compared_as_at_least():
    (indicator,) = task("新增就业岗位不少于1200个。").indicators
    assert (indicator.name, indicator.value, indicator.unit, indicator.comparator) == (
        "新增就业岗位",
        Decimal(1200),
        "个",
        "gte",
    )


def test_several_values_in_one_clause_are_several_indicators():
    node = task("稳住经济基本盘，税收收入和社区商业营业额分别增长6%、9%以上。")
    assert [(i.value, i.unit) for i in node.indicators] == [(6, "%"), (9, "%")]


def test_each_of_several_values_in_one_clause_is_named_after_its_own_thing():
    taxes, sales = task("税收收入和社区商业营业额分别增长6%、9%以上。").indicators
    assert "税收收入" in taxes.name and "社区商业" not in taxes.name
    assert "社区商业营业额" in sales.name and "%" not in sales.name


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("全年接待来访群众2000人次左右。", 2000, "人次", "approx"),
        ("改造绿地约3000平方米。", 3000, "平方米", "approx"),
        ("服务老人超过5000人次。", 5000, "人次", "gt"),
        ("规模以上工业产值同比-3.5%。", Decimal("-3.5"), "%", "eq"),
    ],
)
def test_it_reads_the_comparator_and_the_sign_of_a_value(text, value, unit, comparator):
    (indicator,) = task(text).indicators
    assert (indicator.value, indicator.unit, indicator.comparator) == (
        Decimal(value),
        unit,
        comparator,
    )


@pytest.mark.parametrize(
    "heading",
    ["聚焦3个方面，提升治理水平", "办好十项民生实事", "建设四个示范区"],
)
def test_a_count_of_themes_in_a_heading_is_not_an_indicator(heading):
    plan = only_plan(f"青松路街道2024年工作要点\n一、{heading}\n1.完成30户适老化改造。\n")
    assert plan.nodes[0].indicators == []
    assert all_figures(plan) == [(30, "户")]


def test_a_threshold_inside_a_name_is_not_an_indicator():
    (indicator,) = task("培育年营收千万元以上企业20家。").indicators
    assert (indicator.value, indicator.unit) == (20, "家")


def test_phone_numbers_postcodes_addresses_dates_and_document_numbers_are_not_indicators():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、办好民生实事\n"
        "1.3月15日前完成30户适老化改造，按照青政发〔2024〕3号文件要求实施。\n"
        "2.在长宁路599号设立服务站，咨询电话021-56781234，手机13812345678，邮编200051。\n"
        "— 2 —\n"
    )
    assert all_figures(plan) == [(30, "户")]


def test_the_issuer_signing_after_a_long_body_is_found():
    body = "".join(f"{i}.完成第{i}项工作。\n" for i in range(1, 50))
    plan = only_plan(f"2024年工作要点\n一、重点工作\n{body}青松路街道办事处\n2024年2月1日\n")
    assert (plan.subdistrict, plan.published_on) == ("青松路街道", dt.date(2024, 2, 1))


def test_a_portals_title_field_gives_the_title_without_its_label():
    plan = only_plan("标题 | 石桥镇2024年工作计划 |\n发布日期 | 2024-01-30 |\n" + BODY)
    assert (plan.title, plan.subdistrict, plan.published_on) == (
        "石桥镇2024年工作计划",
        "石桥镇",
        dt.date(2024, 1, 30),
    )


def test_a_list_of_short_sentences_is_not_taken_for_text_wrapped_at_a_width():
    # Every item a short full sentence, about as long as the title: nothing was cut off at
    # a printed line's end, so the title is not joined to the 文号 below it.
    items = "\n".join(
        f"{n}.{text}。"
        for n, text in enumerate(
            [
                "完善综治中心规范化建设，实现综治工作站全覆盖",
                "深化雪亮工程建设，新增视频监控点位120个",
                "严厉打击违法犯罪，刑事案件立案数同比下降8%",
                "平安志愿者队伍人数不少于1500人，开展巡逻",
                "矛盾纠纷排查化解率达到98%，调解成功率提升",
                "开展百名律师进社区活动，实现居民区全覆盖",
                "推进智慧安防小区建设，新建改建小区20个",
                "加强消防安全隐患排查整治，全年不少于6次",
            ],
            start=1,
        )
    )
    plan = only_plan(
        "关于印发《石泉路街道2025年平安建设工作要点》的通知\n石泉府〔2025〕3号\n"
        f"一、健全平安建设工作机制\n{items}\n"
    )
    assert plan.doc_number == "石泉府〔2025〕3号"
    assert len(plan.nodes[0].children) == 8


def test_a_notice_listing_its_attachments_over_several_lines_keeps_the_plan_after_it():
    plan = only_plan(
        "关于印发《石泉路街道2025年平安建设工作要点》的通知\n石泉府〔2025〕3号\n"
        "各居民区党组织、居委会，街道各部门：\n"
        "现将《石泉路街道2025年平安建设工作要点》印发给你们，请结合实际认真贯彻落实。\n"
        "附件：1.石泉路街道2025年平安建设工作要点\n      2.石泉路街道2025年平安建设重点任务分工表\n"
        "石泉路街道办事处\n2025年3月12日\n"
        "石泉路街道2025年平安建设工作要点\n一、健全平安建设工作机制\n"
        "1.深化“雪亮工程”建设，新增公共安全视频监控点位120个。\n"
        "二、强化社会治安防控\n2.平安志愿者队伍人数不少于1500人。\n"
    )
    assert [n.title for n in plan.nodes] == ["健全平安建设工作机制", "强化社会治安防控"]
    assert plan.published_on == dt.date(2025, 3, 12)
    assert plan.doc_number == "石泉府〔2025〕3号"


def test_a_cited_documents_number_is_not_the_plans():
    plan = only_plan(
        "青松路街道2025年工作要点\n根据《关于加快推进社区生活圈建设的实施意见》（沪府办〔2024〕12号）"
        "要求，结合街道实际，制定本要点。\n" + BODY
    )
    assert plan.doc_number == ""


def test_a_notices_own_number_after_its_title_is_the_plans():
    plan = only_plan("关于印发《青松路街道2025年工作要点》的通知（青松委〔2025〕3号）\n" + BODY)
    assert plan.doc_number == "青松委〔2025〕3号"
