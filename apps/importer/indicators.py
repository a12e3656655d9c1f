"""Quantitative targets (指标) found in a task's text.

A target in a Chinese work plan is a number with a measure word: `完成23户适老化改造`,
`全年不少于1200家次`, `实效达标率85%以上`, `百场演出`. The same documents are full of
numbers that are *not* targets: years and plan names (`2023年`, `十四五`, `三年行动`),
ordinals (`第五次`), concept names in quotes (`“15分钟社区生活圈”`), addresses
(`717弄`, `90号地块`), versions (`2.0`), formula-like names (`1+3+X`), hotlines
(`12345`) and print runs (`共印100份`). Rather than listing those, we accept a number
only when a measure word from a closed list follows it, and then reject the
remaining look-alikes by their context. Plain Python: no Django imports.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .numerals import fold_magnitude, parse_arabic, parse_chinese
from .types import ParsedIndicator

# Measure words that make a number countable. Years (年), dates (月/日), addresses (号/弄),
# ages (岁), sessions (届) are deliberately absent: a number before them is never a target.
COUNT_UNITS = [
    "微克/立方米",  # air quality: PM2.5 降至28微克/立方米
    "个百分点",
    "平方公里",
    "平方米",
    "立方米",
    "万平方米",
    "家次",
    "人次",
    "户次",
    "场次",
    "车次",
    "架次",
    "批次",
    "公里",
    "千米",
    "公顷",
    "千克",
    "公斤",
    "美元",
    "万元",
    "亿元",
    "米",
    "亩",
    "吨",
    "元",
    "家",
    "户",
    "人",
    "名",
    "位",
    "个",
    "场",
    "台",
    "处",
    "项",
    "件",
    "起",
    "条",
    "所",
    "座",
    "幢",
    "栋",
    "套",
    "间",
    "张",
    "本",
    "份",
    "册",
    "辆",
    "棵",
    "株",
    "部",
    "块",
    "支",
    "队",
    "期",
    "班",
    "门",
    "篇",
    "床",
    "倍",
    "次",
    "余次",
    "例",
    "宗",
    "艘",
    "只",
    "头",
    "千瓦",
    "兆瓦",
    "‰",
    "盏",
    "平米",
    "所",
    "㎡",
    "%",
    "客次",
    "客",  # meals: 日均供餐1200客
    "分",  # a score: 满意度90分以上 (分钟 is a duration, 三分之一 a fraction)
]
# Durations are targets only as limits ("15分钟内接单", "24小时内"); otherwise they name a concept
# ("15分钟社区生活圈") or a service level.
TIME_UNITS = ["分钟", "小时", "个工作日", "工作日", "个月", "天"]

UNITS = sorted(
    set(COUNT_UNITS + TIME_UNITS) - {"万平方米", "万元", "亿元", "余次"}, key=len, reverse=True
)
UNIT_ALIASES = {"㎡": "平方米", "平米": "平方米", "个百分点": "百分点"}

# 分 is a score only where the word ends (90分以上, 95分。), not in 三分中心 or 分类.
UNIT_PATTERNS = {"分": r"分(?=$|[^\u4e00-\u9fa5]|以[上下内]|左右|及以)"}
ARABIC = r"\d{1,3}(?:,\d{3})+(?![\d.])|\d+(?:\.\d+)?"
CHINESE = r"[零〇一二两三四五六七八九十百千万]+"

QUANTITY_RE = re.compile(
    rf"(?P<num>{ARABIC}|{CHINESE})"
    r"(?P<approx1>余|多)?"
    r"(?P<mag>[万亿千](?:万)?)?"
    r"(?P<approx2>余|多)?"
    rf"(?P<unit>{'|'.join(UNIT_PATTERNS.get(u, re.escape(u)) for u in UNITS)})"
)

SENTENCE_END = "。！？!?；;\n"
CLAUSE_DELIMS = "，,；;。：:！？!?\n（）()"
SENTENCE_END_RE = re.compile("[" + re.escape(SENTENCE_END) + "]")
CLAUSE_DELIMS_RE = re.compile("[" + re.escape(CLAUSE_DELIMS) + "]")

PREFIX_COMPARATORS = [
    ("lte", ("不超过", "不多于", "不高于", "不大于", "控制在", "最多", "至多")),
    ("gte", ("不少于", "不低于", "不小于", "至少", "最少")),
    ("gt", ("超过", "突破", "大于", "高于", "多于", "超")),
    ("lt", ("少于", "低于", "小于")),
]
SUFFIX_COMPARATORS = [
    ("gte", ("及以上", "以上", "之上")),
    ("lte", ("及以下", "以下", "以内", "之内", "内")),
]
# Words that open a clause without naming what is counted.
LEADING_FILLER = re.compile(
    r"^(?:做到|使|并|还|再|要|将|已|共|全年|年内|今年|年底前|每年|累计|合计|总计|力争|争取|确保|努力|"
    r"全面|持续|继续|进一步|完成|实现|达到|推进|推动|组织开展|组织|开展|举办|打造|建成(?!区(?!域))|提供|安排|"
    r"不少于|不低于|至少|超过|超|约|近|达成)+"
)
# 约 is "about" unless it ends a word: 签约300户 is signing up 300 households.
WORD_ENDING_IN_YUE = "签预履合特节制公契邀违续解缔"
NOT_ABOUT = rf"(?<![{WORD_ENDING_IN_YUE}])"
TRAILING_FILLER = re.compile(
    rf"(?:每日|每天|每月|每年|每周|全年|为|达到|达|(?:下?降|提高|提升|增加|增)[至到]|至|在|共|"
    rf"{NOT_ABOUT}约|近|总计|累计|合计|不少于|不低于|至少|超过|超|不超过|控制在|"
    r"大于|高于|多于|少于|低于|小于|不高于|不多于|(?<![日月年人户])均|都|分别|保持|力争|争取|确保|努力)+$"
)
VERB_PREFIX_FOR_SMALL_CHINESE = ("完成", "新建", "新增", "建成")

OPEN_QUOTES = '“「『"'
QUOTE_CHARS_RE = re.compile("[“”「」『』]")
CLAUSE_END_RE = re.compile(r"[，,；;。：:！？!?\n（）()]")
CLOSE_QUOTES = '”」』"'


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks: concept names, brands and slogans, never targets.

    Converted documents often lose one mark of a pair, so an unmatched opening quote
    runs to the end of its clause and an unmatched closing one reaches back to the
    start of its clause.
    """
    spans: list[tuple[int, int]] = []
    if not QUOTE_CHARS_RE.search(text):
        return spans
    i, n = 0, len(text)
    while i < n:
        found = QUOTE_CHARS_RE.search(text, i)  # jump from quote to quote
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch in OPEN_QUOTES and ch != '"':
            j = i + 1
            while (
                j < n and text[j] not in CLOSE_QUOTES and text[j] not in "。；;\n" and j - i <= 30
            ):
                j += 1
            if j >= n or text[j] not in CLOSE_QUOTES:
                # Unmatched: the name ends with its clause (a slogan with a comma inside is
                # closed, and so found above).
                comma = CLAUSE_END_RE.search(text, i + 1, j)
                j = comma.start() if comma else j
            spans.append((i, j))
            i = j + 1
            continue
        if ch in CLOSE_QUOTES and ch != '"':
            j = i - 1
            while j >= 0 and text[j] not in CLAUSE_DELIMS + "、" + OPEN_QUOTES and i - j <= 15:
                j -= 1
            spans.append((j + 1, i))
        i += 1
    return spans


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def _bounds(
    text: str, start: int, end: int, delims: str, delim_re: re.Pattern[str]
) -> tuple[int, int]:
    """The stretch around text[start:end] between the nearest delimiters (C-speed searches:
    paragraphs run to thousands of characters and every number looks both ways)."""
    left = max(text.rfind(ch, 0, start) for ch in delims) + 1
    following = delim_re.search(text, end)
    return left, following.start() if following else len(text)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    return _bounds(text, start, end, CLAUSE_DELIMS, CLAUSE_DELIMS_RE)


