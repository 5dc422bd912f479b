"""The register as CSV and XLSX files people open, and those files read back (SPEC 14, 16).

Export: headers in the locale's words, the entry id in a column of its own, layers,
criticality, data export and exit plan in the locale's words, countries as ISO codes,
dates as YYYY-MM-DD (real dates in XLSX), lock-in and SEAL as numbers. CSV in the locale's
conventions (`;` for da and fr, `,` for en), UTF-8 with BOM, formula-safe.

Import reads the same columns: headers and words in any of the three languages, or the
field ids and value ids. Rows come back as (line number, raw fields) for the service,
which refuses the whole file when any row is bad.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from flask_babel import force_locale

from . import register_text as text
from .core.register import FIELDS, LAYERS, Entry, FieldError
from .exports import Table, csv_bytes, leading_safe, leading_unsafe, xlsx_bytes

COLUMNS = ("id", *FIELDS)
LOCALES = ("da", "en", "fr")
ENUMS = {"criticality": text.CRITICALITIES, "data_export": text.DATA_EXPORTS,
         "exit_plan": text.EXIT_PLANS}
MAX_ROWS = 10000
NUMERIC = ("id", "lock_in", "seal")


class FileProblem(Exception):
    """The file as a whole cannot be read; problems are (line, FieldError)."""

    def __init__(self, problems: list[tuple[int | None, FieldError]]):
        super().__init__("; ".join(f"{line}: {e.field}: {e.message}" for line, e in problems))
        self.problems = problems


def header(locale: str) -> list[str]:
    """The column headers in the locale's words."""
    with force_locale(locale):
        return [str(text.FIELD_NAMES[c]) for c in COLUMNS]


def values(e: Entry, locale: str) -> list[Any]:
    """One entry's cells, in column order, typed (numbers and dates stay numbers and dates)."""
    with force_locale(locale):
        out: list[Any] = []
        for c in COLUMNS:
            v = getattr(e, c)
            if c == "layer":
                v = text.layer_title(v, locale)
            elif c in ENUMS:
                v = text.label(ENUMS[c], v)
            elif v is None:
                v = ""
            out.append(v)
        return out


def table(entries: list[Entry], locale: str, title: str = "Register") -> Table:
    """The register as one export table; its text reads back as written (see read_file)."""
    return Table(title, header(locale), [values(e, locale) for e in entries], safe=leading_safe)


def to_csv(entries: list[Entry], locale: str) -> bytes:
    """The register as CSV in the locale's conventions, UTF-8 with BOM."""
    return csv_bytes(table(entries, locale), locale)


def to_xlsx(entries: list[Entry], locale: str, title: str) -> bytes:
    """The register as an XLSX workbook: one sheet, frozen header, autofilter, sized columns."""
    return xlsx_bytes([table(entries, locale, title)])


# -- reading ---------------------------------------------------------------------------------------

def _fold(s: str) -> str:
    return " ".join(str(s).split()).casefold()


def _vocabulary() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Headers and enum words of every language, folded, mapped to field and value ids."""
    headers: dict[str, str] = {c: c for c in COLUMNS}
    words: dict[str, dict[str, str]] = {f: {k: k for k in t} for f, t in ENUMS.items()}
    words["layer"] = {la.id: la.id for la in LAYERS}
    for locale in LOCALES:
        with force_locale(locale):
            headers.update({_fold(str(text.FIELD_NAMES[c])): c for c in COLUMNS})
            for f, table in ENUMS.items():
                words[f].update({_fold(str(v)): k for k, v in table.items()})
            words["layer"].update({_fold(la.title[locale]): la.id for la in LAYERS})
    return headers, words


def rows_from_table(table: list[list[Any]]) -> list[tuple[int, dict[str, Any]]]:
    """(line, raw fields) for each non-empty data row of a sheet whose first row is the header."""
    if not table or not any(_cell(c) for c in table[0]):
        raise FileProblem([(1, FieldError("header", "no_header", "the file has no header row"))])
    headers, words = _vocabulary()
    columns: list[str | None] = []
    problems: list[tuple[int | None, FieldError]] = []
    for cell in table[0]:
        name = _cell(cell)
        if not name:
            columns.append(None)
            continue
        field = headers.get(_fold(name))
        if field is None:
            problems.append((1, FieldError(name, "unknown", "is not a column of the register",
                                           name)))
        elif field in columns:
            problems.append((1, FieldError(name, "duplicate_column", "appears twice", name)))
        columns.append(field)
    missing = [c for c in ("name", "layer", "supplier", "supplier_country", "hosting_country",
                           "criticality", "lock_in", "data_export", "exit_plan")
               if c not in columns]
    problems += [(1, FieldError(c, "missing_column", "is missing from the header")) for c in missing]
    if problems:
        raise FileProblem(problems)
    if len(table) - 1 > MAX_ROWS:
        raise FileProblem([(None, FieldError("rows", "too_many_rows",
                                             f"more than {MAX_ROWS} rows", str(MAX_ROWS)))])
    out = []
    for line, row in enumerate(table[1:], start=2):
        if not any(_cell(c) for c in row):
            continue
        raw: dict[str, Any] = {}
        for field, cell in zip(columns, row, strict=False):
            if field is None:
                continue
            value = cell
            if isinstance(value, str):
                value = leading_unsafe(value.strip())
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, int | float) and field not in NUMERIC:
                value = str(value)  # a name or supplier that a spreadsheet took for a number
            if field in words and isinstance(value, str) and value:
                value = words[field].get(_fold(value), value)
            raw[field] = value
        out.append((line, raw))
    return out


def _cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_csv(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a CSV file in any of the three locales' conventions (separator sniffed)."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem([(None, FieldError("file", "encoding", "the file is not UTF-8"))]) from None
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        table = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileProblem([(None, FieldError("file", "csv", f"not a readable CSV file: {exc}"))]) from None
    return rows_from_table(table)


def read_xlsx(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The rows of the first sheet of an XLSX workbook."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError):
        raise FileProblem([(None, FieldError("file", "xlsx", "not a readable XLSX workbook"))]) from None
    try:
        ws = wb.worksheets[0]
        table = [list(r) for r, _n in zip(ws.iter_rows(values_only=True), range(MAX_ROWS + 2),
                                          strict=False)]
    finally:
        wb.close()
    return rows_from_table(table)


def read_file(filename: str, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The rows of an uploaded CSV or XLSX file, by its name or its first bytes."""
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        return read_xlsx(data)
    return read_csv(data)
