"""Document metadata: title, sub-district, district, years, dates, document number, kind.

Published plans carry their metadata in a few conventional places: a title line (often
with the publication date after it on web copies), a block of 索引号/发布机构/发布时间/
文件编号 fields copied from the government portal, a cover notice (关于印发《…》的通知),
and the opening sentence ("2020年是……"). Plain Python: no Django imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

# Shanghai's districts, as a document names them; the value is the official name.
DISTRICTS = {
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
# Words in which a district's name is not the district (黄浦江 is a river).
DISTRICT_FALSE_FRIENDS = ("黄浦江", "浦东南路", "浦东大道")

META_FIELD_RE = re.compile(
    r"^(索引号|发布机构|公开类别|发布时间|发布日期|文件编号|主题分类|成文日期|有效性|体裁分类|公开方式|公开范围|信息来源)"
)
DOC_NUMBER_RE = re.compile(
    r"([\u4e00-\u9fa5]{1,10}[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号)"
)
ISO_DATE_RE = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
PUBLISHED_RE = re.compile(
    r"(?:发布时间|发布日期|发文日期|公开日期)[\s:：|]*((?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)"
)
PERIOD_RE = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*[-—–~～至到]+\s*((?:19|20)\d{2})")
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
QUOTED_TITLE_RE = re.compile(r"关于(?:印发|转发|发布)?[《〈](.+?)[》〉]")
SUBDISTRICT_RE = re.compile(r"([\u4e00-\u9fa5]{2,8}?)(街道|镇)(?!办事处主任)")
NAME_STOP_CHARS = set("的是在和与及为由对将把了年区市县省于从向让使推做抓")

KIND_RULES = [
    ("工作报告", ("社代会", "工作报告", "代表大会上的报告", "报告")),
    ("专项行动计划", ("行动计划", "行动方案", "专项计划", "三年行动", "专项行动")),
    ("工作要点", ("工作要点", "工作重点", "要点")),
    ("工作计划", ("工作计划", "工作安排", "工作思路", "计划")),
]


@dataclass
class Metadata:
    title: str = ""
    subdistrict: str = ""
    district: str = ""
    year_start: int | None = None
    year_end: int | None = None
    published_on: dt.date | None = None
    doc_number: str = ""
    kind: str = "工作计划"


def parse_date(text: str) -> dt.date | None:
    match = ISO_DATE_RE.search(text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def is_meta_line(line: str) -> bool:
    return bool(META_FIELD_RE.match(line.strip(" |")))


def clean_title(line: str) -> str:
    """A title as printed, without a trailing web-listing date or spaces inside it."""
    line = re.sub(r"\s*(?:19|20)\d{2}-\d{1,2}-\d{1,2}\s*$", "", line.strip())
    quoted = QUOTED_TITLE_RE.search(line)
    if quoted:
        line = quoted.group(1)
    line = re.sub(r"\s+", "", line)
    return line.replace("（", "(").replace("）", ")")


def find_title(preamble: list[str]) -> tuple[str, str]:
    """The plan's title and the raw line it came from, from the lines before the body.

    A cover notice (关于印发《X》的通知) names the plan inside 《》. Otherwise the first
    short line that names a plan (要点, 计划, 报告, 方案 …) is the title.
    """
    for line in preamble:
        if QUOTED_TITLE_RE.search(line):
            return clean_title(line), line
    for line in preamble:
        stripped = line.strip()
        if not stripped or is_meta_line(stripped) or len(stripped) > 60:
            continue
        if re.search(
            r"(要点|计划|报告|方案|思路|安排|任务|重点)", stripped
        ) and not stripped.endswith(("。", "：", ":")):
            return clean_title(stripped), stripped
    return "", ""


def find_subdistrict(title: str, text: str) -> str:
    """The sub-district's name (`江浦路街道`), from the title, else the most named one in the text."""
    for source in (title,):
        match = SUBDISTRICT_RE.search(
            re.sub(r"^(?:上海市)?[\u4e00-\u9fa5]{2}(?:新)?区", "", source)
        )
        if match:
            return _trim_name(match.group(1)) + match.group(2)
    counts: Counter[str] = Counter()
    for match in re.finditer(r"([\u4e00-\u9fa5]{2,6})街道", text):
        name = _trim_name(match.group(1))
        if len(name) >= 2:
            counts[name + "街道"] += 1
    return counts.most_common(1)[0][0] if counts else ""


def _trim_name(run: str) -> str:
    # "……古美路街道": keep the characters after the last function word.
    for i in range(len(run) - 1, -1, -1):
        if run[i] in NAME_STOP_CHARS:
            run = run[i + 1 :]
            break
    for district in DISTRICTS.values():
        run = run.removeprefix(district)
    return run.removeprefix("上海市")


def find_district(title: str, text: str) -> str:
    counts: Counter[str] = Counter()
    cleaned = text
    for word in DISTRICT_FALSE_FRIENDS:
        cleaned = cleaned.replace(word, "")
    for short, official in DISTRICTS.items():
        counts[official] = cleaned.count(short) + 3 * title.count(short)
    best, count = counts.most_common(1)[0]
    return best if count else ""


def find_years(title: str, opening: str) -> tuple[int | None, int | None]:
    for source in (title, opening):
        period = PERIOD_RE.search(source)
        if period:
            return int(period.group(1)), int(period.group(2))
        year = YEAR_RE.search(source)
        if year:
            return int(year.group(1)), int(year.group(1))
    return None, None


def find_kind(title: str) -> str:
    for kind, words in KIND_RULES:
        if any(word in title for word in words):
            return kind
    return "工作计划"


def extract_metadata(preamble: list[str], text: str, opening: str) -> Metadata:
    """Metadata from the lines before the body (`preamble`), the whole text, and the opening sentence."""
    meta = Metadata()
    meta.title, title_line = find_title(preamble)
    head = "\n".join(preamble)
    published = PUBLISHED_RE.search(head)
    if published:
        meta.published_on = parse_date(published.group(1))
    elif title_line and re.search(r"(?:19|20)\d{2}-\d{1,2}-\d{1,2}\s*$", title_line):
        meta.published_on = parse_date(title_line)
    doc_number = DOC_NUMBER_RE.search(head)
    if doc_number:
        meta.doc_number = re.sub(r"\s+", "", doc_number.group(1)).removeprefix("文件编号")
    meta.subdistrict = find_subdistrict(meta.title, text)
    meta.district = find_district(meta.title, text)
    meta.year_start, meta.year_end = find_years(meta.title, opening)
    meta.kind = find_kind(meta.title)
    if not meta.title and meta.subdistrict and meta.year_start:
        meta.title = f"{meta.subdistrict}{meta.year_start}年{meta.kind if meta.kind != '工作计划' else '工作要点'}"
        meta.kind = find_kind(meta.title)
    return meta
