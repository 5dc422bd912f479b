"""axe-core on the action plan pages: the department's plan (with its error state), editing,
the coordinator's overview, joint initiatives, and the effect on the 2026 results."""
from __future__ import annotations

import pytest

from tests.browser.conftest import check, serve

pytestmark = pytest.mark.browser
PASSWORD = "demo-resilience-2026"  # app.demo.PASSWORD


def _seed():
    from sqlalchemy import select

    from app import services
    from app.demo import seed
    from app.extensions import db
    from app.models import Department, PlanItem
    seed()
    culture = db.session.scalar(select(Department).where(
        Department.slug == "kultur-og-borgerservice"))
    item = db.session.scalar(select(PlanItem).where(PlanItem.department_id == culture.id))
    return {"department": culture.id, "item": item.id,
            "results": services.find_assessment(culture, "2026").id}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from serve(tmp_path_factory, _seed)


def sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")


def test_leader_goes_from_results_to_the_plan(page, site):
    base, _app, ids = site
    sign_in(page, base, "kultur@demo.dk")
    page.goto(f"{base}/assessments/{ids['results']}/results")
    assert page.locator("#effect-caption").count() == 1
    check(page)
    page.locator("a.add-to-plan").first.click()
    page.locator("#add").wait_for()
    check(page)
    page.fill("#owner", "Kim Holm")
    page.fill("#start", "2026-05-01")
    page.fill("#due", "2026-04-01")
    page.locator("form[action*='/plan'] button[type=submit]").last.click()
    page.locator("#error-summary").wait_for()
    assert page.locator("#due").get_attribute("aria-invalid") == "true"
    check(page)
    page.fill("#due", "2026-12-31")
    page.locator("form[action*='/plan'] button[type=submit]").last.click()
    page.locator(".flash-success").wait_for()
    assert "Kim Holm" in page.content()
    check(page)
    page.goto(f"{base}/plan-items/{ids['item']}")
    check(page)


def test_coordinator_overview_and_joint_initiatives(page, site):
    base, _app, _ids = site
    sign_in(page, base, "koordinator@demo.dk")
    page.goto(base + "/o/demo/plans")
    assert page.locator("main .badge").count() >= 1  # overdue items, listed first
    check(page)
    page.select_option("#status-filter", "done")
    page.locator("main form[method=get] button").click()
    assert "status=done" in page.url
    check(page)
    page.goto(base + "/o/demo/plans/audit")
    assert page.locator("#audit-caption").count() == 1
    check(page)
    page.goto(base + "/o/demo/plans/joint?period=2026")
    check(page)
    page.locator("#adopt ~ form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    check(page)
