"""The parser on the seed documents and on short texts: structure, metadata and noise."""

import datetime as dt
from pathlib import Path

import pytest

from apps.importer.parser import parse_document
from apps.importer.types import DocumentError

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"


def seed(name):
    return parse_document((DOCUMENTS / name).read_text(encoding="utf-8-sig"))


def titles(nodes):
    return [n.title for n in nodes]


def find(plan, title):
    return next(n for n in plan.walk() if n.title == title)


def all_indicator_values(plan):
    return {(float(i.value), i.unit) for n in plan.walk() for i in n.indicators}


# --- seeds ---------------------------------------------------------------------------------


def test_jiangpu_has_five_sections_of_tasks_and_its_metadata():
    (plan,) = seed("jiangpu-2023-work-points.txt").plans
    assert plan.title == "江浦路街道2023年工作要点"
    assert (plan.subdistrict, plan.district, plan.kind) == ("江浦路街道", "杨浦区", "工作要点")
    assert (plan.year_start, plan.year_end, plan.published_on) == (2023, 2023, dt.date(2023, 3, 30))
    assert [n.number for n in plan.nodes] == ["(一)", "(二)", "(三)", "(四)", "(五)"]
    assert [len(n.children) for n in plan.nodes] == [3, 4, 4, 3, 2]
    assert plan.nodes[0].children[0].title == "加强招商引资谋篇布局"
    assert plan.nodes[0].text.startswith("把营商环境作为")


def test_jiangpu_targets_become_indicators_and_noise_does_not():
    (plan,) = seed("jiangpu-2023-work-points.txt").plans
    values = all_indicator_values(plan)
    assert {(23.0, "户"), (46000.0, "平方米"), (1200.0, "家次"), (107.0, "个")} <= values
    assert not any(unit in ("年", "弄") or value in (2023.0, 1188.0) for value, unit in values)
    safety = find(plan, "全力守住生产安全")
    assert [(i.value, i.comparator) for i in safety.indicators] == [(1200, "gte")]


def test_jiangpu_ignores_the_web_page_link_after_the_body():
    (plan,) = seed("jiangpu-2023-work-points.txt").plans
    assert not any("图解" in n.text for n in plan.walk())


def test_tangqiao_report_yields_a_look_back_plan_and_a_plan_year():
    review, outlook = seed("tangqiao-2025-shedaihui-report.txt").plans
    assert (review.year_start, review.is_review) == (2024, True)
    assert (outlook.year_start, outlook.is_review) == (2025, False)
    assert review.kind == outlook.kind == "工作报告"
    assert review.published_on == dt.date(2025, 1, 14)
    assert len(review.nodes) == 6 and len(outlook.nodes) == 5
    assert outlook.nodes[0].title == "奋楫争先、敢作善为,激发经济增长强劲动力"


def test_tangqiao_sentence_headings_carry_their_sub_headings():
    _, outlook = seed("tangqiao-2025-shedaihui-report.txt").plans
    business = outlook.nodes[0].children[0]
    assert business.title == "丰富营商服务内涵,营造良好商业生态"
    assert titles(business.children) == [
        "发挥营商中心作用,精准招商育商",
        "高效服务企业需求,精心稳商扶商",
        "加强服务品牌建设,精诚安商乐商",
    ]
    culture = find(outlook, "孵化培育激发群文团队活力")
    assert [(int(i.value), i.unit) for i in culture.indicators] == [
        (100, "支"),
        (100, "场"),
        (100, "场"),
    ]


def test_tangqiao_closing_speech_is_not_a_task():
    for plan in seed("tangqiao-2025-shedaihui-report.txt").plans:
        assert not any("各位代表" in n.text or "各位代表" in n.title for n in plan.walk())


def test_tangqiao_look_back_numbers_are_indicators():
    review, _ = seed("tangqiao-2025-shedaihui-report.txt").plans
    assert (855000000.0, "元") in all_indicator_values(review)
    assert (392.0, "家次") in all_indicator_values(review)


