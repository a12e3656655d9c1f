"""Turn a work plan's or report's text into plans, a tree of sections and tasks, and indicators.

Chinese government documents mark their structure in a handful of ways, and this module reads
each of them rather than any one document:

- numbering styles: 一、 / (一) / 1. / (1) / ① / 一是 / bullets (· ▶ ●) / group numbers (01).
  The order in which styles first appear defines the depth, and a style seen again closes
  everything below it, so 工作要点 that start at (一), action plans that start at 一、 and
  numbering that runs on across groups (一是…八是 over 一、二、三、) all read right;
- without numbering: short title lines over body paragraphs, label paragraphs (`党建工作:`),
  paragraphs whose first short sentence is the heading, and plain prose (one task each);
- tables (see tabular.py), whose rows are tasks and whose columns give targets, achievements,
  leads and deadlines;
- reports (社代会报告, 政府工作报告, 总结, 执行情况): a look-back part and a plan part, each
  restarting its numbering. A look-back's figures are achievements (`is_review`), never
  targets; the plan year comes from the parts (a 2023年政府工作报告 plans 2024).

Plain Python: no Django imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .assignments import Assignment, attribute_line, due_date, inline_assignments
from .cleaning import BULLETS, clean_lines, split_outside
from .indicators import extract_indicators, indicators_from_cell
from .metadata import (
    DATE_LINE_RE,
    MIDYEAR_RE,
    SIGNATURE_RE,
    YEAR_RE,
    Metadata,
    extract_metadata,
    is_meta_line,
)
from .numerals import chinese_ordinal
from .tabular import Table, find_tables
from .types import DocumentError, ParsedDocument, ParsedNode, ParsedPlan

CN_NUM = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"

# (style, regex); the regex's group 1 is the number, the match's end is where the heading text starts.
HEADING_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 第一部分 holds 第一章, which holds 第一节.
    ("part", re.compile(rf"^第([{CN_NUM}]{{1,3}})(?:部分|篇)\s*[、，,：:.．]?\s*")),
    ("chapter", re.compile(rf"^第([{CN_NUM}]{{1,3}})章\s*[、，,：:.．]?\s*")),
    ("section", re.compile(rf"^第([{CN_NUM}]{{1,3}})节\s*[、，,：:.．]?\s*")),
    ("cn", re.compile(rf"^([{CN_NUM}]{{1,3}})\s*[、.．，,]\s*")),
    ("cn_paren", re.compile(rf"^[（(]\s*([{CN_NUM}]{{1,3}})\s*[）)]\s*[、.．]?\s*")),
    # Not 1.5万元, but 1．2024年：… (a phase of a multi-year plan).
    ("arabic", re.compile(r"^(\d{1,3})\s*[.、．](?!\d(?!\d{3}年))\s*")),
    ("arabic_paren", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
    ("arabic_half", re.compile(r"^(\d{1,2})[)）]\s*")),
    ("circled", re.compile(rf"^([{CIRCLED}])\s*")),
    ("paren_char", re.compile(rf"^([{PAREN_DIGITS}])\s*")),
    ("shi", re.compile(rf"^([{CN_NUM}]{{1,3}})是(?![的否])\s*")),
    # A schedule by month or quarter: 3月：…, 二季度：… (each due at its period's end).
    ("month", re.compile(r"^(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?\s*[:：]\s*")),
    ("quarter", re.compile(r"^第?([一二三四1-4])\s*季度\s*[:：]\s*")),
    # 第一，… 第二，…: items counted in words.
    # (第三、四季度 counts quarters: a numeral after the comma is no item's text.)
    ("ordinal", re.compile(rf"^第([{CN_NUM}]{{1,3}})\s*[，,、]\s*(?![{CN_NUM}第])")),
    # A 实事 list's own numbering: 项目一：…, 实事3、…, 第一项：….
    (
        "item_word",
        re.compile(
            rf"^(?:(?:项目|实事|任务|事项)([{CN_NUM}]{{1,3}}|\d{{1,2}})|第([{CN_NUM}]{{1,3}}|\d{{1,2}})项)"
            r"\s*[:：、.．]\s*"
        ),
    ),
    ("bullet", re.compile(rf"^([{BULLETS}*])\s*")),
]
STRONG_STYLES = {
    "part",
    "chapter",
    "section",
    "cn",
    "cn_paren",
    "arabic",
    "arabic_paren",
    "shi",
    "padded",
    "label",
    "named",
    "ordinal",
    "item_word",
    "month",
    "quarter",
}
# A group heading set in lenticular brackets on a line of its own: 【聚焦经济发展】.
BRACKET_HEADING_RE = re.compile(r"^【\s*([\u4e00-\u9fa5“”、，,\s]{2,30}?)\s*】$")
NOT_BRACKET_HEADINGS = re.compile(
    r"打印|关闭|字体|字号|返回|分享|收藏|附件|来源|发布|阅读|解读|链接|纠错|图解|相关"
)
PADDED_RE = re.compile(r"^(0[1-9]|1[0-9])(?:\s+(.+))?$")
INLINE_ITEM_RE = re.compile(rf"(?:(?<=^)|(?<=[。；;：:！!？?\n]))\s*([{CN_NUM}]{{1,2}})是")
LABEL_RE = re.compile(r"^([\u4e00-\u9fa5]{2,10})\s*[:：]\s*(\S.{14,})$")
NOT_LABELS = (
    "各位代表",
    "同志们",
    "来源",
    "发布",
    "时间",
    "日期",
    "地址",
    "电话",
    "邮编",
    "附件",
    "关键词",
    # What a project's block says about it: its text, never a heading of its own.
    "建设内容",
    "主要内容",
    "实施内容",
    "项目内容",
    "工作内容",
    "具体内容",
    "项目概况",
    "建设规模",
    "工作目标",
    "目标任务",
    "具体措施",
    "主要措施",
    "工作措施",
    "实施地点",
    "建设地点",
    "服务对象",
    "资金来源",
    "总投资",
    "联系人",
    "联系电话",
)
# A 实事 project's block opens with its name: 项目名称：社区长者食堂提质扩容工程.
NAMED_ITEM_RE = re.compile(r"^(?:实事)?(?:项目|任务|事项|工作)名称\s*[:：]\s*(\S[^。；;]{1,50})$")

NOISE_LINE_RE = re.compile(r"^[|｜\s\-—]*$")
END_MARKER_RE = re.compile(
    r"^(?:附件\s*(?:[:：\d一二三四五六七八九十]|$)|附\s*件[:：]|抄送[:：]|主题词[:：]|[（(]?共印\s*\d+\s*份|"
    r"[-—·•]\s*图解|相关(?:稿件|附件)[:：]|[（(]此件公开发布[)）]|[（(]记者|"
    # A portal's footer ends the plan; the metadata still reads who runs the page from it.
    r"(?:主办|承办)(?:单位)?[:：].*(?:电话|地址|邮编|ICP)|版权所有|网站标识码)"
)
PRINTED_LINE_RE = re.compile(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日\s*印发\s*$")
CLOSING_ADDRESS_RE = re.compile(r"^(?:各位代表|同志们|各位委员|各位来宾)")

# Report parts: a time (a year, 上半年, 今年以来 …) and what the part holds.
WHEN = (
    r"(?:(?:19|20)\d{2}\s*年度?(?:以来|上半年|下半年|前三季度|1\s*-\s*\d{1,2}\s*月)?|上半年|下半年|"
    r"前三季度|过去(?:的)?[一二三四五两]年|今年(?:以来)?|本年度?|去年|明年|新的?一年|下一?步|下阶段|"
    r"[一二三四五两]年来|近年来|(?:今后|未来)[一二三四五两]年|"
    r"(?:19|20)\d{2}\s*[-—–～~至到]+\s*(?:19|20)\d{2}\s*年|"
    r"(?:上|本|第[一二三四五六七八九十]{1,3})届[\u4e00-\u9fa5]{0,8}?以来)"
)
REVIEW_WORDS = r"回顾|总结|成效|(?:主要)?成绩|(?:完成|执行|工作|进展|发展|推进|基本|运行)情况"
PLAN_WORDS = (
    r"思路|打算|安排|展望|计划(?:草案)?|要点|目标任务|主要任务|重点任务|工作重点|重点工作(?:任务)?|"
    r"主要工作(?:任务)?|主要目标"
)
PART_RE = re.compile(
    rf"^(?P<when>{WHEN})?的?(?P<body>[\u4e00-\u9fa5]{{0,16}}?)(?P<what>{REVIEW_WORDS}|{PLAN_WORDS})"
)
PART_WORD_RE = re.compile(rf"(?P<review>{REVIEW_WORDS})|(?P<plan>{PLAN_WORDS})")
UNTIMED_REVIEW_RE = re.compile(
    r"^([\u4e00-\u9fa5]{0,8}(?:完成情况|工作情况|执行情况|进展情况|主要成绩|工作成效|工作成绩))(?=$|[\s。，,；;：:])"
)
PREAMBLE_TARGET_RE = re.compile(r"(?:主要)?(?:预期|总体|主要|发展|年度|经济)(?:目标|指标)")
LIST_INTRO_RE = re.compile(r"(?:包括|分别是|分别为|主要有|具体为|如下)[:：]")

TITLE_END = "。！？!?；;"
MAX_TITLE = 60
SHORT_SENTENCE = 30
SHORT_TITLE = 28


@dataclass
class Heading:
    style: str
    number: str  # as printed
    value: int | None
    rest: str


@dataclass
class _Node:
    style: str
    number: str
    title: str
    text_parts: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    assignment: Assignment = field(default_factory=Assignment)
    target_cells: list[tuple[str, str]] = field(default_factory=list)  # (cell, unit column)


@dataclass
class Part:
    """A stretch of the body: a report's look-back or plan part, or the whole body."""

    is_review: bool
    heading: str
    year: int | None
    midyear: bool
    lines: list[str] = field(default_factory=list)
    # The numbering of the part's own heading (二、2025年工作安排): a later heading numbered
    # alike (三、加强政府自身建设) is beside the part's sections, not inside them.
    style: str | None = None