def _sentence(text: str, start: int, end: int) -> str:
    left, right = _bounds(text, start, end, SENTENCE_END, SENTENCE_END_RE)
    if right < len(text) and text[right] != "\n":
        right += 1
    return text[left:right].strip()


def _comparator(before: str, after: str, approx: bool) -> str:
    if after.startswith("左右") or re.search(rf"{NOT_ABOUT}约$|大概$|(?<![附邻就])近$", before):
        return "approx"
    # lte is tried first, so "不超过" is never read as the "超过" inside it.
    for comparator, words in PREFIX_COMPARATORS:
        if any(word in before[-len(word) - 2 :] for word in words):
            return comparator
    for comparator, words in SUFFIX_COMPARATORS:
        if after.startswith(words):
            return comparator
    return "gte" if approx else "eq"


def _clean_name(fragment: str) -> str:
    fragment = re.sub(r"^[\d.]+", "", fragment.strip(" 、,，的和及与等"))
    fragment = LEADING_FILLER.sub("", fragment)
    fragment = TRAILING_FILLER.sub("", fragment)
    if "的" in fragment:
        tail = fragment.rsplit("的", 1)[1]
        if len(tail) >= 2:
            fragment = tail
    fragment = re.sub(r"[“”\"「」『』]", "", fragment).strip(" 、,，的和及与等")
    return fragment[-30:]


