"""How a plan's text is laid out: numbering, bullets, labels, tables, and conversion debris."""

from decimal import Decimal

import pytest

from apps.importer.parser import parse_document
from apps.importer.types import DocumentError


def only_plan(text):
    (plan,) = parse_document(text).plans
    return plan


def titles(nodes):
    return [n.title for n in nodes]


def numbers(nodes):
    return [n.number for n in nodes]


def figures(node):
    return [(i.value, i.unit) for i in node.indicators]


def all_figures(plan):
    return [(i.value, i.unit) for n in plan.walk() for i in n.indicators]


# --- numbering -----------------------------------------------------------------------------


def test_it_reads_every_numbering_level_from_one_long_line():
    plan = only_plan(
        "青松路街道2024年工作要点 一、抓党建 （一）强基础 1.建强支部。完成5个支部标准化建设。"
        " 2.育人才。 （二）优服务 1.办实事。 二、抓民生 （一）保就业 1.稳岗位。"
    )
    assert titles(plan.nodes) == ["抓党建", "抓民生"]
    assert titles(plan.nodes[0].children) == ["强基础", "优服务"]
    assert titles(plan.nodes[0].children[0].children) == ["建强支部", "育人才"]
    assert figures(plan.nodes[0].children[0].children[0]) == [(5, "个")]
    assert titles(plan.nodes[1].children[0].children) == ["稳岗位"]


def test_it_splits_yi_shi_er_shi_inside_a_paragraph_into_sub_tasks():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、优化营商环境\n"
        "（一）做好企业服务。一是走访企业，全年走访200家。二是解决诉求，建立办结台账。\n"
    )
    service = plan.nodes[0].children[0]
    assert numbers(service.children) == ["一是", "二是"]
    assert titles(service.children) == ["走访企业，全年走访200家", "解决诉求，建立办结台账"]


def test_yi_shi_numbering_that_runs_on_across_groups_stays_under_each_group():
    plan = only_plan(
        "白沙镇2024年工作要点\n一、抓党建\n一是强基础，建强支部。\n二是育人才，培养骨干。\n"
        "二、抓民生\n三是办实事，完成改造。\n四是保就业，稳定岗位。\n"
    )
    assert titles(plan.nodes) == ["抓党建", "抓民生"]
    assert numbers(plan.nodes[0].children) == ["一是", "二是"]
    assert numbers(plan.nodes[1].children) == ["三是", "四是"]


def test_a_group_line_with_its_number_and_title_on_one_line_holds_the_arrow_items():
    plan = only_plan(
        "青松路街道2024年民生实事项目\n01 交通畅行\n▶新建停车泊位200个\n▶改造人行道2公里\n"
        "02 环境美化\n▶新建口袋公园3个\n"
    )
    assert numbers(plan.nodes) == ["01", "02"]
    assert titles(plan.nodes) == ["交通畅行", "环境美化"]
    assert titles(plan.nodes[0].children) == ["新建停车泊位200个", "改造人行道2公里"]
    assert figures(plan.nodes[1].children[0]) == [(3, "个")]


def test_a_group_number_alone_on_a_line_takes_the_next_line_as_its_title():
    plan = only_plan(
        "青松路街道2024年民生实事项目\n01\n交通畅行\n▶新建停车泊位200个\n▶改造人行道2公里\n"
        "02\n环境美化\n▶新建口袋公园3个\n"
    )
    assert numbers(plan.nodes) == ["01", "02"]
    assert titles(plan.nodes) == ["交通畅行", "环境美化"]
    assert titles(plan.nodes[1].children) == ["新建口袋公园3个"]


def test_short_unnumbered_title_lines_head_the_paragraphs_below_them():
    plan = only_plan(
        "云岭乡2024年工作计划\n党建引领\n"
        "坚持以党建引领基层治理，推动村级党组织标准化建设，全年完成12个村党组织规范化建设任务。\n"
        "产业发展\n"
        "持续壮大茶叶特色产业，新建高标准茶园500亩，培育茶叶加工企业3家，带动农户增收致富。\n"
    )
    assert titles(plan.nodes) == ["党建引领", "产业发展"]
    assert plan.nodes[0].text.startswith("坚持以党建引领基层治理")
    assert figures(plan.nodes[1]) == [(500, "亩"), (3, "家")]


@pytest.mark.parametrize("bullet", ["·", "●", "▶", "☑", "■", "▲", "◆", "*"])
def test_it_reads_each_bullet_as_an_item(bullet):
    plan = only_plan(
        f"青松路街道2024年工作要点\n一、办好民生实事\n{bullet}完成30户适老化改造。\n"
        f"{bullet}新建2个睦邻点。\n"
    )
    assert titles(plan.nodes[0].children) == ["完成30户适老化改造", "新建2个睦邻点"]


def test_several_dot_items_on_one_line_are_split_but_a_dot_inside_quotes_is_not():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、办好民生实事\n"
        "·完成30户适老化改造·新建2个睦邻点·开设“青松·邻里”议事厅\n"
    )
    assert titles(plan.nodes[0].children) == [
        "完成30户适老化改造",
        "新建2个睦邻点",
        "开设“青松·邻里”议事厅",
    ]


