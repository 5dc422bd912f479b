"""A whole organisation out and back: the demo exported, imported into an emptied database,
exported again; the documents, results, comparisons and both PDFs are the same."""
from __future__ import annotations

import json

from sqlalchemy import select

from app import services
from app.core.org_exchange import normalise, parse_document
from app.demo import seed
from app.extensions import db
from app.models import Assessment, Organisation
from app.registry import registry
from app.reports import assessment_pdf, organisation_pdf
from tests.pdf.conftest import pdf_text


def _empty_database() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def _observed(slug: str) -> dict:
    """What a coordinator sees of the organisation: results, comparisons, trend and PDFs."""
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    m = services.trusted_membership(org)
    periods = services.periods_of(org)
    assessments = sorted(db.session.scalars(select(Assessment).where(
        Assessment.organisation_id == org.id)), key=lambda a: (a.department.slug, a.period))
    out = {
        "results": [services.results_document(a) for a in assessments],
        "comparisons": [c.to_json() for c in services.comparisons(org, m, periods)],
        # one assessment of each questionnaire version (2025: version 1, 2026: version 2)
        "assessment_pdfs": [pdf_text(assessment_pdf(a, "en")) for a in assessments
                            if a.department.slug == "kultur-og-borgerservice"],
        "organisation_pdf": pdf_text(organisation_pdf(org, m, periods[-1], "da")),
    }
    assert len(out["assessment_pdfs"]) == 2 and all(out["assessment_pdfs"])
    return _without_ids(json.loads(json.dumps(out, default=str)))


def _without_ids(value):
    """The value without its row ids: an import gives new ones, everything else is the same."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def test_the_demo_survives_a_round_trip_into_an_empty_database(real_app):
    seed()
    org = services.organisation_by_slug("demo")
    first = services.export_organisation(org)
    before = _observed("demo")
    data = services.read_document(services.write_document(first, compress=True))

    _empty_database()
    doc, errors = parse_document(data, registry().by_key)
    assert not errors, errors.lines()
    services.import_organisation(doc)
    second = services.export_organisation(services.organisation_by_slug("demo"))

    assert normalise(second) == normalise(first)
    assert len(first["assessments"]) == 14
    assert first["register"] and first["register_changes"] and first["answer_changes"]
    assert first["plan_items"] and first["plan_changes"]
    assert any(p["department"] is None and p["participants"] for p in first["plan_items"])
    assert {u["role"] for u in first["users"]} >= {"admin", "viewer", "respondent"}
    assert _observed("demo") == before


def test_the_export_holds_no_password_hash_or_token(real_app):
    seed()
    text = json.dumps(services.export_organisation(services.organisation_by_slug("demo")))
    assert "argon2" not in text and "password" not in text and "token" not in text
    assert "koordinator@demo.dk" in text


def test_import_under_another_slug_beside_the_original(real_app):
    seed()
    first = services.export_organisation(services.organisation_by_slug("demo"))
    doc, errors = parse_document(json.loads(json.dumps(first)), registry().by_key)
    assert not errors
    copy = services.import_organisation(doc, "demo-copy")
    second = services.export_organisation(copy)
    assert second["organisation"]["slug"] == "demo-copy"
    second["organisation"]["slug"] = "demo"
    assert normalise(second) == normalise(first)
    # the people already known here keep their one account, now with two memberships
    admin = services.user_by_email("koordinator@demo.dk")
    assert len(admin.memberships) == 2