@dataclass
class Built:
    """What one part yields: its tree, and the achievements its tables report."""

    roots: list[_Node] = field(default_factory=list)
    progress: list[_Node] = field(default_factory=list)  # table rows' 完成情况 cells
    targets: list[_Node] = field(default_factory=list)  # table rows' 年度目标 in a look-back


# --- headings ------------------------------------------------------------------------------------


def match_heading(line: str) -> Heading | None:
    for style, pattern in HEADING_PATTERNS:
        match = pattern.match(line)
        if not match:
            continue
        rest = line[match.end() :].strip()
        if not rest or rest[0] in "、，,。%％)）":
            return None
        number = line[: match.end()].strip()
        raw = next(group for group in match.groups() if group)
        if raw.isascii() and raw.isdigit():
            value: int | None = int(raw)
        elif raw in CIRCLED:
            value = CIRCLED.index(raw) + 1
        elif raw in PAREN_DIGITS:
            value = PAREN_DIGITS.index(raw) + 1
        elif style == "bullet":
            value = None
        else:
            value = chinese_ordinal(raw)
        if style == "arabic" and re.match(r"^[\d.]*[%％]|^[个万亿千百]", rest):
            return None
        if style == "cn" and line[match.end() - 1 : match.end()] in "，," and len(raw) == 1:
            return None  # 一,二 in running text
        return Heading(style, number, value, rest)
    return None


