"""Who leads a task, who helps, and by when: inline, on lines of their own, or in table columns."""

import datetime as dt

import pytest

from apps.importer.parser import parse_document


def first_task(text):
    (plan,) = parse_document(text).plans
    return plan.nodes[0].children[0]


def who(node):
    return (node.lead, node.partners)


def when(node):
    return (node.due, node.due_text)


def test_an_inline_parenthesis_names_the_lead_and_the_partners_and_leaves_the_title():
    task = first_task(
        "河西区2024年重点工作安排\n一、优化营商环境\n"
        "1.深化一网通办改革。（牵头单位：区发改委；责任单位：各街镇）\n"
    )
    assert who(task) == ("区发改委", ["各街镇"])
    assert task.title == "深化一网通办改革"
    assert "牵头单位" not in task.text


def test_an_inline_parenthesis_may_carry_the_deadline_too():
    task = first_task(
        "青松路街道2024年工作要点\n一、办好民生实事\n"
        "1.完成30户适老化改造（牵头单位：服务办、管理办；完成时限：2024年9月底前）。\n"
    )
    assert who(task) == ("服务办、管理办", [])
    assert when(task) == (dt.date(2024, 9, 30), "2024年9月底前")


def test_an_inline_parenthesis_separated_by_commas_is_read_label_by_label():
    task = first_task(
        "河西区2024年重点工作安排\n一、扩大有效投资\n"
        "1.实施重点项目100个。（责任单位：区发改委，完成时限：2024年12月）\n"
    )
    assert who(task) == ("区发改委", [])
    assert when(task) == (dt.date(2024, 12, 31), "2024年12月")


def test_lines_under_a_task_name_its_lead_partners_and_deadline():
    task = first_task(
        "白沙镇2024年工作要点\n一、平安建设\n1.开展消防隐患排查整治。\n牵头部门：平安办\n"
        "责任单位：派出所\n配合单位：城管中队、市场监管所\n完成时限：2024年6月底前\n"
    )
    assert who(task) == ("平安办", ["派出所", "城管中队", "市场监管所"])
    assert when(task) == (dt.date(2024, 6, 30), "2024年6月底前")


def test_a_responsible_unit_line_alone_is_the_lead():
    task = first_task(
        "白沙镇2024年工作要点\n一、平安建设\n1.开展消防隐患排查整治。\n责任单位：平安办\n"
    )
    assert who(task) == ("平安办", [])


def test_each_task_keeps_its_own_lines():
    (plan,) = parse_document(
        "白沙镇2024年工作要点\n一、平安建设\n1.开展消防隐患排查整治。\n牵头部门：平安办\n"
        "2.推进河道保洁。\n牵头部门：农业农村办\n完成时限：年底前\n"
    ).plans
    first, second = plan.nodes[0].children
    assert (first.lead, first.due) == ("平安办", None)
    assert (second.lead, second.due) == ("农业农村办", dt.date(2024, 12, 31))


def test_table_columns_give_the_lead_the_partners_and_the_deadline():
    (plan,) = parse_document(
        "青松路街道2024年重点项目\n| 序号 | 项目名称 | 牵头单位 | 配合单位 | 完成时限 |\n"
        "| 1 | 青松公园改造 | 管理办 | 服务办、房管所 | 2024年9月 |\n"
        "| 2 | 社区食堂建设 | 服务办 |  | 三季度 |\n"
    ).plans
    park, canteen = plan.nodes
    assert who(park) == ("管理办", ["服务办", "房管所"])
    assert when(park) == (dt.date(2024, 9, 30), "2024年9月")
    assert who(canteen) == ("服务办", [])
    assert when(canteen) == (dt.date(2024, 9, 30), "三季度")


def test_a_year_end_deadline_in_a_reports_plan_part_falls_in_the_plan_year():
    _review, outlook = parse_document(
        "2023年白沙镇政府工作报告\n一、2023年工作回顾\n（一）经济发展\n引进企业45家。\n"
        "二、2024年工作安排\n（一）经济发展\n1.引进企业50家。\n完成时限：年底前\n"
    ).plans
    assert when(outlook.nodes[0].children[0]) == (dt.date(2024, 12, 31), "年底前")


def test_inline_assignments_are_read_in_a_one_line_document():
    (plan,) = parse_document(
        "青松路街道2024年工作要点 一、办好民生实事 1.完成30户适老化改造。"
        "（牵头单位：服务办；配合单位：各居委会；完成时限：三季度） 2.新建2个睦邻点。（牵头单位：自治办）"
    ).plans
    repair, club = plan.nodes[0].children
    assert (who(repair), when(repair)) == (
        ("服务办", ["各居委会"]),
        (dt.date(2024, 9, 30), "三季度"),
    )
    assert who(club) == ("自治办", [])


@pytest.mark.parametrize(
    ("written", "due"),
    [
        ("2024年6月底前", dt.date(2024, 6, 30)),
        ("年底前", dt.date(2025, 12, 31)),
        ("三季度", dt.date(2025, 9, 30)),
        ("12月完成", dt.date(2025, 12, 31)),
        ("2025年10月15日前", dt.date(2025, 10, 15)),
        ("上半年", dt.date(2025, 6, 30)),
        # In stages: the work is due when its last stage is.
        ("一季度启动，四季度完成", dt.date(2025, 12, 31)),
        ("上半年启动，年底前完成", dt.date(2025, 12, 31)),
        ("6月底前完成年度任务", dt.date(2025, 6, 30)),
    ],
)
def test_a_deadline_is_the_last_day_of_the_period_it_names_in_the_plan_year(written, due):
    task = first_task(
        f"青松路街道2025年工作要点\n一、办好民生实事\n1.新建2个睦邻点。\n完成时限：{written}\n"
    )
    assert when(task) == (due, written)


