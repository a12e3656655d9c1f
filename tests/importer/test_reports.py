"""Reports: a look-back (its figures are achievements), a plan (its figures are targets), or
both, and the years each part is about."""

import pytest

from apps.importer.parser import parse_document


def plans(text):
    return parse_document(text).plans


def kinds(document_plans):
    """(year_start, year_end, is_review) of each plan, in the parser's order."""
    return [(p.year_start, p.year_end, p.is_review) for p in document_plans]


def titles(nodes):
    return [n.title for n in nodes]


def figures(plan):
    return [(i.value, i.unit) for n in plan.walk() for i in n.indicators]


def test_a_report_with_only_a_look_back_gives_one_review_plan():
    (review,) = plans(
        "青松路街道2024年工作总结\n一、经济发展\n1.走访企业300家次。\n二、民生保障\n1.完成30户适老化改造。\n"
    )
    assert kinds([review]) == [(2024, 2024, True)]
    assert titles(review.nodes) == ["经济发展", "民生保障"]
    assert figures(review) == [(300, "家次"), (30, "户")]


def test_a_report_with_only_a_plan_gives_one_plan_of_targets():
    (plan,) = plans("青松路街道2025年工作计划\n一、经济发展\n1.走访企业不少于350家次。\n")
    assert kinds([plan]) == [(2025, 2025, False)]
    assert [(i.value, i.comparator) for n in plan.walk() for i in n.indicators] == [(350, "gte")]


def test_a_look_back_whose_numbering_restarts_inside_it_keeps_its_own_sections():
    review, outlook = plans(
        "白沙镇2025年政府工作报告\n一、2024年工作回顾\n一、经济稳中有进\n全年引进企业45家。\n"
        "二、民生持续改善\n新增就业岗位800个。\n二、2025年工作思路\n一、做强特色产业\n"
        "全年引进企业50家。\n二、办好民生实事\n新增就业岗位不少于900个。\n"
    )
    assert kinds([review, outlook]) == [(2024, 2024, True), (2025, 2025, False)]
    assert titles(review.nodes) == ["经济稳中有进", "民生持续改善"]
    assert titles(outlook.nodes) == ["做强特色产业", "办好民生实事"]
    assert figures(review) == [(45, "家"), (800, "个")]
    assert figures(outlook) == [(50, "家"), (900, "个")]


def test_next_years_plans_are_for_the_year_after_the_look_back():
    review, outlook = plans(
        "青松路街道工作报告\n一、2024年工作回顾\n（一）经济发展\n走访企业300家次。\n"
        "二、明年工作打算\n（一）经济发展\n走访企业350家次。\n"
    )
    assert kinds([review, outlook]) == [(2024, 2024, True), (2025, 2025, False)]


def test_this_years_plans_in_a_report_given_early_in_the_year_follow_the_look_back():
    review, outlook = plans(
        "青松路街道社区代表大会工作报告\n一、2024年工作回顾\n（一）经济发展\n走访企业300家次。\n"
        "二、今年工作打算\n（一）经济发展\n走访企业350家次。\n"
    )
    assert kinds([review, outlook]) == [(2024, 2024, True), (2025, 2025, False)]


def test_the_plan_year_comes_from_the_parts_not_from_the_title():
    review, outlook = plans(
        "2023年白沙镇政府工作报告\n一、2023年工作回顾\n（一）经济发展\n引进企业45家。\n"
        "二、2024年工作安排\n（一）经济发展\n引进企业50家。\n"
    )
    assert kinds([review, outlook]) == [(2023, 2023, True), (2024, 2024, False)]
    assert figures(outlook) == [(50, "家")]


def test_a_half_year_report_reviews_and_plans_the_same_year():
    review, outlook = plans(
        "青松路街道2024年上半年工作情况和下半年工作打算\n一、上半年工作情况\n"
        "（一）经济发展\n走访企业150家次。\n二、下半年工作打算\n（一）经济发展\n走访企业200家次。\n"
    )
    assert kinds([review, outlook]) == [(2024, 2024, True), (2024, 2024, False)]
    assert figures(review) == [(150, "家次")]
    assert figures(outlook) == [(200, "家次")]


def test_a_year_end_summary_gives_only_a_review_plan():
    (review,) = plans(
        "白沙镇2024年度工作总结\n一、经济发展\n完成固定资产投资2.5亿元。\n"
        "二、社会事业\n新增就业岗位800个。\n"
    )
    assert kinds([review]) == [(2024, 2024, True)]
    assert figures(review) == [(250000000, "元"), (800, "个")]


@pytest.mark.parametrize("progress", ["完成情况", "上半年进度", "工作进度", "推进情况"])
def test_a_progress_table_gives_targets_to_the_plan_and_achievements_to_a_review(progress):
    document_plans = plans(
        f"青松路街道2024年重点工作任务推进表\n| 序号 | 指标名称 | 年度目标 | {progress} |\n"
        "| 1 | 新增就业岗位 | 1000个 | 1050个 |\n| 2 | 适老化改造 | 30户 | 32户 |\n"
    )
    review = next(p for p in document_plans if p.is_review)
    plan = next(p for p in document_plans if not p.is_review)
    assert kinds(document_plans) == [(2024, 2024, True), (2024, 2024, False)]
    assert figures(plan) == [(1000, "个"), (30, "户")]
    assert figures(review) == [(1050, "个"), (32, "户")]
    assert titles(review.nodes) == titles(plan.nodes) == ["新增就业岗位", "适老化改造"]


