"""SPEC section 5: department rows, the organisation row, trends, CSV and JSON forms."""
from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.answers import FieldErrors, parse_answer_map
from app.core.compare import (
    DepartmentRow,
    common_recommendations,
    compare,
    csv_safe,
    sort_rows,
    trend_csv_rows,
    trends,
)
from app.core.questionnaire import load_questionnaire
from app.core.scoring import block_scores, overall_score

from .spec_reference import answer_sets, exact_blocks, exact_overall, half_up, stage

ROOT = Path(__file__).resolve().parents[2]
MINI_PATH = ROOT / "tests" / "fixtures" / "questionnaires" / "mini" / "1.yaml"
MINI = load_questionnaire(MINI_PATH)
MINI_DATA = yaml.safe_load(MINI_PATH.read_text(encoding="utf-8"))
BLOCKS = ("alpha", "beta", "gamma")


def row(slug, overall, alpha=None, beta=None, gamma=None, status="submitted") -> DepartmentRow:
    blocks = {"alpha": alpha, "beta": beta, "gamma": gamma}
    return DepartmentRow(slug, slug.title(), overall, blocks, status)


def test_organisation_row_means_departments_equally_and_leaves_nulls_out():
    rows = [row("a", 50.0, alpha=20.0, beta=80.0),           # overall: mean of its two blocks
            row("b", 10.0, alpha=10.0),
            row("c", None)]                                   # nothing answered
    org = compare("2026", BLOCKS, rows, "Demo", "demo").organisation
    assert org.blocks == {"alpha": 15.0, "beta": 80.0, "gamma": None}
    # overall is the mean of the departments' overalls (30), not of the org's block means (47.5)
    assert org.overall == 30.0
    assert (org.department, org.status) == ("demo", "organisation")


def test_drafts_are_listed_marked_but_left_out_of_the_organisation_row():
    rows = [row("a", 40.0, alpha=40.0), row("b", 90.0, alpha=90.0, status="draft")]
    c = compare("2026", BLOCKS, rows, "Demo", "demo")
    assert [r.draft for r in c.rows] == [False, True]
    assert c.organisation.overall == 40.0
    doc = c.to_json()
    assert [d["status"] for d in doc["departments"]] == ["submitted", "draft"]
    assert doc["organisation"]["departments"] == 1


def test_empty_period():
    c = compare("2030", BLOCKS, [], "Demo", "demo")
    assert c.organisation.overall is None
    assert c.to_json()["organisation"] == {
        "name": "Demo", "overall": {"score": None, "stage": None},
        "blocks": {"alpha": None, "beta": None, "gamma": None}, "departments": 0}
    assert c.csv_rows() == [["department", "name", "status", "overall", *BLOCKS],
                            ["demo", "Demo", "organisation", "", "", "", ""]]


def test_trends_per_department_and_organisation_for_any_figure():
    c25 = compare("2025", BLOCKS, [row("a", 20.0, alpha=10.0), row("b", 40.0)], "Demo")
    c26 = compare("2026", BLOCKS, [row("a", 30.0, alpha=35.0),
                                   row("b", 99.0, status="draft")], "Demo")
    assert trends([c26, c25]) == {"a": [("2025", 20.0), ("2026", 30.0)], "b": [("2025", 40.0)],
                                  "": [("2025", 30.0), ("2026", 30.0)]}
    assert trends([c25, c26], "alpha") == {"a": [("2025", 10.0), ("2026", 35.0)],
                                           "b": [("2025", None)],
                                           "": [("2025", 10.0), ("2026", 35.0)]}
    rows = trend_csv_rows([c26, c25], BLOCKS)
    assert rows[0] == ["period", "department", "name", "status", "overall", *BLOCKS]
    assert [r[:2] for r in rows[1:]] == [["2025", "a"], ["2025", "b"], ["2025", ""],
                                         ["2026", "a"], ["2026", "b"], ["2026", ""]]


