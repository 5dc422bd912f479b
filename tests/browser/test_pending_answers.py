"""Findings 1-3 in a real browser: six comments of 1,500 characters on one block page survive
an ended session (JavaScript off and on) and a stale token, and planted answers are never
saved under the victim's name."""
from __future__ import annotations

import pytest

from tests.browser.conftest import demo_people, serve, sign_in
from tests.conftest import PASSWORD, ROOT

pytestmark = pytest.mark.browser
COMMENT = ("Beredskabsplanen for IT-drift er gennemgået med leverandøren; « næste » øvelse "
           "følger i foråret. ")  # cut to 1,500 characters per comment below


def _seed():
    from app import services
    from app.extensions import db
    _org, dep = demo_people([("leader@example.org", "respondent"),
                             ("attacker@example.org", "respondent")])
    db.session.commit()
    from app.registry import questionnaire
    # Version 1: its first block has six department questions, each with a comment field.
    return services.start_assessment(dep, "2026", questionnaire("digital-resilience", "1")).id


@pytest.fixture(scope="module")
def live_real(tmp_path_factory):
    """A server on the shipped questionnaire (blocks of six questions) with one draft."""
    yield from serve(tmp_path_factory, _seed, (ROOT / "questionnaires", "digital-resilience"))


@pytest.fixture
def context_for(browser):
    contexts = []

    def make(javascript=True):
        context = browser.new_context(locale="en-GB", java_script_enabled=javascript)
        contexts.append(context)
        return context
    yield make
    for c in contexts:
        c.close()


def _texts(tag: str) -> list[str]:
    return [(f"{tag} {n}: " + COMMENT * 20)[:1500] for n in range(6)]


def _fill(page, texts, level="3"):
    """Answer the six questions of the page and type a long comment into each."""
    fields = page.locator("textarea[name$='-comment']")
    assert fields.count() == 6
    for n, text in enumerate(texts):
        name = fields.nth(n).get_attribute("name").removesuffix("-comment")
        page.check(f"input[name='{name}-answer'][value='{level}']")
        fields.nth(n).fill(text)


def _stored(app, aid):
    from app.extensions import db
    from app.models import Answer
    with app.app_context():
        rows = {r.question_id: (r.level, r.comment, r.updated_by.email if r.updated_by else None)
                for r in db.session.query(Answer).filter_by(assessment_id=aid)}
        db.session.remove()
    return rows


def _clear(app, aid):
    from app.extensions import db
    from app.models import Answer, AnswerChange, PendingAnswers
    with app.app_context():
        db.session.query(Answer).filter_by(assessment_id=aid).delete()
        db.session.query(AnswerChange).delete()
        db.session.query(PendingAnswers).delete()
        db.session.commit()
        db.session.remove()


def _sign_in_again(page, email="leader@example.org"):
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('Sign in')")


@pytest.mark.parametrize("javascript", [False, True], ids=["js-off", "js-on"])
def test_long_comments_survive_an_expired_session(live_real, context_for, javascript):
    base, app, aid = live_real
    _clear(app, aid)
    page = context_for(javascript).new_page()
    sign_in(page, base)
    page.goto(f"{base}/assessments/{aid}")
    url = page.url
    texts = _texts("after expiry")
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()  # the session ends (8-hour expiry, cookies cleared)
    assert page.context.cookies() == []
    _fill(page, texts)
    if javascript:  # autosave tells the user what happened instead of a status code
        status = page.locator(".autosave-status")
        status.filter(has_text="Signed out — sign in to keep your answers").wait_for()
    page.click(".button-row button[name=go][value=next]")
    page.wait_for_url(lambda u: "/login" in u)
    assert "Sign in again to save your answers" in page.content()
    _sign_in_again(page)
    page.wait_for_url(url)
    assert "have been saved" in page.content()
    stored = _stored(app, aid)
    assert sorted(c for _l, c, _u in stored.values()) == sorted(texts)
    assert {(lv, u) for lv, _c, u in stored.values()} == {(3, "leader@example.org")}


@pytest.mark.parametrize("javascript", [False, True], ids=["js-off", "js-on"])
def test_a_stale_token_gives_back_the_page_as_typed(live_real, context_for, javascript):
    base, app, aid = live_real
    _clear(app, aid)
    context = context_for(javascript)
    page = context.new_page()
    sign_in(page, base)
    page.goto(f"{base}/assessments/{aid}")
    url = page.url
    other = context.new_page()  # signed in again in another tab: a new session and token
    sign_in(other, base)
    other.close()
    texts = _texts("stale token")
    _fill(page, texts, level="4")
    if javascript:
        page.locator(".autosave-status").filter(has_text="press “Save”").wait_for()
    page.click(".button-row button[name=go][value=stay]")
    page.wait_for_load_state()
    assert page.url == url
    assert "nothing was saved yet" in page.content()
    values = page.eval_on_selector_all("textarea[name$='-comment']", "els => els.map(e => e.value)")
    assert [v.strip() for v in values] == [t.strip() for t in texts]
    assert _stored(app, aid) == {}
    page.click(".button-row button[name=go][value=stay]")  # the fresh token of the re-rendered page
    page.wait_for_load_state()
    assert "nothing was saved yet" not in page.content()
    stored = _stored(app, aid)
    assert sorted(c for _l, c, _u in stored.values()) == sorted(t.strip() for t in texts)


def test_planted_answers_are_not_saved_under_the_victims_name(live_real, context_for):
    base, app, aid = live_real
    _clear(app, aid)
    attacker = context_for(False)
    page = attacker.new_page()
    sign_in(page, base, "attacker@example.org")
    page.goto(f"{base}/assessments/{aid}")
    url = page.url
    names = [n.removesuffix("-comment") for n in page.eval_on_selector_all(
        "textarea[name$='-comment']", "els => els.map(e => e.name)")]
    page.click("button:has-text('Sign out')")
    page.goto(url)  # signed out: the form still carries the attacker's own page
    page.wait_for_url(lambda u: "/login" in u)
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    r = attacker.request.post(url, form={"csrf_token": token, "page": url.rsplit("/", 1)[1],
                                         "go": "next", **{f"{q}-answer": "1" for q in names},
                                         **{f"{q}-comment": "planted" for q in names}},
                              max_redirects=0)
    assert r.status == 303
    # The victim signs in on the browser that now carries the planted cookie.
    page.goto(f"{base}/login")
    _sign_in_again(page)
    page.wait_for_url(f"{base}/")
    page.goto(url)
    assert "not saved yet" in page.content() and "planted" in page.content()
    assert _stored(app, aid) == {}