def split_title(rest: str) -> tuple[str, str]:
    """A numbered line's heading and its body: the heading ends at the first full stop."""
    cut = -1
    depth = 0  # a colon inside brackets (（地点：…）) ends no heading
    for i, ch in enumerate(rest):
        depth += (ch in "（(") - (ch in "）)")
        if ch in TITLE_END:
            cut = i
            break
        if ch in "：:" and i <= 30 and depth <= 0:
            cut = i
            break
    if cut == -1:
        title, text = rest.strip(), ""
    else:
        title, text = rest[:cut].strip(), rest[cut + 1 :].strip()
    if len(title) > MAX_TITLE:
        comma = re.search(r"[，,]", title)
        if comma and comma.start() <= MAX_TITLE:
            return title[: comma.start()], rest[comma.start() + 1 :].strip()
    return title, text


def sentences(text: str) -> list[str]:
    return [s for s in re.findall(r"[^。！？!?]+[。！？!?]?", text) if s.strip()]


def _is_short_heading(sentence: str) -> bool:
    body = sentence.rstrip("。！？!?").strip()
    return (
        2 <= len(body) <= SHORT_SENTENCE
        and not re.search(r"\d|%", body)
        and len(re.findall(r"[，,；;]", body)) <= 1
    )


# --- report parts --------------------------------------------------------------------------------


def part_heading(line: str) -> tuple[bool, str, str, bool, int | None] | None:
    """(is_review, heading, rest, midyear, year) when `line` opens a report's part.

    "一、2023年工作回顾", "2020年工作总结", "第二部分,2024年的工作安排。…", "一、上半年经济社会
    发展情况": a time and a part word. The part word that counts is the last one before the
    heading ends (计划执行情况 is a look-back, 发展计划 a plan).
    """
    heading = match_heading(line)
    rest = line
    if heading is not None:
        if heading.style not in ("cn", "part", "chapter"):
            return None
        rest = heading.rest
    elif len(line) > SHORT_TITLE and not re.match(WHEN, line):
        return None
    match = PART_RE.match(rest)
    if not match:
        return None
    if not match.group("when") and not re.match(r"(?:工作)?(?:回顾|总结)", rest):
        untimed = UNTIMED_REVIEW_RE.match(rest)
        if heading is None or not untimed:
            return None
        title = untimed.group(1)
        body = rest[untimed.end() :].lstrip("。，,；;：: ")
        return True, title, body, False, None, False
    words = list(PART_WORD_RE.finditer(rest[: match.end() + 12]))
    end_word = None
    for word in words:
        following = rest[word.end() : word.end() + 1]
        if not following or following in " 。，,；;：:!！" or re.match(r"\d", following):
            end_word = word
            break
        if re.match(r"[和及与]", following):
            continue
    if end_word is None:
        end_word = match
        is_review = bool(re.fullmatch(REVIEW_WORDS, match.group("what")))
    else:
        is_review = bool(end_word.group("review"))
    title = rest[: end_word.end()]
    if len(title) > 36:
        return None
    body = rest[end_word.end() :].lstrip("。，,；;：: ")
    # A look-back over a period is dated by its last year (2021—2023年工作回顾), a plan for
    # one by its first (2024—2026年主要任务: the plan's years run on from it).
    years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", title)]
    midyear = bool(MIDYEAR_RE.search(title))
    year = (years[-1] if is_review else years[0]) if years else None
    return is_review, title.strip(), body, midyear, year, True


def split_parts(
    lines: list[str], skip: set[int], *, review_title: bool = False
) -> tuple[list[str], list[Part]]:
    """The preamble and the parts of a report; no parts unless a look-back is among them.

    Under a title that names a look-back (2024年工作总结) the text before a dated plan part
    (二、2025年工作打算) is that look-back, headed or not."""
    found: list[tuple[int, tuple]] = []
    for index, line in enumerate(lines):
        if index in skip:
            continue
        part = part_heading(line)
        if part:
            found.append((index, part))
    if found:
        # A look-back named without a time ("一、主要工作完成情况") is a part only beside a
        # plan part that names its time ("二、2024年工作计划").
        timed_plan = any(not p[0] and p[5] for _, p in found)
        found = [(i, p) for i, p in found if p[5] or timed_plan]
    if not any(p[0] for _, p in found):
        plans = [(i, p) for i, p in found if not p[0] and p[5]]
        if not (review_title and plans):
            return lines, []
        first = next(i for i, line in enumerate(lines) if i not in skip and line.strip())
        if first >= plans[0][0]:
            return lines, []
        found = [(first, (True, "", lines[first], False, None, False)), *plans]
    preamble = lines[: found[0][0]]
    parts: list[Part] = []
    for position, (index, (is_review, heading, body, midyear, year, _timed)) in enumerate(found):
        end = found[position + 1][0] if position + 1 < len(found) else len(lines)
        numbered = match_heading(lines[index])
        part = Part(
            is_review=is_review,
            heading=heading,
            year=year,
            midyear=midyear,
            style=numbered.style if numbered else None,
        )
        part.lines = ([body] if body else []) + lines[index + 1 : end]
        parts.append(part)
    return preamble, parts


