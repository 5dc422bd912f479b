"""The action plan as a section of the department PDF and the organisation PDF."""
from __future__ import annotations

from datetime import date

from app.reports import assessment_pdf, organisation_pdf
from app.services import plans
from tests.conftest import department

from .conftest import pdf_text


def _world(make_org, make_user, make_assessment):
    org = make_org(departments=("culture", "schools"))
    culture, schools = department(org, "culture"), department(org, "schools")
    admin = make_user("admin@x.org", org, "admin")
    make_assessment(culture, "2025", {"alpha-one": 1, "alpha-two": 2, "beta-one": 2},
                    status="submitted")
    make_assessment(schools, "2025", {"alpha-one": 2, "alpha-two": 2}, status="submitted")
    plans.add_item(admin, culture, "init-alpha", {
        "status": "done", "owner": "Kim <Holm> & Co", "start": date(2025, 2, 1),
        "due": date(2025, 10, 1), "note": "finished early"})
    plans.add_item(admin, culture, "init-beta", {"status": "planned", "due": date(2025, 6, 30)})
    m = next(x for x in admin.memberships)
    plans.adopt_joint(admin, org, m, "init-alpha", [culture.id, schools.id], "2025",
                      {"status": "in_progress", "owner": "CIO"})
    a = make_assessment(culture, "2026", {"alpha-one": 2, "alpha-two": 4, "beta-one": 2},
                        status="submitted")
    make_assessment(schools, "2026", {"alpha-one": 3, "alpha-two": 3}, status="submitted")
    return org, a, m


def test_department_pdf_prints_the_plan_and_its_effect(make_org, make_user, make_assessment):
    _org, a, _m = _world(make_org, make_user, make_assessment)
    text = pdf_text(assessment_pdf(a, "en"))
    section = text[text.index("Action plan"):]
    assert "Planned 1" in section and "Done 1" in section and "Overdue 1" in section
    assert "Alpha initiative finished early Kim <Holm> & Co Done 2025-02-01 2025-10-01" in section
    assert "Beta initiative – Planned · Overdue" in section
    assert "Joint initiatives the department takes part in" in section
    assert "between 2025 and 2026" in section
    # m = 5/3 -> 10/3: +1.7, no longer recommended
    assert "Alpha initiative Done 1.7 3.3 +1.7 No" in section


def test_organisation_pdf_prints_joint_initiatives_and_their_effect(make_org, make_user,
                                                                    make_assessment):
    org, _a, m = _world(make_org, make_user, make_assessment)
    text = pdf_text(organisation_pdf(org, m, "2026", "da"))
    section = text[text.index("Handlingsplan"):]
    assert "Organisationens fælles initiativer" in section
    assert "Culture, Schools" in section
    # culture: 5/3 -> 10/3 (+1,7); schools: 2 -> 3 (+1,0); mean +1,3
    assert "Alpha initiative (da) Culture 1,7 3,3 +1,7 Nej" in section
    assert "Alpha initiative (da) Schools 2,0 3,0 +1,0 Nej" in section
    assert "Gennemsnit på tværs af afdelinger – – +1,3" in section
