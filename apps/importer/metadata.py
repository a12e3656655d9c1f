"""Document metadata: title, issuing unit and its parent, years, dates, document number, kind.

Published plans carry their metadata in a few conventional places: a title line (often with
the publication date after it on web copies), a block of 索引号/发布机构/发布日期/文件编号
fields copied from a government portal (as lines, `|` tables or `[ 发布日期 ] |` rows), a
cover notice (关于印发《…》的通知) with its signature and date, a report's meeting line
(`——2025年1月14日在…会议上`) and the opening sentence ("2020年是……").

The issuing unit is read from the text's own words, at any level and anywhere in China: a
name followed by its level (塘桥街道, 颛桥镇, 嘉定工业区, 静安区), in a chain with its parents
(重庆市巴南区木洞镇), where a document names its issuer: the title, the 发布机构/来源
fields, a signature, "我代表…", "…召开/发布/公布". A quoted title of another document
(《关于加强新时代街道工作的意见》) names no unit. Plain Python: no Django imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from .cleaning import SECTION_NUMBER_RE
from .numerals import parse_chinese

HAN = "\u4e00-\u9fa5"
# Shanghai's districts by their short names: used only when a document names its district
# nowhere with a suffix (a Shanghai 街道 writes "闵行品质", "普陀基本建成"). Everywhere else
# the district comes from the text's own "X区/X县".
SHANGHAI_DISTRICTS = {
    "黄浦": "黄浦区",
    "徐汇": "徐汇区",
    "长宁": "长宁区",
    "静安": "静安区",
    "普陀": "普陀区",
    "虹口": "虹口区",
    "杨浦": "杨浦区",
    "闵行": "闵行区",
    "宝山": "宝山区",
    "嘉定": "嘉定区",
    "浦东": "浦东新区",
    "金山": "金山区",
    "松江": "松江区",
    "青浦": "青浦区",
    "奉贤": "奉贤区",
    "崇明": "崇明区",
}
DISTRICT_FALSE_FRIENDS = ("黄浦江", "浦东南路", "浦东大道", "长宁路", "静安寺", "普陀山", "金山岭")

META_LABELS = (
    "索引号|信息索引号|信息索取号|发布机构|发文机关|公开类别|发布时间|发布日期|发文日期|文件编号|发文字号|文号|"
    "主题分类|成文日期|生成日期|公开日期|有效性|有效期|体裁分类|公开方式|公开范围|公开时限|信息来源|组配分类|"
    "关键词|内容概述|来源|时间|主题词|更新时间|更新日期|标题"
)
META_FIELD_RE = re.compile(rf"^[\[【\s]*(?:{META_LABELS})\s*[\]】]?\s*[:：|\s]")
DOC_NUMBER_TAIL_RE = re.compile(
    r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号"
)
DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
DATE_LABELS = [
    ("发布日期|发布时间|发布", 0),
    ("发文日期|印发日期|发文时间|印发时间", 1),
    ("成文日期|成文时间", 2),
    ("生成日期|生成时间|公开日期|公开时间|更新时间|更新日期|录入时间|录入日期", 3),
    # A page's bare 时间 field, not the tail of a task's 完成时间 or 截止日期.
    (rf"(?<![{HAN}])(?:日期|时间)", 4),
]
DATE_LABEL_PATTERNS = [
    (
        re.compile(
            rf"(?:{labels})\s*[\]】]?\s*[:：|\s]\s*\|?\s*"
            r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
        ),
        rank,
    )
    for labels, rank in DATE_LABELS
]
DATE_LINE_RE = re.compile(r"^[（(]?(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日[）)]?$")
# A signature line: an office alone on a line (上海市静安区人民政府, 青松路街道办事处).
SIGNATURE_RE = re.compile(
    rf"^[{HAN}\s]{{2,30}}(?:办事处|委员会|人民政府|党工委|办公室|工作委员会|管委会|政府)$"
)
MEETING_LINE_RE = re.compile(
    r"^[—\-－]*\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*在.{2,40}(?:会议|大会)"
)
CHINESE_YEAR_RE = re.compile(
    r"([〇零一二三四五六七八九OＯ○]{4})年(?:([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})[日号])?)?"
)
PERIOD_RE = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*[-—–~～至到]+\s*((?:19|20)\d{2})")
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
QUOTED_RE = re.compile(r"《[^》]*》")
TITLE_FIELD_RE = re.compile(r"^[\[【]?\s*(?:标题|名称|文件名称|信息名称)\s*[\]】]?\s*[|｜:：]\s*")
# A title that is a plan's name alone ends in one.
TITLE_END_RE = re.compile(r"(?:报告|要点|计划|方案|清单|实事|安排|总结)$")
REPORT_SUBTITLE_RE = re.compile(r"^[—－\-]{1,2}\s*(在.{2,40}?上的(?:工作)?报告)$")
TRAILING_FIELD_RE = re.compile(rf"\s+(?:{META_LABELS})\s*[:：].*$")
# A title's last line: its period or year alone, （2024—2026年）.
TITLE_PERIOD_RE = re.compile(
    r"[（(]\s*(?:19|20)\d{2}\s*(?:年)?(?:\s*[-—–~～至到]+\s*(?:19|20)\d{2}\s*年?)?\s*[）)]"
)
QUOTED_TITLE_RE = re.compile(r"关于(?:印发|转发|发布|公布)?[《〈](.+?)[》〉]")
PLAN_WORD_RE = re.compile(
    r"要点|计划|报告|方案|思路|安排|任务|重点|总结|回顾|实事|清单|情况|分解表|工作"
)
REVIEW_TITLE_RE = re.compile(r"(?:总结|回顾|执行情况|完成情况|工作情况|进展情况)(?:报告)?$")
PLAN_TITLE_RE = re.compile(r"要点|计划|思路|安排|打算|方案|实事|清单|任务")
# A half-year, quarterly or year-to-date report: its look-back and plan share a year.
# (今年以来 is year-to-date; 五年以来 and 上届人代会以来 are not.)
MIDYEAR_RE = re.compile(
    r"上半年|下半年|半年|(?<![一二三四五六七八九十两近多])年以来|前三季度|季度|1\s*-\s*\d{1,2}\s*月|"
    r"\d{1,2}\s*月份?以来"
)

SUFFIXES = "镇街道|经济技术开发区|经济开发区|开发区|高新区|工业园区|工业区|街道|自治区|新区|园区|省|市|区|县|旗|镇|乡"
CHAIN_TOKEN_RE = re.compile(rf"([{HAN}]{{2,8}}?)({SUFFIXES})")
LEVEL_BY_SUFFIX = {
    "街道": "街道",
    "镇街道": "街道",
    "镇": "镇",
    "乡": "乡",
    "区": "区县",
    "新区": "区县",
    "县": "区县",
    "旗": "区县",
    "市": "区县",
}
PARENT_SUFFIXES = ("区", "新区", "县", "旗", "市")
# Words that follow an issuer's name (its organs, or what it did).
ISSUER_AFTER = (
    r"(?:人民政府|政府|办事处|党工委|党委|管委会|管理委员会|工作委员会|委员会|人大|工委|发展和改革委员会|"
    r"召开|发布|公布|确定|印发|出台|关于|社代会|(?:19|20)\d{2}年|"
    r"第[一二三四五六七八九十\d]{1,3}届|(?:人民|社区)?代表大会|人代会)"
)
ISSUER_RE = re.compile(rf"([{HAN}]{{2,24}}?)(?={ISSUER_AFTER})")
NAME_STOP_RE = re.compile(
    r"^.*(?:[的是在和与及为由对将把了从向让使推做抓等各全本该我届次第]|丨|关于|印发|转发|年度?|中共|中国共产党|"
    r"落实|按照|根据|围绕|贯彻|紧扣|对标|服务|配合|聚焦|推动|推进|实现|建设|得到|受到|经过|通过|报请|提请|上报|报送)"
)
# A word ending like a district that names no unit: 居民区, 新片区, 示范区 ….
GENERIC_PLACES = (
    "社区",
    "小区",
    "居民区",
    "片区",
    "街区",
    "景区",
    "校区",
    "示范区",
    "保护区",
    "功能区",
    "辖区",
)
NOT_NAMES = (
    "区政府",
    "市政府",
    "县政府",
    "镇政府",
    "新区",
    "城区",
    "园区",
    "全区",
    "本区",
    *GENERIC_PLACES,
)
# Words that open a phrase of action, never a unit's name (关于做好社区治理…, 深化临港新片区…).
VERB_START_RE = re.compile(
    r"^(?:关于|做好|推进|深化|加快|加强|全面|持续|落实|贯彻|推动|促进|实施|开展|打造|建设|提升|优化|"
    r"完善|强化|坚持|聚焦|围绕|全力|着力|奋力|努力|大力|扎实|切实|进一步|为|以|在|对|把)"
)
# Words ending like a 乡 or 镇 that name no township: 和美乡村, 特色小镇, 数字乡村 ….
NOT_TOWNSHIPS_RE = re.compile(
    r"(?:美|数字|特色|小|强|和美|美丽|文明|生态|田园|智慧|宜居|乡|村)[镇乡]$"
)
# Where a unit's chain goes: a province holds cities, a city districts, a district offices.
# Zones (开发区, 工业园区) sit between a district and its offices; a county-level city may
# follow its prefecture (苏州市昆山市).
CHAIN_RANK = {"省": 0, "自治区": 0, "市": 1, "区": 2, "新区": 2, "县": 2, "旗": 2}
CHAIN_RANK |= {"街道": 4, "镇街道": 4, "镇": 4, "乡": 4}
CHAIN_ZONE_RANK = 3
# Words that begin a phrase, never a unit's name: 街道社区委员会, 全区, 各镇.
NOT_NAME_START = ("街道", "社区", "区", "各", "我", "该")
DISTRICT_ORGAN_RE = re.compile(r"(新区|区|县)(?=委|政府|人民政府|人大|政协)")
OFFICE_SUFFIX_RE = re.compile(rf"(镇街道|街道|镇|乡)(?![{HAN}]?(?:道|村))")
ISSUER_FIELD_RE = re.compile(
    rf"(?:发布机构|发文机关|信息来源|来源)\s*[\]】]?\s*[:：|\s]\s*([{HAN}（）()]{{2,40}})"
)
REPRESENT_RE = re.compile(rf"我代表([{HAN}]{{2,30}}?)(?:人民政府|政府|办事处|街道办事处)?向")

KIND_RULES = [
    ("工作报告", ("社代会", "工作报告", "代表大会上的报告", "报告")),
    ("专项行动计划", ("行动计划", "行动方案", "专项计划", "三年行动", "专项行动")),
    ("工作要点", ("工作要点", "工作重点", "要点")),
    ("工作计划", ("工作计划", "工作安排", "工作思路", "计划", "实事", "清单")),
]


@dataclass
class Metadata:
    title: str = ""
    title_lines: list[int] = field(default_factory=list)
    subdistrict: str = ""
    district: str = ""
    level: str = ""
    year_start: int | None = None
    year_end: int | None = None
    published_on: dt.date | None = None
    doc_number: str = ""
    kind: str = "工作计划"
    is_review_title: bool = False  # the title names a look-back only (年度工作总结)
    review_year: int | None = None
    midyear: bool = False  # a half-year or quarterly report: review and plan share a year


def parse_date(text: str) -> dt.date | None:
    match = DATE_RE.search(text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def is_meta_line(line: str) -> bool:
    return bool(META_FIELD_RE.match(line.strip(" |")))


def arabic_dates(text: str) -> str:
    """二〇二四年三月八日 -> 2024年3月8日, so every date rule reads one form."""

    def convert(match: re.Match[str]) -> str:
        digits = "".join(
            str("〇一二三四五六七八九".index(c)) if c in "〇一二三四五六七八九" else "0"
            for c in match.group(1).replace("零", "〇")
        )
        out = f"{digits}年"
        for part, suffix in ((match.group(2), "月"), (match.group(3), "日")):
            if part:
                value = parse_chinese(part)
                out += f"{int(value)}{suffix}" if value is not None else ""
        return out

    return CHINESE_YEAR_RE.sub(convert, text)


def clean_title(line: str) -> str:
    """A title as printed, without a trailing web-listing date, a file extension, a portal's
    `标题 |` label or spaces."""
    line = TITLE_FIELD_RE.sub("", line.strip()).strip(" |｜")
    line = re.sub(r"\s*(?:19|20)\d{2}-\d{1,2}-\d{1,2}\s*$", "", line)
    line = re.sub(r"\.(?:docx?|pdf|html?|xlsx?|txt)$", "", line, flags=re.IGNORECASE)
    quoted = QUOTED_TITLE_RE.search(line)
    if quoted:
        line = quoted.group(1)
    line = re.sub(r"\s+", "", line).strip("|｜")
    return line.replace("（", "(").replace("）", ")")


def find_title(lines: list[str]) -> tuple[str, list[int]]:
    """The plan's title and the lines it came from, among the first lines of the document.

    A cover notice (关于印发《X》的通知) names the plan inside 《》. Otherwise the first short
    line that names a plan (要点, 计划, 报告, 总结, 实事 …) is the title, with the line above it
    when the title is broken over two, and a period alone on the line below.
    """
    head = lines[:25]
    for index, line in enumerate(head):
        if QUOTED_TITLE_RE.search(line) and len(line) <= 80 and not re.search(r"[，。；,;]", line):
            return clean_title(line), [index]  # a notice's title, not a sentence citing one
        if re.search(r"关于(?:印发|转发|发布|公布)$", line):
            # 关于印发 / 《…工作要点》 / 的通知: a notice's title broken over lines.
            following = head[index + 1 : index + 3]
            if following and "》" not in following[0] and len(following) > 1:
                following = following[:2]
            else:
                following = following[:1]
            if len(head) > index + 1 + len(following) and re.fullmatch(
                r"的?通知|的?决定", head[index + 1 + len(following)]
            ):
                following.append(head[index + 1 + len(following)])
            joined = line + "".join(following)
            if (
                re.search(r"[》〉](?:的)?(?:通知|决定|函)?$", joined)
                and QUOTED_TITLE_RE.search(joined)
                and len(joined) <= 80
            ):
                return clean_title(joined), list(range(index, index + 1 + len(following)))
    for index, line in enumerate(head):
        # A portal's 标题：…, and a field printed after the title (… 发布时间：2024-03-05).
        anchor = TRAILING_FIELD_RE.sub("", TITLE_FIELD_RE.sub("", line.strip(" |")))
        if not _title_fragment(anchor) or not PLAN_WORD_RE.search(anchor):
            continue
        indexes, title = [index], anchor
        before = head[index - 1].strip(" |") if index else ""
        subtitle = REPORT_SUBTITLE_RE.match(anchor)
        if subtitle:
            # A slogan over "——在…会议上的工作报告": the subtitle says what the text is.
            indexes = [index - 1, index] if _title_fragment(before) else [index]
            return clean_title(subtitle.group(1)), indexes
        if _title_fragment(before) and _opens_title(before, anchor):
            indexes, title = [index - 1, index], before + anchor
        if not (YEAR_RE.search(title) or _units_in(title)):
            if _opens_document(head, index) and not _titled_below(head, index):
                pass  # 政府工作报告 alone above its subtitle
            else:
                continue
        after = head[index + 1].strip(" |") if index + 1 < len(head) else ""
        if TITLE_PERIOD_RE.fullmatch(after):
            indexes, title = [*indexes, index + 1], title + after
        return clean_title(title), indexes
    return "", []


def _titled_below(head: list[str], index: int) -> bool:
    """Whether a line below names a plan with its year or unit: the real title, under a
    portal's section name (计划总结, 规划计划) that merely looks like one."""
    for line in head[index + 1 :]:
        text = TITLE_FIELD_RE.sub("", line.strip(" |"))
        if (
            _title_fragment(text)
            and PLAN_WORD_RE.search(text)
            and (YEAR_RE.search(text) or _units_in(text))
        ):
            return True
    return False


