"""Where each layout rule stops: texts that look like a rule's case and are not.

Every case here was read right before the rule next to it was added, and wrongly by the
rule's first version (a review of the importer's changes, session 10).
"""

import datetime as dt

import pytest

from apps.importer.assignments import due_date
from apps.importer.indicators import extract_indicators
from apps.importer.parser import parse_document


def only_plan(text):
    (plan,) = parse_document(text).plans
    return plan


def titles(nodes):
    return [n.title for n in nodes]


def test_cells_two_spaces_apart_but_not_in_columns_are_read_in_order():
    plan = only_plan(
        "青松路街道2024年重点工作任务\n序号  工作任务  牵头单位  完成时限\n"
        "1  完成老旧小区改造3个  社区管理办  2024年12月\n"
        "2  新建口袋公园2座  绿化所  2024年10月\n"
    )
    assert [(n.title, n.lead) for n in plan.nodes] == [
        ("完成老旧小区改造3个", "社区管理办"),
        ("新建口袋公园2座", "绿化所"),
    ]


@pytest.mark.parametrize(
    "title",
    ["关于做好社区治理工作的2024年实施方案", "深化临港新片区建设2024年工作要点"],
)
def test_a_title_opening_with_an_action_names_no_unit(title):
    plan = only_plan(f"{title}\n一、工作目标\n培育社区社会组织200家。\n")
    assert (plan.subdistrict, plan.district) == (None, None)


@pytest.mark.parametrize(
    ("head", "unit"),
    [
        ("镇江市京口区正东路街道2024年工作要点", ("正东路街道", "京口区")),
        ("宁波市镇海区招宝山街道2024年工作要点", ("招宝山街道", "镇海区")),
    ],
)
def test_a_place_whose_name_starts_like_a_word_is_still_a_place(head, unit):
    plan = only_plan(f"{head}\n一、抓党建\n1.建强支部。\n")
    assert (plan.subdistrict, plan.district) == unit


def test_a_notices_greeting_heads_nothing():
    plan = only_plan(
        "关于印发《青松路街道2024年工作要点》的通知\n各居民区、各科室、各直属单位：\n"
        "现将工作要点印发给你们，请认真贯彻执行。\n青松路街道2024年工作要点\n"
        "一、经济发展\n1．完成税收收入5亿元。\n二、保障措施\n组织保障：\n成立工作领导小组。\n"
        "经费保障：\n安排专项资金300万元。\n"
    )
    assert titles(plan.nodes) == ["经济发展", "保障措施"]


@pytest.mark.parametrize("line", ["重点抓好以下工作：", "预期成效：", "具体做法："])
def test_a_line_that_announces_what_follows_is_no_heading(line):
    plan = only_plan(
        f"青松路街道2024年工作要点\n一、经济发展\n{line}\n1．完成税收收入5亿元。\n"
        f"2．新增企业400户。\n二、民生保障\n{line}\n1．新增床位100张。\n"
    )
    assert titles(plan.nodes[0].children) == ["完成税收收入5亿元", "新增企业400户"]


def test_a_portals_section_name_above_the_title_is_not_the_title():
    plan = only_plan("计划总结\n龙华街道2024年工作要点\n一、经济发展\n1．完成税收收入5亿元。\n")
    assert (plan.title, plan.is_review) == ("龙华街道2024年工作要点", False)


@pytest.mark.parametrize("mark", ["附件", "征求意见稿", "2024年3月"])
def test_a_mark_above_a_title_is_not_part_of_it(mark):
    plan = only_plan(
        f"{mark}\n青松路街道社区养老服务三年行动计划\n（2024—2026年）\n一、主要目标\n新增床位100张。\n"
    )
    assert plan.title == "青松路街道社区养老服务三年行动计划(2024—2026年)"


@pytest.mark.parametrize("schedule", ["时间进度", "计划进度"])
def test_a_schedule_column_holds_deadlines_not_progress(schedule):
    (plan,) = parse_document(
        f"青松路街道2024年重点工作\n| 序号 | 工作任务 | 牵头单位 | {schedule} |\n"
        "| 1 | 新建口袋公园2座 | 绿化所 | 2024年10月 |\n| 2 | 新增床位100张 | 服务办 | 2024年12月 |\n"
    ).plans
    assert [str(n.due) for n in plan.nodes] == ["2024-10-31", "2024-12-31"]


