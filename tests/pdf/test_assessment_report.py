"""The assessment report: content per locale, hostile text, page numbers, metadata."""
from __future__ import annotations

import io
import socket

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from pypdf import PdfReader

from app import services
from app.core.answers import Answer
from app.core.questionnaire import localized
from app.errors import Invalid
from app.pdf.assessment import render_assessment
from app.pdf.styles import MISSING_GLYPH
from app.reports import assessment_data, assessment_pdf
from tests.conftest import department

from .conftest import page_texts, pdf_text

LOCALES = ("da", "en", "fr")


@pytest.fixture
def real_assessment(real_app, make_org, make_assessment):
    """A submitted assessment of the shipped questionnaire, every question at level 2, target 4."""
    from app.registry import default_questionnaire
    q = default_questionnaire()
    org = make_org(slug="aarhus", name="Aarhus Kommune", departments=("kultur",))
    levels = {qid: Answer(level=2, target=4) for qid in q.questions}
    return make_assessment(department(org, "kultur"), "2026", levels, status="submitted")


@pytest.mark.parametrize("locale", LOCALES)
def test_real_report_names_scores_and_top_recommendations(real_assessment, locale):
    results = services.results_of(real_assessment)
    data = assessment_pdf(real_assessment, locale)
    text = pdf_text(data)
    assert "Aarhus Kommune" in text and "Kultur" in text and "2026" in text
    assert results.overall == 25.0
    assert {"da": "25,0", "en": "25.0", "fr": "25,0"}[locale] in text
    q = results.questionnaire
    for b in q.blocks:
        assert localized(b.title, locale) in text
    for rec in results.recommendations[:5]:
        assert localized(rec.initiative.title, locale) in text
    assert "Afrapportering – Digital handlefrihed i praksis" in text


def test_stage_and_block_figures_of_the_mini_report(hostile_assessment):
    text = pdf_text(assessment_pdf(hostile_assessment, "en"))
    # alpha: (0*1 + 1*2) / (4*3) = 16.7; beta 83.3; gamma 12.5; overall 37.5 (stage 2)
    for figure in ("16.7", "83.3", "12.5", "37.5"):
        assert figure in text
    assert "Stage 2 · Developing" in text
    assert "The strongest block is “Beta block” (83.3); the weakest is “Gamma block” (12.5)." \
        in text
    # the chosen level's descriptor, the target and the strategic answers
    assert "alpha-one level 1: observable practice 1" in text
    assert "4 (gap +3)" in text
    assert "Hire, Partner" in text and "Lead" in text
    assert "Don't know" in text


def test_danish_numbers_use_a_decimal_comma(hostile_assessment):
    text = pdf_text(assessment_pdf(hostile_assessment, "da"))
    assert "37,5" in text and "83,3" in text


def test_hostile_text_appears_literally_and_no_connection_is_made(hostile_assessment,
                                                                 monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the PDF build tried to open a network connection")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    text = pdf_text(assessment_pdf(hostile_assessment, "fr"))
    assert '<b>bold?</b> & </para> <img src="http://127.0.0.1:9/x">' in text
    assert "Ærø Åbenrå çà œ ü" in text
    assert f"{MISSING_GLYPH}{MISSING_GLYPH} done" in text  # two emoji, one with a skin tone
    assert "Aarhus <Kommune> & Co" in text
    assert "Kultur & Borgerservice </para>" in text
    assert "Notes with <i>markup</i> & more" in text
    assert "line one line two" in text


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_is_numbered(hostile_assessment, locale):
    pages = page_texts(assessment_pdf(hostile_assessment, locale))
    assert len(pages) >= 4
    with force_locale(locale):
        labels = [_("page %(page)s of %(total)s", page=n, total=len(pages))
                  for n in range(1, len(pages) + 1)]
    for text, label in zip(pages, labels, strict=False):
        assert label in text
    if locale == "en":
        assert f"page 2 of {len(pages)}" in pages[1]


@pytest.mark.parametrize("locale", LOCALES)
def test_metadata_and_language(hostile_assessment, locale):
    reader = PdfReader(io.BytesIO(assessment_pdf(hostile_assessment, locale)))
    meta = reader.metadata
    assert meta.author == "Aarhus <Kommune> & Co"
    assert "Kultur & Borgerservice </para>" in meta.title and "2026" in meta.title
    assert "Mini questionnaire" in meta.title
    assert "Kultur & Borgerservice </para>" in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == locale


def test_very_long_comment_breaks_across_pages(make_org, make_assessment):
    org = make_org()
    words = " ".join(("x" * 700 if n % 50 == 0 else f"ord{n}") for n in range(3000))
    comment = (words + "\n") * 1
    assert len(comment) > 20000
    a = make_assessment(department(org, "culture"), "2026",
                        {"alpha-one": Answer(level=2, comment=comment)})
    short = len(page_texts(assessment_pdf(
        make_assessment(department(org, "culture"), "2027", {"alpha-one": 2}), "en")))
    pages = page_texts(assessment_pdf(a, "en"))
    assert len(pages) >= short + 3
    text = " ".join(pages)
    assert "ord1 ord2 ord3" in text and "ord2999" in text


def test_an_unanswered_draft_still_builds(make_org, make_assessment):
    org = make_org()
    a = make_assessment(department(org, "culture"), "2026")
    text = pdf_text(assessment_pdf(a, "en"))
    assert "No question has been answered with a level yet" in text
    assert "Provisional results – this assessment is a draft" in text
    assert "No initiative is recommended" in text


def test_renderer_takes_plain_data(hostile_assessment):
    data = assessment_data(hostile_assessment, "en")
    assert [i.title for i in data.recommendations][:1] == ["Mixed initiative"]
    assert all(i.priority for i in data.recommendations)
    assert render_assessment(data).startswith(b"%PDF-")


def test_unknown_locale_is_refused(hostile_assessment):
    with pytest.raises(Invalid, match="unknown locale 'de'"):
        assessment_pdf(hostile_assessment, "de")
