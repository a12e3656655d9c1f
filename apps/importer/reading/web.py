"""A web page saved from a government site: the article, without the site around it.

Navigation, breadcrumbs, share buttons, footers and the like are dropped by tag and by the
class/id names sites give them; of what remains, the article is the block that holds most
of the page's (non-link) Chinese text. Block structure is kept as lines, table rows as
"|"-separated cells, and the page title comes first when the article does not repeat it.
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from apps.importer.reading.base import table_row
from apps.importer.reading.plain import bom_encoding, decode_as, decode_text
from apps.importer.types import DocumentError

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
# GBK and GB2312 are subsets of GB18030, and pages labelled with either often use more.
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "big5": "big5hkscs",
}
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

# Never part of the article.
DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "object",
    "embed",
    "button",
    "select",
    "textarea",
    "input",
    "nav",
    "aside",
)
# Site furniture, unless they hold most of the page (some sites wrap a whole page in a
# <form>, or call the wrapper of everything "header-main").
FURNITURE_TAGS = ("header", "footer", "form")
# Matched against the words of an element's class and id ("mainNav", "top_nav" and
# "footer-links" are read as "main nav", "top nav", "footer links").
FURNITURE = re.compile(
    r"\b(?:nav\w*|menus?|breadcrumbs?|crumbs?|footer|foot|header|head|share\w*|sidebar|side|"
    r"copyright|toolbar|bdshare|jiathis|dqwz|weizhi|location|bottom|top|banner|friendlinks?|"
    r"links?|search\w*|login|qrcode|erweima|print|close)\d*\b|分享|当前位置",
    re.IGNORECASE,
)
HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
CONTENT_HINT = re.compile(
    r"content|article|trs_editor|zoom|main|detail|正文|zwnr|wznr|xxgk_?con", re.IGNORECASE
)
# An element holding at least this share of the page text is never furniture.
MAX_FURNITURE_SHARE = 0.5
# The article is found by descending from the page into the child that holds this share of
# its text, as long as there is one.
DOMINANT_SHARE = 0.8
# A block named like an article (class="TRS_Editor", id="zoom") is a starting point when it
# holds at least this share of the page text.
MIN_HINTED_SHARE = 0.2

HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")
NOT_SPACE = re.compile(r"\S")
# Blocks the article may be: the search for it descends only into these (and through the
# rows of a layout table into its cells).
CONTAINERS = {"div", "section", "article", "main", "center", "form", "td", "th", "span", "font"}
TABLE_PARTS = {"table", "tbody", "thead", "tfoot", "tr"}

BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "blockquote",
    "pre",
    "center",
    "hr",
    "form",
    "fieldset",
    "address",
    "figure",
    "figcaption",
    "body",
}
CELL_TAGS = {"td", "th"}
TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|—|--| - )\s*")


def html_text(data: bytes, name: str) -> str:
    text = XML_DECLARATION.sub("", _decode(data, name))
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        page = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        raise DocumentError(f"文件是空的：{name}") from None

    page_title = " ".join((page.findtext(".//title") or "").split())
    for element in list(page.iter(*DROPPED_TAGS, "head")):
        element.drop_tree()
    body = page.find("body")
    if body is None:
        body = page
    count = _counter(body)
    _drop_furniture(body, count)

    article = _article(body, count)
    lines = _Renderer().lines(article)
    title = _title(body, page_title)
    opening = "".join("".join(lines[:5]).split())
    if title and "".join(title.split()) not in opening:
        lines.insert(0, title)
    return "\n".join(lines)


def _decode(data: bytes, name: str) -> str:
    encoding = bom_encoding(data)
    if encoding:
        return decode_as(data, encoding, name)
    match = META_CHARSET.search(data[:4096])
    declared: str | None = None
    if match:
        declared = match.group(1).decode("ascii").lower()
        declared = CHARSET_ALIASES.get(declared, declared)
        if declared.startswith(("utf-16", "utf-32", "unicode")):
            declared = None  # a page saved as 8-bit text that still says "unicode"
    if declared and not _known_codec(declared):
        declared = None
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # pages often declare the wrong charset: detect it as for a .txt
    try:
        return decode_text(data, name)
    except DocumentError:
        if declared is None:
            raise
        # Neither the declared charset nor detection fits every byte: keep what decodes.
        return data.decode(declared, errors="replace")


def _known_codec(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def _counter(body):
    """How to weigh text: by Chinese characters, or by any letters on a page without them."""
    pattern = HAN if HAN.search(body.text_content()) else NOT_SPACE
    return lambda text: len(pattern.findall(text)) if text else 0


def _weights(root, count, *, skip_links: bool) -> dict:
    """The weight of the text of every element under `root`, in one pass from the leaves."""
    weights: dict = {}
    for _, element in etree.iterwalk(root, events=("end",)):
        if skip_links and element.tag == "a":
            weights[element] = 0
            continue
        weight = count(element.text)
        for child in element:
            weight += weights[child] + count(child.tail)
        weights[element] = weight
    return weights


def _drop_furniture(body, count) -> None:
    weights = _weights(body, count, skip_links=False)
    total = weights[body] or 1
    doomed = [
        element
        for element in body.iterdescendants()
        if isinstance(element.tag, str)
        and weights[element] < MAX_FURNITURE_SHARE * total
        and _is_furniture(element)
    ]
    for element in doomed:
        element.drop_tree()


def _is_furniture(element) -> bool:
    if HIDDEN.search(element.get("style", "")) or element.get("hidden") is not None:
        return True
    if element.tag in FURNITURE_TAGS:
        # An article's own <header> holds its title and date.
        return not (element.tag == "header" and _inside(element, ("article", "main")))
    return bool(FURNITURE.search(_names(element)))


def _names(element) -> str:
    names = f"{element.get('class', '')} {element.get('id', '')}"
    return re.sub(r"(?<=[a-z])(?=[A-Z])|[_-]", " ", names)


def _inside(element, tags: tuple[str, ...]) -> bool:
    return any(ancestor.tag in tags for ancestor in element.iterancestors())


def _article(body, count):
    weights = _weights(body, count, skip_links=True)
    total = weights[body]
    node = body
    hinted = [
        element
        for element in body.iterdescendants()
        if isinstance(element.tag, str)
        and CONTENT_HINT.search(f"{element.get('class', '')} {element.get('id', '')}")
        and weights[element] >= MIN_HINTED_SHARE * total > 0
    ]
    if hinted:
        node = max(hinted, key=lambda element: weights[element])
    while True:
        inner = _dominant(node, weights)
        # Through a layout table to the cell that holds the text; a data table is content,
        # and so are paragraphs and lists: the block around them is the article.
        while inner is not None and inner.tag in TABLE_PARTS:
            inner = _dominant(inner, weights, share_of=weights[node])
        if inner is None or inner.tag not in CONTAINERS:
            return node
        node = inner


def _dominant(node, weights, *, share_of: int | None = None):
    """The child of `node` holding most of its text (of `share_of`, if given), if any."""
    children = [child for child in node if isinstance(child.tag, str)]
    if not children or not weights[node]:
        return None
    best = max(children, key=lambda child: weights[child])
    reference = weights[node] if share_of is None else share_of
    return best if weights[best] >= DOMINANT_SHARE * reference else None


def _title(body, page_title: str) -> str:
    for heading in body.iter("h1"):
        text = " ".join(heading.text_content().split())
        if text:
            return text
    # "关于印发…的通知_区政府文件_上海市浦东新区人民政府": the page's own title comes first.
    return TITLE_SEPARATORS.split(page_title)[0] if page_title else ""


class _Renderer:
    """Text of an element as lines: blocks and <br> break lines, a table row is one line."""

    def __init__(self) -> None:
        self.output: list[str] = []
        self.line: list[str] = []
        self.rows: list[tuple[object, list[str]]] = []  # data-table rows being read, nested
        self.cell: object | None = None  # the data cell being read, and its text
        self.cell_text: list[str] = []

    def lines(self, root) -> list[str]:
        for event, element in etree.iterwalk(root, events=("start", "end")):
            if event == "start":
                self._start(element)
            else:
                self._end(element, is_root=element is root)
        self._flush()
        return self.output

    def _start(self, element) -> None:
        tag = element.tag
        if self.cell is not None:  # inside a data cell everything runs together
            if tag in BLOCK_TAGS or tag in CELL_TAGS or tag == "br":
                self.cell_text.append(" ")
        elif tag == "tr" and _is_data_row(element):
            self._flush()
            self.rows.append((element, []))
        elif tag in CELL_TAGS and self.rows and self.rows[-1][0] is element.getparent():
            self.cell, self.cell_text = element, []
        elif tag in BLOCK_TAGS or tag in CELL_TAGS or tag == "br":
            self._flush()
        self._write(element.text)

    def _end(self, element, *, is_root: bool) -> None:
        tag = element.tag
        if element is self.cell:
            self.rows[-1][1].append(" ".join("".join(self.cell_text).split()))
            self.cell = None
        elif self.rows and element is self.rows[-1][0]:
            cells = self.rows.pop()[1]
            if any(cells):
                self.output.append(table_row(cells))
        elif self.cell is None and (tag in BLOCK_TAGS or tag in CELL_TAGS):
            self._flush()
        if not is_root:
            self._write(element.tail)

    def _write(self, text: str | None) -> None:
        if text:
            (self.cell_text if self.cell is not None else self.line).append(text)

    def _flush(self) -> None:
        line = " ".join("".join(self.line).split())
        if line:
            self.output.append(line)
        self.line = []


def _is_data_row(row) -> bool:
    """A row of a data table; a row of one cell, or holding a nested table, is layout."""
    cells = [child for child in row if child.tag in CELL_TAGS]
    return len(cells) >= 2 and not any(cell.find(".//table") is not None for cell in cells)