def test_a_projects_yearly_rows_are_its_items_not_a_wrapped_cell():
    plan = only_plan(
        "长宁区美丽街区建设三年行动计划项目表\n| 序号 | 项目名称 | 建设内容 | 牵头单位 | 完成时间 |\n"
        "| 1 | 美丽街区建设 | 完成天山路美丽街区建设 | 区绿化市容局 | 2025年 |\n"
        "| | | 完成仙霞路美丽街区建设 | 区绿化市容局 | 2026年 |\n"
        "| | | 完成虹桥路美丽街区建设 | 区绿化市容局 | 2027年 |\n"
    )
    (project,) = plan.nodes
    assert project.lead == "区绿化市容局"
    assert len(project.children) == 3


def test_after_a_wrapped_cell_a_row_with_its_own_unit_is_an_item():
    plan = only_plan(
        "青松镇2024年重点工作任务表\n| 序号 | 项目名称 | 建设内容 | 牵头单位 |\n"
        "| 1 | 城市更新 | 完成北虹路、 | 城建中心 |\n| | | 天山路沿线立面整治 | |\n"
        "| | | 新建口袋公园2个 | 绿化所 |\n| 2 | 养老服务 | 新建长者食堂1家 | 服务办 |\n"
    )
    renewal = plan.nodes[0]
    assert renewal.lead == "城建中心"
    assert titles(renewal.children) == ["完成北虹路、天山路沿线立面整治", "新建口袋公园2个"]


def test_a_heading_indented_with_tabs_after_a_table_is_a_heading():
    plan = only_plan(
        "青松路街道2024年重点工作\n一、重点任务\n序号\t工作任务\t牵头单位\t完成时限\n"
        "1\t新建口袋公园2座\t绿化所\t2024年10月\n2\t新增床位100张\t服务办\t2024年12月\n"
        "\t\t二、保障措施\n安排专项资金300万元。\n"
    )
    assert titles(plan.nodes) == ["重点任务", "保障措施"]


@pytest.mark.parametrize(
    "line",
    ["主办：青松路街道办事处", "承办单位：青松社区文化中心", "技术支持：区大数据中心"],
)
def test_who_runs_an_event_is_plan_text_not_a_portals_footer(line):
    plan = only_plan(f"青松路街道2024年文化活动计划\n一、重点活动\n1．举办社区文化节。\n{line}\n")
    assert line.split("：")[1] in plan.nodes[0].children[0].text


def test_a_count_of_views_in_a_target_is_kept():
    plan = only_plan("青松路街道2024年宣传工作要点\n一、宣传\n1．视频点击数100万次以上。\n")
    (indicator,) = plan.nodes[0].children[0].indicators
    assert (indicator.value, indicator.comparator) == (1_000_000, "gte")


@pytest.mark.parametrize(
    ("written", "due"),
    [
        ("12月底前全部完成，其中6月底前完成1个", dt.date(2024, 12, 31)),
        ("11月底前建成，9月底前完成装修", dt.date(2024, 11, 30)),
    ],
)
def test_a_deadline_in_stages_is_its_latest_date(written, due):
    assert due_date(written, 2024) == due


@pytest.mark.parametrize(
    "text",
    ["延时服务至18时30分。", "服务时间9时至11时30分。", "违规一次扣2分。", "发车间隔缩短至5分。"],
)
def test_a_clock_a_deduction_or_minutes_are_no_score(text):
    assert extract_indicators(text) == []


def test_a_table_shown_below_an_item_is_its_breakdown():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、民生\n1．新增床位100张。\n2．实施实事项目，具体见下表。\n"
        "| 项目名称 | 建设内容 | 责任单位 |\n| 口袋公园 | 新建口袋公园2座 | 管理办 |\n"
        "| 睦邻中心 | 改造睦邻点10个 | 自治办 |\n"
    )
    assert titles(plan.nodes[0].children[1].children) == ["口袋公园", "睦邻中心"]


