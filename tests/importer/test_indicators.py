"""Indicators found in task text: values, units, comparators, and the numbers that are not targets."""

from decimal import Decimal

import pytest

from apps.importer.cleaning import fold_width
from apps.importer.indicators import extract_indicators


def only(text):
    found = extract_indicators(text)
    assert len(found) == 1, [(i.value, i.unit) for i in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("完成23户适老化改造任务。", 23, "户", "eq"),
        ("加快小区4.6万平方米老旧房屋修缮。", 46000, "平方米", "eq"),
        ("完成固定资产投资8.55亿元。", 855000000, "元", "eq"),
        ("全力打造百场演出。", 100, "场", "eq"),
        ("确保新增就业岗位1100个。", 1100, "个", "eq"),
        ("组织开展安全生产检查,全年不少于1200家次。", 1200, "家次", "gte"),
        ("确保实效达标率为85%以上。", 85, "%", "gte"),
        ("每年至少开展12场培训。", 12, "场", "gte"),
        ("服务人数超过3000人次。", 3000, "人次", "gt"),
        ("组织活动50余场。", 50, "场", "gte"),
        ("好办快办业务24小时内接单。", 24, "小时", "lte"),
        ("区级税收同比增长百分之五。", 5, "%", "eq"),
        ("日均供餐达到1200客。", 1200, "客", "eq"),
        ("群众满意度力争达到90分以上。", 90, "分", "gte"),
        # A rate's base (每千名) is no figure of its own.
        ("每千名常住人口拥有托位数达到4.5个。", Decimal("4.5"), "个", "eq"),
        ("空置率控制在5%以内。", 5, "%", "lte"),
        ("投诉处理不超过15件。", 15, "件", "lte"),
        ("发生率降至3%以下。", 3, "%", "lte"),
        ("新建1,200平方米绿地。", 1200, "平方米", "eq"),
        ("完成３个口袋公园建设。".replace("３", "3"), 3, "个", "eq"),
        ("完成3万平方米年度拆违任务。", 30000, "平方米", "eq"),
        ("注册资金3000万美元。", 30000000, "美元", "eq"),
    ],
)
def test_it_reads_value_unit_and_comparator(text, value, unit, comparator):
    indicator = only(text)
    assert indicator.value == Decimal(value)
    assert indicator.unit == unit
    assert indicator.comparator == comparator


@pytest.mark.parametrize(
    "text",
    [
        "2023年是贯彻党的二十大精神的开局之年。",
        "落实区“十四五”规划各项目标任务。",
        "以三年行动计划圆满收官为主线。",
        "用心打造“15分钟社区生活圈”。",
        "强化泰和路717弄监管制度。",
        "实现90号地块安置房竣工验收。",
        "开发“数字社工”2.0版本。",
        "做实“1+3+X”接待机制。",
        "推进“10+20”民心实事项目。",
        "推动“12345”市民服务热线提质增能。",
        "(共印100份)",
        "结合第五次全国经济普查。",
        "圆满完成建国75周年维稳保障任务。",
        "牢记“三个务必”,弘扬“四敢精神”。",
        "将街道划分为四个片区,推出一条体验线路。",
        "开展百人百团,一居一品社区文化聚力工程。",
        "重点是35岁以下人员。",
        "辽源一村1-6号等小区。",
        "护航辖区365天的长治久安。",
        # A range is no single target (and its second value no negative one).
        "区级税收增长5%-6%。",
        "税收收入增长5%～6%。",
        "地区生产总值增长6-7%。",
        "疏浚河道8至10条。",
        "推动三分中心协同发展。",
    ],
)
def test_it_ignores_numbers_that_are_not_targets(text):
    assert extract_indicators(text) == []


def test_a_growth_to_a_level_keeps_both_figures():
    found = extract_indicators("研发投入强度提高0.2个百分点至3.1%。地区生产总值增长6%至1200亿元。")
    assert [(i.value, i.unit) for i in found] == [
        (Decimal("0.2"), "百分点"),
        (Decimal("3.1"), "%"),
        (6, "%"),
        (120_000_000_000, "元"),
    ]