def test_label_paragraphs_become_tasks_titled_by_their_label():
    plan = only_plan(
        "白沙镇2024年工作计划\n党建工作：坚持党建引领，完成12个村级支部标准化建设。\n"
        "经济工作：全年引进企业50家，完成固定资产投资2亿元。\n"
    )
    assert titles(plan.nodes) == ["党建工作", "经济工作"]
    assert figures(plan.nodes[1]) == [(50, "家"), (200000000, "元")]


# --- tables --------------------------------------------------------------------------------


def test_it_reads_a_table_with_bar_separated_rows():
    plan = only_plan(
        "青松路街道2024年重点项目\n| 序号 | 项目名称 | 牵头单位 | 完成时限 |\n"
        "| 1 | 青松公园改造 | 管理办 | 2024年9月 |\n| 2 | 社区食堂建设 | 服务办 | 2024年12月 |\n"
    )
    assert numbers(plan.nodes) == ["1", "2"]
    assert titles(plan.nodes) == ["青松公园改造", "社区食堂建设"]


def test_it_reads_a_table_broken_one_cell_per_line_with_a_header_cell_over_two_lines():
    plan = only_plan(
        "青松路街道2024年重点项目\n序号\n项目名称\n责任\n单位\n完成时限\n"
        "1\n青松公园改造\n管理办\n2024年9月\n2\n社区食堂建设\n服务办\n2024年12月\n"
    )
    assert titles(plan.nodes) == ["青松公园改造", "社区食堂建设"]
    assert [n.lead for n in plan.nodes] == ["管理办", "服务办"]


def test_it_reads_a_table_whose_columns_are_separated_by_spaces():
    plan = only_plan(
        "白沙镇2024年主要指标\n序号 指标名称 单位 年度目标\n1 新增就业岗位 个 1200\n2 新建农村公路 公里 15\n"
    )
    assert titles(plan.nodes) == ["新增就业岗位", "新建农村公路"]
    assert [figures(n) for n in plan.nodes] == [[(1200, "个")], [(15, "公里")]]


def test_a_target_cell_with_several_figures_names_each_by_its_own_words():
    plan = only_plan(
        "白沙镇2025年重点工作推进表\n| 序号 | 工作项目 | 年度目标 | 责任部门 |\n"
        "| 1 | 河道综合整治 | 整治中小河道12条，新建生态护岸18.6公里 | 水务站 |\n"
        "| 2 | 就业援助 | 新增就业岗位不少于2000个 | 服务办 |\n"
    )
    rivers, jobs = plan.nodes
    assert [(i.name, i.value, i.unit) for i in rivers.indicators] == [
        ("整治中小河道", 12, "条"),
        ("新建生态护岸", Decimal("18.6"), "公里"),
    ]
    # One figure is the row's own target.
    assert [(i.name, i.value, i.comparator) for i in jobs.indicators] == [("就业援助", 2000, "gte")]


def test_a_tab_row_under_a_merged_category_cell_keeps_its_columns():
    plan = only_plan(
        "青松路街道2025年民生实事项目\n类别\t序号\t项目名称\t年度目标\t牵头单位\t完成时限\n"
        "养老服务\t1\t长者食堂\t新建长者食堂1家\t服务办\t2025年9月\n"
        "\t2\t适老化改造\t完成居家适老化改造100户\t服务办\t2025年12月\n"
        "城市更新\t3\t加装电梯\t完成加装电梯20台\t管理办\t2025年12月\n"
    )
    assert titles(plan.nodes) == ["养老服务", "城市更新"]
    care = plan.nodes[0].children
    assert (titles(care), [n.lead for n in care]) == (["长者食堂", "适老化改造"], ["服务办"] * 2)
    assert str(care[1].due) == "2025-12-31"


@pytest.mark.parametrize(
    "rows",
    [
        "序号\t工作任务\t具体内容\t牵头单位\t配合单位\t完成时限\n"
        "1\t美丽家园建设\t完成政立路、国权路\t管理办\t房管办、\t2025年\n"
        "\t\t等老旧小区改造5个，涉及建筑\t\t物业公司\t11月\n"
        "\t\t面积约12万平方米\t\t\t\n"
        "2\t违法建筑治理\t拆除违法建筑3000平方米\t城管中队\t\t2025年9月\n",
        "| 序号 | 工作任务 | 具体内容 | 牵头单位 | 配合单位 | 完成时限 |\n"
        "| 1 | 美丽家园建设 | 完成政立路、国权路 | 管理办 | 房管办、 | 2025年 |\n"
        "|  |  | 等老旧小区改造5个，涉及建筑 |  | 物业公司 | 11月 |\n"
        "|  |  | 面积约12万平方米 |  |  |  |\n"
        "| 2 | 违法建筑治理 | 拆除违法建筑3000平方米 | 城管中队 |  | 2025年9月 |\n",
    ],
)
def test_cells_wrapped_onto_the_rows_below_join_their_row(rows):
    plan = only_plan(f"青松路街道2025年重点工作任务分解表\n{rows}")
    homes, buildings = plan.nodes
    assert titles(plan.nodes) == ["美丽家园建设", "违法建筑治理"]
    assert not homes.children
    assert "国权路等老旧小区改造5个，涉及建筑面积约12万平方米" in homes.text
    assert figures(homes) == [(5, "个"), (120000, "平方米")]
    assert (homes.lead, homes.partners, str(homes.due)) == (
        "管理办",
        ["房管办", "物业公司"],
        "2025-11-30",
    )
    assert buildings.lead == "城管中队"