def test_weifang_action_plan_numbers_tasks_across_actions():
    (plan,) = seed("weifang-2022-2025-action-plan.txt").plans
    assert plan.title == "潍坊新村街道整体提升打造精品城区专项行动计划(2022-2025)"
    assert (plan.year_start, plan.year_end, plan.kind) == (2022, 2025, "专项行动计划")
    assert (plan.doc_number, plan.published_on) == ("浦潍委〔2023〕5号", dt.date(2023, 2, 21))
    assert (plan.subdistrict, plan.district) == ("潍坊新村街道", "浦东新区")
    actions = find(plan, "具体行动方案").children
    assert titles(actions)[:2] == ["党建引领行动", "形态改善行动"]
    numbers = [task.number for action in actions for task in action.children]
    assert numbers == [f"{i}、" for i in range(1, 17)]
    assert titles(actions[1].children) == [
        "提高小区环境品质",
        "改善街区景观环境",
        "推进道路设施提升",
    ]


def test_weifang_notice_and_attachments_are_not_tasks():
    (plan,) = seed("weifang-2022-2025-action-plan.txt").plans
    assert titles(plan.nodes) == ["指导思想", "主要目标", "具体行动方案", "组织保障"]
    assert not any("领导小组名单" in n.title or "虞刚杰" in n.text for n in plan.walk())
    assert all_indicator_values(plan) == set() or (100.0, "份") not in all_indicator_values(plan)


def test_gumei_single_line_document_is_split_into_headings():
    (plan,) = seed("gumei-2020-work-points.txt").plans
    assert (plan.subdistrict, plan.district, plan.year_start) == ("古美路街道", "闵行区", 2020)
    assert plan.title == "古美路街道2020年工作要点"
    assert [n.number for n in plan.nodes] == ["一、", "二、", "三、", "四、", "五、"]
    assert [len(n.children) for n in plan.nodes] == [4, 4, 4, 3, 3]
    garbage = find(plan, "做强垃圾分类新时尚")
    assert [(i.value, i.unit, i.comparator) for i in garbage.indicators] == [
        (85, "%", "gte"),
        (80, "吨", "gte"),
        (20, "%", "eq"),
    ]


def test_wusong_inline_items_become_sub_tasks():
    (plan,) = seed("wusong-2021-work-points.txt").plans
    assert (plan.subdistrict, plan.district, plan.year_start) == ("吴淞街道", "宝山区", 2021)
    management = find(plan, "聚焦重点难点，提升公共管理强度")
    assert [c.number for c in management.children] == ["一是", "二是", "三是", "四是", "五是"]
    assert management.children[0].title == "加快城市数字化转型探索"
    assert not any("bookmark" in n.text for n in plan.walk())


# --- short texts: numbering styles ---------------------------------------------------------

NESTED = """某某街道2024年工作要点
一、总体要求
坚持稳中求进。
（一）优化营商环境
1．走访企业。全年走访企业200家。
（1）建立台账。
（2）跟踪回访。
2、服务企业。
（二）改善民生
1.完成50户适老化改造。
二、保障措施
(一)加强组织领导。成立领导小组。
"""


def test_each_numbering_style_nests_under_the_one_before_it():
    (plan,) = parse_document(NESTED).plans
    assert titles(plan.nodes) == ["总体要求", "保障措施"]
    business = plan.nodes[0].children[0]
    assert business.number == "（一）" and business.title == "优化营商环境"
    assert [c.number for c in business.children] == ["1．", "2、"]
    assert titles(business.children[0].children) == ["建立台账", "跟踪回访"]
    assert plan.nodes[0].children[1].children[0].number == "1."
    assert plan.nodes[1].children[0].text == "成立领导小组。"


def test_a_heading_with_a_body_splits_at_the_first_full_stop():
    (plan,) = parse_document(NESTED).plans
    visit = plan.nodes[0].children[0].children[0]
    assert (visit.title, visit.text) == ("走访企业", "全年走访企业200家。")
    assert [(i.value, i.unit) for i in visit.indicators] == [(200, "家")]