def _title_fragment(line: str) -> bool:
    """A line that may be (part of) a title: short, no sentence, no field or heading."""
    return (
        bool(line)
        and len(line) <= 60
        and not is_meta_line(line)
        and not re.search(r"[。；;>]|[:：]$", line)
        and not SECTION_NUMBER_RE.match(line)  # 二、2025年主要工作任务 heads the body
        and not SIGNATURE_RE.match(line)
    )


def _opens_document(head: list[str], index: int) -> bool:
    """A plan's name alone (政府工作报告, 工作要点) is its title when nothing but page
    fields stands above it."""
    line = head[index].strip(" |")
    return (
        len(line) <= 20
        and bool(TITLE_END_RE.search(line))
        and all(not text.strip(" |") or is_meta_line(text) for text in head[:index])
    )


def _opens_title(before: str, anchor: str) -> bool:
    """Whether `before` is the first line of a title broken over two: a unit alone
    (江苏路街道 / 2025年工作要点), a line ending in the year (…街道2025年 / 工作要点), or any
    short line over a plan word that names neither (…生活圈建设 / 三年行动计划)."""
    if re.fullmatch(
        r"附件\s*\d*|(?:征求意见|送审|讨论|修改)稿|草案|(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?|"
        r".{2,30}文件|特急|加急|急件|平件|[（(]?此件公开发布[)）]?",
        before,
    ):
        return False
    chain = _units_in(before)
    return (
        (chain and "".join(t for t, _ in chain) == before)
        or bool(re.search(r"(?:19|20)\d{2}年$", before))
        or not (YEAR_RE.search(anchor) or _units_in(anchor) or PLAN_WORD_RE.search(before))
    )


