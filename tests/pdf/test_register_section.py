"""The register's section in the organisation PDF (every entry) and the department PDF (own + shared)."""
from __future__ import annotations

from app import services_register as reg
from app.models import Membership
from app.reports import assessment_pdf, organisation_pdf
from tests.conftest import department

from .conftest import pdf_text

ROW = {"layer": "business-systems", "supplier": "Leverandør A", "supplier_country": "DK",
       "hosting_country": "DK", "criticality": "high", "lock_in": 5, "data_export": "partial",
       "exit_plan": "none"}


def test_register_sections(make_org, make_user, make_assessment):
    org = make_org(departments=("culture", "social"))
    boss = make_user("boss@example.org", org=org, role="admin")
    m = boss.memberships[0]
    reg.create_entry(org, m, boss, {**ROW, "name": "ESDH"})
    reg.create_entry(org, m, boss, {**ROW, "name": "Kulturnet", "department": "culture",
                                    "exit_plan": "tested", "supplier_country": "US"})
    reg.create_entry(org, m, boss, {**ROW, "name": "Socialsystem", "department": "social"})
    a = make_assessment(department(org, "culture"), "2026", {"alpha-one": 2}, status="submitted")
    text = pdf_text(organisation_pdf(org, Membership(organisation_id=org.id, role="admin"),
                                     "2026", "en"))
    assert "Technology-stack register" in text
    assert "All entries of the organisation; 3 entries." in text
    assert "Critical system «Socialsystem» at «Leverandør A»: lock-in 5, no exit plan" in text
    assert "Critical system «Kulturnet» at «Leverandør A»: supplier in United States" in text
    dept = pdf_text(assessment_pdf(a, "da"))
    assert "Register over teknologistakken" in dept
    assert "Kritisk system «ESDH» hos «Leverandør A»: indlåsning 5, ingen exitplan" in dept
    assert "Kulturnet" in dept and "Socialsystem" not in dept
