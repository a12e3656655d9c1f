"""Tables as they arrive in text: task-breakdown sheets (任务分解表), indicator tables and
progress tables (执行情况表), whatever the conversion did to their borders.

A table reaches the parser in one of four shapes: `|`-separated rows (Word, Excel and web
copies), one cell per line (PDF and web copies, a header cell sometimes broken over two
lines such as `责任` / `领导`), space-separated columns, or every cell run together with no
separator at all. In each, the header is recognised by its column names (项目名称, 年度目标,
牵头单位, 完成时限 …), each column gets a role, and the rows become tasks: a grouping
column (类别) makes sections, a 年度目标 column holds targets, a 完成情况 column holds what
was achieved, a 牵头单位 column the lead. Plain Python: no Django imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import zip_longest

from .indicators import UNITS

# Column roles and the names a header uses for them; a header cell takes the role whose name
# it ends with ("第二季度完成情况" is a progress column, "区政府分管领导" a leader column).
ROLE_NAMES: list[tuple[str, tuple[str, ...]]] = [
    ("seq", ("序号", "编号")),
    ("category", ("类别", "类型", "分类", "板块", "领域", "大类")),
    (
        "actual",
        (
            "完成情况",
            "进展情况",
            "执行情况",
            "完成数",
            "全年完成数",
            "实际完成",
            "完成值",
            "进度情况",
            "推进情况",
            "上半年进度",
            "下半年进度",
            "工作进度",
            "完成进度",
            "目前进度",
            "实际进度",
        ),
    ),
    (
        "target",
        (
            "年度目标",
            "目标指标",
            "目标任务",
            "攻坚目标",
            "年初目标",
            "预期目标",
            "目标值",
            "工作目标",
            "计划目标",
            "目标",
        ),
    ),
    ("leader", ("责任领导", "分管领导", "牵头领导", "联系领导", "分管区领导", "责任人")),
    (
        "partners",
        ("配合单位", "协办单位", "参与单位", "配合部门", "协同单位", "协办部门", "配合科室"),
    ),
    (
        "lead",
        (
            "牵头单位",
            "牵头部门",
            "牵头科室",
            "责任单位",
            "责任部门",
            "责任科室",
            "主责单位",
            "主责部门",
            "责任处室",
        ),
    ),
    ("due", ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求", "时限")),
    (
        "content",
        (
            "主要内容",
            "工作内容",
            "建设内容",
            "具体内容",
            "任务内容",
            "实施内容",
            "工作任务安排",
            "工作措施",
            "具体措施",
            "主要措施",
            "工作任务",
            "任务安排",
        ),
    ),
    (
        "name",
        (
            "项目名称",
            "指标名称",
            "任务名称",
            "工作名称",
            "重点工作",
            "主要任务",
            "重点任务",
            "工作事项",
            "事项",
            "项目",
            "指标",
        ),
    ),
    ("unit", ("计量单位", "单位")),
    ("note", ("备注",)),
]
ALL_NAMES = sorted({name for _, names in ROLE_NAMES for name in names}, key=len, reverse=True)
GLUED_HEADER_HINTS = ("序号", "编号", "名称", "类别")  # a run-together header starts with one
GLUED_HEADER_RE = re.compile("(?:" + "|".join(map(re.escape, ALL_NAMES)) + "){3,}")
DEPARTMENT_RE = re.compile(
    r"^[\u4e00-\u9fa5（）()]{2,24}(?:委|局|办|室|部|中心|所|院|队|组|会|公司|政府|街道|镇|科|处|站|小组|集团|办公室)(?:[（(][\u4e00-\u9fa5]{1,6}[)）])?$"
)
UNIT_START_RE = re.compile("|".join(map(re.escape, UNITS)))
GROUP_ROW_RE = re.compile(
    r"^[一二三四五六七八九十]{1,3}[、.．]|^[（(][一二三四五六七八九十]{1,3}[)）]"
)
GROUP_NUMBER_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])\s*"
)
ROW_NUMBER_RE = re.compile(r"^(\d{1,3})(?:[、.．]\s*|\s+|$)")
SEPARATOR_CELL_RE = re.compile(r"\s*:?[-—–]{2,}:?\s*|")
ROW_START_RE = re.compile(r"^[|｜]?\s*\d{1,3}(?:[、.．|｜\s]|$)")
MEASURE_ONLY_RE = re.compile(
    r"^(?:个百分点|百分点|万元|亿元|万人|万平方米|平方米|[个人户家项处条场次名台套]+)$"
)
COMPARATOR_ONLY_RE = re.compile(
    r"^(?:控制在|不超过|不低于|不少于|力争|确保|达到|保持|提升|增长|下降)$"
)


# Header words that name a column's role wherever they stand in it (目标要求, 进展情况说明).
ROLE_KEYWORDS = [
    (
        "actual",
        # Progress, not a schedule: 工作进度 and 上半年进度, not 时间进度 or 计划进度.
        re.compile(
            r"完成情况|进展|完成数|实际完成|执行情况|推进情况|(?:完成|工作|目前|实际|半年)进度(?!安排|计划|要求)"
        ),
    ),
    ("target", re.compile(r"目标|指标值|预期")),
    ("partners", re.compile(r"配合|协办|参与单位|协同")),
    ("lead", re.compile(r"牵头(?:单位|部门|科室)|责任(?:单位|部门|科室|处室)|主责")),
    ("leader", re.compile(r"领导|责任人")),
    ("due", re.compile(r"时限|时间|期限|节点|计划进度|进度安排")),
    ("seq", re.compile(r"^(?:序号|编号|序)$")),
    ("category", re.compile(r"类别|分类|类型")),
    ("name", re.compile(r"名称|事项")),
    ("content", re.compile(r"内容|措施|任务|举措|要求")),
]
ROLE_BY_NAME: dict[str, str] = {}
for _role, _names in ROLE_NAMES:
    for _name in _names:
        ROLE_BY_NAME.setdefault(_name, _role)
ROLE_SUFFIX_RE = re.compile("(?:" + "|".join(map(re.escape, ALL_NAMES)) + ")$")
NAME_PREFIXES = {name[:i] for name in ALL_NAMES for i in range(1, len(name) + 1)}


def role_of(cell: str, *, strict: bool = False) -> str | None:
    """The column role a header cell names, by its full name or the name it ends with, or
    (unless `strict`, as when testing whether two fragments join) a word it contains."""
    cell = re.sub(r"\s+", "", cell)
    if not cell or len(cell) > 12:
        return None
    if cell in ROLE_BY_NAME:
        return ROLE_BY_NAME[cell]
    match = ROLE_SUFFIX_RE.search(cell)
    if match:
        return ROLE_BY_NAME[match.group()]
    if strict:
        return None
    for role, pattern in ROLE_KEYWORDS:
        if pattern.search(cell):
            return role
    return None


@dataclass
class Row:
    cells: dict[str, str] = field(default_factory=dict)
    category: str = ""
    children: list[str] = field(default_factory=list)  # continuation rows of a merged name cell
    wrapped: bool = False  # a row below carried its cells on


@dataclass
class Table:
    """A recognised table: where it sits among the lines, its column roles and its rows."""

    start: int
    end: int  # exclusive
    roles: list[str]
    rows: list[Row] = field(default_factory=list)
    group: str = ""  # the group a one-cell row opened, for the rows below it

    @property
    def has(self) -> set[str]:
        return set(self.roles)


def _assign_roles(cells: list[str]) -> list[str] | None:
    roles = [role_of(c) or "" for c in cells]
    known = [r for r in roles if r]
    if len(known) < 2 or len(set(known)) < 2:
        return None
    if not ({"name", "content", "target"} & set(known)):
        return None
    if "name" not in known and roles.count("content") > 1:
        # 工作任务 | 具体措施 with no name column: the first says what the task is.
        roles[roles.index("content")] = "name"
    if "lead" in known and roles.count("lead") > 1:
        # 牵头单位 and 责任单位 side by side: the second names the partners.
        second = [i for i, r in enumerate(roles) if r == "lead"][1]
        roles[second] = "partners"
    return [r or "note" for r in roles]


def _split_pipe(line: str) -> list[str]:
    """A `|` row's cells, without one border at each end: `| | 队伍建设 |` keeps the empty
    cell of a merged 序号 that stripping every leading bar would lose."""
    line = line.strip().replace("｜", "|")
    line = line.removeprefix("|").removesuffix("|")
    return [c.strip() for c in line.split("|")]


def find_tables(lines: list[str]) -> list[Table]:
    """Every table in `lines`, in order, none overlapping."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        table = (
            _pipe_table(lines, i)
            or _column_table(lines, i)
            or _cell_per_line_table(lines, i)
            or _glued_table(lines, i)
        )
        if table:
            tables.append(table)
            i = table.end
        else:
            i += 1
    return tables


