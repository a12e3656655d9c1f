"""Turn a work plan's text into plans, a tree of sections and tasks, and their indicators.

Chinese government documents nest their structure with numbering styles rather than
with layout: 一、 / (一) / 1. / (1) / ① and, inside a paragraph, 一是…二是…. The order in
which styles first appear defines the depth (a style seen before closes everything
below it), so the same rule reads 工作要点 that start at (一), action plans that start
at 一、, and numbering that runs on across sections. 社代会 reports add two things: a
look-back part and a plan part that restart their numbering, and unnumbered
paragraphs whose first short sentence is the heading. Plain Python: no Django imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .indicators import extract_indicators
from .metadata import Metadata, extract_metadata, is_meta_line
from .numerals import chinese_ordinal
from .types import DocumentError, ParsedDocument, ParsedNode, ParsedPlan

CN_NUM = "一二三四五六七八九十"

# (style, regex); the regex's group 1 is the number, the match's end is where the heading text starts.
HEADING_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"^第([{CN_NUM}]{{1,3}})(?:部分|篇|章)\s*[、，,：:.．]?\s*")),
    ("cn", re.compile(rf"^([{CN_NUM}]{{1,3}})\s*[、.．，,]\s*")),
    ("cn_paren", re.compile(rf"^[（(]\s*([{CN_NUM}]{{1,3}})\s*[）)]\s*[、.．]?\s*")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[.、．](?!\d)\s*")),
    ("arabic_paren", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*")),
    ("arabic_half", re.compile(r"^(\d{1,2})[)）]\s*")),
    ("circled", re.compile(r"^([①-⑳])\s*")),
]
INLINE_HEADING_SPLIT = re.compile(
    rf"(?<=\S)\s+(?=(?:[{CN_NUM}]{{1,3}}、|[（(][{CN_NUM}]{{1,3}}[）)]|\d{{1,2}}[.、．]|第[{CN_NUM}]+部分)[\u4e00-\u9fa5“（(])"
)
INLINE_ITEM_RE = re.compile(rf"(?:(?<=^)|(?<=[。；;：:！!？?\n]))\s*([{CN_NUM}]{{1,2}})是")
CONVERSION_MARK_RE = re.compile(
    r"\[(?:bookmark|_GoBack|image|footnote|endnote|comment|page)[^\]]*\]|\[[A-Za-z_]+:[^\]\u4e00-\u9fa5]*\]"
)
SPACE_RE = re.compile(r"[\u3000\xa0\u2002\u2003\u2009\t\u200b]")

NOISE_LINE_RE = re.compile(
    r"^(?:相关(?:稿件|附件|链接|文件)|打印本页|关闭窗口|【打印】|【关闭】|扫一扫|分享到)[:：]?\s*$|^[|｜\s-]*$"
)
END_MARKER_RE = re.compile(
    r"^(?:附件\s*(?:[:：\d一二三四五六七八九十]|$)|附\s*件[:：]|抄送[:：]|主题词[:：]|[（(]?共印\s*\d+\s*份|[-—·•]\s*图解|相关(?:稿件|附件)[:：])"
)
PRINTED_LINE_RE = re.compile(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日\s*印发\s*$")
DATE_ONLY_RE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
SIGNATURE_RE = re.compile(
    r"^[\u4e00-\u9fa5\s]{2,30}(?:办事处|委员会|人民政府|党工委|办公室|工作委员会)$"
)
CLOSING_ADDRESS_RE = re.compile(r"^(?:各位代表|同志们|各位委员|各位来宾)")
PART_TITLE_RE = re.compile(
    r"^(?P<when>(?:19|20)\d{2}\s*年度?|过去(?:的)?一年|上一?年|今年|本年|明年|新的一年|下一?年|近年来)?的?"
    r"(?:主要)?(?:工作)?(?P<what>回顾|总结|完成情况|思路|打算|安排|计划|目标任务|主要任务|重点任务)"
)
REVIEW_WORDS = ("回顾", "总结", "完成情况")

TITLE_END = "。！？!?；;"
MAX_TITLE = 60
SHORT_SENTENCE = 30


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


def normalise(text: str) -> list[str]:
    """Clean lines: no BOM or conversion marks, one heading per line even in one-line documents."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = CONVERSION_MARK_RE.sub("", text)
    text = SPACE_RE.sub(" ", text)
    lines: list[str] = []
    for raw in text.split("\n"):
        for piece in INLINE_HEADING_SPLIT.split(raw):
            line = piece.strip().strip("|｜").strip()
            if line:
                lines.append(line)
    return lines


def match_heading(line: str) -> Heading | None:
    for style, pattern in HEADING_PATTERNS:
        match = pattern.match(line)
        if not match:
            continue
        rest = line[match.end() :].strip()
        if not rest or rest[0] in "、，,。%":
            return None
        number = line[: match.end()].strip()
        raw = match.group(1)
        if raw.isdigit():
            value: int | None = int(raw)
        elif raw in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
            value = ord(raw) - ord("①") + 1
        else:
            value = chinese_ordinal(raw)
        if style == "arabic" and re.match(r"^[\d.]*[%％]", rest):
            return None
        return Heading(style, number, value, rest)
    return None


def split_title(rest: str) -> tuple[str, str]:
    """A numbered line's heading and its body: the heading ends at the first full stop."""
    cut = -1
    for i, ch in enumerate(rest):
        if ch in TITLE_END:
            cut = i
            break
        if ch in "：:" and i <= 30:
            cut = i
            break
    if cut == -1:
        return rest.strip(), ""
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


