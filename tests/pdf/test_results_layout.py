"""The assessment report opens with the priorities, puts scores in context and names things
as a reader knows them (issue 12)."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import flask_babel
import pytest
from babel.dates import format_date

from app import services
from app.core.answers import Answer
from app.core.questionnaire import localized
from app.reports import assessment_data, assessment_pdf
from tests.conftest import department

from .conftest import page_texts, pdf_text


@pytest.fixture
def real_pair(real_app, make_org, make_assessment):
    """Kultur 2025 (all level 1) and 2026 (all level 2, target 4), and Sport 2026 (all 4)."""
    from app.registry import default_questionnaire
    q = default_questionnaire()
    org = make_org(slug="aarhus", name="Aarhus Kommune", departments=("kultur", "sport"))
    make_assessment(department(org, "kultur"), "2025", {qid: Answer(level=1) for qid in q.questions},
                    status="submitted")
    make_assessment(department(org, "sport"), "2026", {qid: Answer(level=4) for qid in q.questions},
                    status="submitted")
    return make_assessment(department(org, "kultur"), "2026",
                           {qid: Answer(level=2, target=4) for qid in q.questions},
                           status="submitted")


@pytest.mark.parametrize("locale, heading, since, mean", [
    ("da", "Prioriteter", "Siden 2025: ▲ 25,0 (var 0,0).",
     "Organisationens gennemsnit 2026: 50,0 (2 indsendte afdelinger)."),
    ("en", "Priorities", "Since 2025: ▲ 25.0 (was 0.0).",
     "Organisation mean 2026: 50.0 (2 submitted departments)."),
    ("fr", "Priorités", "Depuis 2025\u202f: ▲ 25,0 (contre 0,0).",
     "Moyenne de l’organisation 2026\u202f: 50,0 (2 directions ayant soumis)."),
])
def test_the_report_opens_with_context_and_the_five_priorities(real_pair, locale, heading,
                                                               since, mean):
    results = services.results_of(real_pair)
    pages = page_texts(assessment_pdf(real_pair, locale))
    q = results.questionnaire
    cover = pages[0]
    # pypdf reads the narrow no-break space of French punctuation as a plain space
    assert since.replace("\u202f", " ") in cover and mean.replace("\u202f", " ") in cover
    # the questionnaire by its title and version, never by its internal id
    assert "digital-resilience" not in cover
    assert f"{localized(q.title, locale)}, " in cover
    second = pages[1]
    assert heading in second
    titles = [localized(r.initiative.title, locale) for r in results.recommendations[:5]]
    positions = [second.index(t) for t in titles]
    assert positions == sorted(positions)
    sixth = localized(results.recommendations[5].initiative.title, locale)
    assert sixth not in second


def test_every_initiative_is_printed_in_priority_order_then_by_track(real_pair):
    results = services.results_of(real_pair)
    text = pdf_text(assessment_pdf(real_pair, "en"))
    start = text.index("By priority")
    by_track = text.index("By track", start)
    part = text[start:by_track]
    titles = [r.initiative.title["en"] for r in results.recommendations]
    found = [part.find(t) for t in titles]
    assert -1 not in found and found == sorted(found)
    # the track tables are headed "Track n: …", without the report's own number again
    assert re.search(r"Track 1: [A-Z]", text[by_track:])
    assert not re.search(r"Track \d: \d\.", text)


def test_reasons_are_sentences_and_blocks_are_numbered_once(real_pair):
    text = pdf_text(assessment_pdf(real_pair, "en"))
    assert "– below the threshold 3" in text
    assert "no target set" not in text and "?:" not in text
    assert not re.search(r"\b(\d)\. \1\. ", text)  # "1. 1. Strategic …"


def test_the_cover_date_is_in_the_organisations_time_zone(app, make_org, make_assessment):
    a = make_assessment(department(make_org(), "culture"), "2026", {"alpha-one": 2})
    # 25 hours apart: the two zones never share a calendar date
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        app.config["TIMEZONE"] = zone
        flask_babel.refresh()
        try:
            with flask_babel.force_locale("en"):
                date = assessment_data(a, "en").meta.date
        finally:
            app.config["TIMEZONE"] = "Europe/Copenhagen"
            flask_babel.refresh()
        expected = format_date(datetime.now(UTC).astimezone(ZoneInfo(zone)).date(),
                               format="long", locale="en")
        assert date == expected, zone


def test_an_unknown_time_zone_stops_the_app_with_a_clear_message(monkeypatch, tmp_path):
    from app.config import ConfigError, from_env
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError, match="TIMEZONE 'Mars/Olympus' is not a known time zone"):
        from_env(str(tmp_path))