# --- the tree ------------------------------------------------------------------------------------


def _classify(lines: list[str]) -> list[tuple[str, object]]:
    """Each line as a heading, an attribute line (牵头单位:…), a table or text."""
    tables = {t.start: t for t in find_tables(lines)}
    labels = [
        line
        for line in lines
        if (m := LABEL_RE.match(line))
        and not attribute_line(line)
        and not is_meta_line(line)
        and not m.group(1).startswith(NOT_LABELS)
    ]
    use_labels = len(labels) >= 2
    # `安全生产方面：` alone on a line over its text, two of them or more.
    colon_heads = [line for line in lines if _is_colon_head(line)]
    if len(colon_heads) < 2:
        colon_heads = []
    items: list[tuple[str, object]] = []
    index = 0
    while index < len(lines):
        if index in tables:
            items.append(("table", tables[index]))
            index = tables[index].end
            continue
        line = lines[index]
        index += 1
        if CAPTION_RE.match(line) and index in tables:
            items.append(("caption", line))
            continue
        padded = PADDED_RE.match(line)
        if padded:
            title = padded.group(2)
            if title is None and index < len(lines) and len(lines[index]) <= SHORT_TITLE:
                title = lines[index]
                index += 1
            if title:
                items.append(
                    ("heading", Heading("padded", padded.group(1), int(padded.group(1)), title))
                )
                continue
        attribute = attribute_line(line)
        if attribute:
            items.append(("attr", attribute))
            continue
        named = NAMED_ITEM_RE.match(line)
        # Under its own heading (项目一：…) a project's 项目名称 is part of its text.
        if named and not (
            items and items[-1][0] == "heading" and items[-1][1].style in ITEM_HEADS  # type: ignore[union-attr]
        ):
            items.append(("heading", Heading("named", "", None, named.group(1).strip())))
            continue
        heading = match_heading(line)
        if heading:
            items.append(("heading", heading))
            continue
        bracketed = BRACKET_HEADING_RE.match(line)
        if (
            bracketed
            and not NOT_BRACKET_HEADINGS.search(line)
            # Over numbered items: a box's 【典型案例】 or a page's 【政策解读】 heads text.
            and _over_numbered_item(lines, index)
        ):
            items.append(("heading", Heading("bracket", "", None, bracketed.group(1))))
            continue
        if colon_heads and line in colon_heads:
            items.append(("heading", Heading("label", "", None, line.rstrip(":：").strip())))
            continue
        if use_labels and line in labels:
            match = LABEL_RE.match(line)
            items.append(
                ("heading", Heading("label", "", None, f"{match.group(1)}：{match.group(2)}"))
            )
            continue
        items.append(("text", line))
    if not any(kind == "heading" and h.style in STRONG_STYLES for kind, h in items):
        items = _title_lines(items)
    return items


# A group named by its field: 安全生产方面：, 党建工作：, 城市管理领域：. Not a greeting
# (各居民区、各科室：), a list's announcement (重点抓好以下工作：) nor a project's 预期成效：.
COLON_HEAD_RE = re.compile(
    r"^[\u4e00-\u9fa5“”]{2,14}(?:方面|领域|板块|条线)[:：]$|^[\u4e00-\u9fa5]{2,8}工作[:：]$"
)


def _is_colon_head(line: str) -> bool:
    return (
        bool(COLON_HEAD_RE.match(line))
        and not re.search(
            r"以下|下列|如下|各项|^(?:主要|重点|具体|其他|日常|下步|下一步)工作", line
        )
        and not line.startswith(("各", *NOT_LABELS))
    )


def _over_numbered_item(lines: list[str], index: int) -> bool:
    following = match_heading(lines[index]) if index < len(lines) else None
    return following is not None and following.style in STRONG_STYLES


def _is_title_candidate(line: object) -> bool:
    return (
        isinstance(line, str)
        and 2 <= len(line) <= SHORT_TITLE
        and not any(ch in line for ch in "。；;！!？?")
        and not line.endswith((":", "："))
        and not re.search(r"(?:19|20)\d{2}|\d+\s*月\s*\d+\s*日|^附?表\s*\d", line)
        and not is_meta_line(line)
        and not SIGNATURE_RE.match(line)
    )


def _headed_paragraph(text: str) -> bool:
    parts = sentences(text)
    return len(parts) >= 2 and _is_short_heading(parts[0])