def test_a_target_column_in_words_leaves_the_figures_to_the_rows_measures():
    plan = only_plan(
        "青松路街道2025年重点工作任务分解表\n| 序号 | 工作任务 | 具体措施 | 目标要求 | 牵头单位 |\n"
        "| 1 | 党建引领 | 推进红色物业建设，覆盖小区40个。 | 党建引领作用进一步增强 | 党建办 |\n"
    )
    assert figures(plan.nodes[0]) == [(40, "个")]


def test_it_reads_a_table_whose_cells_run_together_without_separators():
    plan = only_plan(
        "青松路街道2024年重点项目\n"
        "序号项目名称主要内容牵头单位1青松公园改造新建健身步道2公里管理办2社区食堂建设新建食堂1处服务办\n"
    )
    assert numbers(plan.nodes) == ["1", "2"]
    assert plan.nodes[0].title.startswith("青松公园改造")
    assert "社区食堂" not in plan.nodes[0].title + plan.nodes[0].text
    assert plan.nodes[1].title.startswith("社区食堂建设")


def test_a_grouping_column_makes_sections_of_the_rows():
    plan = only_plan(
        "青松路街道2024年重点项目\n| 类别 | 序号 | 项目名称 | 牵头单位 |\n"
        "| 民生保障 | 1 | 社区食堂建设 | 服务办 |\n|  | 2 | 适老化改造 | 服务办 |\n"
        "| 城市管理 | 3 | 背街小巷整治 | 管理办 |\n"
    )
    assert titles(plan.nodes) == ["民生保障", "城市管理"]
    assert titles(plan.nodes[0].children) == ["社区食堂建设", "适老化改造"]
    assert titles(plan.nodes[1].children) == ["背街小巷整治"]


def test_a_project_whose_name_spans_several_rows_stays_one_task_with_sub_items():
    plan = only_plan(
        "青松路街道2024年重点项目\n| 序号 | 项目名称 | 主要内容 | 牵头单位 |\n"
        "| 1 | 美丽家园建设 | 完成3个小区综合改造 | 管理办 |\n"
        "|  |  | 新建2处口袋公园 |  |\n|  |  | 更新100个充电桩 |  |\n"
        "| 2 | 社区食堂建设 | 新建1处社区食堂 | 服务办 |\n"
    )
    assert titles(plan.nodes) == ["美丽家园建设", "社区食堂建设"]
    assert titles(plan.nodes[0].children) == [
        "完成3个小区综合改造",
        "新建2处口袋公园",
        "更新100个充电桩",
    ]
    assert plan.nodes[0].lead == "管理办"


# --- conversion debris ---------------------------------------------------------------------


def test_a_heading_wrapped_by_a_pdf_is_joined_back():
    plan = only_plan(
        "青松路街道2024年工作要点\n"
        "一、坚持党建引领基层治理，持续深化美好社区建设，全面提升居民群众的获得\n"
        "感和幸福感\n1.建强支部。\n2.育好人才。\n"
    )
    assert titles(plan.nodes) == [
        "坚持党建引领基层治理，持续深化美好社区建设，全面提升居民群众的获得感和幸福感"
    ]
    assert titles(plan.nodes[0].children) == ["建强支部", "育好人才"]


@pytest.mark.parametrize("marker", ["— 2 —", "- 3 -"])
def test_page_markers_leave_no_trace(marker):
    plan = only_plan(
        f"青松路街道2024年工作要点\n一、办好民生实事\n1.完成30户适老化改造。\n{marker}\n"
        "2.新建2个睦邻点。\n"
    )
    assert titles(plan.nodes[0].children) == ["完成30户适老化改造", "新建2个睦邻点"]
    assert all_figures(plan) == [(30, "户"), (2, "个")]
    assert not any(marker in n.title + n.text for n in plan.walk())


def test_a_stray_page_number_in_the_middle_of_a_sentence_is_dropped():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、改善居住环境\n"
        "1.推进小区改造。全年完成3个小区雨污分流改造，同步实施老旧住宅屋面防水和外墙立面\n"
        "2、修缮，惠及居民1500户。\n2.新建2个睦邻点。\n"
    )
    items = plan.nodes[0].children
    assert numbers(items) == ["1.", "2."]
    assert (
        items[0].text
        == "全年完成3个小区雨污分流改造，同步实施老旧住宅屋面防水和外墙立面修缮，惠及居民1500户。"
    )