def _units_in(text: str) -> list[tuple[str, str]]:
    """The chain of units a name run holds: 重庆市巴南区木洞镇 -> 重庆市, 巴南区, 木洞镇.

    A chain goes down: a 区 after a 街道 is a word of the title (田林街道美丽街区建设), and
    ends the chain.
    """
    chain: list[tuple[str, str]] = []
    rest = text
    rank = -1
    while rest:
        match = CHAIN_TOKEN_RE.match(rest)
        if (
            not match
            or re.search(r"[委府局办会部厅院所]", match.group(1))
            or match.group(1).startswith(NOT_NAME_START)
        ):
            break
        token = match.group(0)
        after = rest[match.end() :]
        if after.startswith("街道") and match.group(2) == "镇":
            token, after = token + "街道", after[2:]  # 江湾镇街道
        if token.endswith(GENERIC_PLACES):
            break  # 康乐居民区, 虹桥社区: a neighbourhood, never a district
        suffix = _suffix(token)
        token_rank = CHAIN_RANK.get(suffix, CHAIN_ZONE_RANK)
        if token_rank < rank or (token_rank == rank and suffix != "市"):
            break
        rank, rest = token_rank, after
        chain.append((token, suffix))
    return chain


def _suffix(name: str) -> str:
    for suffix in SUFFIXES.split("|"):
        if name.endswith(suffix):
            return suffix
    return ""


