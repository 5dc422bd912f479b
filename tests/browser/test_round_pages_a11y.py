"""axe-core on the round, confirmation, audit, account and password pages (issue 15)."""
from __future__ import annotations

import pytest

from app.demo import PASSWORD as DEMO_PASSWORD
from tests.browser.conftest import check, serve

pytestmark = pytest.mark.browser
PASSWORD = DEMO_PASSWORD  # every demo account's password
COORDINATOR = "koordinator@demo.dk"
RESPONDENT = "kultur@demo.dk"


def _seed():
    from sqlalchemy import select

    from app import passwords, services
    from app.demo import seed
    from app.extensions import db
    from app.models import Department, Period, User
    seed()
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
    tech = db.session.scalar(select(Department).where(Department.slug == "teknik-og-miljoe"))
    culture = db.session.scalar(select(Department).where(
        Department.slug == "kultur-og-borgerservice"))
    submitted = services.find_assessment(tech, "2026")
    period = db.session.scalar(select(Period).where(Period.label == "2026"))
    from datetime import date
    period.closes_on = date(2026, 12, 31)
    db.session.commit()
    services.ensure_period(culture.organisation, "2027")
    db.session.commit()
    leader = db.session.scalar(select(User).where(User.email == RESPONDENT))
    carried = services.start_assessment(culture, "2027", user=leader,
                                        carry_from=services.find_assessment(culture, "2026"))
    _user, token = passwords.request_reset(coordinator.email)
    services.create_token(coordinator)
    return {"submitted": submitted.id, "tech": tech.id, "reset": token, "carried": carried.id}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from serve(tmp_path_factory, _seed)


def sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")


def test_coordinator_round_pages(page, site):
    base, _app, ids = site
    sign_in(page, base, COORDINATOR)
    for path in ("/o/demo/admin/round?period=2026", "/o/demo/admin/round/remind?period=2026",
                 "/o/demo/admin/events", "/o/demo/admin/settings", "/o/demo/admin/periods",
                 f"/assessments/{ids['submitted']}/reopen",
                 f"/o/demo/admin/departments/{ids['tech']}/archive", "/account"):
        response = page.goto(base + path)
        assert response.status == 200, path
        check(page)


def test_password_pages_and_carried_review(page, site):
    base, _app, ids = site
    for path in ("/password/forgot", f"/password/reset/{ids['reset']}"):
        page.goto(base + path)
        check(page)
    page.goto(base + "/password/forgot")
    page.fill("#email", "nobody@demo.dk")
    page.locator("main button[type=submit]").click()
    check(page)
    sign_in(page, base, RESPONDENT)
    check(page)
    page.goto(f"{base}/assessments/{ids['carried']}/review")
    assert page.locator("#carried-heading").count() == 1
    check(page)
