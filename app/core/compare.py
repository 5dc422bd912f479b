"""Department comparison and trends for an organisation (SPEC section 5). Pure Python."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import fmean

from .scoring import round1, stage


@dataclass(frozen=True)
class DepartmentRow:
    """One department's figures for one period."""

    department: str
    name: str
    overall: float | None
    blocks: Mapping[str, float | None]
    status: str = "submitted"
    assessment_id: int | None = None

    @property
    def draft(self) -> bool:
        """True when the row comes from an unsubmitted assessment."""
        return self.status != "submitted"


@dataclass(frozen=True)
class Comparison:
    period: str
    block_ids: tuple[str, ...]
    rows: list[DepartmentRow]
    organisation: DepartmentRow
    # Departments in the organisation's mean, when rows shows only some of them (who sees what).
    counted: int | None = None

    @property
    def submitted_count(self) -> int:
        """How many submitted departments the organisation's mean counts."""
        return self.counted if self.counted is not None else sum(1 for r in self.rows if not r.draft)

    def only(self, keep) -> Comparison:
        """The same comparison showing only the rows `keep` accepts; the means stay whole."""
        return Comparison(self.period, self.block_ids, [r for r in self.rows if keep(r)],
                          self.organisation, self.submitted_count)

    def to_json(self) -> dict:
        """The JSON form shared by the API and the CLI."""
        def row(r: DepartmentRow) -> dict:
            return {"department": r.department, "name": r.name, "status": r.status,
                    "overall": {"score": round1(r.overall), "stage": stage(r.overall)},
                    "blocks": {b: round1(r.blocks.get(b)) for b in self.block_ids}}
        org = row(self.organisation)
        del org["department"], org["status"]
        org["departments"] = self.submitted_count
        return {"period": self.period, "blocks": list(self.block_ids),
                "departments": [row(r) for r in self.rows], "organisation": org}

    def csv_rows(self) -> list[list[str]]:
        """Header and rows for CSV: department, name, status, overall, each block."""
        def fmt(v: float | None) -> str:
            return "" if v is None else f"{round1(v):.1f}"
        out = [["department", "name", "status", "overall", *self.block_ids]]
        for r in [*self.rows, self.organisation]:
            out.append([r.department, csv_safe(r.name), r.status, fmt(r.overall),
                        *[fmt(r.blocks.get(b)) for b in self.block_ids]])
        return out


def csv_safe(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (leading = + - @ quoted)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return fmean(present) if present else None


def organisation_row(block_ids: Iterable[str], rows: list[DepartmentRow], name: str,
                     slug: str = "") -> DepartmentRow:
    """Per block the mean of submitted departments' block scores; overall the mean of overalls."""
    counted = [r for r in rows if not r.draft]
    block_ids = list(block_ids)
    return DepartmentRow(
        department=slug, name=name, status="organisation",
        overall=_mean(r.overall for r in counted),
        blocks={b: _mean(r.blocks.get(b) for r in counted) for b in block_ids},
    )


def compare(period: str, block_ids: Iterable[str], rows: list[DepartmentRow],
            org_name: str, org_slug: str = "") -> Comparison:
    """The comparison for one period: department rows in the given order, the organisation row."""
    block_ids = tuple(block_ids)
    org = organisation_row(block_ids, rows, org_name, org_slug)
    return Comparison(period, block_ids, rows, org)


def trends(comparisons: list[Comparison], figure: str = "overall",
           ) -> dict[str, list[tuple[str, float | None]]]:
    """A figure ('overall' or a block id) per period, per department and for the organisation ('').

    Periods in string order; a department has a point only for periods with a submitted assessment.
    """
    def value(r: DepartmentRow) -> float | None:
        return r.overall if figure == "overall" else r.blocks.get(figure)
    series: dict[str, list[tuple[str, float | None]]] = {}
    for c in sorted(comparisons, key=lambda c: c.period):
        for r in c.rows:
            if not r.draft:
                series.setdefault(r.department, []).append((c.period, value(r)))
        series.setdefault("", []).append((c.period, value(c.organisation)))
    return series


def trend_csv_rows(comparisons: list[Comparison], block_ids: Iterable[str]) -> list[list[str]]:
    """Every period's CSV rows under one header, with the period as the first column."""
    out = [["period", "department", "name", "status", "overall", *block_ids]]
    for c in sorted(comparisons, key=lambda c: c.period):
        out += [[c.period, *row] for row in c.csv_rows()[1:]]
    return out


def sort_rows(rows: list[DepartmentRow], key: str, descending: bool = False) -> list[DepartmentRow]:
    """Rows sorted by 'name', 'overall' or a block id; rows without a score go last."""
    if key == "name":
        return sorted(rows, key=lambda r: r.name.casefold(), reverse=descending)
    def value(r: DepartmentRow) -> float | None:
        return r.overall if key == "overall" else r.blocks.get(key)
    scored = sorted((r for r in rows if value(r) is not None), key=value, reverse=descending)
    return scored + [r for r in rows if value(r) is None]


def common_recommendations(per_department: Mapping[str, list[str]],
                           catalogue_order: list[str]) -> list[tuple[str, int]]:
    """Initiative ids with how many departments they are recommended to, most first."""
    counts: dict[str, int] = {}
    for ids in per_department.values():
        for i in set(ids):
            counts[i] = counts.get(i, 0) + 1
    order = {i: n for n, i in enumerate(catalogue_order)}
    return sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order))))