def test_sort_rows_puts_rows_without_score_last():
    rows = [row("b", None), row("a", 30.0, alpha=5.0), row("c", 60.0, alpha=1.0)]
    assert [r.department for r in sort_rows(rows, "overall")] == ["a", "c", "b"]
    assert [r.department for r in sort_rows(rows, "overall", True)] == ["c", "a", "b"]
    assert [r.department for r in sort_rows(rows, "alpha")] == ["c", "a", "b"]
    assert [r.department for r in sort_rows(rows, "name", True)] == ["c", "b", "a"]


def test_common_recommendations_counts_departments_once_each():
    counts = common_recommendations({1: ["x", "y", "x"], 2: ["y"], 3: ["z", "y"]}, ["z", "y", "x"])
    assert counts == [("y", 3), ("z", 1), ("x", 1)]


@pytest.mark.parametrize("name, shown", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"),
    ("Kultur & Fritid", "Kultur & Fritid")])
def test_csv_cells_cannot_become_formulas(name, shown):
    assert csv_safe(name) == shown


# -- against the independent exact implementation, and CSV == JSON ---------------------------

def _core_row(slug, raw, status):
    errors = FieldErrors()
    answers = parse_answer_map(MINI, raw, "$", errors)
    assert not errors
    scores = block_scores(MINI, answers)
    return DepartmentRow(slug, f"Dept {slug}", overall_score(scores),
                         {s.id: s.score for s in scores}, status)


departments_st = st.lists(
    st.tuples(answer_sets(sorted(MINI.questions)), st.sampled_from(["submitted", "draft"])),
    max_size=8)


@settings(max_examples=200)
@given(departments_st)
def test_comparison_matches_spec_reference(departments):
    rows = [_core_row(f"d{n}", raw, status) for n, (raw, status) in enumerate(departments)]
    doc = compare("2026", BLOCKS, rows, "Demo", "demo").to_json()
    counted = [raw for raw, status in departments if status == "submitted"]

    def mean(values):
        values = [v for v in values if v is not None]
        return sum(values, Fraction(0)) / len(values) if values else None
    org_blocks = {bid: mean({b: s for b, s, _, _ in exact_blocks(MINI_DATA, raw)}[bid]
                            for raw in counted) for bid in BLOCKS}
    org_overall = mean(exact_overall(MINI_DATA, raw) for raw in counted)
    assert doc["organisation"]["blocks"] == {b: half_up(v) for b, v in org_blocks.items()}
    assert doc["organisation"]["overall"] == {"score": half_up(org_overall),
                                              "stage": stage(org_overall)}
    for d, (raw, status) in zip(doc["departments"], departments, strict=False):
        overall = exact_overall(MINI_DATA, raw)
        assert d["status"] == status
        assert d["overall"] == {"score": half_up(overall), "stage": stage(overall)}
        assert d["blocks"] == {b: half_up(s) for b, s, _, _ in exact_blocks(MINI_DATA, raw)}


@settings(max_examples=100)
@given(departments_st)
def test_csv_and_json_agree(departments):
    rows = [_core_row(f"d{n}", raw, status) for n, (raw, status) in enumerate(departments)]
    c = compare("2026", BLOCKS, rows, "Demo", "demo")
    doc = c.to_json()
    buf = io.StringIO()
    csv.writer(buf).writerows(c.csv_rows())
    parsed = list(csv.DictReader(io.StringIO(buf.getvalue())))

    def cell(v):
        return "" if v is None else f"{v:.1f}"
    expected = [{"department": d["department"], "name": d["name"], "status": d["status"],
                 "overall": cell(d["overall"]["score"]),
                 **{b: cell(d["blocks"][b]) for b in BLOCKS}} for d in doc["departments"]]
    o = doc["organisation"]
    expected.append({"department": "demo", "name": o["name"], "status": "organisation",
                     "overall": cell(o["overall"]["score"]),
                     **{b: cell(o["blocks"][b]) for b in BLOCKS}})
    assert parsed == expected