# --- `|` rows -------------------------------------------------------------------------------


def _pipe_table(lines: list[str], i: int) -> Table | None:
    if lines[i].count("|") < 2:
        return None
    header = _split_pipe(lines[i])
    roles = _assign_roles(header)
    if not roles:
        return None
    j = i + 1
    below = _split_pipe(lines[j]) if j < len(lines) and lines[j].count("|") >= 2 else []
    if below and _is_sub_header(below):
        # A header over two rows (责任单位 over 牵头单位 | 配合单位): the lower names win.
        header = [low or high for high, low in zip_longest(header, below, fillvalue="")]
        roles = _assign_roles(header) or roles
        j += 1
    table = Table(start=i, end=j, roles=roles)
    while j < len(lines) and ("|" in lines[j] or _is_group_row(lines, j, pipes=True)):
        cells = _split_pipe(lines[j])
        j += 1
        if _assign_roles(cells):
            continue  # the header repeated on a new page
        if all(SEPARATOR_CELL_RE.fullmatch(cell) for cell in cells):
            continue  # Markdown's line under the header: | --- | :---: |
        cells = (cells + [""] * len(roles))[: len(roles)]
        _add_row(table, _by_role(roles, cells))
    table.end = j
    return table


def _is_sub_header(cells: list[str]) -> bool:
    """A header's second row: column names only (some cells empty), no figure."""
    named = [c for c in cells if c]
    return (
        len(named) >= 2
        and all(role_of(c) and not re.search(r"\d", c) for c in named)
        and len(named) < len(cells)
    )