def _name(text: str, match: re.Match[str], clause: tuple[int, int]) -> str:
    left, right = clause
    following = text[match.end() : right]
    for _, words in SUFFIX_COMPARATORS:
        for word in words:
            if following.startswith(word):
                following = following[len(word) :]
                break
    following = following.removeprefix("左右")
    stop = QUANTITY_RE.search(following)
    if stop:
        following = following[: stop.start()]
    following = following.split("、")[0].strip(" 、,，的和及与等")
    # A rate or a time limit names its subject before the number (达标率85%, 业务15分钟内).
    prefers_preceding = match.group("unit") in TIME_UNITS or match.group("unit") in (
        "%",
        "个百分点",
    )
    # 专项资金800万元用于创建工作: what the money is for does not name it.
    if (
        len(following) >= 2
        and not prefers_preceding
        and not following.startswith(("用于", "用以", "用来"))
    ):
        return following[:30]
    preceding = text[left : match.start()]
    earlier = list(QUANTITY_RE.finditer(preceding))
    if earlier:  # "15分钟内接单、好办快办业务24小时内": the subject follows the earlier target
        preceding = preceding[earlier[-1].end() :]
    preceding = _clean_name(preceding.rsplit("、", 1)[-1] if "的" not in preceding else preceding)
    if len(preceding) >= 2:
        return preceding
    # "……安全生产检查,全年不少于1200家次": the counted thing is in the previous clause.
    prev_right = left - 1
    if prev_right > 0:
        prev_left, _ = _clause_bounds(text, prev_right - 1, prev_right - 1)
        previous = _clean_name(text[prev_left:prev_right])
        if len(previous) >= 2:
            return previous
    return match.group("unit")


RANGE_REST_RE = re.compile(r"\s*[-－~～—–]\s*\d")


