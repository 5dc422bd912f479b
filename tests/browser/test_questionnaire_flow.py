"""The questionnaire as people use it: Enter moves forward, the step list, autosave progress."""
from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _answers(app, aid):
    with app.app_context():
        from app import services
        from app.extensions import db
        from app.models import Assessment
        out = services.answers_of(db.session.get(Assessment, aid))
        db.session.remove()
        return out


def test_enter_on_an_answer_saves_and_goes_forward(page, live):
    base, app, (aid, _other) = live
    page.route("**/static/app.js", lambda route: route.abort())  # the plain form post, no autosave
    sign_in(page, base)
    page.goto(f"{base}/assessments/{aid}/block/beta")
    radio = page.locator("#beta-one-answer-2")
    radio.check()
    radio.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/assessments/{aid}/block/gamma")
    assert _answers(app, aid)["beta-one"].level == 3
    # The step list at the top shows block 2 as partly answered, and the page as the current step.
    step = page.locator("nav.page-steps li[data-step=beta]")
    assert "Partly answered" in step.inner_text()
    assert page.locator("nav.page-steps [aria-current=step]").inner_text().startswith("3. ")
    top = page.locator("nav.page-steps").bounding_box()["y"]
    assert top < page.locator("fieldset.question").first.bounding_box()["y"]


def test_autosave_updates_the_progress_text_and_the_step_status(page, live):
    base, app, (aid, _other) = live
    sign_in(page, base)
    page.goto(f"{base}/assessments/{aid}/block/alpha")
    before = page.locator("#progress-text").inner_text()
    page.locator("#alpha-one-answer-5").check()  # "Don't know" counts as answered
    page.locator(".autosave-status", has_text="Your answers are saved.").wait_for()
    after = page.locator("#progress-text").inner_text()
    assert after != before
    answered = sum(1 for a in _answers(app, aid).values() if a.level or a.status)
    assert f"{answered} of 7 maturity questions answered" in after
    assert "1 of" in page.locator("nav.page-steps li[data-step=alpha] .step-count").inner_text()


def test_a_target_below_the_level_gets_a_note_not_an_error(page, live):
    base, app, (aid, _other) = live
    sign_in(page, base)
    page.goto(f"{base}/assessments/{aid}/block/gamma")
    note = page.locator("#gamma-one-target-note")
    assert not note.is_visible()
    page.locator("#gamma-one-answer-3").check()  # level 4
    page.select_option("#gamma-one-target", "2")
    note.wait_for(state="visible")
    page.locator(".autosave-status", has_text="Your answers are saved.").wait_for()
    assert _answers(app, aid)["gamma-one"].target == 2  # stored all the same
    page.reload()
    assert page.locator("#gamma-one-target-note").is_visible()
    assert page.locator("#error-summary").count() == 0