def _level(suffix: str) -> str:
    return LEVEL_BY_SUFFIX.get(suffix, "其他")


def _issuer_chains(text: str) -> list[list[tuple[str, str]]]:
    """Every chain of unit names that stands where a document names an issuer in `text`."""
    chains = []
    for match in ISSUER_RE.finditer(text):
        run = NAME_STOP_RE.sub("", match.group(1))
        run = re.sub(r"^(?:上海市|北京市|天津市|重庆市)?", lambda m: m.group(0), run)
        chain = _units_in(run)
        if chain and "".join(t for t, _ in chain) == run and chain[-1][0] not in NOT_NAMES:
            chains.append(chain)
    return chains


def _unit_from(chains: list[list[tuple[str, str]]]) -> tuple[str, str, str] | None:
    """(unit, level, district) from the first chain whose lowest unit is an office."""
    for chain in chains:
        name, suffix = chain[-1]
        if suffix in ("省", "自治区") or (
            suffix == "市" and len(chain) == 1 and name.endswith(("上海市", "北京市"))
        ):
            continue
        level = _level(suffix)
        district = ""
        if level == "区县":
            district = name
        else:
            parents = [t for t, s in chain[:-1] if s in PARENT_SUFFIXES]
            district = parents[-1] if parents else ""
        return name, level, district
    return None


