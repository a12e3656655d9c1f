"""Text out of a PDF (lines cut at the page's width, a running header on every page) and plans
laid out as schedules (by month, by quarter, by stage)."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.importer.indicators import extract_indicators
from apps.importer.parser import parse_document


def only_plan(text):
    (plan,) = parse_document(text).plans
    return plan


def titles(nodes):
    return [n.title for n in nodes]


def figures(node):
    return [(i.value, i.unit, i.comparator) for i in node.indicators]


def test_a_running_header_between_pages_leaves_the_sentence_it_cut_whole():
    plan = only_plan(
        "青松路街道2025年工作要点\n\n一、提升城市管理水平，打造宜居城区\n"
        "1.推进旧改项目。完成旧改地块征收2个，签约率达到9\n\n— 2 —\n\n青松路街道2025年工作要点\n\n"
        "8%以上。\n2.加装电梯。全年完成加装电梯竣工50台以上。\n"
    )
    first, second = plan.nodes[0].children
    assert (Decimal(98), "%", "gte") in figures(first)
    assert "工作要点" not in first.text
    assert second.title == "加装电梯"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("议事协商次数不\n少于12次。", (12, "次", "gte")),
        ("全年完成区级税收12.\n5亿元。", (1_250_000_000, "元", "eq")),
        ("新引进企业不少于\n120户。", (120, "户", "gte")),
    ],
)
def test_a_line_cut_inside_a_phrase_or_a_number_joins_the_next(lines, expected):
    plan = only_plan(
        f"青松路街道2025年工作要点\n一、社区治理\n1.做好社区治理重点工作，全年持续深入开展，{lines}\n"
    )
    assert figures(plan.nodes[0].children[0]) == [expected]


def test_a_line_cut_inside_a_bracket_joins_the_next():
    plan = only_plan(
        "青松路街道2025年工作要点\n一、推动经济发展\n1.推进旧改项目。完成征收2个。（牵头单位：\n"
        "房管办；配合单位：营\n商中心；完成时限：2025年11月30日）\n"
    )
    task = plan.nodes[0].children[0]
    assert (task.lead, task.partners, task.due) == ("房管办", ["营商中心"], dt.date(2025, 11, 30))


def test_a_table_under_its_caption_stands_beside_the_items_above_it():
    plan = only_plan(
        "青松路街道2025年工作要点\n一、推进重点项目\n1.加装电梯。全年完成加装电梯竣工50台。\n\n"
        "附表：重点项目进度表\n| 序号 | 项目名称 | 牵头单位 | 完成时限 |\n"
        "| 1 | 青松大厦改造 | 经发办 | 2025年10月 |\n| 2 | 华新坊旧改征收 | 房管办 | 2025年11月 |\n"
    )
    assert titles(plan.nodes[0].children) == ["加装电梯", "青松大厦改造", "华新坊旧改征收"]
    assert "附表" not in plan.nodes[0].children[0].text


def test_a_schedule_by_month_gives_a_task_due_at_each_months_end():
    plan = only_plan(
        "康乐居民区2025年工作计划\n一、月度工作安排\n1月：走访困难家庭30户。\n2月：组织元宵节游园活动。\n"
        "12月：召开居民代表会议。\n"
    )
    months = plan.nodes[0].children
    assert [n.due for n in months] == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 12, 31),
    ]
    assert months[0].title == "走访困难家庭30户"


def test_a_schedule_by_quarter_gives_a_task_due_at_each_quarters_end():
    plan = only_plan(
        "青松路街道2025年工作计划\n一、工作时间安排\n一季度：完成任务分解。\n二季度：启动庭院整治，完成20户。\n"
        "第三季度：完成道路硬化工程。\n"
    )
    assert [n.due for n in plan.nodes[0].children] == [
        dt.date(2025, 3, 31),
        dt.date(2025, 6, 30),
        dt.date(2025, 9, 30),
    ]


def test_a_stage_is_due_at_the_end_of_the_dates_after_its_heading():
    plan = only_plan(
        "青松路街道美丽街区创建工作实施方案\n一、实施步骤\n（一）动员部署阶段（2025年3月）\n"
        "召开动员大会。\n（二）集中推进阶段（2025年4月—10月）\n全面推进整治工作。\n"
    )
    stages = plan.nodes[0].children
    assert [(n.title, n.due) for n in stages] == [
        ("动员部署阶段", dt.date(2025, 3, 31)),
        ("集中推进阶段", dt.date(2025, 10, 31)),
    ]


def test_a_signature_dated_to_the_month_is_no_task():
    plan = only_plan(
        "青松路街道2025年工作要点\n\n聚焦民生福祉，增强群众获得感。新增养老床位80张。\n\n"
        "聚焦安全发展，守牢城市安全底线。完成消防隐患整改300处。\n\n青松路街道办事处\n2025年2月\n"
    )
    assert len(plan.nodes) == 2
    assert "2025年2月" not in plan.nodes[-1].text


def test_bullet_marks_under_a_bullet_heading_are_its_items():
    plan = only_plan(
        "青松路街道2025年社区治理工作计划\n■ 加强基层组织建设\n● 完成换届选举，换届率100%。\n"
        "● 储备后备人选不少于30人。\n■ 推进平安社区建设\n● 完成群租整治200户。\n"
    )
    assert titles(plan.nodes) == ["加强基层组织建设", "推进平安社区建设"]
    assert len(plan.nodes[0].children) == 2


def test_bullet_items_with_their_sentences_stay_siblings_whatever_their_marks():
    plan = only_plan(
        "青松路街道2025年工作要点\n一、提升城区品质\n★ 推进城市更新。启动历史建筑修缮2处。\n"
        "◆ 加强垃圾分类。湿垃圾日均分出量达到20吨。\n■ 治理违法建筑。拆除违法建筑不少于800平方米。\n"
    )
    assert len(plan.nodes[0].children) == 3


def test_a_neighbourhoods_plan_names_no_district():
    plan = only_plan("康乐居民区2025年工作计划\n一、自治共治\n1.召开居民代表会议4次。\n")
    assert (plan.district, plan.level) == (None, None)


def test_a_title_letter_spaced_with_its_year_is_read():
    plan = only_plan(
        "新 华 路 街 道 2025 年 工 作 要 点\n一、经济发展\n1．全年完成区级税收4.6亿元。\n"
    )
    assert (plan.title, plan.subdistrict, plan.year_start) == (
        "新华路街道2025年工作要点",
        "新华路街道",
        2025,
    )


def test_a_years_summary_with_next_years_plan_splits():
    review, plan = parse_document(
        "青松路街道2024年工作总结\n一、经济发展\n全年完成区级税收11.8亿元。\n"
        "二、2025年工作打算\n（一）全年完成区级税收12.5亿元。\n"
    ).plans
    assert (review.is_review, review.year_start, plan.is_review, plan.year_start) == (
        True,
        2024,
        False,
        2025,
    )
    assert [i.value for n in plan.walk() for i in n.indicators] == [1_250_000_000]


def test_a_sentence_announcing_the_work_below_is_no_task():
    plan = only_plan(
        "江川路街道2025年工作要点\n\n2025年，街道将重点抓好以下几方面工作：\n\n"
        "聚焦民生福祉，增强群众获得感。新增养老床位80张。\n\n聚焦安全发展，守牢安全底线。完成整改300处。\n"
    )
    assert len(plan.nodes) == 2


def test_what_money_is_for_does_not_name_it():
    (indicator,) = extract_indicators("安排专项资金800万元用于创建工作。")
    assert indicator.name == "专项资金"
