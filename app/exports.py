"""Exports people open (SPEC 16): CSV in the locale's conventions and XLSX, from one table shape.

A table is a header row of readable words and rows of plain values (str, int, float, date,
datetime, None). The writers take data and return bytes; they never query or read the request.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# Spreadsheets run a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# A formula start right after any separator a reader might split on, or a line break.
_EMBEDDED = re.compile(r"([,;\t|\r\n]\s*[\"']?)(?=[=+\-@])")
SEPARATORS = {"da": ";", "fr": ";", "en": ","}
DECIMAL_SIGNS = {"da": ",", "fr": ",", "en": "."}
MAX_WIDTH = 60


def formula_safe(text: str) -> str:
    """Text no spreadsheet runs as a formula, whichever separator it is read with."""
    return leading_safe(_EMBEDDED.sub(r"\1'", text))


def leading_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula, for a file that is read back: only a
    leading formula sign gets an apostrophe, which `leading_unsafe` takes off again."""
    return "'" + text if text.startswith(FORMULA_START) else text


def leading_unsafe(text: str) -> str:
    """The text `leading_safe` wrote, read back."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


@dataclass
class Table:
    """One sheet: a title (sheet name), readable headers and rows of plain values.

    `safe` makes CSV text formula-safe: `formula_safe` by default; `leading_safe` for a file
    that is imported again (the register's), so that every value reads back as written."""

    title: str
    headers: list[str]
    rows: list[Sequence[Any]] = field(default_factory=list)
    safe: Callable[[str], str] = formula_safe


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def csv_cell(value: Any, locale: str, safe: Callable[[str], str] = formula_safe) -> str:
    """A value as CSV text: locale decimal sign, ISO dates, formula-safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", DECIMAL_SIGNS.get(locale, "."))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return _naive_utc(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return safe(str(value))


def csv_bytes(table: Table, locale: str) -> bytes:
    """The table as UTF-8 CSV with BOM, in the locale's separator and decimal sign."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=SEPARATORS.get(locale, ","), lineterminator="\r\n")
    writer.writerow([table.safe(str(h)) for h in table.headers])
    for row in table.rows:
        writer.writerow([csv_cell(v, locale, table.safe) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _sheet_title(title: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """An XLSX workbook, one sheet per table: numbers as numbers, header row bold and frozen,
    autofilter over the table, columns sized to their content."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for table in tables:
        ws = wb.create_sheet(_sheet_title(str(table.title), taken))
        ws.append([str(h) for h in table.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append([_naive_utc(v) if isinstance(v, datetime) else v for v in row])
        widths = [len(str(h)) for h in table.headers]
        for row in ws.iter_rows(min_row=2):
            for i, cell in enumerate(row):
                if isinstance(cell.value, str):
                    if cell.value.startswith("="):
                        cell.data_type = "s"  # text, never a formula
                    widths[i] = max(widths[i], len(cell.value))
                elif isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                    widths[i] = max(widths[i], 16)
                elif isinstance(cell.value, float):
                    cell.number_format = "0.0"
                    widths[i] = max(widths[i], 6)
                elif cell.value is not None:
                    widths[i] = max(widths[i], len(str(cell.value)))
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, width + 2)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
