"""The demo's reports render: version 2 with shared answers, register reasons and plans.

A reason naming every register entry once made one table row taller than a page, and the
assessment PDF failed with a LayoutError.
"""
from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import reports
from app.extensions import db
from app.models import Assessment, Organisation


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
def test_every_demo_assessment_of_2026_prints(real_app, locale):
    assert real_app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "demo"))
    found = db.session.scalars(select(Assessment).where(
        Assessment.organisation_id == org.id, Assessment.period == "2026",
        Assessment.department_id.is_not(None))).all()
    assert len(found) == 7
    for a in found:
        with real_app.test_request_context():
            pdf = reports.assessment_pdf(a, locale)
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
        assert a.department.name in text
        if locale == "fr" and "Effet du plan" in text:  # the header is never split mid-word
            assert "Modification" in text


def test_a_register_reason_names_at_most_three_entries_and_counts_the_rest(real_app):
    from flask_babel import force_locale

    from app import register_text
    from app.core.recommend import RegisterReason
    from app.core.register import Entry

    entries = tuple(Entry(name=f"System {n}", layer="cloud-services", supplier="Leverandør A",
                          supplier_country="US", hosting_country="US", criticality="high",
                          lock_in=5, data_export="no", exit_plan="none")
                    for n in range(7))
    reason = RegisterReason(condition="red_entry", entries=entries)
    with real_app.test_request_context(), force_locale("da"):
        lines = register_text.reason_lines(reason, "da")
    assert [line.split("»")[0] for line in lines[:3]] == [
        "Kritisk system «System 0", "Kritisk system «System 1", "Kritisk system «System 2"]
    assert len(lines) == 4 and "4 poster mere i registret" in lines[3]


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
def test_no_word_of_the_register_entries_is_split(real_app, locale):
    """The entries' table once had eight columns too narrow for their words
    ("Selvbetjeningsplatf|orm", "Dokume|nteret", "Verrouillag|e"): every word of every entry,
    and of the table's header, is found whole on the page."""
    from flask_babel import force_locale

    assert real_app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "demo"))
    a = db.session.scalar(select(Assessment).where(
        Assessment.organisation_id == org.id, Assessment.period == "2026",
        Assessment.department_id.is_not(None)).order_by(Assessment.id))
    with real_app.test_request_context():
        with force_locale(locale):
            data = reports.assessment_data(a, locale)
        pdf = reports.assessment_pdf(a, locale)
    assert len(data.register.entries) > 10
    pages = [p.extract_text() for p in PdfReader(BytesIO(pdf)).pages]
    start = max(n for n, p in enumerate(pages) if data.register.entries[0][0] in p) - 1
    words = {w for p in pages[start:] for w in p.split()}
    wanted = {w for entry in data.register.entries for value in entry for w in value.split()}
    assert wanted - words == set()