def _title_lines(items: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Unnumbered documents: a run of one or two short lines over items or body paragraphs is a
    title. Over numbered items the run is one title; over paragraphs a line ending in a comma
    joins the next, and the last line titles the paragraphs (a sub-heading)."""
    out: list[tuple[str, object]] = []
    i = 0
    while i < len(items):
        kind, value = items[i]
        if kind != "text" or not _is_title_candidate(value):
            out.append(items[i])
            i += 1
            continue
        j = i
        while j < len(items) and items[j][0] == "text" and _is_title_candidate(items[j][1]):
            j += 1
        run = [str(v) for _, v in items[i:j]]
        following = items[j] if j < len(items) else None
        if following is None or len(run) > 3:
            out.extend(items[i:j])
            i = j
            continue
        over_items = following[0] in ("heading", "table")
        over_body = following[0] == "text" and (
            len(str(following[1])) >= 40
            # 筑牢安全防线。全年开展应急演练不少于6次。: a short paragraph headed like a task
            or _headed_paragraph(str(following[1]))
        )
        if not (over_items or over_body):
            out.extend(items[i:j])
            i = j
            continue
        if over_items:
            out.append(
                ("heading", Heading("title", "", None, "，".join(r.rstrip("，,") for r in run)))
            )
        else:
            joined: list[str] = []
            for line in run:
                if joined and joined[-1].endswith(("，", ",")):
                    joined[-1] += line
                else:
                    joined.append(line)
            styles = ["title_group"] * (len(joined) - 1) + ["title"]
            for style, line in zip(styles, joined, strict=True):
                out.append(("heading", Heading(style, "", None, line.rstrip("，,"))))
        i = j
    return out


def _new_node(heading: Heading) -> _Node:
    rest = heading.rest
    assignment = Assignment()
    rest = inline_assignments(rest, assignment)
    if heading.style in ("bullet", "title", "title_group", "padded", "named"):
        title, text = (rest, "") if heading.style != "bullet" else split_title(rest)
        if heading.style == "bullet" and len(title) > MAX_TITLE:
            title, text = rest[:MAX_TITLE], rest
        elif heading.style == "bullet" and text:
            title, text = rest, ""
    else:
        title, text = split_title(rest)
    node = _Node(heading.style, heading.number, title, [text] if text else [])
    if heading.style in ("month", "quarter") and not assignment.due_text:
        assignment.add("完成时限", heading.number.rstrip(":： "))
    node.assignment = assignment
    return node


def build_tree(
    lines: list[str], *, is_review: bool = False, outer_style: str | None = None
) -> Built:
    """The heading tree of a part's lines, with the tables' rows placed where they stand.

    In a look-back, a table's 完成情况 column is what stands in the tree and its 目标 column
    is set aside (a half-year report's plan); elsewhere the rows stand in the tree and their
    完成情况 cells are set aside as achievements."""
    built = Built()
    items = _classify(lines)
    stack: list[_Node] = []
    closing = False
    leading: list[str] = []
    for kind, value in items:
        if kind == "text":
            line = str(value)
            if END_MARKER_RE.match(line) or PRINTED_LINE_RE.search(line):
                if stack or built.roots:
                    break
                leading = []  # the end of a cover notice: the plan itself follows
                continue
            if NOISE_LINE_RE.match(line) or DATE_LINE_RE.match(line) or SIGNATURE_RE.match(line):
                continue
            if is_meta_line(line):
                continue
            if CLOSING_ADDRESS_RE.match(line):
                closing = True
            if closing:
                continue
            if not stack:
                leading.append(line)
                continue
            stack[-1].paragraphs.append(line)
            continue
        if kind == "caption":
            # 附表：… over a table of its own: beside the items above it, in their section.
            while stack and stack[-1].style in ITEM_HEADS:
                stack = stack[:-1]
            continue
        if kind == "attr":
            if stack:
                label, text = value  # type: ignore[misc]
                stack[-1].assignment.add(label, text)
            continue
        if kind == "table":
            rows, progress = _table_nodes(value)  # type: ignore[arg-type]
            if is_review and progress:
                rows, progress = progress, rows
                built.targets.extend(progress)
            else:
                built.progress.extend(progress)
            if stack and _ends_list(stack, built.roots):
                stack = stack[:-1]  # 1.… 2.… then a table of its own: beside the items
            (stack[-1].children if stack else built.roots).extend(rows)
            continue
        heading: Heading = value  # type: ignore[assignment]
        closing = False
        node = _new_node(heading)
        # ■ holds ●, which holds ◆: a bullet mark under a bullet heading with no text of its
        # own is a level below it; under a bullet item with its sentence, a sibling.
        if (
            heading.style == "bullet"
            and stack
            and stack[-1].style == "bullet"
            and stack[-1].number != heading.number
            and _has_sentence(stack[-1])
            and not any(_level_key(n.style, n.number) == f"bullet{heading.number}" for n in stack)
        ):
            stack = stack[:-1]
        styles = [_level_key(n.style, n.number) for n in stack]
        key = _level_key(heading.style, heading.number)
        if key in styles:
            stack = stack[: styles.index(key)]
        elif heading.style == outer_style:
            stack = []  # numbered as the part's own heading: a section of the part
        (stack[-1].children if stack else built.roots).append(node)
        stack.append(node)
    for root in built.roots:
        _finish(root)
    _lone_paragraph_tasks(built.roots)
    if not built.roots and not built.progress:
        # No heading at all: each paragraph is a task (its figures with it).
        built.roots = _prose_nodes(leading)
        return built
    target_node = _preamble_targets(leading, is_review=is_review)
    if target_node is not None:
        built.roots.insert(0, target_node)
    return built


ITEM_STYLES = (
    "arabic",
    "arabic_paren",
    "arabic_half",
    "circled",
    "paren_char",
    "shi",
    "ordinal",
    "bullet",
)
ITEM_HEADS = (*ITEM_STYLES, "item_word", "padded")
# A table's caption on the line above it: 附表：重点项目进度表, 表1 主要指标.
CAPTION_RE = re.compile(
    r"^(?:附表\s*\d{0,2}|表\s*\d{1,2})\s*[:：.．、]?\s*([\u4e00-\u9fa5“”（）()\d]{2,30})$"
)


def _has_sentence(node: _Node) -> bool:
    """Whether an item says something of its own (a heading line over sub-items does not)."""
    return (
        bool(node.text_parts or node.paragraphs or re.search(r"[。；;，,\d]", node.title))
        or len(node.title) > SHORT_TITLE
    )


def _level_key(style: str, number: str) -> str:
    return f"bullet{number}" if style == "bullet" else style


def _ends_list(stack: list[_Node], roots: list[_Node]) -> bool:
    """Whether the open node is the last of a list of one-line items (1.… 2.…), under which a
    table with its own header is not a breakdown: no children, an earlier sibling of its
    numbering, and no `如下：` announcing what follows."""
    node = stack[-1]
    siblings = stack[-2].children if len(stack) > 1 else roots
    text = "".join([node.title, *node.text_parts, *node.paragraphs]).rstrip()
    return (
        not node.children
        and node.style in ITEM_STYLES  # an item, not a section heading such as （二）主要指标
        and any(s is not node and s.style == node.style for s in siblings)
        and not re.search(r"(?:[:：]|如下|[见如附下]表\d*|下表所示)[）)]?[。；]?$", text)
    )


def _preamble_targets(lines: list[str], *, is_review: bool) -> _Node | None:
    """A 主要预期目标 paragraph before the first heading: its figures become a first node's.
    In a look-back, the headline figures before the first heading are kept the same way."""
    for line in lines:
        match = PREAMBLE_TARGET_RE.search(line)
        if match and extract_indicators(line):
            title = match.group(0)
            title = title if title.startswith("主要") else f"主要{title}"
            return _Node("preamble", "", title, [line])
    if is_review:
        figures = [line for line in lines if extract_indicators(line)]
        if figures:
            return _Node("preamble", "", "总体情况", figures)
    return None


def _prose_nodes(lines: list[str]) -> list[_Node]:
    """No headings at all: a listed enumeration (包括:甲、乙、丙…) gives one task per item,
    else each paragraph is a task titled by its first sentence."""
    nodes: list[_Node] = []
    for line in lines:
        if re.search(r"(?:以下|如下|下列)[^。]{0,12}[:：]$", line):
            continue  # 街道将重点抓好以下几方面工作：
        listed = _listed_items(line)
        if listed:
            nodes.extend(_Node("item", "", item) for item in listed)
            continue
        title, text = split_title(line)
        nodes.append(_Node("paragraph", "", title, [text] if text else []))
    return nodes


def _listed_items(line: str) -> list[str]:
    intro = LIST_INTRO_RE.search(line)
    if not intro:
        return []
    body = line[intro.end() :].rstrip("。")
    end = re.search(r"。", body)
    if end:
        body = body[: end.start()]
    items = split_outside(body, "、")
    items = [i.strip("“”") for i in items if i]
    if len(items) < 5 or max(len(i) for i in items) > 50:
        return []
    return items


def _paragraph_node(paragraph: str) -> _Node:
    parts = sentences(paragraph)
    title = parts[0].rstrip("。！？!?").strip()
    node = _Node("sentence", "", title)
    body = parts[1:]
    # 社代会 style: "发挥营商中心作用,精准招商育商。" sub-headings inside the paragraph.
    heads = [i for i, s in enumerate(body) if _is_short_heading(s)]
    runs = [i for i in heads if i + 1 < len(body) and not _is_short_heading(body[i + 1])]
    if body and _is_short_heading(body[0]) and len(runs) >= 2:
        current: _Node | None = None
        for i, s in enumerate(body):
            if i in runs:
                current = _Node("sentence_sub", "", s.rstrip("。！？!?").strip())
                node.children.append(current)
            elif current is not None:
                current.text_parts.append(s.strip())
            else:
                node.text_parts.append(s.strip())
    else:
        node.text_parts.append("".join(body).strip())
    return node


def _item_ordinal(node: _Node) -> int | None:
    """3 for a node numbered 三是, else None."""
    match = re.fullmatch(rf"([{CN_NUM}]{{1,2}})是", node.number)
    return chinese_ordinal(match.group(1)) if match else None


def _inline_items(node: _Node) -> None:
    """Split 一是…二是…三是… inside a node's text into child items. In the text of a node
    that is itself 一是, the items go on from it (二是, 三是): its parent moves them up
    beside it (`_items_beside`)."""
    text = "\n".join(p for p in node.text_parts if p)
    matches = list(INLINE_ITEM_RE.finditer(text))
    own = _item_ordinal(node)
    if own and matches and chinese_ordinal(matches[0].group(1)) == 1:
        own = None  # 一是…：一是…二是…: a list of its own, inside the item
    expected = own + 1 if own else None
    items = []
    for match in matches:
        value = chinese_ordinal(match.group(1))
        if expected is None or value == expected:
            items.append(match)
            expected = (value or 0) + 1
    if len(items) < (1 if own else 2):
        return
    node.text_parts = [text[: items[0].start()].strip()]
    for index, match in enumerate(items):
        end = items[index + 1].start() if index + 1 < len(items) else len(text)
        title, body = split_title(text[match.end() : end].strip())
        if title:  # a document cut right after "四是" leaves nothing to track
            node.children.append(
                _Node("inline", f"{match.group(1)}是", title, [body] if body else [])
            )


def _lone_paragraph_tasks(nodes: list[_Node]) -> None:
    """Unnumbered groups whose headed paragraphs are their tasks (社代会 style): a group
    holding a single such paragraph holds one task, as its siblings hold several."""
    groups = [n for n in nodes if n.style == "title"]
    if not any(n.children and n.children[0].style == "sentence" for n in groups):
        return
    for node in groups:
        text = [p for p in node.text_parts if p]
        if not node.children and len(text) == 1 and _headed_paragraph(text[0]):
            child = _paragraph_node(text[0])
            node.children, node.text_parts = [child], []
            _finish(child)


def _finish(node: _Node) -> None:
    """Turn collected paragraphs into text or, in 社代会 style, into child tasks."""
    if node.paragraphs:
        headed = [p for p in node.paragraphs if sentences(p) and _is_short_heading(sentences(p)[0])]
        if (
            not node.children
            and not "".join(node.text_parts)
            and len(node.paragraphs) >= 2
            and len(headed) == len(node.paragraphs)
        ):
            node.children = [_paragraph_node(p) for p in node.paragraphs]
        elif not node.children and node.style in ("title", "label") and len(node.paragraphs) >= 2:
            node.children = [_Node("paragraph", "", *_split_paragraph(p)) for p in node.paragraphs]
        else:
            node.text_parts.extend(node.paragraphs)
        node.paragraphs = []
    node.text_parts = [inline_assignments(p, node.assignment) for p in node.text_parts]
    if not node.children:
        _inline_items(node)
    for child in node.children:
        _finish(child)
    node.children = [item for child in node.children for item in _items_beside(child)]


def _items_beside(node: _Node) -> list[_Node]:
    """`一是抓好主要指标。…二是抓好招商引资。…` in one paragraph: its line made 一是 a node,
    and 二是, 三是 in its text are not its children but the items after it."""
    own = _item_ordinal(node)
    if own is None:
        return [node]
    following: list[_Node] = []
    while node.children and node.children[0].style == "inline":
        if _item_ordinal(node.children[0]) != own + 1 + len(following):
            break
        following.append(node.children.pop(0))
    return [node, *following]


def _split_paragraph(paragraph: str) -> tuple[str, list[str]]:
    title, text = split_title(paragraph)
    return title, [text] if text else []


# --- tables --------------------------------------------------------------------------------------


def _table_nodes(table: Table) -> tuple[list[_Node], list[_Node]]:
    """A table's rows as tasks (grouped by its category column) and the same rows'
    achievements (完成情况 column), grouped alike."""
    sections: dict[str, _Node] = {}
    roots: list[_Node] = []
    progress_roots: list[_Node] = []
    progress_sections: dict[str, _Node] = {}
    by_seq: dict[str, _Node] = {}
    has = table.has
    for row in table.rows:
        cells = row.cells
        name = _strip_number(cells.get("name", ""))
        content = cells.get("content", "")
        if name:
            title, text = name, content
        else:
            title, text = split_title(content)
        if not title:
            continue
        node = _Node("row", cells.get("seq", ""), title)
        extra = [text] if text else []
        if cells.get("target") and "content" in has:
            extra.append(f"目标：{cells['target']}")
        node.text_parts = extra
        if cells.get("target"):
            node.target_cells.append((cells["target"], cells.get("unit", "")))
        for label, role in (("牵头单位", "lead"), ("配合单位", "partners"), ("完成时限", "due")):
            if cells.get(role):
                node.assignment.add(label, cells[role])
        if row.children and content and name:
            # A name over several rows: its first row's content is the first sub-item.
            node.text_parts = node.text_parts[1:]
            row.children.insert(0, content)
        for child in row.children:
            child_title, child_text = split_title(_strip_number(child))
            node.children.append(
                _Node("row_item", "", child_title, [child_text] if child_text else [])
            )
        seq = cells.get("seq", "")
        outline = re.match(r"^(\d{1,3}(?:[.．-]\d{1,3})*)[.．-]\d{1,3}$", seq)
        if outline and outline.group(1) in by_seq:
            # 序号 1.1 under 1: a table that numbers its rows as an outline.
            by_seq[outline.group(1)].children.append(node)
        else:
            _group(row.category, sections, roots).append(node)
        by_seq[seq] = node
        if cells.get("actual"):
            achieved = _Node("row", seq, title)
            achieved.target_cells.append((cells["actual"], cells.get("unit", "")))
            achieved.text_parts = [cells["actual"]]
            _group(row.category, progress_sections, progress_roots).append(achieved)
    return roots, progress_roots


def _group(category: str, sections: dict[str, _Node], roots: list[_Node]) -> list[_Node]:
    """Where a row goes: under its category's section (made on first use), else the roots."""
    if not category:
        return roots
    if category not in sections:
        sections[category] = _Node("category", "", category)
        roots.append(sections[category])
    return sections[category].children


def _strip_number(text: str) -> str:
    heading = match_heading(text)
    text = heading.rest if heading and heading.style not in ("bullet",) else text
    return text.lstrip("*").strip()


# --- to the parsed types ---------------------------------------------------------------------------


def _to_parsed(node: _Node, year: int | None) -> ParsedNode:
    text = "\n".join(p for p in node.text_parts if p).strip()
    if node.target_cells:
        indicators = []
        for cell, unit in node.target_cells:
            indicators.extend(indicators_from_cell(cell, unit, node.title))
        if not indicators:
            # A target column in words (党建引领作用进一步增强): the figures are in the
            # row's own measures, if anywhere.
            title = node.title if not node.title[:1].isdigit() else ""
            indicators = extract_indicators(title) + extract_indicators(text)
    else:
        indicators = extract_indicators(node.title) + extract_indicators(text)
    assignment = node.assignment
    return ParsedNode(
        number=node.number,
        title=node.title,
        text=text,
        indicators=indicators,
        children=[_to_parsed(c, year) for c in node.children],
        lead=assignment.lead_text,
        partners=list(dict.fromkeys(assignment.partners)),
        due=due_date(assignment.due_text, year),
        due_text=assignment.due_text,
    )


def _plan(
    meta: Metadata,
    nodes: list[_Node],
    *,
    title: str,
    year: tuple[int | None, int | None],
    is_review: bool,
) -> ParsedPlan:
    return ParsedPlan(
        subdistrict=meta.subdistrict or None,
        district=meta.district or None,
        level=meta.level or None,
        title=title,
        kind=meta.kind,
        year_start=year[0],
        year_end=year[1],
        published_on=meta.published_on,
        doc_number=meta.doc_number,
        is_review=is_review,
        nodes=[_to_parsed(n, year[1]) for n in nodes],
    )


def parse_document(text: str) -> ParsedDocument:
    """Parse a plan document's text; raises DocumentError only when it holds no usable text."""
    lines = clean_lines(text)
    if not any(re.search(r"[\u4e00-\u9fff]{4,}", line) for line in lines):
        raise DocumentError(
            "文档中没有可识别的中文正文，无法导入。请确认文件内容是工作计划或报告的文字。"
        )
    meta = extract_metadata(lines)
    skip = set(meta.title_lines)
    _preamble, parts = split_parts(lines, skip, review_title=meta.is_review_title)
    if not parts:
        review_title = meta.is_review_title
        parts = [
            Part(
                is_review=review_title,
                heading="",
                year=meta.review_year if review_title else meta.year_start,
                midyear=meta.midyear,
                lines=[line for i, line in enumerate(lines) if i not in skip],
            )
        ]
    document = ParsedDocument(text="\n".join(lines))
    plans: dict[tuple[int | None, bool], tuple[str, list[_Node]]] = {}
    review_year = _review_year(parts, meta)
    plan_year = _plan_year(parts, meta, review_year)
    for part in parts:
        built = build_tree(part.lines, is_review=part.is_review, outer_style=part.style)
        if part.is_review:
            year = part.year or review_year
            midyear = part.midyear or meta.midyear
            _collect(plans, (year, True), part.heading, built.roots)
            # The targets of a progress table are the plan of its year when the report
            # covers that year alone (a half-year report, a year's 执行情况表); a look-back
            # inside a report that plans the next year keeps them as history.
            if midyear or set(YEAR_RE.findall(meta.title)) <= {str(year)}:
                _collect(plans, (year, False), "", built.targets)
        else:
            year = part.year or plan_year
            _collect(plans, (year, False), part.heading, built.roots)
        _collect(plans, (year, True), "完成情况", built.progress)
    for (year, is_review), (heading, nodes) in plans.items():
        if not nodes:
            continue
        start, end = (year, year)
        if not is_review and len(parts) == 1 and not parts[0].is_review:
            start, end = meta.year_start, meta.year_end
        elif not is_review and year == meta.year_start and meta.year_end:
            end = meta.year_end  # the plan part of a multi-year plan
        title = meta.title or ""
        if heading and (len(plans) > 1 or parts[0].heading):
            title = f"{title}（{heading}）" if title else heading
        document.plans.append(
            _plan(meta, nodes, title=title, year=(start, end), is_review=is_review)
        )
    if not document.plans:
        raise DocumentError("文档中没有可导入的正文内容。")
    document.plans.sort(key=lambda p: (not p.is_review, p.year_start or 0))
    return document


def _collect(plans: dict, key: tuple[int | None, bool], heading: str, nodes: list[_Node]) -> None:
    if not nodes:
        return  # nothing to add, and no heading of an empty part to name the plan by
    current_heading, current = plans.setdefault(key, (heading, []))
    current.extend(nodes)
    if heading and not current_heading:
        plans[key] = (heading, current)


def _review_year(parts: list[Part], meta: Metadata) -> int | None:
    for part in parts:
        if part.is_review and part.year:
            return part.year
    if any(p.is_review and (p.midyear or meta.midyear) for p in parts):
        return meta.year_start
    if meta.review_year:
        return meta.review_year
    return meta.year_start - 1 if meta.year_start else None


def _plan_year(parts: list[Part], meta: Metadata, review_year: int | None) -> int | None:
    for part in parts:
        if not part.is_review and part.year:
            return part.year
    reviews = [p for p in parts if p.is_review]
    if not reviews:
        return meta.year_start
    if any(p.midyear for p in reviews) or meta.midyear:
        return review_year
    if review_year:
        return review_year + 1
    return meta.year_start