def test_labels_written_on_at_the_end_of_a_sentence_are_read_and_leave_the_title():
    task = first_task(
        "石桥镇2024年工作计划\n一、全力惠民生\n"
        "1.新建农村道路15公里，牵头单位：交通办，完成时限：2024年10月底。\n"
    )
    assert task.title == "新建农村道路15公里"
    assert who(task) == ("交通办", [])
    assert when(task) == (dt.date(2024, 10, 31), "2024年10月底")


def test_a_parenthesis_without_labels_names_the_lead_partners_and_deadline():
    (plan,) = parse_document(
        "河西区2025年城市更新重点工作安排\n一、加快旧住房更新\n"
        "（一）完成小梁薄板房屋改造12万平方米。（区房管局牵头，各街镇配合）\n"
        "（二）新建改建公园绿地10万平方米。（区绿化市容局负责）\n"
        "（三）新增养老床位不少于800张。（区民政局牵头，2025年12月底前完成）\n"
        "（四）贯通滨水空间5公里。（区水务局、区规划资源局按职责分工负责）\n"
    ).plans
    first, second, third, fourth = plan.nodes[0].children
    assert who(first) == ("区房管局", ["各街镇"])
    assert who(second) == ("区绿化市容局", [])
    assert who(third) == ("区民政局", [])
    assert when(third) == (dt.date(2025, 12, 31), "2025年12月底前")
    assert who(fourth) == ("区水务局、区规划资源局", [])
    assert first.title == "完成小梁薄板房屋改造12万平方米"
    assert "牵头" not in first.text + second.text


def test_a_parenthesis_that_names_no_lead_stays_in_the_text():
    task = first_task(
        "河西区2025年重点工作安排\n一、为民服务\n"
        "1.办好实事。新建睦邻点5个（居民自愿参与），更新健身设施（含步道）。\n"
    )
    assert who(task) == ("", [])
    assert "（居民自愿参与）" in task.text and "（含步道）" in task.text


def test_lead_and_partners_written_on_one_line_are_told_apart():
    task = first_task(
        "曹路镇2025年重点工作计划\n一、经济发展\n1、招商稳商。全年引进企业不少于800户。\n"
        "牵头科室：经济发展办公室\u3000\u3000配合科室：招商服务中心、规划建设办公室\n"
    )
    assert who(task) == ("经济发展办公室", ["招商服务中心", "规划建设办公室"])


@pytest.mark.parametrize(
    "sentence",
    [
        "落实企业安全生产主体责任（企业主要负责人对本单位安全生产工作全面负责）。",
        "完善信访工作机制（谁主管谁负责）。",
        "建立重点项目推进机制（一个项目、一名领导、一套班子负责）。",
        "开展安全检查（街道安监办牵头，每季度）。",
    ],
)
def test_a_parenthesis_that_names_no_unit_or_no_deadline_is_no_assignment(sentence):
    task = first_task(f"青松区2025年工作要点\n一、重点工作\n1.{sentence}\n")
    assert (who(task), task.due_text) == (("", []), "")


def test_a_label_inside_a_units_brackets_is_part_of_it():
    task = first_task(
        "青松区2025年工作要点\n一、重点工作\n1.抓好招商。全年引进企业50家。\n"
        "牵头单位：营商办（责任人：李四）\n"
    )
    assert who(task) == ("营商办（责任人：李四）", [])


def test_tabs_that_align_label_lines_are_not_a_table():
    task = first_task(
        "青松镇2025年工作计划\n一、经济发展\n1.抓好招商。全年引进企业50家。\n"
        "牵头科室：经济发展办\t\t配合科室：招商服务中心\n完成时限：2025年12月底\t\t责任领导：张三\n"
    )
    assert who(task) == ("经济发展办", ["招商服务中心"])
    assert task.due_text == "2025年12月底"


@pytest.mark.parametrize(
    ("written", "lead", "partners", "due"),
    [
        ("（责任单位：经济办（牵头）、营商中心、党建办）", "经济办", ["营商中心", "党建办"], ""),
        (
            "（责任单位：服务办（牵头）、就业中心；完成时限：2024年12月）",
            "服务办",
            ["就业中心"],
            "2024年12月",
        ),
        (
            "（牵头：经济办；协同：财政所、营商中心；时间：2024年12月）",
            "经济办",
            ["财政所", "营商中心"],
            "2024年12月",
        ),
        ("【责任部门：营商中心　完成时限：2024年6月底】", "营商中心", [], "2024年6月底"),
    ],
)
def test_a_bracket_names_the_lead_however_it_marks_it(written, lead, partners, due):
    task = first_task(f"青松路街道2024年工作要点\n一、优化营商环境\n1.走访企业200家次。{written}\n")
    assert (task.lead, task.partners, task.due_text) == (lead, partners, due)
    assert (task.title, task.text) == ("走访企业200家次", "")


def test_a_unit_marked_as_lead_on_a_line_of_its_own_leads():
    task = first_task(
        "青松路街道2024年工作要点\n一、稳就业\n1.新增就业岗位800个。\n"
        "责任单位：服务办（牵头），就业服务中心\n"
    )
    assert who(task) == ("服务办", ["就业服务中心"])