def test_quarters_counted_in_a_sentence_are_no_item():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、城市更新\n1．完成立项。\n第三、四季度完成施工。\n"
    )
    (item,) = plan.nodes[0].children
    assert "第三、四季度完成施工" in item.text


def test_a_portal_table_with_the_plans_own_number_keeps_it():
    plan = only_plan(
        "| 标题 | 关于贯彻落实《社区治理条例》的实施方案 | 文号 | 徐府办发〔2024〕3号 |\n"
        "关于贯彻落实《社区治理条例》的实施方案\n一、工作目标\n培育社区社会组织200家。\n"
    )
    assert plan.doc_number == "徐府办发〔2024〕3号"


def test_a_preamble_citing_a_plan_does_not_retitle_the_document():
    plan = only_plan(
        "龙华街道2024年工作要点\n为深入贯彻落实区委、区政府关于\n"
        "《2024年全区重点工作安排》的部署要求，\n结合街道实际，制定本要点。\n"
        "一、经济发展\n1．完成税收收入4亿元。\n"
    )
    assert (plan.title, plan.subdistrict) == ("龙华街道2024年工作要点", "龙华街道")


# --- the second review's cases ------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "unit"),
    [
        ("奉贤区和美乡村建设三年行动计划（2024—2026年）", (None, "奉贤区")),
        ("闵行区特色小镇建设三年行动计划（2024—2026年）", (None, "闵行区")),
        ("历城区优化营商环境工作要点（2024年）", ("历城区", "历城区")),
    ],
)
def test_a_word_ending_like_a_township_is_no_township_and_a_城区_is_a_district(title, unit):
    plan = only_plan(f"{title}\n一、主要目标\n建成示范点10个。\n")
    assert (plan.subdistrict, plan.district) == unit


def test_a_signature_pushed_right_with_tabs_is_no_row_of_the_table_above():
    plan = only_plan(
        "青松路街道2024年重点工作任务表\n序号\t工作任务\t牵头单位\t完成时限\n"
        "1\t完成老旧小区改造3个\t管理办\t12月\n2\t新建长者食堂1家\t服务办\t6月\n\n"
        "\t\t\t青松路街道办事处\n\t\t\t2024年3月1日\n"
    )
    assert str(plan.published_on) == "2024-03-01"
    assert len(plan.nodes) == 2


def test_a_multi_year_plan_after_a_look_back_over_years_keeps_its_period():
    review, plan = parse_document(
        "青松路街道养老服务三年行动计划（2024—2026年）\n一、2021—2023年工作回顾\n"
        "三年来，新建长者食堂5家。\n二、2024—2026年主要任务\n（一）新增养老床位300张。\n"
    ).plans
    assert (review.is_review, review.year_end) == (True, 2023)
    assert (plan.year_start, plan.year_end) == (2024, 2026)


@pytest.mark.parametrize("announcement", ["（详见下表）。", "具体见表1。"])
def test_a_table_announced_in_brackets_or_by_number_is_the_items(announcement):
    plan = only_plan(
        "青松路街道2024年工作要点\n一、民生\n1．新增床位100张。\n"
        f"2．实施实事项目{announcement}\n| 项目名称 | 建设内容 | 责任单位 |\n"
        "| 口袋公园 | 新建口袋公园2座 | 管理办 |\n| 睦邻中心 | 改造睦邻点10个 | 自治办 |\n"
    )
    assert titles(plan.nodes[0].children[1].children) == ["口袋公园", "睦邻中心"]


def test_a_total_in_the_task_column_is_no_task():
    plan = only_plan(
        "青松路街道2024年重点工作\n| 序号 | 工作任务 | 牵头单位 | 完成时限 |\n"
        "| 1 | 新建口袋公园2座 | 绿化所 | 10月 |\n| 2 | 新增床位100张 | 服务办 | 12月 |\n"
        "|  | 合计：2项 |  |  |\n"
    )
    assert titles(plan.nodes) == ["新建口袋公园2座", "新增床位100张"]
    assert all(not n.children for n in plan.nodes)


