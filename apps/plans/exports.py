"""Spreadsheet exports of tables: the same rows and columns as the page, every page.

openpyxl is imported inside the functions that write a workbook: this module is reached
from the admin (plans.admin -> services -> reports), so a top-level import cost every
process start, `manage.py parse_plan` included, about 0.2 s for a library few of them use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.utils import timezone
from django.utils.encoding import force_str
from django_tables2.rows import BoundRow

from apps.subdistricts.labels import UNIT_LABEL

# Wide enough for the longer Chinese titles without making the sheet unreadable.
COLUMN_WIDTHS = {"标题": 50, "计划": 30, UNIT_LABEL: 14, "牵头科室": 14, "最近更新": 18}
DEFAULT_WIDTH = 12


# A text starting with one of these is a formula to Excel or LibreOffice (a 责任人 typed as
# =HYPERLINK(...) would become a live link); such text is written as a text cell.
FORMULA_PREFIXES = ("=", "+", "-", "@")
# Rows fetched from the database at a time while exporting: memory stays flat for any plan.
EXPORT_CHUNK = 1000


def _cell(value):
    # openpyxl refuses aware datetimes; people read local time.
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def text_safe(cell):
    """Keep a cell whose text starts like a formula a plain text cell (never evaluated)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
    return cell


def _write_only_row(sheet, values, *, font=None, border=None, alignment=None) -> list:
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=_cell(value))
        if font is not None:
            cell.font = font
        if border is not None:
            cell.border = border
        if alignment is not None:
            cell.alignment = alignment
        row.append(text_safe(cell))
    return row


def table_xlsx(table, out: IO[bytes], *, sheet_title: str = "任务列表") -> None:
    """Write the table's rows (all of them, not one page) to `out` as an .xlsx workbook,
    headers first.

    Cell values come from the columns' `value()` (plain text, numbers, dates), not the
    HTML they render on the page. Rows are read from the database in chunks and written
    as they come (a write-only workbook), so a 10,000-row export costs no more memory
    than a 1,000-row one.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    columns = [c for c in table.columns.iterall() if not c.column.exclude_from_export]
    headers = [force_str(column.header) for column in columns]
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS.get(header, DEFAULT_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.append(_write_only_row(sheet, headers, font=Font(bold=True)))
    for record in _records(table):
        row = BoundRow(record, table=table)
        values = [force_str(row.get_cell_value(c.name), strings_only=True) for c in columns]
        sheet.append(_write_only_row(sheet, values))
    workbook.save(out)


def _records(table):
    data = table.data.data
    if hasattr(data, "iterator"):
        return data.iterator(chunk_size=EXPORT_CHUNK)
    return iter(data)


# --- The plan report (推进情况表) ---------------------------------------------------------


@dataclass(frozen=True)
class PlanReportRow:
    number: str
    depth: int
    title: str
    department: str
    person: str
    due: dt.date | None
    progress: str
    indicators: str


REPORT_HEADERS = ["序号", "任务", "牵头科室", "责任人", "完成时限", "进展情况", "指标完成情况"]
REPORT_WIDTHS = [10, 48, 14, 10, 12, 40, 44]


def plan_report_xlsx(
    plan, rows: Iterable[PlanReportRow], out: IO[bytes], *, generated_at: dt.datetime
) -> None:
    """Write the plan as offices report it to `out`: a title line, the seven usual columns,
    sections in bold and sub-items indented, text wrapped, ready to print in landscape.

    A write-only workbook: each row goes to a temporary file as it comes, so a 9,000-task
    plan costs the worker a few megabytes instead of a cell object per value (see
    bench/report_memory.py). Column widths, merged title lines and print settings are
    therefore set before the first row.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("推进情况表")
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    last_column = get_column_letter(len(REPORT_HEADERS))
    for index, width in enumerate(REPORT_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.merged_cells.add(f"A1:{last_column}1")
    sheet.merged_cells.add(f"A2:{last_column}2")
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1

    title_font = Font(bold=True, size=14)
    sheet.append(
        _write_only_row(
            sheet,
            [f"{plan.title}推进情况表"],
            font=title_font,
            alignment=Alignment(horizontal="center"),
        )
    )
    stamp = timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M")
    sheet.append(_write_only_row(sheet, [f"{plan.subdistrict.name}　生成时间：{stamp}"]))
    sheet.append(
        _write_only_row(
            sheet,
            REPORT_HEADERS,
            font=bold,
            border=border,
            alignment=Alignment(horizontal="center", vertical="center"),
        )
    )
    for row in rows:
        cells = _write_only_row(
            sheet,
            [
                row.number,
                "　" * row.depth + row.title,
                row.department,
                row.person,
                row.due,
                row.progress,
                row.indicators,
            ],
            font=bold if row.depth == 0 else None,
            border=border,
            alignment=wrap,
        )
        cells[4].number_format = "yyyy-mm-dd"
        sheet.append(cells)
    workbook.save(out)