def test_a_word_ending_in_yue_is_not_about():
    signed = only("完成农民相对集中居住签约300户。")
    about = only("全年接待游客约300万人次。")
    assert (signed.name, signed.value, signed.comparator) == ("农民相对集中居住签约", 300, "eq")
    assert (about.value, about.comparator) == (3_000_000, "approx")


def test_air_quality_is_read_in_micrograms_per_cubic_metre():
    level = only("PM2.5年均浓度降至28微克/立方米。")
    cap = only("细颗粒物浓度控制在30微克/立方米以内。")
    assert (level.name, level.value, level.unit) == ("PM2.5年均浓度", 28, "微克/立方米")
    assert (cap.value, cap.unit, cap.comparator) == (30, "微克/立方米", "lte")


def test_nearly_is_about():
    assert only("服务居民近千人。").comparator == "approx"
    assert only("参与群众近5000人次。").comparator == "approx"


def test_a_minus_sign_still_makes_a_negative_value():
    assert only("工业产值同比-6.2%。").value == Decimal("-6.2")


def test_it_keeps_the_source_sentence_and_names_the_counted_thing():
    text = "推进垃圾分类常态化工作。运用一网统管赋能垃圾分类工作,实现107个垃圾箱房全覆盖;创建示范区域。"
    indicator = only(text)
    assert indicator.text == "运用一网统管赋能垃圾分类工作,实现107个垃圾箱房全覆盖;"
    assert "垃圾箱房" in indicator.name


def test_it_names_a_rate_by_what_precedes_it():
    assert only("确保居民区、单位和公共场所的实效达标率为85%以上。").name == "实效达标率"


def test_it_takes_the_name_from_the_previous_clause_when_the_number_stands_alone():
    indicator = only("组织开展隐患排查治理和各类安全生产检查,全年不少于1200家次,督促企业落实责任。")
    assert indicator.name == "隐患排查治理和各类安全生产检查"


def test_it_finds_every_target_in_a_list():
    found = extract_indicators(
        "完成1个日间照料中心和2个居委会老年活动室改造,打造2幢示范楼组和30幢特色活力楼组。"
    )
    assert [(int(i.value), i.unit) for i in found] == [(1, "个"), (2, "个"), (2, "幢"), (30, "幢")]


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("全年完成区级税收３．４亿元。", 340_000_000, "元", "eq"),
        ("同比增长６．５％。", Decimal("6.5"), "%", "eq"),
        ("生活垃圾分类达标率达到９５％以上。", 95, "%", "gte"),
        ("惠及居民１，２００户。", 1200, "户", "eq"),
    ],
)
def test_numbers_written_in_full_width_read_as_half_width_ones(text, value, unit, comparator):
    found = only(fold_width(text))
    assert (found.value, found.unit, found.comparator) == (value, unit, comparator)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "城乡居民人均可支配收入分别达到8.9万元和4.6万元。",
            ["城乡居民人均可支配收入", "城乡居民人均可支配收入"],
        ),
        (
            "接待游客1020万人次，实现旅游收入28亿元，分别同比增长15%和12%。",
            ["接待游客", "旅游收入", "同比增长", "同比增长"],
        ),
        ("税收收入和营业额分别增长6%、9%。", ["税收收入", "营业额"]),
    ],
)
def test_values_given_respectively_are_named_by_what_they_count(text, names):
    assert [i.name for i in extract_indicators(text)] == names


def test_a_score_trims_the_words_that_only_say_it_is_aimed_for():
    assert only("市民满意度力争达到90分以上。").name == "市民满意度"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("湿垃圾分出量日均达到45吨。", "湿垃圾分出量日均"),
        ("建成区绿化覆盖率不低于40%。", "建成区绿化覆盖率"),
    ],
)
def test_a_name_keeps_the_words_that_belong_to_it(text, name):
    assert only(text).name == name


def test_a_quote_left_open_by_the_conversion_ends_with_its_clause():
    found = extract_indicators("深化“老帮友等各类助老服务项目，招募303名助老志愿者。")
    assert [(i.name, i.value, i.unit) for i in found] == [("助老志愿者", 303, "名")]


def test_a_closed_slogan_with_a_comma_inside_is_still_a_name():
    assert extract_indicators("践行“人民城市人民建，人民城市为人民”理念。") == []