def test_items_numbered_n_dun_stay_apart_when_they_end_in_a_bracket_or_no_full_stop():
    # A 民生实事 list: each item ends in its lead and deadline in brackets, or in no full
    # stop at all, and is long; it is still an item, not a page number left in the text.
    bracketed = only_plan(
        "青松镇2025年民生实事项目\n"
        "1、新建2家社区长者食堂，新增助餐点5个。（牵头部门：社会事业办；完成时限：2025年6月底）\n"
        "2、新增公共停车泊位400个。（牵头部门：城运中心；完成时限：2025年12月底）\n"
        "3、完成农村危旧房改造60户。（牵头部门：农业服务中心；完成时限：2025年10月底）\n"
    )
    unstopped = only_plan(
        "青松镇2025年民生实事项目\n"
        "1、新建2家社区长者食堂，新增助餐点5个，为辖区80岁以上老人提供助餐服务不少于2万人次\n"
        "2、新增公共停车泊位400个，新建智慧停车场2处，完成老旧小区停车改造项目10个\n"
        "3、完成农村危旧房改造60户\n"
    )
    assert numbers(bracketed.nodes) == numbers(unstopped.nodes) == ["1、", "2、", "3、"]
    assert [n.lead for n in bracketed.nodes] == ["社会事业办", "城运中心", "农业服务中心"]
    assert figures(unstopped.nodes[1]) == [(400, "个"), (2, "处"), (10, "个")]


def test_yi_shi_er_shi_in_one_paragraph_under_a_heading_are_siblings():
    plan = only_plan(
        "华新镇2025年工作计划\n一、推动经济量质齐升\n"
        "一是抓好主要指标。全年实现规上工业总产值120亿元。二是抓好招商引资。新增规上工业企业5家以上。"
        "三是抓好科技创新。新认定高新技术企业15家。\n"
        "二、增进百姓福祉\n"
        "一是办好教育卫生。新建幼儿园1所。二是丰富文化生活。全年开展文化惠民活动不少于100场次。\n"
    )
    economy, welfare = plan.nodes
    assert numbers(economy.children) == ["一是", "二是", "三是"]
    assert titles(welfare.children) == ["办好教育卫生", "丰富文化生活"]
    assert [figures(n) for n in welfare.children] == [[(1, "所")], [(100, "场次")]]
    assert not any(n.children for n in economy.children + welfare.children)


TASK_TABLE_ROWS = [
    ("序号", "工作任务", "具体措施", "牵头科室", "配合科室", "完成时限"),
    ("一、经济发展",),
    (
        "1",
        "稳定经济增长",
        "全年完成税收收入12亿元，同比增长3%",
        "经济发展办",
        "财政所",
        "2025年12月底前",
    ),
    (
        "2",
        "优化营商环境",
        "走访重点企业不少于200家",
        "营商办",
        "经济发展办、市场监管所",
        "长期坚持",
    ),
    ("二、城乡建设",),
    ("3", "河道综合整治", "整治河道15条", "河长办", "水务站", "2025年6月底"),
]


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param(lambda row: "\t".join(row), id="tabs"),
        pytest.param(lambda row: "\t".join(row + ("",) * (6 - len(row))), id="tabs, empty cells"),
        pytest.param(lambda row: "|".join(row), id="pipes"),
        pytest.param(lambda row: "\n".join(row), id="one cell per line"),
    ],
)
def test_group_rows_inside_a_task_table_are_its_sections(layout):
    plan = only_plan(
        "杨行镇2025年重点工作任务分解表\n" + "\n".join(layout(row) for row in TASK_TABLE_ROWS)
    )
    economy, building = plan.nodes
    assert (economy.title, building.title) == ("经济发展", "城乡建设")
    assert titles(economy.children) == ["稳定经济增长", "优化营商环境"]
    growth, business = economy.children
    assert (growth.lead, growth.partners, growth.due_text) == (
        "经济发展办",
        ["财政所"],
        "2025年12月底前",
    )
    assert business.partners == ["经济发展办", "市场监管所"]
    assert figures(growth) == [(1_200_000_000, "元"), (3, "%")]
    assert titles(building.children) == ["河道综合整治"]


def test_one_line_with_tabs_is_not_a_table():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、改善居住环境\n1.推进小区改造。完成3个小区雨污分流改造。\n"
        "牵头科室：\t管理办\t完成时限：\t2024年10月底\n"
    )
    task = plan.nodes[0].children[0]
    assert (task.lead, task.due_text) == ("管理办", "2024年10月底")


def test_a_table_header_repeated_on_the_next_page_is_not_a_row():
    plan = only_plan(
        "青松路街道2024年重点项目\n| 序号 | 项目名称 | 牵头单位 |\n| 1 | 青松公园改造 | 管理办 |\n"
        "— 2 —\n| 序号 | 项目名称 | 牵头单位 |\n| 2 | 社区食堂建设 | 服务办 |\n"
    )
    assert titles(plan.nodes) == ["青松公园改造", "社区食堂建设"]