def _inline_items(node: _Node) -> None:
    """Split 一是…二是…三是… inside a node's text into child items."""
    text = "\n".join(p for p in node.text_parts if p)
    matches = [m for m in INLINE_ITEM_RE.finditer(text)]
    expected, items = 1, []
    for match in matches:
        if chinese_ordinal(match.group(1)) == expected:
            items.append(match)
            expected += 1
    if len(items) < 2:
        return
    node.text_parts = [text[: items[0].start()].strip()]
    for index, match in enumerate(items):
        end = items[index + 1].start() if index + 1 < len(items) else len(text)
        title, body = split_title(text[match.end() : end].strip())
        node.children.append(_Node("inline", f"{match.group(1)}是", title, [body] if body else []))


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
        else:
            node.text_parts.extend(node.paragraphs)
        node.paragraphs = []
    if not node.children:
        _inline_items(node)
    for child in node.children:
        _finish(child)


def _mark_parts(headings: list[tuple[int, Heading]]) -> None:
    """A report's look-back and plan parts (一、2024年工作回顾 / 二、2025年工作思路) become parts."""
    candidates = [
        h
        for _, h in headings
        if h.style in ("cn", "part") and len(h.rest) <= 24 and PART_TITLE_RE.match(h.rest)
    ]
    candidates = [
        h
        for h in candidates
        if PART_TITLE_RE.match(h.rest).group("when") or any(w in h.rest for w in REVIEW_WORDS)
    ]
    if any(any(w in h.rest for w in REVIEW_WORDS) for h in candidates) and len(candidates) >= 2:
        for heading in candidates:
            heading.style = "part"


def build_tree(lines: list[str]) -> tuple[list[str], list[_Node]]:
    """Split lines into the preamble (before the first heading) and the heading tree."""
    headings = [(i, h) for i, line in enumerate(lines) if (h := match_heading(line))]
    if not headings:
        return lines, []
    _mark_parts(headings)
    by_line = dict(headings)
    first = headings[0][0]
    preamble = lines[:first]
    roots: list[_Node] = []
    stack: list[_Node] = []
    closing = False
    index = first
    while index < len(lines):
        line = lines[index]
        heading = by_line.get(index)
        index += 1
        if heading is None:
            if END_MARKER_RE.match(line) or PRINTED_LINE_RE.search(line):
                break
            if (
                NOISE_LINE_RE.match(line)
                or DATE_ONLY_RE.match(line)
                or SIGNATURE_RE.match(line)
                or is_meta_line(line)
            ):
                continue
            if CLOSING_ADDRESS_RE.match(line):
                closing = True
            if closing or not stack:
                continue
            stack[-1].paragraphs.append(line)
            continue
        closing = False
        title, text = split_title(heading.rest)
        node = _Node(heading.style, heading.number, title, [text] if text else [])
        styles = [n.style for n in stack]
        if heading.style == "part":
            stack = []
        elif heading.style in styles:
            stack = stack[: styles.index(heading.style)]
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    for root in roots:
        _finish(root)
    return preamble, roots


def _to_parsed(node: _Node) -> ParsedNode:
    text = "\n".join(p for p in node.text_parts if p).strip()
    indicators = extract_indicators(node.title) + extract_indicators(text)
    return ParsedNode(
        number=node.number,
        title=node.title,
        text=text,
        indicators=indicators,
        children=[_to_parsed(c) for c in node.children],
    )


def _plan(
    meta: Metadata, nodes: list[_Node], *, title: str, year: tuple[int, int], is_review: bool
) -> ParsedPlan:
    return ParsedPlan(
        subdistrict=meta.subdistrict,
        district=meta.district,
        title=title,
        kind=meta.kind,
        year_start=year[0],
        year_end=year[1],
        published_on=meta.published_on,
        doc_number=meta.doc_number,
        is_review=is_review,
        nodes=[_to_parsed(n) for n in nodes],
    )


def _part_year(part: _Node, main_year: int, is_review: bool) -> int:
    year = re.search(r"((?:19|20)\d{2})\s*年", part.title)
    if year:
        return int(year.group(1))
    return main_year - 1 if is_review else main_year


def parse_document(text: str) -> ParsedDocument:
    """Parse a plan document's text; raises DocumentError when it holds no plan structure."""
    lines = normalise(text)
    preamble, roots = build_tree(lines)
    if not roots or not any(r.children or r.text_parts for r in roots):
        raise DocumentError(
            "未能在文档中识别出计划结构（如“一、”“（一）”“1.”等编号的章节和任务），无法导入。"
        )
    opening = "\n".join(line for line in preamble if not is_meta_line(line))
    if not opening and roots:
        opening = roots[0].title
    meta = extract_metadata(preamble, "\n".join(lines), opening)
    if meta.year_start is None:
        raise DocumentError("未能识别计划年度：标题或开头应写明年份（如“2023年工作要点”）。")
    if not meta.subdistrict:
        raise DocumentError("未能识别街道（镇）名称：标题或正文应写明“××街道”。")
    document = ParsedDocument(text="\n".join(lines))
    parts = [r for r in roots if r.style == "part"]
    if not parts:
        document.plans.append(
            _plan(
                meta,
                roots,
                title=meta.title,
                year=(meta.year_start, meta.year_end),
                is_review=False,
            )
        )
        return document
    for part in parts:
        if not part.children:
            continue
        is_review = any(word in part.title for word in REVIEW_WORDS)
        year = _part_year(part, meta.year_end, is_review)
        title = f"{meta.title}（{part.title}）" if meta.title else part.title
        document.plans.append(
            _plan(meta, part.children, title=title, year=(year, year), is_review=is_review)
        )
    return document