def _by_role(roles: list[str], cells: list[str]) -> dict[str, str]:
    """Cells keyed by their column's role; two columns of one role (工作任务, 具体措施) join."""
    values: dict[str, str] = {}
    for role, cell in zip(roles, cells, strict=False):
        cell = cell.strip()
        if cell:
            values[role] = f"{values[role]}；{cell}" if values.get(role) else cell
    return values


TOTAL_CELL_RE = re.compile(r"^(?:合\s*计|小\s*计|总\s*计|共\s*计)(?:[:：]|\s*\d|$)")


def _add_row(table: Table, cells: dict[str, str]) -> None:
    values = {k: v for k, v in cells.items() if v}
    if not values:
        return
    if any(
        TOTAL_CELL_RE.match(values.get(role, "")) for role in ("seq", "category", "name", "content")
    ) or re.match(
        r"^备\s*注[:：]?",
        values.get("seq", "") or values.get("name", "") or values.get("content", ""),
    ):
        return  # 合计 / 小计: the table adding itself up, no task
    category = values.pop("category", "")
    previous_category = table.rows[-1].category if table.rows else ""
    if not category and len(values) == 1:
        ((role, only),) = values.items()
        short_label = len(only) <= 15 and not re.search(r"\d", only) and role in ("seq", "name")
        if GROUP_ROW_RE.match(only) or short_label:
            # A row with one cell across the table ("一、产业发展"): the group of those below.
            table.group = GROUP_NUMBER_RE.sub("", only)
            return
    category = category or table.group
    has_name = values.get("name") or values.get("seq")
    if not has_name and table.rows and _wraps(table.rows[-1], values):
        # A cell too long for its line, carried on in the row below (`完成老旧小区改造5个，`
        # / `涉及建筑面积约12万平方米`): one row, each cell joined to the one above it.
        parent = table.rows[-1]
        parent.wrapped = True
        for role, value in values.items():
            above = parent.cells.get(role, "")
            parent.cells[role] = above + value if above else value
        return
    if not has_name and table.rows and (values.get("content") or values.get("target")):
        # A project whose name cell spans several rows: its later rows are its sub-items.
        parent = table.rows[-1]
        parent.children.append(
            "；".join(values.get(r, "") for r in ("content", "target") if values.get(r))
        )
        return
    table.rows.append(Row(cells=values, category=category or previous_category))


WRAP_END_RE = re.compile(r"[，,、（(“]$")
# (及时…, 和美… and 等级… start words of their own.)
WRAP_START_RE = re.compile(r"^(?:等(?!级)|和(?!美|谐)|及(?!时)|与|的|[，,、）)”])")
# A deadline carried on: `2025年` / `11月`.
DUE_WRAP_RE = re.compile(r"(?:19|20)\d{2}\s*年$")
MONTH_START_RE = re.compile(
    r"^(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月|^(?:底|前|上旬|中旬|下旬)"
)