def test_a_header_repeated_in_a_table_broken_one_cell_per_line_is_not_a_row():
    plan = only_plan(
        "青松路街道2024年重点项目\n序号\n项目名称\n牵头单位\n完成时限\n"
        "1\n青松公园改造\n管理办\n2024年9月\n— 2 —\n序号\n项目名称\n牵头单位\n完成时限\n"
        "2\n社区食堂建设\n服务办\n2024年12月\n"
    )
    assert titles(plan.nodes) == ["青松公园改造", "社区食堂建设"]
    assert [n.lead for n in plan.nodes] == ["管理办", "服务办"]


def test_web_page_furniture_is_not_part_of_the_plan():
    plan = only_plan(
        "当前位置: 首页 > 信息公开 > 计划规划\n索引号 | QS-2024-0012 |\n发布机构 | 青松路街道办事处 |\n"
        "浏览次数: 128\n青松路街道2024年工作要点\n正文图片\n一、抓党建\n1.完成12个支部标准化建设。\n分享到\n"
    )
    assert plan.title == "青松路街道2024年工作要点"
    assert titles(plan.nodes) == ["抓党建"]
    assert titles(plan.nodes[0].children) == ["完成12个支部标准化建设"]
    assert all_figures(plan) == [(12, "个")]


def test_a_space_between_a_number_and_its_unit_is_ignored():
    plan = only_plan("白沙镇2024年工作要点\n一、抓项目\n1.完成固定资产投资1687 万元。\n")
    (indicator,) = plan.nodes[0].children[0].indicators
    assert (indicator.value, indicator.unit) == (Decimal(16870000), "元")


def test_plain_prose_without_any_list_gives_one_task_per_paragraph():
    plan = only_plan(
        "今年，云岭乡将坚持稳中求进，做好各项民生服务。\n"
        "推进农村人居环境整治，完成5个村庄道路硬化。\n"
        "加强基层社会治理，新建2个村级调解室。\n"
    )
    assert titles(plan.nodes) == [
        "今年，云岭乡将坚持稳中求进，做好各项民生服务",
        "推进农村人居环境整治，完成5个村庄道路硬化",
        "加强基层社会治理，新建2个村级调解室",
    ]


def test_a_file_with_only_page_furniture_is_refused():
    with pytest.raises(DocumentError):
        parse_document("— 1 —\n分享到\n浏览次数: 20\n")


# --- targets in the preamble ---------------------------------------------------------------


def test_the_expected_targets_before_the_first_heading_become_a_first_task():
    plan = only_plan(
        "青松路街道2025年工作要点\n主要预期目标：新增就业岗位1200个，引进企业50家。\n"
        "一、抓党建\n1.建强支部。\n"
    )
    assert titles(plan.nodes) == ["主要预期目标", "抓党建"]
    assert figures(plan.nodes[0]) == [(1200, "个"), (50, "家")]


def test_two_columns_of_the_same_kind_are_both_kept():
    plan = only_plan(
        "白沙镇2024年重点工作任务表\n序号 | 工作任务 | 具体措施 | 责任单位 | 完成时限\n"
        "1 | 发展特色农业 | 新建大棚50个 | 农业办 | 2024年9月\n"
    )
    (task,) = plan.nodes
    assert (task.title, task.text, task.lead) == ("发展特色农业", "新建大棚50个", "农业办")
    assert [(i.value, i.unit) for i in task.indicators] == [(50, "个")]


def test_a_one_cell_row_groups_the_rows_below_and_outline_numbers_nest():
    plan = only_plan(
        "白沙镇2024年重点工作任务表\n序号 | 工作任务 | 目标要求 | 牵头单位 | 完成时限\n"
        "一、产业发展 |  |  |  | \n"
        "1 | 发展茶叶产业 | 新增茶园500亩 | 农业办 | 2024年10月\n"
        "1.1 | 建设茶叶加工厂 | 新建厂房1座 | 经发办 | 2024年6月\n"
        "二、民生保障 |  |  |  | \n"
        "2 | 改善农村道路 | 硬化道路12公里 | 建设办 | 三季度\n"
    )
    assert titles(plan.nodes) == ["产业发展", "民生保障"]
    tea = plan.nodes[0].children[0]
    assert (tea.title, titles(tea.children)) == ("发展茶叶产业", ["建设茶叶加工厂"])
    assert titles(plan.nodes[1].children) == ["改善农村道路"]


def test_parenthesised_digit_characters_number_items():
    plan = only_plan("白沙镇2024年工作要点\n一、发展产业\n⑴新建大棚50个。\n⑵培育合作社3家。\n")
    assert [(c.number, c.title) for c in plan.nodes[0].children] == [
        ("⑴", "新建大棚50个"),
        ("⑵", "培育合作社3家"),
    ]


