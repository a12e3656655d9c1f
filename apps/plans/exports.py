"""Spreadsheet exports of tables: the same rows and columns as the page, every page."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

# Wide enough for the longer Chinese titles without making the sheet unreadable.
COLUMN_WIDTHS = {"标题": 50, "计划": 30, "街道": 14, "牵头科室": 14, "最近更新": 18}
DEFAULT_WIDTH = 12


def _cell(value):
    # openpyxl refuses aware datetimes; people read local time.
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def table_xlsx(table, *, sheet_title: str = "任务列表") -> bytes:
    """The table's rows (all of them, not one page) as an .xlsx workbook, headers first.

    Cell values come from the columns' `value()` (plain text, numbers, dates), not the
    HTML they render on the page.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    rows = table.as_values()
    headers = [str(header) for header in next(rows)]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS.get(header, DEFAULT_WIDTH)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
