"""Helpers for the PDF tests: text extraction and assessments with hostile text."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.core.answers import Answer

HOSTILE = ('<b>bold?</b> & </para> <img src="http://127.0.0.1:9/x"> '
           "Ærø Åbenrå çà œ ü 😀👍🏽 done")


def pdf_text(data: bytes) -> str:
    """All text of a PDF, pages joined, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


def page_texts(data: bytes) -> list[str]:
    """The text of each page, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in reader.pages]


MINI_LEVELS = {
    "alpha-one": Answer(level=1, target=4, comment=HOSTILE),
    "alpha-two": Answer(level=2, target=3, comment="line one\nline two"),
    "alpha-three": Answer(status="dont_know"),
    "beta-one": Answer(level=4),
    "beta-two": Answer(level=5, target=5),
    "gamma-one": Answer(level=2, target=5),
    "gamma-two": Answer(level=1),
}


@pytest.fixture
def hostile_assessment(make_org, make_assessment):
    """A submitted 'mini' assessment whose organisation, department and comments are hostile."""
    from app.core.answers import StrategicAnswer
    from app.extensions import db
    from tests.conftest import department
    org = make_org(slug="aarhus", name="Aarhus <Kommune> & Co", departments=("culture",))
    dep = department(org, "culture")
    dep.name = "Kultur & Borgerservice </para>"
    db.session.commit()
    strategic = {"strategy-role": StrategicAnswer(choice="lead"),
                 "strategy-capacity": StrategicAnswer(choices=("hire", "partner")),
                 "strategy-notes": StrategicAnswer(text="Notes with <i>markup</i> & more")}
    return make_assessment(dep, "2026", MINI_LEVELS, status="submitted", strategic=strategic)