def _is_noise(
    text: str, match: re.Match[str], value: Decimal, quotes: list[tuple[int, int]]
) -> bool:
    start, end = match.span()
    num = match.group("num")
    unit = match.group("unit")
    before = text[max(0, start - 3) : start]
    after = text[end : end + 3]
    is_chinese = not num[0].isdigit()

    if before.endswith("第"):  # ordinals: 第五次, 第二届
        return True
    if before.endswith("每"):  # a rate's base: 每千名常住人口拥有托位4.5个
        return True
    if unit == "分" and (
        value < 10 or before.endswith(("时", "扣", "减", "点", "满分", "占", "计", "加"))
    ):
        return True  # a clock (18时30分), a deduction (扣2分) or minutes (间隔5分), not a score
    if re.search(r"\d[至到]$", before) or re.match(r"[至到]\d", text[start + len(num) :]):
        return True  # a range written with 至: 疏浚河道8至10条
    # A sign, not the dash of a range: 同比-6.2%, but 5%-6% and 3-5场 are ranges.
    negative = before.endswith(("-", "－")) and not re.search(r"[\d.%％]$", before[:-1])
    if (before and before[-1] in "+＋—–~～/" and not negative) or (
        before.endswith(("-", "－")) and not negative
    ):
        return True  # formula names (1+3+X, 10+20) and ranges/addresses (1-6号)
    following = text[start + len(num) : start + len(num) + 1]
    if following and following in "+＋-~～":
        return True  # formula names (1+3+X, 10+20) and ranges/addresses (1-6号)
    if RANGE_REST_RE.match(text, end):
        return True  # the first value of a range with its unit on both ends: 5%-6%, 5%～6%
    if re.search(r"[A-Za-z.]$", before):  # model names and versions: G60, 2.0
        return True
    if "印" in before:  # print runs: 共印100份
        return True
    if _in_spans(start, quotes):
        return True
    if unit in TIME_UNITS and not after.startswith(("内", "以内", "之内")):
        return True
    if is_chinese:
        if before and before[-1] in "数几上成好":  # 数十个, 上百场: vague amounts, not targets
            return True
        if after[:1] and after[0] in "一二两三四五六七八九十百千万":
            return True  # 百人百团, 一居一品: slogans built from numerals
        if value < 10 and not before.endswith(VERB_PREFIX_FOR_SMALL_CHINESE):
            return True  # 一批, 三驾马车, 四个片区: counting words, not targets
    if value == 0:
        return True
    rest = text[end : end + 40]
    clause_end = CLAUSE_END_RE.search(rest)
    clause_rest = rest[: clause_end.start()] if clause_end else rest
    if re.match(r"及?以[上下]", clause_rest) and QUANTITY_RE.search(clause_rest[2:12]):
        return True  # a threshold inside a name: 千万元以上46家, 纳税万元以上企业70户
    if re.match(r"^.{0,4}(?:方面|领域|板块|部分|大类|实事|清单|重点工作)", clause_rest):
        return True  # the plan counting its own parts: 3个方面, 十项实事, 34件…项目清单
    if unit in ("栋", "幢", "号楼") and rest[:1] and rest[0] in "旁边侧前后东西南北内外楼底":
        return True  # a place: 10栋旁
    return False


def extract_indicators(text: str) -> list[ParsedIndicator]:
    """Every quantitative target in `text`, in reading order."""
    if not text:
        return []
    if "百分之" in text:
        text = PERCENT_WORDS_RE.sub(_percent_words, text)
    quotes = quoted_spans(text)
    found: list[ParsedIndicator] = []
    for match in QUANTITY_RE.finditer(text):
        num = match.group("num")
        if num[0].isdigit():
            value = parse_arabic(num)
        else:
            value = parse_chinese(num)
        if value is None:
            continue
        if _is_noise(text, match, value, quotes):
            continue
        magnitude = match.group("mag") or ""
        value = fold_magnitude(value, magnitude)
        unit = UNIT_ALIASES.get(match.group("unit"), match.group("unit"))
        clause = _clause_bounds(text, match.start(), match.end())
        before = text[clause[0] : match.start()]
        after = text[match.end() : clause[1]]
        if text[max(0, match.start() - 1) : match.start()] in ("-", "－"):
            value = -value  # 同比分别-6.2%: negative growth
        approx = bool(match.group("approx1") or match.group("approx2"))
        comparator = _comparator(before, after, approx)
        sentence = _sentence(text, match.start(), match.end())
        respective = _respective_subject(before)
        names = [respective] if respective else _subjects(before) or [_name(text, match, clause)]
        for name in names:
            found.append(
                ParsedIndicator(
                    name=name, value=value, unit=unit, comparator=comparator, text=sentence
                )
            )
    return found


