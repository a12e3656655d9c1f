"""From raw text to clean lines: what conversion and web publishing did to a document, undone.

Plans reach us through Word, PDF and government web pages, and each leaves its debris:
page markers (`— 2 —`, a stray `1、` at a page break), headings wrapped mid-word, spaces a
PDF puts between a number and its unit (`1687 万元`) or inside words (`习 近平`), web-page
furniture (breadcrumbs, font-size links, view counters, share buttons), and whole documents
flattened onto one line. Each rule here is about such a class of debris, never about one
file. Plain Python: no Django imports.
"""

from __future__ import annotations

import re
import unicodedata

CN_NUM = "一二三四五六七八九十"
HAN = r"\u4e00-\u9fff"
BULLETS = "·•●○▶►▪■□☑◆◇▲△★☆➢✔✅◎"

CONVERSION_MARK_RE = re.compile(
    r"\[(?:bookmark|_GoBack|image|footnote|endnote|comment|page)[^\]]*\]|\[[A-Za-z_]+:[^\]\u4e00-\u9fa5]*\]"
)
SPACE_RE = re.compile(r"[\u3000\xa0\u2002\u2003\u2009\t\u200b\u200c\u200d\ufeff]")

# Web-page furniture: a whole line that is navigation, a widget or a counter.
FURNITURE_RE = re.compile(
    r"^(?:当前位置|您的位置|你的位置|首页\s*[>＞»/]|字号|【?字体|字体大小|浏览次数|访问量|阅读量|点击量|阅读次数|"
    r"分享到|打印本页|关闭窗口|【打印】|【关闭】|扫一扫|购物车|我的足迹|正文图片|收藏|返回顶部|上一篇|下一篇|"
    r"加入Vip|立即下载|正文内容区域|责任编辑|编辑[:：]|来源[:：]\s*$|附件下载|相关(?:稿件|链接|文件|阅读)|"
    r"【\s*[大中小]\s*】|视力保护色|微信扫一扫|分享[:：]?$|您?(?:当前|现在)的?位置|"
    # A portal's footer: who runs it, its licence numbers, its buttons.
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP备|"
    r"[\u4e00-\u9fa5]{0,4}公网安备|【?我要纠错】?|【收藏本页】)"
)
FURNITURE_INLINE_RE = re.compile(
    r"《[^》]{1,80}》由会员分享.*$|请在[\u4e00-\u9fa5]{1,10}上搜索。?|(?:浏览次数|访问量|阅读量)[:：]\s*\d*|"
    r"【\s*字体[:：]?.*$|字体大小[:：]?\s*放大\s*正常\s*缩小|字号[:：]\s*[大中小\s]*$|"
    r"点击(?:数|次数|量)[:：]\s*\d*"
)
# A portal's field label spaced out to the width of a longer one: 标　　题： / 文　　号：.
SPACED_LABEL_RE = re.compile(r"^([\u4e00-\u9fa5])[ \u3000]+([\u4e00-\u9fa5])\s*(?=[:：])")
PAGE_MARKER_RE = re.compile(
    r"^(?:[-—–－_~～]\s*\d{1,3}\s*[-—–－_~～]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|"
    r"\d{1,3}\s*/\s*\d{1,3}|Page\s*\d+)$",
    re.IGNORECASE,
)
# A numbered heading may follow on the same line (one-line documents, PDF text).
INLINE_HEADING_SPLIT = re.compile(
    rf"(?<=[。；;！!？?:：”\s])\s*(?=(?:[{CN_NUM}]{{1,3}}、|[（(][{CN_NUM}]{{1,3}}[）)]|"
    rf"第[{CN_NUM}]+部分)[{HAN}“《（(\d])"
    rf"|(?<=\S)\s+(?=\d{{1,2}}[.、．](?!\d)[{HAN}“《])"
    rf"|(?<=[。；;！!？?])\s*(?=[①-⑳][{HAN}“《])"
    rf"|(?<=\S)\s+(?=(?:[{CN_NUM}]{{1,3}}、|[（(][{CN_NUM}]{{1,3}}[）)]|第[{CN_NUM}]+部分)[{HAN}“（(])"
)
# What an inline heading starts with; lines without it need no splitting (a cheap test first).
INLINE_HINT_RE = re.compile(rf"[{CN_NUM}][、]|[（(][{CN_NUM}]|\d[.、．]|第[{CN_NUM}]+部分|[①-⑳]")
HAN_SPACE_RE = re.compile(
    rf"(?<=[{HAN}“”、，,（(])[ ]+(?=[{HAN}“”（(])|(?<=[{HAN}])[ ]+(?=[，,。、；;：:）)])"
)
LETTER_SPACED_RE = re.compile(
    rf"(?=.*[{HAN}])(?:[{HAN}]|\d{{4}})(?:[ \u3000]+(?:[{HAN}]|\d{{4}})){{2,}}"
)
NUMBER_UNIT_SPACE_RE = re.compile(
    rf"(?<=\d)[ ]+(?=[{HAN}%％])|(?<=[{HAN}])[ ]+(?=\d)|(?<=[-~～])[ ]+(?=\d)"
)
STRAY_PAGE_NUMBER_RE = re.compile(r"^(\d{1,2})、(?=[)）」”，,。、；;：:]|$)")
# Markdown a converter left: **一、…** in bold, `## 一、…` as a heading.
MARKDOWN_BOLD_RE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+")
LEADING_STAR_RE = re.compile(r"^([（(]?[\d一二三四五六七八九十]{1,3}[)）.．、]\s*)\*\s*")
LINE_ONLY_YEAR_RE = re.compile(r"^(?:19|20)\d{2}\s*年度?$")
SENTENCE_END = "。！？!?；;"