def find_unit(lines: list[str], title_lines: list[int], text: str) -> tuple[str, str, str]:
    """(unit, level, district) named by the document, or empty strings."""
    title = " ".join(lines[i] for i in title_lines)
    head_lines = lines[:40]
    # A web page's 来源 and a notice's signature may also stand after the body.
    ends = head_lines + lines[40:][-15:]
    fields = [m.group(1) for line in ends for m in ISSUER_FIELD_RE.finditer(line)]
    opening = "\n".join(head_lines)
    body_head = QUOTED_RE.sub("", opening)[:3000]
    represent = [m.group(1) for m in REPRESENT_RE.finditer(text[:6000])]
    signature = [line for line in ends if SIGNATURE_RE.match(line)]
    sources: list[str] = [title, *fields, *represent, *signature, body_head]
    for source in sources:
        chains = (
            _issuer_chains(source)
            if source is not title
            else _issuer_chains(title) or _title_chains(title)
        )
        if source in fields + represent + signature:
            chains = chains or [_units_in(NAME_STOP_RE.sub("", source.strip()))]
            chains = [c for c in chains if c]
        found = _unit_from(chains)
        if found:
            unit, level, district = found
            return unit, level, district or find_district(unit, text)
    frequent = _most_named_office(text) or _opening_subject(body_head[:600])
    if frequent:
        name, level = frequent
        return name, level, find_district(name, text)
    return "", "", find_district("", text)


