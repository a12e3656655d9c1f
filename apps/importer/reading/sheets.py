"""Excel .xlsx task-breakdown sheets (任务分解表): one line per row, cells joined by " | "."""

from __future__ import annotations

import datetime as dt
import io
import math

from apps.importer.reading.base import open_zip, table_row
from apps.importer.types import DocumentError

DAMAGED = "无法读取 .xlsx 表格，文件可能已损坏"


def xlsx_text(data: bytes, name: str) -> str:
    # Imported here: openpyxl is only needed for spreadsheets.
    import openpyxl

    open_zip(data, name, DAMAGED).close()  # refuses a zip bomb before openpyxl unpacks it
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise DocumentError(f"{DAMAGED}：{name}") from None
    try:
        sheets = []
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            lines = _sheet_lines(sheet)
            if lines:
                sheets.append((sheet.title, lines))
    except Exception:
        raise DocumentError(f"{DAMAGED}：{name}") from None
    finally:
        workbook.close()

    if len(sheets) == 1:
        return "\n".join(sheets[0][1])
    return "\n".join(line for title, lines in sheets for line in (title, *lines))


def _sheet_lines(sheet) -> list[str]:
    # The stored dimensions are often wrong (too small or far too big); read what is there.
    sheet.reset_dimensions()
    rows = []
    for row in sheet.iter_rows():
        values = [_cell_text(cell) for cell in row]
        while values and not values[-1]:
            values.pop()
        if values:
            rows.append(values)
    # A table that starts in column C: drop the columns empty in every row.
    lead = min((next(i for i, v in enumerate(values) if v) for values in rows), default=0)
    # A merged cell keeps its value in its first cell only; the others read as empty.
    return [table_row(values[lead:]) for values in rows]


def _cell_text(cell) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return _date(value)
        return f"{_date(value)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return _date(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            return f"{_number(value * 100)}%"
        return _number(value)
    return " ".join(str(value).split())


def _number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value == int(value):
        return str(int(value))
    return f"{value:.15g}"


def _date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"
