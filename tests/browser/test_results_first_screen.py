"""A leader's first screen of results (issue 12): the overall score, its change since last
period, the organisation's mean and the five priorities with their reasons, on a laptop and
on a phone, and the draft's provisional note."""
from __future__ import annotations

import pytest

from app.demo import PASSWORD as DEMO_PASSWORD
from tests.browser.conftest import check, serve

pytestmark = pytest.mark.browser
LEADER = "teknik@demo.dk"


def _seed():
    from sqlalchemy import select

    from app import services
    from app.core.answers import Answer
    from app.demo import seed
    from app.extensions import db
    from app.models import Department, User
    seed()
    coordinator = db.session.scalar(select(User).where(User.email == "koordinator@demo.dk"))
    leader = db.session.scalar(select(User).where(User.email == LEADER))
    tech = db.session.scalar(select(Department).where(Department.slug == "teknik-og-miljoe"))
    a = services.find_assessment(tech, "2026")
    services.reopen(a, coordinator)
    q = services.questionnaire_of(a)
    versions = services.answer_versions(a)
    # every question at level 1 with target 5: all six initiatives of the mini questionnaire
    services.save_answers(a, leader, {qid: Answer(level=1, target=5) for qid in q.questions},
                          expected={qid: versions.get(qid, 0) for qid in q.questions})
    db.session.commit()
    draft_id = a.id
    services.submit(a, leader)
    db.session.commit()
    return {"submitted": draft_id}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from serve(tmp_path_factory, _seed)


def _open(browser, base, aid, width, height, reopen=False):
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#email", LEADER)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")
    page.goto(f"{base}/assessments/{aid}/results")
    return context, page


def _bottom(page, locator) -> float:
    box = locator.bounding_box()
    assert box, locator
    return box["y"] + box["height"]


@pytest.mark.parametrize("width, height", [(1366, 768), (375, 667)])
def test_the_first_screen_holds_the_score_its_context_and_the_five_priorities(
        browser, site, width, height):
    base, _app, ids = site
    context, page = _open(browser, base, ids["submitted"], width, height)
    headline = page.locator(".headline").inner_text()
    assert "Siden 2025:" in headline and "Organisationens gennemsnit 2026:" in headline
    for selector in (".big-score", ".headline-context li >> nth=0",
                     ".headline-context li >> nth=1"):
        assert _bottom(page, page.locator(selector)) <= height, selector
    items = page.locator(".priority-list li")
    assert items.count() == 5
    assert _bottom(page, items.nth(4)) <= height
    for n in range(5):
        why = items.nth(n).locator(".why")
        assert why.is_visible()
        text = why.text_content()
        assert text.startswith(("Niveau 1 på «", "Mål ")), text
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    check(page)
    context.close()


def test_a_draft_says_at_the_top_that_its_results_are_provisional(browser, site):
    base, app, ids = site
    from app import services
    from app.extensions import db
    from app.models import Assessment, User
    with app.app_context():
        a = db.session.get(Assessment, ids["submitted"])
        services.reopen(a, db.session.query(User).filter_by(email="koordinator@demo.dk").one())
        db.session.commit()
    try:
        context, page = _open(browser, base, ids["submitted"], 375, 667)
        note = page.locator(".provisional")
        assert "Foreløbige resultater" in note.inner_text()
        assert _bottom(page, note) <= 667
        assert _bottom(page, note) <= page.locator(".big-score").bounding_box()["y"]
        check(page)
        context.close()
    finally:
        with app.app_context():
            a = db.session.get(Assessment, ids["submitted"])
            a.status = "submitted"
            db.session.commit()