PERCENT_WORDS_RE = re.compile(
    r"百分之([零〇一二两三四五六七八九十百]+)(?:点([零〇一二三四五六七八九]+))?"
)


def _percent_words(match: re.Match[str]) -> str:
    """百分之五 -> 5%, 百分之三点五 -> 3.5%: the figure as plans usually write it."""
    whole = parse_chinese(match.group(1))
    if whole is None:
        return match.group(0)
    digits = "".join(
        str("零一二三四五六七八九".index(c.replace("〇", "零"))) for c in match.group(2) or ""
    )
    return f"{int(whole)}{'.' + digits if digits else ''}%"


def _respective_subject(before: str) -> str:
    """`税收收入和营业额分别增长6%、9%`: the k-th value after 分别 belongs to the k-th subject."""
    if "分别" not in before:
        return ""
    head, tail = before.rsplit("分别", 1)
    subjects = [_clean_name(s) for s in re.split(r"和|与|及|、", head) if s.strip()]
    k = len(QUANTITY_RE.findall(tail))
    if len(subjects) < 2:
        # One subject for all the values (人均可支配收入分别达到8.9万元和4.6万元), or the
        # subjects stand in earlier clauses and the words after 分别 name what is counted
        # (接待游客…，旅游收入…，分别同比增长15%和12%).
        shared = _clean_name(head)
        if len(shared) < 2:
            first = QUANTITY_RE.search(tail)
            shared = _clean_name(tail[: first.start()] if first else tail)
        return shared if len(shared) >= 2 else ""
    if k >= len(subjects) or len(subjects[k]) < 2:
        return ""
    return subjects[k]


def _subjects(before: str) -> list[str]:
    """`先行联系率、按时办结率均达到100%`: one value for several subjects, one indicator each."""
    if "均" not in before and "都" not in before:
        return []
    match = re.search(
        r"([^，,；;。]*?)(?:均|都)(?:要|能|应)?(?:达到|达|为|保持在?|超过|不低于|不少于|在)?$",
        before,
    )
    if not match or "、" not in match.group(1):
        return []
    names = [_clean_name(part) for part in match.group(1).split("、")]
    return names if all(len(n) >= 2 for n in names) else []


CELL_NUMBER_RE = re.compile(r"^[^\d\-]*?(-?\d+(?:\.\d+)?)")
CELL_MAGNITUDE_RE = re.compile(r"^(万|亿|千万|百万)?(.*)$")


def indicators_from_cell(cell: str, unit: str, name: str) -> list[ParsedIndicator]:
    """The target (or achievement) in a table cell, named after its row (each figure after
    its own words when the cell holds several).

    A cell with its own measure word (`6%以上`, `控制在10410人内`) is read like text; a bare
    number takes the unit column (`170` + `亿元` -> 17000000000 元). A range (`12-15`) or a
    number with no unit anywhere is no indicator.
    """
    found = extract_indicators(cell)
    if found:
        # One figure is the row's target; several (整治中小河道12条，新建生态护岸18.6公里)
        # each keep the words that name them, where they have any.
        for indicator in found:
            if len(found) == 1 or len(re.sub(r"[^\u4e00-\u9fa5]", "", indicator.name)) < 2:
                indicator.name = name[:30] or indicator.name
        return found
    match = CELL_NUMBER_RE.match(cell)
    unit = re.sub(r"/.*$", "", unit.strip())
    if not match or not unit or re.match(r"^\s*[-~～至]\s*\d", cell[match.end() :]):
        return []
    value = parse_arabic(match.group(1))
    if value is None:
        return []
    magnitude, base = CELL_MAGNITUDE_RE.match(unit).groups()
    value = fold_magnitude(value, magnitude or "")
    after = cell[match.end() :]
    comparator = _comparator(cell[: match.start(1)], after, False)
    if after.startswith(("左右", "约")) or cell.startswith("约"):
        comparator = "approx"
    return [
        ParsedIndicator(
            name=name[:30],
            value=value,
            unit=UNIT_ALIASES.get(base, base),
            comparator=comparator,
            text=f"{name}：{cell}{unit}",
        )
    ]
