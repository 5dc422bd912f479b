"""Exports people open (SPEC 16): locale CSV and XLSX from one table shape."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest

from app.exports import FORMULA_START, Table, csv_bytes, formula_safe, xlsx_bytes
from app.models import Department
from tests.conftest import department, login

EVIL = "x;=1+1;@SUM(A1)"
TABLE = Table("Sammenligning", ["Afdeling id", "Afdeling", "Samlet score", "Antal"],
              [["culture", "Kultur", 47.5, 3], ["evil", EVIL, None, 0],
               ["csv", "a,-2+3\t+cmd|' /C calc'!A0", 12.25, 1]])


def parse(data: bytes, sep: str) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=sep))


@pytest.mark.parametrize("locale,sep,decimal", [("da", ";", "47,5"), ("fr", ";", "47,5"),
                                                ("en", ",", "47.5")])
def test_csv_in_the_locales_conventions(locale, sep, decimal):
    rows = parse(csv_bytes(TABLE, locale), sep)
    assert rows[0] == TABLE.headers
    assert rows[1] == ["culture", "Kultur", decimal, "3"]
    assert [len(r) for r in rows] == [4, 4, 4, 4]


@pytest.mark.parametrize("written", ["da", "en"])
@pytest.mark.parametrize("read_sep", [";", ",", "\t", "|"])
def test_no_cell_starts_a_formula_whatever_separator_it_is_read_with(written, read_sep):
    rows = parse(csv_bytes(TABLE, written), read_sep)
    for row in rows:
        for cell in row:
            assert not cell.lstrip(" \"").startswith(FORMULA_START), (written, read_sep, row)


def test_formula_safe_keeps_plain_text_and_neutralises_starts():
    assert formula_safe("Kultur og Borgerservice") == "Kultur og Borgerservice"
    assert formula_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert formula_safe(EVIL) == "x;'=1+1;'@SUM(A1)"


def test_xlsx_numbers_as_numbers_frozen_header_autofilter_sized_columns():
    when = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    audit = Table("Revisionsspor", ["Tid", "Hændelse"], [[when, "=cmd"]])
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([TABLE, audit])))
    assert wb.sheetnames == ["Sammenligning", "Revisionsspor"]
    ws = wb["Sammenligning"]
    assert [c.value for c in ws[1]] == TABLE.headers and ws[1][0].font.bold
    assert ws["C2"].value == 47.5 and isinstance(ws["C2"].value, float)
    assert ws["D2"].value == 3 and ws["C3"].value is None
    assert ws["B3"].value == EVIL and ws["B3"].data_type == "s"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D4"
    assert ws.column_dimensions["B"].width >= len(TABLE.rows[2][1])
    ws2 = wb["Revisionsspor"]
    assert ws2["A2"].value == datetime(2026, 12, 2, 9, 30)
    assert ws2["B2"].value == "=cmd" and ws2["B2"].data_type == "s"  # text, never a formula


def test_danish_comparison_csv_and_xlsx_from_the_page(client, make_org, make_user,
                                                       make_assessment):
    org = make_org("demo", "Demo Kommune", ("culture", "evil"))
    evil = department(org, "evil")
    evil.name = EVIL
    from app.extensions import db
    db.session.commit()
    make_assessment(department(org, "culture"), "2026", {"alpha-one": 2, "alpha-two": 3},
                    status="submitted")
    make_assessment(evil, "2026", {"alpha-one": 4}, status="submitted")
    make_user("admin@demo.dk", org, "admin")
    login(client, "admin@demo.dk")
    r = client.get("/o/demo/compare.csv?period=2026", headers={"Accept-Language": "da"})
    rows = parse(r.data, ";")
    assert rows[0][:5] == ["Afdelings-id", "Afdeling", "Status", "Samlet score", "Fase"]
    assert all(len(row) == len(rows[0]) for row in rows)
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["evil"][1] == "x;'=1+1;'@SUM(A1)"
    assert "," in by_id["culture"][3] and "." not in by_id["culture"][3]
    assert by_id["culture"][2] == "Indsendt"
    assert by_id["demo"][2] == "Gennemsnit af de indsendte afdelinger"
    x = client.get("/o/demo/compare.xlsx?period=2026", headers={"Accept-Language": "da"})
    assert x.mimetype.endswith("spreadsheetml.sheet")
    wb = openpyxl.load_workbook(io.BytesIO(x.data))
    ws = wb.worksheets[0]
    scores = [row[3].value for row in ws.iter_rows(min_row=2)]
    assert all(isinstance(v, int | float) for v in scores) and len(scores) == 3
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    initiatives = wb.worksheets[1]
    assert initiatives.max_row >= 2
    assert all(isinstance(row[7].value, int) for row in initiatives.iter_rows(min_row=2))
    assert Department.query.count() == 2
