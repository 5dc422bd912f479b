"""axe-core in headless Chromium: zero WCAG 2.1 A/AA violations on the main respondent pages."""
from __future__ import annotations

import pytest

from tests.browser.conftest import check, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_page(page, live):
    base, _app, _ids = live
    page.goto(base + "/login")
    check(page)
    page.click("button[type=submit]:has-text('Sign in')")  # empty: the error state
    assert page.locator("#error-summary").is_visible()
    check(page)


def test_questionnaire_review_and_results_pages(page, live):
    base, _app, (aid, _other) = live
    sign_in(page, base)
    check(page)  # home
    page.goto(f"{base}/assessments/{aid}/block/alpha")
    check(page)
    # Error state: a comment without an answer.
    page.fill("#alpha-two-comment", "a comment but no level")
    page.click("button[value=stay]")
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#alpha-two-answer").get_attribute("aria-describedby") == \
        "alpha-two-answer-error"
    check(page)
    page.check("#alpha-one-answer-1")
    page.check("#alpha-two-answer-2")
    page.select_option("#alpha-two-target", "5")
    page.click(".button-row button[value=next]")
    page.wait_for_url(f"{base}/assessments/{aid}/block/beta")
    check(page)
    page.goto(f"{base}/assessments/{aid}/strategic")
    check(page)
    page.goto(f"{base}/assessments/{aid}/review")
    check(page)
    page.goto(f"{base}/assessments/{aid}/results")
    assert page.locator("svg[role=img]:visible").count() == 1  # one of the two variants shows
    check(page)


def test_autosave_with_javascript(page, live):
    base, app, (aid, _other) = live
    sign_in(page, base)
    page.goto(f"{base}/assessments/{aid}/block/gamma")
    first = page.locator("fieldset.question input[type=radio]").first
    first.check()
    from playwright.sync_api import expect
    expect(page.locator(".autosave-status")).to_contain_text("saved")
    with app.app_context():
        from app.extensions import db
        from app.models import Assessment
        a = db.session.get(Assessment, aid)
        assert any(r.question_id.startswith("gamma") for r in a.answers)
        db.session.remove()
    # A page move after the autosave does not conflict with it.
    page.click(".button-row button[value=next]")
    page.wait_for_url(f"{base}/assessments/{aid}/strategic")