# Full-width digits and letters, and the marks inside a number (３．２亿元, ６．５％, １，２００户:
# `\d` matches full-width digits too, so one pass folds both).
FULL_WIDTH_ALNUM = re.compile(
    r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]|(?<=\d)[．，](?=\d)|(?<=\d)％"
)


def fold_width(text: str) -> str:
    """Full-width digits and letters as half-width ones (２０２４ -> 2024), and the marks inside
    a number (３．２ -> 3.2, ６％ -> 6%). Other punctuation stays as printed: users read the
    titles, and the rules accept both widths."""
    return FULL_WIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _is_prose(line: str) -> bool:
    """A flattened PDF or one-line page: long, with sentence punctuation (not a table row)."""
    return len(line) > 120 and line.count("。") + line.count("，") + line.count(",") >= 3


def _is_columns(line: str) -> bool:
    """A table row flattened to space-separated cells: the spaces are its column borders."""
    return len(line.split()) >= 3 and not re.search(r"[。，,；;]", line)


def _despace(line: str) -> str:
    if " " not in line:
        return line
    if LETTER_SPACED_RE.fullmatch(line.strip()):
        return re.sub(r"\s+", "", line)  # a title printed letter-spaced: 政 府 工 作 报 告
    if _is_columns(line):
        return line
    group = re.match(rf"^\d{{1,2}}\s+(?=[{HAN}])", line)  # "01 交通畅行": a group number
    head, line = (line[: group.end()], line[group.end() :]) if group else ("", line)
    line = head + NUMBER_UNIT_SPACE_RE.sub("", line)
    if _is_prose(line):
        line = HAN_SPACE_RE.sub("", line)
    return line


OPENING = "“‘《「(（"
CLOSING = "”’》」)）"


def split_outside(text: str, separators: str, *, keep: bool = False) -> list[str]:
    """`text` cut at each separator that stands outside quotes and brackets: a list item
    written “甲、乙” or 社会工作办公室(社区、工程) is one piece. With `keep`, each piece
    after the first starts with its separator. Empty pieces are dropped."""
    pieces, current, depth = [], "", 0
    for ch in text:
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            if current.strip():
                pieces.append(current.strip())
            current = ch if keep else ""
            continue
        current += ch
    if current.strip():
        pieces.append(current.strip())
    return pieces


def _split_bullets(line: str) -> list[str]:
    """`·甲·乙` on one line is two items; a `·` inside quotes (“我嘉·邻里中心”) is part of a name."""
    if not line or line[0] not in BULLETS:
        return [line]
    bullet = line[0]
    return [p for p in split_outside(line, bullet, keep=True) if p.strip(bullet + " ")]