def _continues(above: str, value: str, role: str) -> bool:
    """Whether `value` carries on the cell `above` it mid-phrase."""
    if role == "due" and DUE_WRAP_RE.search(above):
        return bool(MONTH_START_RE.match(value))
    return bool(WRAP_END_RE.search(above) or WRAP_START_RE.match(value))


def _wraps(row: Row, values: dict[str, str]) -> bool:
    """Whether a row without a name carries on the cells above it rather than adding an item
    under them: a cell above ends mid-phrase (`、`, `，`, a year waiting for its month) or
    one here starts mid-phrase (`等…`). A row with a unit or a deadline of its own where the
    row above has a whole one is an item of its own (a project's yearly sub-rows); after a
    wrap, a row of text alone carries on the same cells."""
    for role, value in values.items():
        above = row.cells.get(role, "")
        if (
            role in ("lead", "partners", "due", "leader")
            and above
            and not _continues(above, value, role)
        ):
            return False
    if row.wrapped:
        return True
    return any(_continues(row.cells.get(role, ""), value, role) for role, value in values.items())


# --- space-separated columns ---------------------------------------------------------------------


def _column_table(lines: list[str], i: int) -> Table | None:
    tokens = lines[i].split()
    if len(tokens) < 3 or re.search(r"[。，,；;]", lines[i]):
        return None
    roles = _assign_roles(tokens)
    if not roles or len([t for t in tokens if role_of(t)]) < len(tokens) - 1:
        return None
    table = Table(start=i, end=i + 1, roles=roles)
    j = i + 1
    while j < len(lines):
        if _is_group_row(lines, j, columns=True):
            _add_row(table, {"name": lines[j].strip()})
            j += 1
            continue
        row = lines[j].split()
        if len(row) < 2 or not ROW_NUMBER_RE.match(row[0]) or re.search(r"[。；;]", lines[j]):
            break
        j += 1
        cells = _fit_columns(row, roles)
        _add_row(table, cells)
    table.end = j
    return table if table.rows else None


def _is_group_row(lines: list[str], j: int, *, pipes: bool = False, columns: bool = False) -> bool:
    """`一、经济发展` on a line of its own between a table's rows, before a numbered row of
    the same table (a `|` row in a `|` table, one of three cells or more in a table of
    columns): the group of the rows below it (a cell merged across the table).
    `二、保障措施` before `1.加强组织领导。` ends the table."""
    line = lines[j].strip()
    following = lines[j + 1].strip() if j + 1 < len(lines) else ""
    return (
        bool(GROUP_ROW_RE.match(line))
        and len(line) <= 20
        and not re.search(r"[。；;，,\d|｜]", line)
        and bool(ROW_START_RE.match(following))
        and ("|" in following if pipes else not re.search(r"[。；;]", following))
        and (not columns or len(following.split()) >= 3)
    )


def _fit_columns(tokens: list[str], roles: list[str]) -> dict[str, str]:
    """Tokens to columns when a cell was empty (no unit) or a name held a space."""
    if len(tokens) < len(roles) and "unit" in roles:
        unit_index = roles.index("unit")
        if unit_index < len(tokens) and re.match(r"^-?\d", tokens[unit_index]):
            roles = roles[:unit_index] + roles[unit_index + 1 :]
    if len(tokens) > len(roles) and "name" in roles:
        name_index = roles.index("name")
        extra = len(tokens) - len(roles)
        tokens = [
            *tokens[:name_index],
            "".join(tokens[name_index : name_index + extra + 1]),
            *tokens[name_index + extra + 1 :],
        ]
    return {role: token for role, token in zip(roles, tokens, strict=False)}


# --- one cell per line -------------------------------------------------------------------------


