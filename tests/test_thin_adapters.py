"""Views and commands call services: none runs a query itself."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ADAPTERS = sorted([*(ROOT / "app" / "web").glob("*.py"), *(ROOT / "app" / "api").glob("*.py"),
                   *(ROOT / "app").glob("cli*.py"), ROOT / "app" / "demo.py"])
QUERY = re.compile(r"\bselect\(|db\.session\.(execute|scalars?|get|query)\b|\.query\b")


def queries(text: str) -> list[str]:
    """The lines of a source text that run a query."""
    return [line.strip() for line in text.splitlines()
            if QUERY.search(line) and not line.lstrip().startswith("#")]


@pytest.mark.parametrize("path", ADAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_adapter_runs_no_query(path):
    assert queries(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("line", [
    "rows = db.session.execute(select(User))",
    "u = db.session.scalar(x)",
    "d = Department.query.filter_by(slug=s).one()",
    "    deps = db.session.get(Department, 3)",
])
def test_the_scan_sees_every_query_form(line):
    assert queries(line) == [line.strip()]