def han_run_before(text: str, end: int, limit: int, *, whole: bool = False) -> str:
    """The Chinese characters just before `end` (at most `limit`). With `whole`, only a run
    that starts after a non-Chinese character (or the text's start) within the limit."""
    start = end
    while start > 0 and end - start < limit and "\u4e00" <= text[start - 1] <= "\u9fa5":
        start -= 1
    if whole and start > 0 and "\u4e00" <= text[start - 1] <= "\u9fa5":
        return ""
    return text[start:end]


def _opening_subject(text: str) -> tuple[str, str] | None:
    """The office a plan's opening sentence is about: "…之年。古美路街道要坚持…"."""
    for match in re.finditer(
        rf"(?:^|(?<=[。，,；;!！\n]))([{HAN}]{{2,12}}?(?:镇街道|街道|镇|乡))(?=[要在将把坚始全以围紧]|党工委|办事处)",
        text,
    ):
        chain = _units_in(match.group(1))
        if chain and "".join(t for t, _ in chain) == match.group(1):
            return chain[-1][0], _level(chain[-1][1])
    return None


def _most_named_office(text: str) -> tuple[str, str] | None:
    """A 街道/镇/乡 that the text names again and again (at least three times, outside
    parentheses and quoted titles) when no issuer is named where issuers stand."""
    text = re.sub(r"[（(][^（）()]{0,20}[）)]", "", QUOTED_RE.sub("", text))
    counts: Counter[str] = Counter()
    for match in OFFICE_SUFFIX_RE.finditer(text):
        before = han_run_before(text, match.start(), 12)
        if len(before) < 2:
            continue
        run = NAME_STOP_RE.sub("", before + match.group(1))
        chain = _units_in(run)
        if (
            chain
            and chain[-1][1] in ("街道", "镇街道", "镇", "乡")
            and "".join(t for t, _ in chain) == run
        ):
            counts[chain[-1][0]] += 1
    if not counts:
        return None
    (name, count), *rest = [*counts.most_common(2), ("", 0)]
    if count >= 3 and count >= 2 * rest[0][1]:
        return name, _level(_suffix(name))
    return None


