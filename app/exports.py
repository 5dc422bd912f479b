"""Exports people open (SPEC 16): CSV in the locale's conventions and XLSX. Data in, bytes out.

A minimal writer for the action plan; the `rounds` branch brings the shared one (same role).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31


def _csv_cell(value: Any, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        value = str(value).lower()
    if isinstance(value, float | int):
        text = str(value)
        return text.replace(".", ",") if locale in ("da", "fr") else text
    if isinstance(value, date | datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text  # formula-safe


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]], locale: str) -> bytes:
    """UTF-8 with BOM; `;` and decimal comma for da and fr, `,` and decimal point for en."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if locale in ("da", "fr") else ",",
                        lineterminator="\r\n")
    writer.writerow([_csv_cell(h, locale) for h in header])
    writer.writerows([_csv_cell(v, locale) for v in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START[:4]):
        return "'" + value  # never a formula
    return value


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """One sheet per (title, header, rows): numbers and dates as such, header frozen, filter, widths."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title[:SHEET_TITLE_MAX])
        ws.append([str(h) for h in header])
        for row in rows:
            ws.append([_xlsx_cell(v) for v in row])
        ws.freeze_panes = "A2"
        last = get_column_letter(max(1, len(header)))
        ws.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
        for n, h in enumerate(header, start=1):
            width = max([len(str(h))] + [len(str(r[n - 1])) for r in rows if r[n - 1] is not None])
            ws.column_dimensions[get_column_letter(n)].width = min(60, width + 2)
            for cell in ws[get_column_letter(n)][1:]:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