def test_an_introduction_ending_in_a_colon_is_no_wrapped_cell():
    plan = only_plan(
        "青松路街道2024年重点项目\n| 序号 | 项目名称 | 建设内容 | 牵头单位 |\n"
        "| 1 | 城市更新 | 重点推进以下项目： | 城建中心 |\n| | | 新建口袋公园2座 | |\n"
        "| | | 改造睦邻点10个 | |\n"
    )
    assert titles(plan.nodes[0].children)[-2:] == ["新建口袋公园2座", "改造睦邻点10个"]


def test_two_quarters_named_in_a_sentence_are_no_item():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、城市更新\n1．完成立项。\n第一、第二季度完成方案设计。\n"
    )
    assert len(plan.nodes[0].children) == 1


@pytest.mark.parametrize("intro", ["主要工作：", "重点工作："])
def test_main_work_announces_the_list_below_it(intro):
    plan = only_plan(
        f"青松路街道2024年工作要点\n一、经济发展\n{intro}\n1．完成税收收入5亿元。\n"
        f"二、民生保障\n{intro}\n1．新增床位100张。\n"
    )
    assert titles(plan.nodes[0].children) == ["完成税收收入5亿元"]


def test_projects_under_a_group_heading_are_its_items():
    plan = only_plan(
        "青松路街道2024年重点项目计划\n一、民生项目\n项目名称：社区长者食堂提质扩容工程\n"
        "建设内容：新建长者食堂2家。\n牵头单位：服务办\n项目名称：口袋公园建设\n"
        "建设内容：新建口袋公园2座。\n牵头单位：管理办\n"
    )
    assert [(n.title, n.lead) for n in plan.nodes[0].children] == [
        ("社区长者食堂提质扩容工程", "服务办"),
        ("口袋公园建设", "管理办"),
    ]


def test_a_bracket_with_a_place_and_opening_hours_keeps_them_in_the_title():
    plan = only_plan(
        "青松路街道2024年社区文化活动计划\n一、重点活动\n"
        "1．举办邻里节（时间：9月；地点：青松社区文化活动中心）。\n"
        "2．开展公益培训（时间：每周六上午9:00—11:00）。\n"
    )
    festival, classes = plan.nodes[0].children
    assert (festival.title, str(festival.due)) == (
        "举办邻里节（地点：青松社区文化活动中心）",
        "2024-09-30",
    )
    assert (classes.title, classes.due) == ("开展公益培训（时间：每周六上午9:00—11:00）", None)


def test_names_aligned_with_spaces_are_no_table():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、组织领导\n成立领导小组：\n组  长  张三    街道党工委书记\n"
        "副组长  李四    街道办事处主任\n成  员  王五    街道办事处副主任\n二、经济发展\n1．完成税收5亿元。\n"
    )
    assert not any("|" in n.title for n in plan.walk())


@pytest.mark.parametrize(
    "head",
    [
        "青松路街道2024年民生实事项目安排 发布时间：2024-03-05",
        "青松路街道2024年民生实事项目安排\n成文时间：2024年3月5日",
        "青松路街道2024年民生实事项目安排\n录入时间：2024-03-05 10:20",
    ],
)
def test_a_pages_date_under_any_of_its_labels_dates_the_plan(head):
    plan = only_plan(f"{head}\n一、养老服务\n1．新建长者食堂2家。\n")
    assert (plan.title, str(plan.published_on)) == (
        "青松路街道2024年民生实事项目安排",
        "2024-03-05",
    )


@pytest.mark.parametrize("text", ["满分100分，其中考勤占20分。"])
def test_a_scoring_rule_is_no_target(text):
    assert extract_indicators(text) == []


# --- the third review's cases -------------------------------------------------------------


@pytest.mark.parametrize(
    "heading", ["坚持问题导向", "坚持全民参与", "厉行勤俭节约", "倡导文明礼让"]
)
def test_a_heading_ending_in_a_whole_word_keeps_its_text_apart(heading):
    plan = only_plan(
        f"青松路街道2025年工作要点\n一、{heading}\n聚焦群众急难愁盼问题，完成老旧小区改造12个。\n"
    )
    assert plan.nodes[0].title == heading