def _cell_per_line_table(lines: list[str], i: int) -> Table | None:
    """A header of short lines (some broken over two lines), then rows that each start with
    their sequence number, alone on a line (`1`) or before the name (`1、地区生产总值`)."""
    if role_of(lines[i]) is None or len(lines[i]) > 12:
        return None
    j = i
    fragments: list[str] = []
    while j < len(lines) and len(lines[j]) <= 10 and not ROW_NUMBER_RE.match(lines[j]):
        fragment, following = lines[j], lines[j + 1] if j + 1 < len(lines) else ""
        if not (
            role_of(fragment)
            or fragment in NAME_PREFIXES
            or role_of(fragment + following, strict=True)
            or (fragments and role_of(fragments[-1] + fragment, strict=True))
        ):
            break
        fragments.append(fragment)
        j += 1
        if len(fragments) > 16:
            return None
    header = _merge_header(fragments)
    roles = _assign_roles(header)
    if not roles or len(header) < 3:
        return None
    # Cells before the first numbered row that are not header cells are a category's name.
    table = Table(start=i, end=j, roles=roles)
    expected = 1
    category = ""
    k = j
    row_lines: list[str] = []
    while k < len(lines):
        line = lines[k]
        number = ROW_NUMBER_RE.match(line)
        if number and int(number.group(1)) == expected:
            if row_lines:
                _add_cell_row(table, row_lines, category)
            expected += 1
            row_lines = [line]
            k += 1
            continue
        upcoming = ROW_NUMBER_RE.match(lines[k + 1]) if k + 1 < len(lines) else None
        grouping = (
            "category" in roles
            and _is_category_cell(line)
            and (expected == 1 or len(row_lines) > 2)
        ) or _is_group_row(lines, k)
        if grouping and upcoming and int(upcoming.group(1)) == expected:
            if row_lines:
                _add_cell_row(table, row_lines, category)
                row_lines = []
            # A grouping cell merged over the rows that follow, or a group row across the table.
            category = GROUP_NUMBER_RE.sub("", line)
            k += 1
            continue
        if expected == 1:
            return None
        if _is_sentence_paragraph(line) and len(row_lines) >= len(roles):
            break
        if line in header and not number:
            k += 1  # the header repeated on a new page
            continue
        row_lines.append(line)
        k += 1
    if row_lines:
        _add_cell_row(table, row_lines, category)
    table.end = k
    return table if table.rows else None


def _is_sentence_paragraph(line: str) -> bool:
    return len(line) > 60 and line.count("。") >= 2


def _merge_header(fragments: list[str]) -> list[str]:
    """`责任` / `领导` is one header cell: join fragments that are no column name on their own."""
    cells: list[str] = []
    pending = ""
    for fragment in fragments:
        text = pending + fragment
        if role_of(text) or len(text) >= 6:
            cells.append(text)
            pending = ""
        elif pending and role_of(fragment):
            cells.append(pending)
            cells.append(fragment)
            pending = ""
        else:
            pending = text
    if pending:
        if cells:
            cells[-1] += pending
        else:
            cells.append(pending)
    # A fragment that is a column name only by a generic word (任务) after a full one joins it.
    merged: list[str] = []
    for cell in cells:
        if (
            merged
            and cell in ("任务", "内容", "情况", "名称", "时间", "单位")
            and role_of(merged[-1])
        ):
            merged[-1] += cell
        else:
            merged.append(cell)
    return merged


def _add_cell_row(table: Table, row_lines: list[str], category: str) -> None:
    roles = list(table.roles)
    first = row_lines[0]
    number = ROW_NUMBER_RE.match(first)
    cells: list[str] = []
    seq = number.group(1) if number else ""
    rest = first[number.end() :].strip() if number else first
    if rest:
        cells.append(rest)
    cells.extend(row_lines[1:])
    value_roles = [r for r in roles if r not in ("seq", "category")]
    # A cell broken over two lines (`新建老年助餐点10个，` / `覆盖全部乡镇`) is one cell.
    k = 0
    while len(cells) > len(value_roles) and k < len(cells) - 1:
        if re.search(r"[，,、；;]$", cells[k]):
            cells[k : k + 2] = [cells[k] + cells[k + 1]]
        else:
            k += 1
    if (
        "category" in roles
        and not rest  # the number alone on its line, the group's name on the next
        and len(cells) > len(value_roles)
        and _is_category_cell(cells[0])
        and roles.index("category") < roles.index(value_roles[0])
    ):
        # 序号 / 类别 / 工作任务 …: the row opens its group, whose name follows its number.
        category = cells.pop(0)
    if len(cells) == len(value_roles):
        values = _by_role(value_roles, cells)
    else:
        values = _reflow(cells, value_roles)
    values["seq"] = seq
    _add_row(table, {"category": category, **values})


DUE_CELL_RE = re.compile(
    r"^.{0,12}(?:(?:19|20)\d{2}\s*年|\d{1,2}\s*月|季度|年底|年末|年内|全年|上半年|下半年|长期|持续|常态)"
)


def _is_category_cell(line: str) -> bool:
    return (
        len(line) <= 12
        and not DEPARTMENT_RE.match(line)
        and not re.search(r"\d", line)
        and role_of(line) is None
    )