LONE_NUMBER_RE = re.compile(r"^\d{1,3}$")
# A signature: an office's name ending its line, and the date alone under it. One home for
# both, used by the cleaning here and by the Word reader's headings.
OFFICE_END = r"(?:办事处|委员会|人民政府|党工委|办公室)$"
DATE_ONLY = r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$"
SIGNATURE_LINE_RE = re.compile(OFFICE_END)
DATE_ONLY_RE = re.compile(DATE_ONLY)
# The numbers a section heading is typed with: 一、 （一） 第一部分 第一章 第一节.
SECTION_NUMBER_RE = re.compile(
    rf"^\s*(?:[{CN_NUM}]{{1,3}}[、.．]|[（(][{CN_NUM}]{{1,3}}[）)]|第[{CN_NUM}]{{1,3}}(?:部分|章|节))"
)
# The rest of a number cut at the line's end: `5亿元；…`, `8%以上`, `025年11月`.
NUMBER_GOES_ON_RE = re.compile(r"^\d+(?:[.,]\d+)?(?:[%％‰]|[\u4e00-\u9fa5])")
# Words a sentence or heading never ends with: a line that does was cut there.
MID_PHRASE_END_RE = re.compile(
    r"(?:(?<![目端有似真标])的|(?<![缓调总融温祥谐共])和|(?<![属等善勇敢乐便易利基鉴在由终过])于|"
    r"不|把|被|达到|超过|不少|不低|以及|按照|通过|根据)$"
)