def test_items_counted_in_words_and_quarters_start_lines_of_their_own():
    plan = only_plan(
        "青松路街道2025年工作要点\n一、总体思路\n第一，坚持目标导向\n第二，坚持全民参与\n"
        "二、季度安排\n一季度：完成宣传动员，推动居民广泛参与\n二季度：完成回收点建设20个\n"
    )
    assert titles(plan.nodes[0].children) == ["坚持目标导向", "坚持全民参与"]
    assert [n.due for n in plan.nodes[1].children] == [dt.date(2025, 3, 31), dt.date(2025, 6, 30)]


def test_a_units_name_repeated_in_a_table_is_no_running_header():
    plan = only_plan(
        "青松区2025年重点项目表\n序号\n项目名称\n牵头单位\n完成时限\n"
        "1\n新建公园2座\n区发展和改革委员会\n2025年6月\n2\n新建学校1所\n区发展和改革委员会\n2025年9月\n"
    )
    assert [n.lead for n in plan.nodes] == ["区发展和改革委员会"] * 2


def test_a_tables_caption_inside_a_section_keeps_the_sections_order():
    plan = only_plan(
        "青松路街道2025年工作要点\n一、推进城市更新\n1.完成老旧小区改造5个。\n附表：老旧小区改造项目\n"
        "| 序号 | 小区名称 | 改造内容 | 完成时间 |\n| 1 | 新华小区 | 屋面防水 | 2025年6月 |\n"
        "2.加装电梯20台。\n二、加强社会治理\n3.调解矛盾纠纷500件。\n"
    )
    assert titles(plan.nodes) == ["推进城市更新", "加强社会治理"]


def test_a_line_starting_with_表_is_no_caption():
    plan = only_plan(
        "青松路街道2025年工作要点\n一、精神文明\n1.评选先进典型。\n表彰先进典型\n"
        "| 序号 | 项目名称 | 牵头单位 |\n| 1 | 好人好事评选 | 文明办 |\n| 2 | 最美家庭评选 | 妇联 |\n"
    )
    assert titles(plan.nodes[0].children) == ["评选先进典型"]


def test_a_schedules_dates_are_kept_and_a_month_under_a_signature_is_dropped():
    plan = only_plan(
        "青松路街道2025年工作要点\n一、城市更新\n1.推进老旧小区改造。\n2025年3月\n完成方案设计。\n"
        "2025年11月\n完成竣工验收。\n青松路街道办事处\n2025年2月\n"
    )
    (item,) = plan.nodes[0].children
    assert "2025年3月" in item.text and "2025年11月" in item.text
    assert "2025年2月" not in item.text


@pytest.mark.parametrize(
    ("written", "due"), [("长期坚持", None), ("本年度内", dt.date(2025, 12, 31))]
)
def test_a_short_deadline_label_keeps_what_it_says(written, due):
    plan = only_plan(f"青松路街道2025年工作要点\n一、治理\n1.开展巡查（时限：{written}）。\n")
    task = plan.nodes[0].children[0]
    assert (task.due_text, task.due) == (written, due)


def test_a_date_under_a_phone_number_still_dates_the_document():
    plan = only_plan(
        "青松路街道2025年工作要点\n一、治理\n1.开展巡查。\n联系人：王敏 联系电话：52581234\n2025年3月5日\n"
    )
    assert str(plan.published_on) == "2025-03-05"


def test_short_bullet_items_with_figures_are_siblings():
    plan = only_plan(
        "青松路街道2025年工作要点\n一、平安建设\n◆ 调解矛盾纠纷500件\n★ 创建平安示范社区3个\n"
    )
    assert len(plan.nodes[0].children) == 2


def test_a_figures_own_words_stay_with_it():
    (indicator,) = extract_indicators("投入使用充电桩200个。")
    assert (indicator.name, indicator.value) == ("投入使用充电桩", 200)