def test_text_printed_with_hard_line_breaks_is_joined_back_into_sentences():
    paragraph = (
        "全年完成税收收入12亿元，同比增长3%，走访重点企业不少于200家，企业诉求办结率达到100%，"
        "新引进优质企业50家，其中高新技术企业不少于10家，完成低效用地减量50亩，盘活存量厂房3万平方米，"
        "推进城市更新项目5个，完成老旧小区改造8万平方米，新增公共停车泊位400个，"
        "建成社区长者食堂3家，新增养老床位100张，开展文化惠民活动不少于100场次，"
        "新增就业岗位1500个，城镇登记失业人数控制在800人以内。"
    )
    wrapped = "\n".join(paragraph[i : i + 28] for i in range(0, len(paragraph), 28))
    plan = only_plan(f"青松镇2025年工作要点\n一、经济发展\n1.稳增长。\n{wrapped}\n2.惠民生。\n")
    growth = plan.nodes[0].children[0]
    assert growth.text == paragraph
    assert (400, "个") in figures(growth) and (80000, "平方米") in figures(growth)


def test_an_unnumbered_group_with_one_headed_paragraph_holds_one_task():
    plan = only_plan(
        "庙行镇2025年工作思路\n"
        "坚持发展第一要务，在稳增长上下功夫\n"
        "稳住经济基本盘。全年区级税收力争实现8.5亿元，同比增长5%以上，新增注册企业不少于600户。\n"
        "盘活存量资源。完成低效产业用地转型20亩，盘活闲置楼宇面积2万平方米，引进优质项目。\n"
        "坚持安全底线，在防风险上强保障\n"
        "筑牢安全防线。全年开展应急演练不少于6次。\n"
    )
    growth, safety = plan.nodes
    assert titles(growth.children) == ["稳住经济基本盘", "盘活存量资源"]
    assert safety.title == "坚持安全底线，在防风险上强保障"
    assert titles(safety.children) == ["筑牢安全防线"]
    assert figures(safety.children[0]) == [(6, "次")]


def test_a_markdown_table_line_under_the_header_is_not_a_row():
    plan = only_plan(
        "青松路街道2024年重点项目\n| 序号 | 项目名称 | 牵头单位 |\n| --- | :---: | --- |\n"
        "| 1 | 青松公园改造 | 管理办 |\n| 2 | 社区食堂建设 | 服务办 |\n"
    )
    assert titles(plan.nodes) == ["青松公园改造", "社区食堂建设"]


def test_a_target_column_headed_mubiao_zhibiao_is_not_part_of_the_name():
    plan = only_plan(
        "花木街道2025年重点工作项目清单\n| 序号 | 重点任务 | 目标指标 | 责任单位 |\n"
        "| 1 | 加装电梯 | 完成既有多层住宅加装电梯50台 | 城建中心 |\n"
    )
    (lift,) = plan.nodes
    assert lift.title == "加装电梯"
    assert [(i.value, i.unit) for i in lift.indicators] == [(50, "台")]


def test_a_group_heading_in_lenticular_brackets_holds_the_items_below_it():
    plan = only_plan(
        "青松镇2025年工作要点\n【聚焦经济发展】\n1.稳增长。全年完成税收12亿元。\n"
        "2.优环境。走访企业200家。\n【聚焦民生保障】\n1.新增养老床位100张。\n【打印】\n"
    )
    assert titles(plan.nodes) == ["聚焦经济发展", "聚焦民生保障"]
    assert titles(plan.nodes[0].children) == ["稳增长", "优环境"]
    assert titles(plan.nodes[1].children) == ["新增养老床位100张"]


def test_a_numbered_heading_after_a_table_is_the_next_section_not_a_group_row():
    plan = only_plan(
        "青松街道2025年工作计划\n一、重点任务\n| 序号 | 工作任务 | 牵头科室 | 完成时限 |\n"
        "| 1 | 抓好招商引资 | 经济发展办 | 2025年12月底 |\n| 2 | 优化营商环境 | 营商办 | 长期坚持 |\n"
        "二、保障措施\n1.加强组织领导。成立工作专班。\n2.强化督查考核\n"
    )
    assert titles(plan.nodes) == ["重点任务", "保障措施"]
    assert titles(plan.nodes[0].children) == ["抓好招商引资", "优化营商环境"]
    assert titles(plan.nodes[1].children) == ["加强组织领导", "强化督查考核"]


def test_a_list_of_yi_shi_inside_a_yi_shi_item_stays_inside_it():
    plan = only_plan(
        "青松镇2025年工作计划\n一、加强党的建设\n"
        "一是强化理论武装，重点抓好三项工作：一是开展集中学习12次；二是组织专题培训4期；"
        "三是开展考核评估2次。\n二是夯实基层基础。新建党群服务站3个。\n"
    )
    theory, base = plan.nodes[0].children
    assert numbers(plan.nodes[0].children) == ["一是", "二是"]
    assert numbers(theory.children) == ["一是", "二是", "三是"]
    assert titles(base.children) == []


def test_a_bracketed_line_over_text_is_not_a_group_heading():
    plan = only_plan(
        "【政策解读】\n青松街道2025年工作要点\n一、抓党建\n1.建强支部。\n"
        "【典型案例】\n某社区开展活动，效果良好。\n二、抓民生\n1.新增床位100张。\n"
    )
    assert titles(plan.nodes) == ["抓党建", "抓民生"]


