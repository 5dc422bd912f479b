"""Version 2 in the PDFs: the organisation report lists the questions answered once for the
whole organisation, and the assessment report's method page prints the glossary."""
from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app import services
from app.core.answers import Answer
from app.extensions import db
from app.models import Assessment, Department, Membership, Organisation
from app.registry import default_questionnaire
from app.reports import assessment_pdf, organisation_pdf
from app.shared_answers import save_shared_answers
from tests.conftest import add_org

from .conftest import page_texts, pdf_text

SHARED_Q = "strategy-resilience-in-strategy"  # scope: organisation
OWN_Q = "strategy-dependency-overview"        # scope: department


@pytest.fixture
def org(real_app):
    org = add_org()
    dep = db.session.scalar(select(Department).where(Department.organisation_id == org.id))
    a = services.start_assessment(dep, "2026")
    services.save_answers(a, None, {OWN_Q: Answer(level=2)})
    services.submit(a, None)
    return org


def _flat(text: str) -> str:
    """Text with every kind of space as one plain space (French narrow spaces, wrapping)."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
def test_organisation_report_lists_the_shared_questions_with_the_answer(org, locale):
    save_shared_answers(org, "2026", None, {SHARED_Q: Answer(level=4)})
    q = default_questionnaire()
    assert q.version == "2" and SHARED_Q in q.organisation_questions
    data = organisation_pdf(org, Membership(organisation_id=org.id, role="admin"), "2026", locale)
    text = _flat(pdf_text(data))
    heading = {"da": "Spørgsmål, der besvares én gang for hele organisationen",
               "en": "Questions answered once for the whole organisation",
               "fr": "Questions auxquelles on répond une seule fois pour toute l’organisation"}[locale]
    assert heading in text
    section = text[text.index(heading):]
    for qid in q.organisation_questions:  # every shared question, none of the others
        assert _flat(q.questions[qid].text[locale])[:60] in section
    assert _flat(q.questions[OWN_Q].text[locale])[:60] not in section
    level = {"da": "Niveau 4", "en": "Level 4", "fr": "Niveau 4"}[locale]
    unanswered = {"da": "ikke besvaret", "en": "not answered", "fr": "sans réponse"}[locale]
    assert level in section and unanswered in section
    # the heading is never the last thing on its page
    for page in page_texts(data):
        flat = _flat(page)
        if heading in flat:
            assert len(flat[flat.index(heading) + len(heading):]) > 200


def test_organisation_report_without_shared_questions_has_no_such_section(make_org,
                                                                          make_assessment):
    org = make_org(departments=("culture",))  # the 'mini' questionnaire has no shared question
    from tests.conftest import department
    make_assessment(department(org, "culture"), "2026", {"alpha-one": 3}, status="submitted")
    text = pdf_text(organisation_pdf(org, Membership(organisation_id=org.id, role="admin"),
                                     "2026", "en"))
    assert "Questions answered once" not in text


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
def test_assessment_report_prints_the_glossary_on_the_method_page(org, locale):
    a = db.session.scalar(select(Assessment).where(Assessment.organisation_id == org.id))
    q = default_questionnaire()
    assert q.glossary
    pages = [_flat(p) for p in page_texts(assessment_pdf(a, locale))]
    heading = {"da": "Ordliste", "en": "Glossary", "fr": "Glossaire"}[locale]
    with force_locale(locale):
        method = _flat(gettext("About the method"))
    text = " ".join(pages)
    assert method in text and heading in text
    assert text.index(method) < text.index(heading)
    glossary = text[text.index(heading):]
    for g in q.glossary:
        assert _flat(g.term[locale]) in glossary
        assert _flat(g.text[locale])[:50] in glossary
    other = "en" if locale != "en" else "da"
    first = q.glossary[0]
    if first.text[other] != first.text[locale]:
        assert _flat(first.text[other])[:50] not in glossary
    for page in pages:  # the heading is not stranded at a page's foot
        if heading in page:
            assert len(page[page.index(heading) + len(heading):]) > 200


def test_priorities_with_many_reasons_fit_the_page(real_app):
    """Version 2 initiatives have many trigger questions: a priority's reasons, listed in full,
    made a row taller than a page could take with another (the demo's 2026 reports failed).
    The priorities table gives the one-line why; the full reasons follow under each initiative."""
    org = Organisation(slug="low", name="Low Kommune")
    db.session.add(org)
    db.session.flush()
    dep = Department(organisation_id=org.id, slug="culture", name="Culture")
    db.session.add(dep)
    db.session.commit()
    a = services.start_assessment(dep, "2026")
    q = default_questionnaire()
    services.save_answers(a, None, {qid: Answer(level=1, target=5) for qid in q.questions
                                    if qid not in q.organisation_questions})
    services.submit(a, None)
    from dataclasses import replace

    from app.pdf.assessment import render_assessment
    from app.reports import assessment_data
    many = [f"Critical system «System {n}» at «Supplier {n} A/S»: lock-in 5, no exit plan, "
            f"supplier outside the EU, SEAL level 1 (reason {n})" for n in range(14)]
    with force_locale("en"):
        data = assessment_data(a, "en")
        data = replace(data, recommendations=[
            replace(i, why=many, why_line=many[0] + " (and 13 more)") if i.priority else i
            for i in data.recommendations])
        pages = [_flat(p) for p in page_texts(render_assessment(data))]
    priorities = next(p for p in pages if "The five recommended initiatives" in p)
    assert "(reason 0) (and 13 more)" in priorities and "(reason 13)" not in priorities
    assert "(reason 13)" in " ".join(pages)  # in full under the initiative