def _title_chains(title: str) -> list[list[tuple[str, str]]]:
    runs = re.findall(rf"[{HAN}]+", QUOTED_RE.sub(lambda m: m.group(0)[1:-1], title))
    chains = []
    for run in runs:
        # The unit stands after the last stop word (中共X街道工作委员会), or opens the title
        # when a word like 建设 or 三年 follows it (X街道美丽街区建设三年行动计划).
        stripped = NAME_STOP_RE.sub("", run)
        candidates = [(stripped, False)]
        if stripped != run and not VERB_START_RE.match(run):
            candidates.append((run, True))  # never a phrase of action: 关于做好社区…
        for candidate, whole in candidates:
            chain = _units_in(candidate)
            if (
                whole
                and chain
                and (NAME_STOP_RE.match(chain[0][0]) or NOT_TOWNSHIPS_RE.search(chain[-1][0]))
            ):
                continue
            if chain and not chain[-1][0].endswith(GENERIC_PLACES):
                chains.append(chain)
                break
    return chains


def find_district(unit: str, text: str) -> str:
    """The parent 区/县 of `unit`: a chain that names it (闵行区颛桥镇), else the district whose
    organs the text names (岳麓区委), else a Shanghai district named without its suffix."""
    if unit:
        before = re.findall(rf"((?<![{HAN}])[{HAN}]{{2,16}}?){re.escape(unit)}", text)
        for candidate in before:
            chain = _units_in(NAME_STOP_RE.sub("", candidate))
            parents = [
                t for t, suffix in chain if suffix in ("区", "新区", "县") and t not in NOT_NAMES
            ]
            if parents:
                return parents[-1]
    organs: Counter[str] = Counter()
    for m in DISTRICT_ORGAN_RE.finditer(text):
        run = han_run_before(text, m.start(), 12, whole=True)
        run = NAME_STOP_RE.sub("", run + m.group(1))
        chain = _units_in(run)
        # The whole run is the district's name: not 街道社区委员会's 社区.
        if chain and "".join(t for t, _ in chain) == run and chain[-1][0] not in NOT_NAMES:
            organs[chain[-1][0]] += 1
    if organs:
        return organs.most_common(1)[0][0]
    cleaned = text.replace(unit, "") if unit else text
    for word in DISTRICT_FALSE_FRIENDS:
        cleaned = cleaned.replace(word, "")
    counts = Counter(
        {official: cleaned.count(short) for short, official in SHANGHAI_DISTRICTS.items()}
    )
    best, count = counts.most_common(1)[0]
    return best if count else ""


def find_years(title: str, opening: str) -> tuple[int | None, int | None]:
    for source in (title, opening):
        period = PERIOD_RE.search(source)
        if period:
            return int(period.group(1)), int(period.group(2))
        years = YEAR_RE.findall(QUOTED_RE.sub("", source) or source) or YEAR_RE.findall(source)
        if years:
            if (
                source is title
                and len(years) > 1
                and PLAN_TITLE_RE.search(title.split(years[-1])[-1])
            ):
                return int(years[-1]), int(years[-1])  # 2020年工作总结和2021年工作要点
            return int(years[0]), int(years[0])
    return None, None