def _reflow(cells: list[str], roles: list[str]) -> dict[str, str]:
    """Cells broken over several lines, fitted back to the columns.

    Department-like lines at the end fill a trailing 牵头/责任 column; a lone measure word
    (`百分点`) joins the cell before it, a lone comparator (`控制在`) the one after it, and a
    wordy fragment right after the name (`比重`) belongs to the name.
    """
    values: dict[str, str] = {}
    cells = list(cells)
    roles = list(roles)
    if len(roles) > 1 and roles[-1] == "due" and len(cells) > 1 and DUE_CELL_RE.search(cells[-1]):
        values["due"] = cells.pop()  # an empty cell before it: the deadline is still the last
        roles.pop()
    units = (
        [r for r in roles[-2:] if r in ("lead", "partners")]
        if roles[-1:] in (["lead"], ["partners"])
        else []
    )
    if units:
        tail: list[str] = []
        while len(cells) > 1 and DEPARTMENT_RE.match(cells[-1]):
            tail.insert(0, cells.pop())
        if tail:
            # 牵头单位 before 配合单位: one unit named is the lead; the rest partner.
            if len(units) == 2 and len(tail) == 1:
                values[units[0]] = tail[0]
            elif len(units) == 2:
                values[units[0]], values[units[1]] = tail[0], "、".join(tail[1:])
            else:
                values[units[0]] = "、".join(tail)
            roles = roles[: len(roles) - len(units)]
    if not cells:
        return values
    name_role = roles[0] if roles else "name"
    name, middle = cells[0], cells[1:]
    slots = len(roles) - 1
    merged: list[str] = []
    for cell in middle:
        if merged and MEASURE_ONLY_RE.match(cell):
            merged[-1] += cell
        else:
            merged.append(cell)
    joined: list[str] = []
    carry = ""
    for cell in merged:
        if COMPARATOR_ONLY_RE.match(cell):
            carry += cell
            continue
        joined.append(carry + cell)
        carry = ""
    if carry:
        joined.append(carry)
    while len(joined) > slots and joined and not re.search(r"\d", joined[0]):
        name += joined.pop(0)
    while len(joined) > slots and len(joined) >= 2:
        joined[-2] += joined.pop()
    values[name_role] = name
    for role, cell in zip(roles[1:], joined, strict=False):
        values[role] = cell
    return values


# --- cells run together --------------------------------------------------------------------------


def _glued_table(lines: list[str], i: int) -> Table | None:
    """`序号项目名称主要内容牵头单位…1增加教育资源供给实施…2促进就业…`: no separators at all.

    The header is found by its run of column names; rows start at the next sequence number
    that follows a character ending a cell. The cells of a row cannot be told apart, so the
    row is one task whose text holds them all.
    """
    if not any(word in lines[i] for word in GLUED_HEADER_HINTS):
        return None
    match = GLUED_HEADER_RE.search(lines[i])
    if not match:
        return None
    header = lines[i][match.start() : match.end()]
    names = re.findall("|".join(map(re.escape, ALL_NAMES)), header)
    roles = [role_of(n) or "note" for n in names]
    if not _assign_roles(names):
        return None
    body = lines[i][match.end() :]
    j = i + 1
    while j < len(lines) and not _is_heading_like(lines[j]):
        body += lines[j]
        j += 1
    body = body.replace(header, "")
    table = Table(start=i, end=j, roles=roles)
    expected, pos, starts = 1, 0, []
    while True:
        found = _next_row_start(body, expected, pos)
        if found is None:
            break
        starts.append(found)
        pos = found[1]
        expected += 1
    for index, (_start, text_start) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(body)
        _add_row(table, {"seq": str(index + 1), "content": body[text_start:end].strip()})
    return table if table.rows else None


def _is_heading_like(line: str) -> bool:
    return bool(re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])", line))


def _next_row_start(body: str, number: int, pos: int) -> tuple[int, int] | None:
    pattern = re.compile(rf"(?<![\d.,，%])({number})(?=[\u4e00-\u9fa5“])")
    for match in pattern.finditer(body, pos):
        after = body[match.end() : match.end() + 3]
        if re.match(r"^(?:[年月日号批期类万亿千百]|余|多)", after) or UNIT_START_RE.match(after):
            continue  # a quantity (12个, 2公里) or a date, not a row number
        before = body[match.start() - 1 : match.start()] if match.start() else ""
        if before and not re.match(r"[\u4e00-\u9fa5。；;）)”]", before):
            continue
        return match.start(), match.end()
    return None
