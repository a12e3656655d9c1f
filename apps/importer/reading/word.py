"""Word .docx: paragraphs and tables in document order, with Word's own numbering printed.

The XML is walked directly with lxml (not through python-docx objects) so that the cost is
linear in the size of the document: a file of 80,000 empty paragraphs reads as fast as its
XML parses.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from lxml import etree

from apps.importer.cleaning import DATE_ONLY, OFFICE_END, SECTION_NUMBER_RE
from apps.importer.reading.base import not_a_document, open_zip, read_member, table_row
from apps.importer.reading.numbering import Numbering, Styles, W, join_label, outline_level
from apps.importer.types import DocumentError

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

DAMAGED = "无法读取 .docx 文档，文件可能已损坏"

# Elements whose content is not printed text: properties, deleted or moved-away revisions,
# field codes, and the VML copy of a drawing (its DrawingML twin in mc:Choice is read).
SKIPPED = {
    f"{W}pPr",
    f"{W}rPr",
    f"{W}del",
    f"{W}moveFrom",
    f"{W}instrText",
    f"{W}delText",
    f"{W}fldChar",
    f"{MC}Fallback",
}
# Containers of block content (paragraphs and tables) that are not blocks themselves.
BLOCK_WRAPPERS = {f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}moveTo"}


def docx_text(data: bytes, name: str) -> str:
    # Refuses a file whose parts (word/document.xml among them) unpack to more than 50 MB.
    archive = open_zip(data, name, DAMAGED)
    main = _main_part(archive)
    if main is None:
        raise not_a_document(name)
    related = _related_parts(archive, main)
    document = _xml(archive, main, name)
    styles = Styles(_xml(archive, related.get("styles"), name))
    numbering = Numbering(_xml(archive, related.get("numbering"), name), styles)
    body = document.find(f"{W}body")
    if body is None:
        raise DocumentError(f"{DAMAGED}：{name}")
    return "\n".join(_DocumentReader(styles, numbering, body).block_lines(body))


def _main_part(archive: zipfile.ZipFile) -> str | None:
    """The main document part, as the package relationships name it (word/document.xml)."""
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        for target, kind in _relationships(archive, "_rels/.rels"):
            if kind == "officeDocument":
                part = posixpath.normpath(target.lstrip("/"))
                if part in names:
                    return part
    return "word/document.xml" if "word/document.xml" in names else None


def _related_parts(archive: zipfile.ZipFile, main: str) -> dict[str, str]:
    folder, filename = posixpath.split(main)
    names = set(archive.namelist())
    parts = {
        kind: f"{folder}/{kind}.xml"
        for kind in ("styles", "numbering")
        if f"{folder}/{kind}.xml" in names
    }
    rels = f"{folder}/_rels/{filename}.rels"
    if rels in names:
        for target, kind in _relationships(archive, rels):
            if kind in ("styles", "numbering"):
                path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
                path = posixpath.normpath(path)
                if path in names:
                    parts[kind] = path
    return parts


def _relationships(archive: zipfile.ZipFile, part: str):
    try:
        root = etree.fromstring(archive.read(part), _parser())
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError):
        return
    for rel in root.iterfind(f"{REL}Relationship"):
        target = rel.get("Target") or ""
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        if rel.get("TargetMode") != "External":
            yield target, kind


def _xml(archive: zipfile.ZipFile, part: str | None, name: str):
    if part is None:
        return None
    try:
        return etree.fromstring(read_member(archive, part, name, DAMAGED), _parser())
    except (etree.XMLSyntaxError, ValueError):
        raise DocumentError(f"{DAMAGED}：{name}") from None


def _parser() -> etree.XMLParser:
    # No entity expansion, no network: a .docx is untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


# Numbers typed into a heading's text: such a heading needs none from its style.
TYPED_NUMBER_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、．]|"
    r"第[一二三四五六七八九十]{1,3}(?:部分|章|节)|[①-⑳])"
)
# Lines a heading style may carry that are no heading: a date, a signature, an attachment mark.
NOT_HEADING_RE = re.compile(
    rf"{DATE_ONLY}|{OFFICE_END}|^附\s*件|"
    # A plan's own title (its year or unit, then what it is) or subtitle in a heading style;
    # 进度安排 alone is a section.
    r"(?:19|20)\d{2}.*(?:要点|计划|方案|报告|安排|清单|实事项目|总结)$|"
    r"^[（(].*(?:19|20)\d{2}\s*年.*[）)]$|^[—－-]{1,2}"
)
# The numbers a plan prints for its heading levels, outermost first.
HEADING_NUMBERS = ("{cn}、", "（{cn}）", "{n}.", "（{n}）", "{circled}")
CN_DIGITS = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_DIGITS[tens - 1] if tens > 1 else "") + "十" + (CN_DIGITS[ones - 1] if ones else "")


class _DocumentReader:
    """One pass through a document's blocks.

    Headings that Word shows by their style alone (Heading 1, 标题 2 …) and whose text carries
    no number get the number a typed plan would print for their level (一、, （一）, 1. …), so
    that the parser nests them as it nests typed ones. The document's first paragraph is its
    title, never a numbered heading.
    """

    def __init__(self, styles: Styles, numbering: Numbering, body=None) -> None:
        self.styles = styles
        self.numbering = numbering
        self.ranks: dict[int, int] = {}
        self.counts = [0] * len(HEADING_NUMBERS)
        # Each paragraph's text, read once: the heading levels need the whole document first.
        self.paragraphs = (
            {p: _paragraph_text(p) for p in body.iter(f"{W}p")} if body is not None else {}
        )
        if body is not None:
            texts = [(p, t) for p, (text, _) in self.paragraphs.items() if (t := text.strip())]
            headings = [
                (level, text)
                for p, text in texts[1:]  # the first paragraph is the title
                if (level := self._outline(p)) is not None
            ]
            # A document that types its numbers (一、 （一） 第一部分) does not rely on styles.
            if not any(SECTION_NUMBER_RE.match(text) for _, text in texts):
                levels = [level for level, text in headings if not NOT_HEADING_RE.search(text)]
                # A level used once is a title or a subtitle styled as a heading.
                used = sorted(level for level in set(levels) if levels.count(level) > 1)
                self.ranks = {
                    level: rank for rank, level in enumerate(used[: len(HEADING_NUMBERS)])
                }
        self.first = True

    def _outline(self, paragraph) -> int | None:
        ppr = paragraph.find(f"{W}pPr")
        own = outline_level(ppr)
        if own is not None:
            return own
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        return self.styles.outline(
            style.get(f"{W}val") if style is not None else self.styles.default
        )

    def _heading_label(self, paragraph, text: str) -> tuple[str, str] | None:
        """The number a heading styled without one is printed with, counted per level."""
        if not self.ranks or TYPED_NUMBER_RE.match(text):
            return None
        if NOT_HEADING_RE.search(text):
            self.counts = [0] * len(HEADING_NUMBERS)  # a part's title: its headings count anew
            return None
        rank = self.ranks.get(self._outline(paragraph))
        if rank is None:
            return None
        self.counts[rank] += 1
        for deeper in range(rank + 1, len(self.counts)):
            self.counts[deeper] = 0
        n = self.counts[rank]
        circled = chr(0x2460 + n - 1) if n <= 20 else str(n)
        return HEADING_NUMBERS[rank].format(cn=_cn(n), n=n, circled=circled), "nothing"

    def block_lines(self, container) -> list[str]:
        """One line per paragraph (its numbering printed) and per table row."""
        lines: list[str] = []
        for block in _blocks(container):
            if block.tag == f"{W}tbl":
                lines.extend(self._table_lines(block))
                continue
            text, boxes = self.paragraphs.get(block) or _paragraph_text(block)
            label = self._count(block)
            if text.strip():
                if label is None and not self.first:
                    label = self._heading_label(block, text)
                self.first = False
            # An empty numbered paragraph still takes its number, but prints nothing useful.
            lines.append(join_label(label, text) if text.strip() else text)
            for box in boxes:
                lines.extend(self.block_lines(box))
        return lines

    def _count(self, paragraph) -> tuple[str, str] | None:
        """Count the paragraph in its list, if it has one, and return its printed number."""
        ppr = paragraph.find(f"{W}pPr")
        style_id = self.styles.default
        num_id = ilvl = None
        if ppr is not None:
            style = ppr.find(f"{W}pStyle")
            if style is not None and style.get(f"{W}val"):
                style_id = style.get(f"{W}val")
            num_pr = ppr.find(f"{W}numPr")
            if num_pr is not None:
                num_id = _val(num_pr.find(f"{W}numId"))
                level = _val(num_pr.find(f"{W}ilvl"))
                ilvl = int(level) if level and level.isdigit() else None
        style_num, style_ilvl = self.styles.numbering(style_id)
        num_id = num_id if num_id is not None else style_num
        if not num_id or num_id == "0":  # numId 0 switches inherited numbering off
            return None
        if ilvl is None:
            ilvl = (
                style_ilvl
                if style_ilvl is not None
                else self.numbering.level_for_style(num_id, style_id)
            )
        return self.numbering.label(num_id, ilvl)

    def _table_lines(self, table) -> list[str]:
        lines: list[str] = []
        for row in _children(table, f"{W}tr"):
            cells = list(_children(row, f"{W}tc"))
            if len(cells) == 1:
                # A one-cell row is layout (a frame around the text, a title across the
                # table): its paragraphs stay lines of their own.
                lines.extend(self.block_lines(cells[0]))
                continue
            texts = []
            for cell in cells:
                # A cell across several grid columns (责任单位 over 牵头单位 | 配合单位) keeps
                # the columns below it in line: its text, then empty cells.
                span = _val(cell.find(f"{W}tcPr/{W}gridSpan"))
                texts.append(self._cell_text(cell))
                texts.extend(
                    [""] * (int(span) - 1 if span and span.isdigit() and 1 < int(span) <= 20 else 0)
                )
            if any(texts):
                lines.append(table_row(texts))
        return lines

    def _cell_text(self, cell) -> str:
        merge = cell.find(f"{W}tcPr/{W}vMerge")
        if merge is not None and merge.get(f"{W}val") != "restart":
            # The continuation of a vertically merged cell: its value is printed once, in
            # the first row of the merge.
            return ""
        lines = self.block_lines(cell)
        return " ".join(" ".join(line.split()) for line in lines if line.strip())


def _blocks(container):
    """Paragraphs and tables of `container` in order, looking through content controls."""
    for child in container:
        tag = child.tag
        if tag == f"{W}p" or tag == f"{W}tbl":
            yield child
        elif tag in BLOCK_WRAPPERS:
            yield from _blocks(child)


def _children(parent, tag: str):
    """Rows of a table or cells of a row, looking through content controls."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _paragraph_text(paragraph) -> tuple[str, list]:
    """The printed text of a paragraph, and the text boxes anchored in it."""
    pieces: list[str] = []
    boxes = []
    stack = list(paragraph)
    stack.reverse()
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag == f"{W}t":
            pieces.append(element.text or "")
        elif tag in (f"{W}tab", f"{W}ptab"):
            pieces.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            pieces.append("\n")
        elif tag == f"{W}noBreakHyphen":
            pieces.append("-")
        elif tag == f"{W}txbxContent":
            boxes.append(element)
        elif tag in SKIPPED or (tag == f"{W}r" and _hidden(element)):
            continue
        else:
            children = list(element)
            children.reverse()
            stack.extend(children)
    return "".join(pieces), boxes


def _hidden(run) -> bool:
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(f"{W}val") not in ("0", "false", "off")


def _val(element) -> str | None:
    return None if element is None else element.get(f"{W}val")