SHISHI_BLOCKS = (
    "项目名称：社区长者食堂提质扩容工程\n"
    "建设内容：新建社区长者食堂2家，改造提升助餐点5个。\n"
    "责任单位：社区服务办\n完成时间：2025年10月底\n\n"
    "项目名称：既有多层住宅加装电梯\n"
    "建设内容：全年完成加装电梯签约80台，竣工交付不少于35台。\n"
    "责任单位：社区管理办\n完成时间：2025年12月底\n"
)


def test_a_projects_block_opened_by_its_name_is_one_task():
    plan = only_plan(f"青松路街道2025年民生实事项目\n{SHISHI_BLOCKS}")
    assert titles(plan.nodes) == ["社区长者食堂提质扩容工程", "既有多层住宅加装电梯"]
    first, second = plan.nodes
    assert (first.lead, str(first.due)) == ("社区服务办", "2025-10-31")
    assert (second.lead, str(second.due)) == ("社区管理办", "2025-12-31")
    assert "新建社区长者食堂2家" in first.text
    assert all_figures(plan) == [(2, "家"), (5, "个"), (80, "台"), (35, "台")]
    assert not first.children and not second.children


def test_a_projects_block_under_its_numbered_heading_keeps_its_name_as_text():
    text = SHISHI_BLOCKS.replace("项目名称：社区", "项目一：长者食堂\n项目名称：社区").replace(
        "项目名称：既有", "项目二：加装电梯\n项目名称：既有"
    )
    plan = only_plan(f"青松路街道2025年民生实事项目\n{text}")
    assert (numbers(plan.nodes), titles(plan.nodes)) == (
        ["项目一：", "项目二："],
        ["长者食堂", "加装电梯"],
    )
    assert "社区长者食堂提质扩容工程" in plan.nodes[0].text
    assert plan.nodes[1].lead == "社区管理办"


def test_items_counted_in_words_are_items():
    plan = only_plan(
        "白沙镇2025年工作计划\n一、推进乡村振兴\n第一，建设和美乡村。推进3个示范村建设。\n"
        "第二，发展特色农业。培育家庭农场15家。\n二、保障改善民生\n第一，办好民生实事。\n"
        "第二，促进就业增收。新增就业岗位1500个。\n"
    )
    assert titles(plan.nodes[0].children) == ["建设和美乡村", "发展特色农业"]
    assert titles(plan.nodes[1].children) == ["办好民生实事", "促进就业增收"]
    assert figures(plan.nodes[1].children[1]) == [(1500, "个")]


def test_a_web_pages_frame_around_the_plan_is_left_out():
    plan = only_plan(
        "您当前的位置：首页 >> 信息公开 >> 规划计划\n"
        "标　　题：青松路街道2024年工作计划\n文　　号：青松街〔2024〕2号\n"
        "青松路街道2024年工作计划\n点击数：892　　更新时间：2024-01-29 09:30\n"
        "一、经济发展\n1.全年完成区级税收收入9.5亿元。\n2.新增注册企业不少于350户。\n"
        "【我要纠错】　　【收藏本页】\n主办：青松路街道办事处　　联系电话：021-62180000\n"
        "沪ICP备12345678号\n版权所有：青松路街道办事处　　网站标识码：3100000012\n"
    )
    assert (plan.title, str(plan.published_on), plan.doc_number) == (
        "青松路街道2024年工作计划",
        "2024-01-29",
        "青松街〔2024〕2号",
    )
    assert titles(plan.nodes) == ["经济发展"]
    last = plan.nodes[0].children[-1]
    assert (last.title, last.text) == ("新增注册企业不少于350户", "")


SPACED_TABLE = (
    "白沙镇2024年主要指标任务表\n\n"
    "序号  类别        指标名称          年度目标      牵头单位\n"
    "1     经济发展    区级税收收入      4.5亿元       经济发展办\n"
    "2                 新增注册企业      不少于800户   营商办\n"
    "      小计        2项\n"
    "3     社会民生    新增就业岗位      1500个        社区服务办\n"
    "4     社会民生    新增养老床位      60张          社区卫生服务中心 民政办\n"
    "合计              4项\n"
)


def test_a_table_aligned_with_spaces_keeps_each_cell_under_its_column():
    plan = only_plan(SPACED_TABLE)
    assert titles(plan.nodes) == ["经济发展", "社会民生"]
    economy, society = (n.children for n in plan.nodes)
    assert titles(economy) == ["区级税收收入", "新增注册企业"]
    assert [n.lead for n in economy] == ["经济发展办", "营商办"]
    assert figures(economy[1]) == [(800, "户")]
    assert titles(society) == ["新增就业岗位", "新增养老床位"]