def test_a_progress_table_in_a_year_end_report_keeps_its_targets_as_a_plan():
    document_plans = plans(
        "青松路街道2024年重点指标执行情况\n| 序号 | 指标名称 | 年度目标 | 完成情况 |\n"
        "| 1 | 新增就业岗位 | 1000个 | 1050个 |\n"
    )
    assert kinds(document_plans) == [(2024, 2024, True), (2024, 2024, False)]
    review, plan = document_plans
    assert figures(review) == [(1050, "个")]
    assert figures(plan) == [(1000, "个")]


def test_a_look_back_headed_without_a_year_is_a_look_back_beside_a_dated_plan_part():
    review, plan = parse_document(
        "青松路街道2023年工作总结和2024年工作计划\n一、主要工作完成情况\n（一）全年新增就业500人。\n"
        "二、2024年工作计划\n（一）新增就业600人。\n"
    ).plans
    assert (review.is_review, review.year_start, plan.is_review, plan.year_start) == (
        True,
        2023,
        False,
        2024,
    )
    assert [i.value for n in plan.walk() for i in n.indicators] == [600]


def test_a_background_section_of_an_action_plan_is_not_a_look_back():
    (plan,) = parse_document(
        "青松路街道美丽家园行动计划\n一、基本情况\n辖区有10个小区。\n二、主要任务\n（一）改造小区3个。\n"
    ).plans
    assert not plan.is_review
    assert [n.title for n in plan.nodes] == ["基本情况", "主要任务"]


def test_a_look_back_written_as_paragraphs_gives_one_task_per_paragraph_with_its_figures():
    (review,) = parse_document(
        "白沙镇2023年工作总结\n"
        "经济运行稳中有进。全年完成财政收入3.2亿元，同比增长8.5%。\n"
        "民生事业持续改善。新建养老服务站5个，改造农村公厕20座。\n"
    ).plans
    assert review.is_review
    assert [n.title for n in review.nodes] == ["经济运行稳中有进", "民生事业持续改善"]
    assert [(i.value, i.unit) for i in review.nodes[1].indicators] == [(5, "个"), (20, "座")]


@pytest.mark.parametrize(
    "look_back, outlook",
    [
        ("2024年工作成效", "2025年工作安排"),
        ("2024年主要工作及成效", "2025年工作安排"),
        ("2024年工作主要成绩", "2025年工作安排"),
        ("去年工作回顾", "今年工作安排"),
        ("过去一年工作回顾", "今年主要工作"),
        ("2024年工作回顾", "2025年主要工作"),
        ("2024年工作回顾", "2025年工作展望"),
        ("2024年工作回顾", "新一年工作安排"),
        ("2024年工作回顾", "2025年主要工作任务"),
        ("五年来的工作回顾", "2025年重点工作"),
        ("2020—2024年工作回顾", "2025年工作安排"),
        ("第六届人代会以来的工作回顾", "今后五年的目标任务"),
    ],
)
def test_a_government_report_splits_under_the_ways_its_two_parts_are_headed(look_back, outlook):
    review, plan = plans(
        "青松镇人民政府工作报告\n——2025年1月10日在青松镇第七届人民代表大会第五次会议上\n"
        f"一、{look_back}\n（一）经济发展稳中有进。新引进企业412家。\n"
        "（二）民生福祉不断增进。新增就业岗位2100个。\n"
        f"二、{outlook}\n（一）全力推动高质量发展。年内完成投资20亿元以上。\n"
        "（二）切实保障改善民生。新增养老床位150张。\n"
    )
    assert kinds([review, plan]) == [(2024, 2024, True), (2025, 2025, False)]
    assert titles(review.nodes) == ["经济发展稳中有进", "民生福祉不断增进"]
    assert figures(review) == [(412, "家"), (2100, "个")]
    assert figures(plan) == [(2_000_000_000, "元"), (150, "张")]


def test_a_heading_numbered_like_the_plan_part_after_it_is_a_section_of_that_part():
    _review, plan = plans(
        "青松镇2025年政府工作报告\n一、2024年工作回顾\n过去一年，全年完成税收总额15.6亿元。\n"
        "二、2025年工作安排\n（一）全力推动高质量发展\n1．加快重大项目建设。年内完成投资20亿元以上。\n"
        "2．培育新兴产业。新增规上企业10家。\n"
        "三、加强政府自身建设\n坚持依法行政，一般性支出压减5%。\n"
    )
    assert titles(plan.nodes) == ["全力推动高质量发展", "加强政府自身建设"]
    assert titles(plan.nodes[0].children) == ["加快重大项目建设", "培育新兴产业"]
    assert not plan.nodes[0].children[1].children


@pytest.mark.parametrize(
    "head",
    [
        "政府工作报告\n——2025年1月10日在青松镇第七届人民代表大会第五次会议上",
        "政 府 工 作 报 告\n——2025年1月10日在青松镇第七届人民代表大会第五次会议上",
        "奋力谱写青松发展新篇章\n——在青松镇第七届人民代表大会第五次会议上的工作报告\n（2025年1月10日）",
    ],
)
def test_a_report_titled_without_its_unit_or_year_still_splits(head):
    review, plan = plans(
        f"{head}\n一、过去一年工作回顾\n（一）经济发展稳中有进。新引进企业412家。\n"
        "二、2025年主要工作任务\n（一）全力推动高质量发展。年内完成投资20亿元以上。\n"
    )
    assert kinds([review, plan]) == [(2024, 2024, True), (2025, 2025, False)]
    assert (plan.subdistrict, plan.kind) == ("青松镇", "工作报告")
    assert str(plan.published_on) == "2025-01-10"
    assert titles(review.nodes) == ["经济发展稳中有进"]
    assert titles(plan.nodes) == ["全力推动高质量发展"]