def _open_bracket(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _joins_previous(previous: str, line: str, width: int | None = None) -> bool:
    """A heading or sentence wrapped mid-word by a PDF: the previous line stops mid-clause and
    this one cannot start a new item. `width` is the document's line width when it was
    printed with hard line breaks (a PDF): a line that fills it continues on the next."""
    if not previous or not line or previous.count("|") >= 2:
        return False  # a table row is a line of its own: the signature below is no cell of it
    # Cut mid-phrase, whatever the line's length: inside a bracket (`（牵头单位：` /
    # `房管办；…）`), inside a number (`12.` / `5亿元`) or after a word that cannot end a
    # sentence (`次数不` / `少于12次`).
    starts_anew = _starts_item(line) or LONE_NUMBER_RE.match(line)
    if not starts_anew and _open_bracket(previous) and len(previous) >= 8:
        return True
    if _ends_sentence(previous):
        return False
    if not starts_anew:
        if (
            len(previous) >= 10
            and re.search(r"[\d.,，]$", previous)
            and NUMBER_GOES_ON_RE.match(line)
            and not _is_columns(previous)
            and not re.search(r"电话|传真|手机|邮编|\d{5,}$", previous)
            and not DATE_ONLY_RE.match(line)
        ):
            return True
        if len(previous) >= 20 and MID_PHRASE_END_RE.search(previous):
            return True
    if len(previous) < 20:
        return False
    if ATTACHMENTS_RE.match(previous):
        return False  # the attachments' names: the signature below is not one of them
    if line[0] in "，,、）)”》；;。" and not line.startswith(("“", "《")):
        return True
    if width and len(previous) >= 0.9 * width and not _starts_item(line):
        return True
    # A numbered heading's last characters on a line of their own: "…的获得" / "感和幸福感".
    return (
        _starts_item(previous)
        and previous[0] not in BULLETS + "*"
        and len(line) <= min(10, len(previous) // 3)
        and not re.search(r"[。，,；;：:！!？?、]", line)
        and not _starts_item(line)
    )


ATTACHMENTS_RE = re.compile(r"^附\s*件\s*[:：]?\s*1\s*[.．、]")
ATTACHMENT_NUMBER_RE = re.compile(r"(?:^|[:：\s])(\d{1,2})\s*[.．、]")


def _continues_attachments(previous: str, line: str) -> bool:
    """`2.…分工表` under `附件：1.…工作要点`: the next attachment's name."""
    if not ATTACHMENTS_RE.match(previous) or len(line) > 60 or "。" in line:
        return False
    number = re.match(r"^(\d{1,2})\s*[.．、]", line)
    listed = ATTACHMENT_NUMBER_RE.findall(previous)
    return bool(number and listed and int(number.group(1)) == int(listed[-1]) + 1)


def _starts_item(line: str) -> bool:
    return (
        bool(
            re.match(
                rf"^(?:[{CN_NUM}]{{1,3}}[、是]|[（(][{CN_NUM}\d]{{1,3}}[）)]|\d{{1,2}}[.、．]|[①-⑳{BULLETS}*]|"
                r"第[一二三四五六七八九十]+(?:部分|章|节|[，,、])|附件|\d{1,2}$|0\d\s|"
                r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份?[:：]|第?[一二三四1-4]季度[:：]|"
                r"(?:项目|实事|任务)[一二三四五六七八九十\d]{1,3}[:：、])",
                line,
            )
        )
        or "|" in line
    )


def _print_width(lines: list[str]) -> int | None:
    """The width of a document set with hard line breaks (PDF text), else None."""
    widths = sorted(len(line) for line in lines if len(line) > 10)
    if len(widths) < 8:
        return None
    width = widths[int(0.9 * (len(widths) - 1))]
    full = [line for line in lines if len(line) > 10 and len(line) >= 0.9 * width]
    # Lines the width cut off stop mid-sentence; a list of short sentences does not.
    cut = sum(1 for line in full if not _ends_sentence(line))
    return width if width <= 60 and len(full) >= len(widths) / 3 and cut >= len(full) / 2 else None


def _is_header_row(cells: list[str]) -> bool:
    """序号\t工作任务\t牵头科室…: three names or more, short, none empty, no figures."""
    named = list(cells)
    while named and not named[-1]:
        named.pop()
    return len(named) >= 3 and all(
        cell and len(cell) <= 12 and not re.search(r"[\d：:，,。]", cell) for cell in named
    )


# A signature or its date pushed right with tabs under a table: no cell of it.
SIGNED_RE = re.compile(f"{DATE_ONLY}|{OFFICE_END}")


def _tab_rows(lines: list[str]) -> list[str]:
    """Rows copied from a spreadsheet or a Word table (cells between tabs) as `|` rows:
    their cells hold spaces and commas, and only the tabs say where one ends. Only from a
    header row on (tabs also align text: `牵头科室：…\t\t配合科室：…`), in a run of such
    lines with two rows or more; a line of one cell (an indented heading, a group row with
    its empty cells) stays a line."""
    cells = [[cell.strip() for cell in line.split("\t")] for line in lines]
    out = list(lines)
    i = 0
    while i < len(lines):
        if len(cells[i]) < 3:  # fewer than two tabs
            i += 1
            continue
        j = i
        while j < len(lines) and (
            len(cells[j]) >= 3
            # A short line between rows, written without its empty cells: a group row.
            or (0 < len(lines[j].strip()) <= 20 and j + 1 < len(lines) and len(cells[j + 1]) >= 3)
        ):
            j += 1
        rows = [
            k
            for k in range(i, j)
            if sum(1 for cell in cells[k] if cell) >= 2
            # A cell wrapped onto a row of its own: empty cells before it (but not a
            # heading indented with tabs under the table: `\t\t二、保障措施`).
            or (
                len(cells[k]) >= 3
                and not cells[k][0]
                and any(cells[k])
                and not SECTION_NUMBER_RE.match("".join(cells[k]))
                and not SIGNED_RE.search("".join(cells[k]))
            )
        ]
        header = next((k for k in rows if _is_header_row(cells[k])), None)
        if header is None:
            i = j  # tabs that align text (牵头科室：…\t\t配合科室：…), not a table's cells
            continue
        rows = [k for k in rows if k >= header]
        for k in range(header, j):
            row = cells[k]
            if k in rows and len(rows) >= 2:
                while not row[-1]:
                    row.pop()
                # With its borders, so that an empty first cell (a merged 类别) stays a cell.
                out[k] = "| " + " | ".join(row) + " |"
            elif k not in rows:
                out[k] = "".join(row)
        i = j
    return out


GAP_RE = re.compile(r"[ \u3000]{2,}")


# What a running header says: the plan's title (its year and what it is) or the office.
RUNNING_HEADER_RE = re.compile(
    r"(?:19|20)\d{2}.*(?:要点|计划|报告|方案|总结|安排|清单|实事)|(?:办事处|人民政府|委员会|党工委)$"
)


def _near_page_break(lines: list[str], index: int) -> bool:
    """Whether a page number stands within three lines of `index`: where a running header is
    printed (a table's repeated cell, 区发展和改革委员会, is not)."""
    around = [line.strip() for line in lines[max(0, index - 4) : index + 4]]
    return any(PAGE_MARKER_RE.match(line) for line in around if line)


def _running_headers(lines: list[str]) -> set[int]:
    """A PDF's running header: the title or the office's name printed again at the top of
    each page. Every copy after the first goes, so the sentence it cut joins again."""
    seen: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        text = line.strip()
        if (
            4 <= len(text) <= 40
            and not re.search(r"[。；;，,:：]", text)
            and not _starts_item(text)
        ):
            seen.setdefault(text, []).append(index)
    return {
        index
        for text, indexes in seen.items()
        if len(indexes) >= 2 and RUNNING_HEADER_RE.search(text)
        for index in indexes[1:]
        if _near_page_break(lines, index)
    }


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cells_at(line: str) -> list[tuple[int, str]]:
    """The cells of a line aligned with spaces, each with the display column it starts at
    (a Chinese character is two columns wide, as in the editor that aligned them)."""
    cells = []
    position = 0
    for piece in GAP_RE.split(line.rstrip()):
        start = line.index(piece, position) if piece else position
        if piece.strip():
            cells.append((_display_width(line[:start]), piece.strip()))
        position = start + len(piece)
    return cells


# Words a table's header names its columns with (a list of names aligned with spaces,
# 组  长  张三, is no table).
COLUMN_WORD_RE = re.compile(
    r"序号|名称|项目|任务|内容|措施|目标|单位|部门|时限|时间|类别|指标|责任|牵头|配合|完成|备注|进度|情况"
)


def _aligned(starts: list[int], rows: list[str]) -> bool:
    """Whether the rows' cells start where the header's do (within a column or two), as in a
    table laid out in columns; two spaces between cells written in order are no columns."""
    cells = [column for line in rows for column, _ in _cells_at(line)]
    near = sum(1 for column in cells if min(abs(column - s) for s in starts) <= 2)
    return bool(cells) and near >= 0.9 * len(cells)


def _space_rows(lines: list[str]) -> list[str]:
    """A table whose columns are aligned with runs of spaces (a plain-text export), as `|`
    rows: each cell goes to the header column it stands under, so a blank 类别 or a
    `小计` row keeps its place. Only from a header row on, until a line with no gap."""
    out = list(lines)
    i = 0
    while i < len(lines):
        header = _cells_at(lines[i]) if GAP_RE.search(lines[i].strip()) else []
        names = [cell for _, cell in header]
        if (
            len(header) < 3
            or not _is_header_row(names)
            or sum(1 for cell in names if COLUMN_WORD_RE.search(cell)) < 2
        ):
            i += 1
            continue
        starts = [column for column, _ in header]
        j = i + 1
        while j < len(lines) and GAP_RE.search(lines[j].strip()):
            j += 1
        if not _aligned(starts, lines[i + 1 : j]):
            i = j  # cells apart but not in columns: read in order (tabular._column_table)
            continue
        rows = []
        for line in lines[i + 1 : j]:
            row = [""] * len(starts)
            for column, cell in _cells_at(line):
                k = min(range(len(starts)), key=lambda n: abs(starts[n] - column))
                # A cell that filled its column leaves one space before the next one's:
                # `社区卫生服务中心 2024年9月`. A word past the next column's start is its.
                for word in cell.split(" "):
                    while k + 1 < len(starts) and column >= starts[k + 1] - 1:
                        k += 1
                    row[k] = f"{row[k]} {word}".strip()
                    column += _display_width(word) + 1
            rows.append(row)
        if len(rows) >= 2:
            out[i] = "| " + " | ".join(cell for _, cell in header) + " |"
            for k, row in enumerate(rows, start=i + 1):
                out[k] = "| " + " | ".join(row) + " |"
        i = j
    return out


def clean_lines(text: str) -> list[str]:
    """Clean lines: no debris, one heading per line even in one-line documents."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = CONVERSION_MARK_RE.sub("", text)
    if "\t" in text:
        text = "\n".join(_tab_rows(text.split("\n")))
    if "  " in text or "\u3000\u3000" in text:
        text = "\n".join(_space_rows(text.split("\n")))
    text = SPACE_RE.sub(" ", text)
    text = fold_width(text)
    raw_lines = text.split("\n")
    stray_markers = _stray_page_markers(raw_lines)
    headers = _running_headers(raw_lines)
    width = _print_width([line.strip() for line in raw_lines])
    lines: list[str] = []
    for index, raw in enumerate(raw_lines):
        raw = raw.strip()
        if index in stray_markers:
            number, raw = raw.split("、", 1)
            if lines and raw and number != "1":  # a later page continues the line before
                lines[-1] += raw.strip()
                continue
        if not raw or PAGE_MARKER_RE.match(raw) or FURNITURE_RE.match(raw) or index in headers:
            continue
        raw = SPACED_LABEL_RE.sub(r"\1\2", FURNITURE_INLINE_RE.sub("", raw).strip())
        if "**" in raw or "__" in raw or raw.startswith("#"):
            raw = MARKDOWN_HEADING_RE.sub(
                "", MARKDOWN_BOLD_RE.sub(lambda m: m.group(1) or m.group(2), raw)
            )
        if not raw:
            continue
        # A table row stays whole: a cell may hold its own 1.… 2.… items.
        inline = INLINE_HINT_RE.search(raw, 1) and raw.count("|") < 2
        pieces = INLINE_HEADING_SPLIT.split(raw) if inline else [raw]
        for piece in pieces:
            piece = _despace(piece.strip())
            if not piece:
                continue
            piece = LEADING_STAR_RE.sub(r"\1", piece)
            for item in _split_bullets(piece):
                if lines and DATE_ONLY_RE.match(item) and SIGNATURE_LINE_RE.search(lines[-1]):
                    if re.search(r"日$", item):
                        lines.append(item)  # a full date under a signature dates the document
                    continue  # a month alone under a signature dates nothing
                if lines and _joins_previous(lines[-1], item, width):
                    lines[-1] += item
                elif lines and _continues_attachments(lines[-1], item):
                    lines[-1] += " " + item  # 附件：1.…\n2.…: the list, not the plan's items
                elif lines and LINE_ONLY_YEAR_RE.match(lines[-1]) and len(item) <= 20:
                    lines[-1] += item  # "2024年" / "工作回顾": a title set over two lines
                else:
                    lines.append(item)
    return lines


# The fewest characters between two page numbers a converter left in the text.
PAGE_MIN_CHARS = 200
# A sentence that ends in a bracket: `…5个。（牵头部门：社会事业办）`.
BRACKETED_END_RE = re.compile(r"[。！？!?；;][（(][^（）()]*[）)]$")


def _ends_sentence(line: str) -> bool:
    return line[-1] in SENTENCE_END + ":：" or bool(BRACKETED_END_RE.search(line))


def _stray_page_markers(lines: list[str]) -> set[int]:
    """Lines that start with a page number a converter left as `N、`.

    A page marker continues the text of the previous page: the line before it stops
    mid-sentence, or what follows the marker cannot start an item (`2、)各街道`). The first
    page's `1、` is a marker too when later pages carry them.
    """
    # (line, its number, the text line before it, whether it continues a list: the line
    # `N-1、` came a few lines before it)
    numbered: list[tuple[int, int, str, bool]] = []
    previous = ""
    last_number, since = 0, 0  # the last `N、` and the characters since
    for i, line in enumerate(lines):
        stripped = line.strip()
        match = re.match(r"^(\d{1,2})、", stripped)
        if match:
            number = int(match.group(1))
            in_list = number == last_number + 1 and since < PAGE_MIN_CHARS
            numbered.append((i, number, previous, in_list))
            last_number, since = number, 0
        since += len(stripped)
        if stripped:
            previous = stripped
    markers: set[int] = set()
    for i, number, previous, in_list in numbered:
        line = lines[i].strip()
        rest = line[len(str(number)) + 1 :]
        # Items of a list (1、…2、…3、, often without a full stop) follow each other within
        # a few lines; page numbers come a page apart.
        mid_sentence = len(previous) > 40 and not _ends_sentence(previous) and not in_list
        if STRAY_PAGE_NUMBER_RE.match(line) or (mid_sentence and rest[:1] not in "“《"):
            markers.add(i)
    if markers:
        # The other numbers of the same run (1、 on the first page) are markers as well.
        later = {n for i, n, *_ in numbered if i in markers}
        for i, number, *_ in numbered:
            if number + 1 in later and number not in later and len(lines[i]) > 80:
                markers.add(i)
    return markers