def test_a_score_aimed_for_is_a_target():
    (indicator,) = extract_indicators("测评力争得95分以上。")
    assert (indicator.value, indicator.unit, indicator.comparator) == (95, "分", "gte")


# --- the fourth review's cases ------------------------------------------------------------


def test_a_schedule_column_named_工作进度安排_holds_deadlines():
    (plan,) = parse_document(
        "青松路街道2025年重点项目\n| 序号 | 项目名称 | 牵头部门 | 工作进度安排 |\n"
        "| 1 | 街区更新 | 管理办 | 3月完成方案设计，6月开工，11月完工 |\n"
        "| 2 | 邻里汇提升 | 自治办 | 4月启动改造，9月完成 |\n"
    ).plans
    assert [(n.lead, n.due) for n in plan.nodes] == [
        ("管理办", dt.date(2025, 11, 30)),
        ("自治办", dt.date(2025, 9, 30)),
    ]


def test_a_word_task_heading_ending_in_计划_is_a_heading():
    import io

    import docx

    from apps.importer.reading import decode_document

    document = docx.Document()
    document.add_paragraph("青松路街道2025年社区治理工作要点")
    for level, text in [
        (1, "主要目标"),
        (1, "重点任务"),
        (2, "深化居民区自治共治"),
        (2, "实施社区工作者能力提升计划"),
        (2, "推进美丽楼组创建"),
        (1, "保障措施"),
    ]:
        document.add_heading(text, level=level)
        document.add_paragraph("全年实施项目10个。")
    buffer = io.BytesIO()
    document.save(buffer)
    (plan,) = parse_document(decode_document(buffer.getvalue(), filename="p.docx")).plans
    assert titles(plan.nodes[1].children) == [
        "深化居民区自治共治",
        "实施社区工作者能力提升计划",
        "推进美丽楼组创建",
    ]


def test_a_unit_cell_naming_the_towns_is_no_signature():
    plan = only_plan(
        "青松区2025年民生实事项目表\n序号\n项目名称\n牵头单位\n完成时限\n"
        "1\n新建长者食堂10家\n区民政局、各街镇\n2025年10月\n2\n新建口袋公园5座\n区绿化局、各街镇\n2025年12月\n"
    )
    assert [n.due for n in plan.nodes] == [dt.date(2025, 10, 31), dt.date(2025, 12, 31)]


def test_a_headline_with_a_colon_is_the_title():
    plan = only_plan(
        "长宁区新华路街道：2025年十大民生实事项目出炉\n一、养老服务\n1.新建长者食堂2家。\n"
    )
    assert (plan.title, plan.subdistrict) == (
        "长宁区新华路街道：2025年十大民生实事项目出炉",
        "新华路街道",
    )


@pytest.mark.parametrize("when", ["每月第二周周六", "每月20日", "每季度1期"])
def test_a_recurring_time_is_no_deadline(when):
    plan = only_plan(
        f"青松路街道2025年志愿服务活动计划\n一、常态化服务\n1．开展公益讲座。（时间：{when}）\n"
    )
    assert plan.nodes[0].children[0].due_text == ""


# --- the fifth review's cases -------------------------------------------------------------


def test_a_portals_footer_ends_the_plan_but_still_names_the_district():
    plan = only_plan(
        "罗店镇2025年民生实事项目\n一、新建社区长者食堂2家。\n二、新增公共厕所5座。\n"
        "主办：上海市宝山区罗店镇人民政府  沪ICP备05001234号\n"
    )
    assert (plan.subdistrict, plan.district) == ("罗店镇", "宝山区")
    assert "主办" not in plan.nodes[-1].text


def test_headline_figures_before_items_counted_in_words_are_kept():
    plan = only_plan(
        "海岛乡2025年工作计划\n\n全乡主要经济指标：农村居民人均可支配收入达到3.2万元，接待游客35万人次。\n"
        "第一，做优生态农业。培育家庭农场10家。\n第二，做强乡村旅游。新增精品民宿20家。\n"
    )
    assert [i.value for i in plan.nodes[0].indicators] == [32000, 350000]
