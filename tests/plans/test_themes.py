"""Themes by keyword, on titles from the seed documents (fixtures/documents/*.txt)."""

import pytest

from apps.plans.rules.themes import THEME_LABELS, theme_for


@pytest.mark.parametrize(
    ("title", "theme"),
    [
        ("加强招商引资谋篇布局", "营商经济"),  # jiangpu 2023
        ("民生保障更加惠民", "民生服务"),
        ("城市更新更加利民", "城市更新"),
        ("全力守住生产安全", "平安安全"),
        ("让干部队伍不断“强”起来", "党建引领"),
        ("强化“一网统管”建设", "社区治理"),  # weifang action plan
        ("推进道路设施提升", "城市更新"),
        ("加强风险隐患排查", "平安安全"),
        ("优化文化供给", "文化建设"),
        ("持续优化营商服务", "营商经济"),
    ],
)
def test_it_puts_a_seed_task_in_the_theme_its_title_names(title, theme):
    assert THEME_LABELS[theme_for(title, "")] == theme


def test_it_weighs_the_title_above_the_text():
    # One economy word in the title (3) beats two livelihood words in the text (2).
    text = "同步了解员工的就业和养老需求。"

    assert theme_for("持续优化营商服务", text) == "economy"


def test_it_lets_the_text_decide_when_the_title_is_neutral():
    text = "推进既有多层住宅加装电梯，实施美丽家园建设。"

    assert theme_for("精心建设", text) == "renewal"


def test_it_breaks_a_tie_in_favour_of_the_theme_listed_first():
    # 楼宇 (营商经济) and 党建 (党建引领) score the same; 党建引领 comes first.
    assert theme_for("深化楼宇党建", "") == "party"


def test_it_gives_a_neutral_sub_item_its_parents_theme():
    assert theme_for("精心建设", "", parent_theme="livelihood") == "livelihood"


def test_it_prefers_a_sub_items_own_words_to_its_parents_theme():
    assert theme_for("加强风险隐患排查", "", parent_theme="livelihood") == "safety"


def test_it_files_a_top_level_task_with_no_keyword_under_other():
    assert theme_for("答好创全考试答卷", "做好各项迎检准备。") == "other"
    assert THEME_LABELS["other"] == "其他"
