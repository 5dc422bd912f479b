"""axe-core on the organisation-wide answers pages and on a department page that shows them
read-only (the shipped questionnaire, version 2, seeded by seed-demo)."""
from __future__ import annotations

import pytest

from app.demo import PASSWORD as DEMO_PASSWORD
from tests.browser.conftest import check, running
from tests.conftest import ROOT, base_config

pytestmark = pytest.mark.browser
PASSWORD = DEMO_PASSWORD  # every demo account's password


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from sqlalchemy import select

    from app import create_app, services
    from app.demo import seed
    from app.extensions import db
    from app.models import Department, User
    config = base_config(tmp_path_factory, [ROOT / "questionnaires"], "digital-resilience")
    config.pop("SERVER_NAME")
    config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'live.db'}"
    config["RATELIMIT_LOGIN"] = "1000 per minute"
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed()
        culture = db.session.scalar(select(Department).where(
            Department.slug == "kultur-og-borgerservice"))
        draft = services.find_assessment(culture, "2026")
        coordinator = db.session.scalar(select(User).where(User.email == "koordinator@demo.dk"))
        services.reopen(draft, coordinator)
        aid = draft.id
        db.session.remove()
    with running(app) as base:
        yield base, aid


def sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")


def test_coordinator_pages(page, site):
    base, _aid = site
    sign_in(page, base, "koordinator@demo.dk")
    page.goto(base + "/o/demo/shared")
    check(page)
    page.goto(base + "/o/demo/shared/2026")
    check(page)
    page.locator("main button[type=submit]").last.click()
    page.wait_for_url("**/shared/2026?saved=1")
    check(page)
    page.goto(base + "/o/demo/compare?period=2026")
    check(page)


def test_department_page_shows_the_shared_answers_read_only(page, site):
    base, aid = site
    sign_in(page, base, "kultur@demo.dk")
    page.goto(f"{base}/assessments/{aid}/block/strategy")
    assert page.locator(".shared-question").count() >= 1
    assert "Karin Koordinator" in page.content()
    check(page)
    page.locator("a[href$='/glossary']").click()
    page.wait_for_url("**/glossary")
    assert page.locator("dfn").count() >= 20
    check(page)