@pytest.mark.parametrize("total", ["合计", "小计", "总计"])
def test_a_tables_total_row_is_no_task(total):
    plan = only_plan(
        "白沙镇2024年主要指标任务表\n| 序号 | 指标名称 | 年度目标 | 牵头单位 |\n"
        "| 1 | 区级税收收入 | 4.5亿元 | 经济发展办 |\n| 2 | 新增就业岗位 | 1500个 | 服务办 |\n"
        f"| {total} | 2项 |  |  |\n"
    )
    assert titles(plan.nodes) == ["区级税收收入", "新增就业岗位"]
    assert all_figures(plan) == [(450_000_000, "元"), (1500, "个")]


def test_a_table_after_a_list_of_items_stands_beside_them():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、抓好民生保障\n1.新增养老床位35张。\n2.新建长者食堂1家。\n"
        "| 项目名称 | 建设内容 | 责任单位 | 完成时间 |\n"
        "| 口袋公园 | 新建口袋公园2座 | 管理办 | 2024年10月 |\n"
        "| 睦邻中心 | 改造睦邻点10个 | 自治办 | 2024年11月 |\n"
    )
    assert titles(plan.nodes[0].children) == [
        "新增养老床位35张",
        "新建长者食堂1家",
        "口袋公园",
        "睦邻中心",
    ]


def test_a_table_announced_by_its_item_is_that_items_breakdown():
    plan = only_plan(
        "青松路街道2024年工作要点\n一、抓好民生保障\n1.新增养老床位35张。\n"
        "2.实施民生实事项目，具体如下：\n"
        "| 项目名称 | 建设内容 | 责任单位 |\n| 口袋公园 | 新建口袋公园2座 | 管理办 |\n"
        "| 睦邻中心 | 改造睦邻点10个 | 自治办 |\n"
    )
    assert titles(plan.nodes[0].children[1].children) == ["口袋公园", "睦邻中心"]


def test_a_cell_per_line_table_finds_its_groups_and_its_empty_cells():
    plan = only_plan(
        "青松路街道2024年重点工作任务表\n序号\n类别\n工作任务\n牵头单位\n配合单位\n完成时限\n"
        "1\n经济发展\n区级税收收入4.1亿元\n经济发展办\n财务所\n2024年12月\n"
        "2\n新增注册企业500户\n营商办\n2024年11月\n"  # its group's cell merged, its partner empty
        "3\n社会民生\n新增养老床位40张\n服务办\n卫生中心\n2024年10月\n"
    )
    assert titles(plan.nodes) == ["经济发展", "社会民生"]
    first, second = plan.nodes[0].children
    assert titles([first, second]) == ["区级税收收入4.1亿元", "新增注册企业500户"]
    assert (second.lead, second.partners, str(second.due)) == ("营商办", [], "2024-11-30")


def test_parts_hold_chapters_which_hold_sections():
    plan = only_plan(
        "白沙镇2025年工作计划\n第一部分 重点工作任务\n第一章 推动产业转型\n"
        "第一节 加快项目建设\n（一）推进园区建设。全年新开工项目不少于6个。\n"
        "第二节 优化营商服务\n（一）强化招商引资。引进企业20家。\n第二章 增进民生福祉\n"
        "（一）完善养老服务。新增养老床位150张。\n"
    )
    (part,) = plan.nodes
    assert titles(part.children) == ["推动产业转型", "增进民生福祉"]
    assert titles(part.children[0].children) == ["加快项目建设", "优化营商服务"]
    assert titles(part.children[0].children[1].children) == ["强化招商引资"]


def test_the_years_of_a_multi_year_plan_number_its_phases():
    plan = only_plan(
        "青松路街道三年行动计划（2024—2026年）\n一、重点任务\n"
        "1．2024年：完成2处设施选址。\n2．2025年：建成设施1处。\n3．2026年：全部投入使用。\n"
    )
    assert numbers(plan.nodes[0].children) == ["1.", "2.", "3."]
    assert [figures(n) for n in plan.nodes[0].children] == [[(2, "处")], [(1, "处")], []]


def test_short_lines_ending_in_a_colon_head_the_text_below_them():
    plan = only_plan(
        "青松路街道2025年工作要点\n一、守牢安全底线\n安全生产方面：\n开展隐患排查2000家次。\n"
        "消防安全方面：\n建成微型消防站5个。\n二、提升城区品质\n具体目标如下：\n新建口袋公园2座。\n"
    )
    assert titles(plan.nodes[0].children) == ["安全生产方面", "消防安全方面"]
    assert [figures(n) for n in plan.nodes[0].children] == [[(2000, "家次")], [(5, "个")]]
    assert not plan.nodes[1].children


def test_markdown_a_converter_left_does_not_hide_the_numbering():
    plan = only_plan(
        "青松路街道2025年工作要点\n**一、坚持党建引领**\n## （一）深化区域化党建\n"
        "1. 做强楼宇党建。新建楼宇党群服务站3个。\n**二、提升城区品质**\n1. 加强垃圾分类。\n"
    )
    assert numbers(plan.nodes) == ["一、", "二、"]
    assert titles(plan.nodes[0].children) == ["深化区域化党建"]
    assert titles(plan.nodes[0].children[0].children) == ["做强楼宇党建"]