def find_kind(title: str) -> str:
    for kind, words in KIND_RULES:
        if any(word in title for word in words):
            return kind
    return "工作计划"


def find_published_on(lines: list[str]) -> dt.date | None:
    """The page's 发布日期 where shown, else the document's own dated line: a signature date
    alone on a line, else the meeting a report was given at."""
    best: tuple[int, dt.date] | None = None
    for line in lines[:60]:
        for pattern, rank in DATE_LABEL_PATTERNS:
            match = pattern.search(line)
            if match:
                date = parse_date(match.group(1))
                if date and (best is None or rank < best[0]):
                    best = (rank, date)
                break
    if best:
        return best[1]
    for line in lines[:5]:
        listed = re.search(r"(?<!\d)((?:19|20)\d{2}-\d{1,2}-\d{1,2})\s*$", line)
        if listed:  # a web listing's title line: "江浦路街道2023年工作要点 2023-03-30"
            return parse_date(listed.group(1))
    for line in lines:
        if DATE_LINE_RE.match(line.strip()) and parse_date(line):
            return parse_date(line)
    for line in lines[:60]:
        meeting = MEETING_LINE_RE.match(line.strip())
        if meeting:
            return parse_date(meeting.group(1))
    return None


def _cites(text: str, position: int) -> bool:
    """Whether the 文号 at `position` is another document's, cited in a sentence:
    `根据《…方案》（沪府办〔2024〕12号）`."""
    line = text[text.rfind("\n", 0, position) + 1 : position]
    return bool(
        re.search(
            r"(?:根据|按照|依据|贯彻|落实|参照|对照)[^。；]*《[^》]*》\s*[（(]?\s*[\u4e00-\u9fa5]{0,10}$",
            line,
        )
    )


def extract_metadata(lines: list[str]) -> Metadata:
    """Metadata from the document's clean lines."""
    lines = [arabic_dates(line) for line in lines]
    text = "\n".join(lines)
    meta = Metadata()
    meta.title, meta.title_lines = find_title(lines)
    meta.published_on = find_published_on(lines)
    head = "\n".join(lines[:40])
    doc_number = next(
        (
            m
            for m in DOC_NUMBER_TAIL_RE.finditer(head)
            if han_run_before(head, m.start(), 10) and not _cites(head, m.start())
        ),
        None,
    )
    if doc_number:
        prefix = han_run_before(head, doc_number.start(), 10)
        meta.doc_number = (
            re.sub(r"\s+", "", prefix + doc_number.group(0))
            .removeprefix("文件编号")
            .removeprefix("发文字号")
        )
    meta.subdistrict, meta.level, meta.district = find_unit(lines, meta.title_lines, text)
    body = [
        line for i, line in enumerate(lines) if i not in meta.title_lines and not is_meta_line(line)
    ]
    opening = QUOTED_RE.sub("", "\n".join(body)[:400])
    meta.year_start, meta.year_end = find_years(meta.title, opening)
    meta.kind = find_kind(meta.title)
    meta.midyear = bool(MIDYEAR_RE.search(meta.title))
    if meta.title and REVIEW_TITLE_RE.search(meta.title):
        years = YEAR_RE.findall(meta.title)
        meta.is_review_title = True
        meta.review_year = int(years[-1]) if years else meta.year_start
        if meta.review_year and not meta.midyear:
            meta.year_start = meta.year_end = meta.review_year + 1
    if not meta.title and meta.subdistrict and meta.year_start:
        label = meta.kind if meta.kind != "工作计划" else "工作要点"
        meta.title = f"{meta.subdistrict}{meta.year_start}年{label}"
    return meta
