"""Themes (主题) by keyword, so that leaders can compare the same kind of work across 街道.

The rule: count, for each theme, how many of its keywords occur in the task's title (each
hit counts 3) and in its text (each hit counts 1). The theme with the highest score wins;
a tie goes to the theme listed first below. A task with no hit inherits its parent's theme
(a sub-item under "(三) 民生保障" is 民生服务 even when its own words are neutral); a
top-level task with no hit is 其他.

Plain Python, no Django: tested on its own and used by the importer and the generators.
"""

from __future__ import annotations

import re

THEMES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "party",
        "党建引领",
        (
            "党建",
            "党组织",
            "党员",
            "党委",
            "支部",
            "廉政",
            "廉洁",
            "主题教育",
            "意识形态",
            "干部队伍",
            "两新组织",
            "从严治党",
            "纪检",
            "作风",
        ),
    ),
    (
        "economy",
        "营商经济",
        (
            "营商",
            "经济",
            "招商",
            "企业",
            "税收",
            "楼宇",
            "产业",
            "市场主体",
            "稳商",
            "安商",
            "投资",
            "商务",
            "区域经济",
            "亿元",
            "商圈",
        ),
    ),
    (
        "renewal",
        "城市更新",
        (
            "旧改",
            "旧区改造",
            "城市更新",
            "加装电梯",
            "美丽家园",
            "架空线",
            "精品小区",
            "道路",
            "绿化",
            "市容",
            "违建",
            "违法建筑",
            "环境整治",
            "拆除",
            "15分钟社区生活圈",
            "生活圈",
            "垃圾分类",
            "河道",
            "公园",
            "停车",
        ),
    ),
    (
        "livelihood",
        "民生服务",
        (
            "养老",
            "助老",
            "为老",
            "适老化",
            "长者",
            "老年",
            "就业",
            "社保",
            "医疗",
            "卫生",
            "健康",
            "救助",
            "帮困",
            "残疾",
            "助残",
            "托育",
            "教育",
            "民生",
            "便民",
            "家门口",
            "社区食堂",
            "助餐",
            "服务站",
            "退役军人",
            "优抚",
        ),
    ),
    (
        "governance",
        "社区治理",
        (
            "治理",
            "自治",
            "共治",
            "居委",
            "居民区",
            "社区工作者",
            "社工",
            "志愿",
            "网格",
            "12345",
            "诉求",
            "物业",
            "业委会",
            "议事",
            "数字化",
            "一网统管",
            "一网通办",
            "楼组",
            "社会组织",
            "人民建议",
        ),
    ),
    (
        "safety",
        "平安安全",
        (
            "安全",
            "平安",
            "消防",
            "防汛",
            "防台",
            "应急",
            "隐患",
            "矛盾纠纷",
            "调解",
            "信访",
            "综治",
            "治安",
            "禁毒",
            "反诈",
            "电信诈骗",
            "生产安全",
            "疫情防控",
        ),
    ),
    (
        "culture",
        "文化建设",
        (
            "文化",
            "文明",
            "文体",
            "体育",
            "健身",
            "阅读",
            "精神文明",
            "文明实践",
            "非遗",
            "红色",
            "宣传",
            "文艺",
            "全民健身",
        ),
    ),
]
THEMES.append(
    (
        "government",
        "政府建设",
        (
            "政府自身建设",
            "政府能力",
            "政府职能",
            "依法行政",
            "依法施政",
            "法治政府",
            "服务型政府",
            "政务",
            "行政效能",
            "人才队伍",
        ),
    )
)
OTHER = ("other", "其他")

THEME_CHOICES = [(code, label) for code, label, _words in THEMES] + [OTHER]
THEME_LABELS = dict(THEME_CHOICES)

TITLE_WEIGHT = 3


# Per theme, one pattern matching any of its words: a theme none of whose words occurs
# is skipped after one regex search of each string instead of a count per word (most
# themes, for most tasks); the score itself is still the counts below.
_ANY_WORD = {
    code: re.compile("|".join(re.escape(w) for w in words)) for code, _label, words in THEMES
}


def theme_scores(title: str, text: str) -> dict[str, int]:
    scores = {}
    for code, _label, words in THEMES:
        if not (_ANY_WORD[code].search(title) or _ANY_WORD[code].search(text)):
            continue
        score = sum(TITLE_WEIGHT * title.count(w) + text.count(w) for w in words)
        if score:
            scores[code] = score
    return scores


def theme_for(title: str, text: str, parent_theme: str | None = None) -> str:
    """The theme code of one task (see the module docstring)."""
    scores = theme_scores(title, text)
    if not scores:
        return parent_theme or OTHER[0]
    order = {code: i for i, (code, _l, _w) in enumerate(THEMES)}
    return max(scores, key=lambda code: (scores[code], -order[code]))