def test_numbering_that_restarts_in_each_section_stays_in_its_section():
    text = "某某街道2024年工作要点\n一、经济\n1.招商。\n2.稳商。\n二、民生\n1.养老。\n2.托育。\n3.就业。\n"
    (plan,) = parse_document(text).plans
    assert [len(n.children) for n in plan.nodes] == [2, 3]


def test_a_one_line_document_is_read_like_a_multi_line_one():
    text = "2022年是关键之年。某某街道要奋发有为。 一、抓党建 1.强基础。加强支部建设。 2.育人才。 二、抓民生 1.办实事。完成30户改造。"
    (plan,) = parse_document(text).plans
    assert plan.subdistrict == "某某街道" and plan.year_start == 2022
    assert [len(n.children) for n in plan.nodes] == [2, 1]


def test_full_width_and_half_width_punctuation_read_the_same():
    half = parse_document("某某街道2024年工作要点\n(一)抓党建\n1.强基础。\n").plans[0]
    full = parse_document("某某街道2024年工作要点\n（一）抓党建\n1．强基础。\n").plans[0]
    assert titles(half.nodes) == titles(full.nodes) == ["抓党建"]
    assert half.nodes[0].children[0].title == full.nodes[0].children[0].title == "强基础"


def test_a_report_with_review_and_outlook_parts_numbered_by_chapter():
    text = (
        "某某街道2025年社代会工作报告\n一、2024年工作回顾\n（一）经济发展\n1.走访企业300家次。\n"
        "二、2025年工作安排\n（一）经济发展\n1.走访企业不少于350家次。\n"
    )
    review, outlook = parse_document(text).plans
    assert (review.year_start, review.is_review, outlook.year_start, outlook.is_review) == (
        2024,
        True,
        2025,
        False,
    )
    assert review.nodes[0].children[0].indicators[0].comparator == "eq"
    assert outlook.nodes[0].children[0].indicators[0].comparator == "gte"


def test_plain_prose_becomes_one_task_per_paragraph():
    text = "某某街道2024年工作要点\n全年工作要稳中求进，做好民生服务。\n持续推进老旧小区改造，完成10个小区。"
    (plan,) = parse_document(text).plans
    assert [n.title for n in plan.nodes] == [
        "全年工作要稳中求进，做好民生服务",
        "持续推进老旧小区改造，完成10个小区",
    ]
    assert (plan.subdistrict, plan.year_start) == ("某某街道", 2024)


@pytest.mark.parametrize("text", ["", "   \n\n", "12345 67890\n----", "Hello world"])
def test_a_text_without_chinese_text_is_refused_in_chinese(text):
    with pytest.raises(DocumentError, match="没有可识别的中文正文"):
        parse_document(text)


def test_metadata_block_and_document_number_are_read():
    text = (
        "关于印发《某某街道2023年工作要点》的通知\n索引号 | X-1 |\n文件编号 | 某委〔2023〕12号 |\n"
        "发布时间 | 2023-04-01 |\n一、重点工作\n1.完成10个项目。\n附件:1、领导小组名单\n2、项目表\n"
    )
    (plan,) = parse_document(text).plans
    assert (plan.title, plan.doc_number, plan.published_on) == (
        "某某街道2023年工作要点",
        "某委〔2023〕12号",
        dt.date(2023, 4, 1),
    )
    assert len(plan.nodes[0].children) == 1


def test_it_reads_circled_numbers_as_items_instead_of_crashing():
    # Python counts ① as a digit, so int('①') once raised ValueError in the parser.
    text = "江浦路街道2024年工作要点\n一、优化经济质效\n1.走访重点企业\n①楼宇经济\n②园区经济\n"
    (plan,) = parse_document(text).plans
    titles_found = [n.title for n in plan.walk()]
    assert "楼宇经济" in titles_found and "园区经济" in titles_found
