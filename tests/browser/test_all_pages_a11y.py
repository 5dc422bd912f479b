"""axe-core on every remaining page and state, the print stylesheet and the language choice.

One seeded server for the module (Demo Kommune on the mini questionnaire, one assessment reopened
and changed so the audit trail and the conflict state have something to show).
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import check, serve, sign_in

pytestmark = pytest.mark.browser
PASSWORD = "demo-resilience-2026"
RESPONDENT = "kultur@demo.dk"
COORDINATOR = "koordinator@demo.dk"


def _seed():
    from datetime import timedelta

    from sqlalchemy import select

    from app import services
    from app.demo import seed
    from app.extensions import db
    from app.models import Assessment, Department, Invitation, Membership, User
    seed()
    leader = db.session.scalar(select(User).where(User.email == RESPONDENT))
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
    culture = db.session.scalar(select(Department).where(Department.slug == "kultur-og-borgerservice"))
    tech = db.session.scalar(select(Department).where(Department.slug == "teknik-og-miljoe"))
    draft = services.find_assessment(culture, "2026")
    services.reopen(draft, coordinator)
    from app.core.answers import Answer
    versions = services.answer_versions(draft)
    services.save_answers(draft, leader, {"alpha-one": Answer(level=4, target=5, comment="<b>bold</b> & co")},
                          expected={"alpha-one": versions.get("alpha-one", 0)})
    actor = db.session.scalar(select(Membership).where(Membership.user_id == coordinator.id))
    inv, token = services.create_invitation(actor, coordinator, "late@demo.dk", "viewer", None)
    inv.expires_at = inv.created_at - timedelta(days=1)
    db.session.commit()
    submitted = services.find_assessment(tech, "2026")
    assert db.session.get(Assessment, submitted.id).status == "submitted"
    assert db.session.scalar(select(Invitation).where(Invitation.email == "late@demo.dk"))
    return {"draft": draft.id, "submitted": submitted.id, "expired": token}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base url, app, ids) of the seeded server."""
    yield from serve(tmp_path_factory, _seed)


def sign_out(page):
    page.locator("header form[action$='/logout'] button").click()


def choose_language(page, code):
    page.select_option("#language-select", code)
    page.locator(".language-switch button").click()
    page.locator(f"html[lang={code}]").wait_for(state="attached")


def test_public_and_error_pages(page, site):
    base, _app, ids = site
    page.goto(base + "/accessibility")
    check(page)
    response = page.goto(base + "/no-such-page")
    assert response.status == 404
    check(page)
    response = page.goto(f"{base}/invite/{ids['expired']}")
    assert response.status == 422 and "expired" in page.content()
    check(page)
    response = page.goto(base + "/invite/not-a-real-token")
    assert response.status == 404
    check(page)
    page.goto(base + "/login")
    page.eval_on_selector("main input[name=csrf_token]", "e => e.value = 'forged'")
    with page.expect_response(base + "/login") as posted:
        page.locator("main button[type=submit]").click()
    assert posted.value.status == 400
    assert "The form had expired" in page.content() and "CSRF" not in page.content()
    check(page)
    sign_in(page, base, RESPONDENT, PASSWORD)
    response = page.goto(base + "/o/demo/admin")
    assert response.status == 403
    check(page)


def test_respondent_pages(page, site):
    base, _app, ids = site
    sign_in(page, base, RESPONDENT, PASSWORD)
    check(page)  # home of a department leader with a draft and a submitted assessment
    page.route("**/static/app.js", lambda route: route.abort())  # no autosave: the plain post
    page.goto(f"{base}/assessments/{ids['draft']}/strategic")
    check(page)
    note = page.locator("#strategy-notes-value")
    assert note.get_attribute("maxlength") == "5000"
    note.evaluate("e => e.removeAttribute('maxlength')")  # as an old browser would: the error state
    note.fill("x" * 5001)
    page.locator("button[value=stay]").click()
    page.locator("#error-summary").wait_for()
    assert page.locator("#error-summary a[href='#strategy-notes-value']").is_visible()
    assert note.get_attribute("aria-invalid") == "true"
    assert "strategy-notes-value-error" in note.get_attribute("aria-describedby")
    check(page)
    page.goto(f"{base}/assessments/{ids['draft']}/review")
    check(page)


def test_submitted_pages_are_read_only(page, site):
    base, _app, ids = site
    sign_in(page, base, COORDINATOR, PASSWORD)
    check(page)  # home of a coordinator: every department's assessments
    aid = ids["submitted"]
    page.goto(f"{base}/assessments/{aid}/block/alpha")
    assert page.locator("fieldset.question input[type=radio]:not([disabled])").count() == 0
    assert page.locator("main button[type=submit]").count() == 0
    check(page)
    page.goto(f"{base}/assessments/{aid}/strategic")
    check(page)
    page.goto(f"{base}/assessments/{aid}/review")
    assert page.locator("form[action$='/submit']").count() == 0
    check(page)


def test_conflict_state_of_a_block_page(browser, site):
    base, _app, ids = site
    url = f"{base}/assessments/{ids['draft']}/block/alpha"
    pages = []
    for _ in range(2):
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        page.route("**/static/app.js", lambda route: route.abort())  # no autosave: plain posts
        sign_in(page, base, RESPONDENT, PASSWORD)
        page.goto(url)
        pages.append(page)
    first, second = pages
    second.check("#alpha-one-answer-1")
    second.locator("button[value=stay]").click()
    second.wait_for_load_state()
    first.check("#alpha-one-answer-2")
    first.locator("button[value=stay]").click()
    first.locator("#conflict-summary").wait_for()
    check(first)
    for p in pages:
        p.context.close()


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
def test_results_page_in_each_language_and_in_print(browser, site, locale):
    base, _app, ids = site
    context = browser.new_context(locale={"da": "da-DK", "en": "en-GB", "fr": "fr-FR"}[locale])
    page = context.new_page()
    sign_in(page, base, COORDINATOR, PASSWORD)
    page.goto(f"{base}/assessments/{ids['submitted']}/results")
    assert page.locator("html").get_attribute("lang") == locale
    check(page)
    if locale == "en":
        page.emulate_media(media="print")
        for hidden in ("header nav", ".language-switch", ".site-footer", ".no-print"):
            assert all(not x.is_visible() for x in page.locator(hidden).all()), hidden
        assert page.locator("table").first.is_visible()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    context.close()


def test_coordinator_pages_in_their_other_states(page, site):
    base, _app, ids = site
    sign_in(page, base, COORDINATOR, PASSWORD)
    page.goto(f"{base}/assessments/{ids['draft']}/audit")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page.content()  # typed markup shown literally
    check(page)
    page.goto(base + "/o/demo/compare?period=2025&sort=overall&dir=desc&show=teknik-og-miljoe"
              "&show=sundhed-og-omsorg")
    assert page.locator("th[aria-sort=descending]").count() == 1
    check(page)
    page.goto(base + "/o/demo/admin/invitations")
    page.fill("#email", "not-an-address")
    page.locator("main form[action$='/admin/invitations'] button").click()
    assert page.get_attribute("#email", "aria-invalid") == "true"
    check(page)
    page.goto(base + "/o/demo/admin/users")
    row = page.locator("table tbody tr", has_text=COORDINATOR)
    row.locator("select[name=role]").select_option("viewer")  # the last coordinator
    row.locator(".row-form button").click()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("select[aria-invalid=true]").count() == 1
    check(page)


def test_language_choice_survives_sign_in_and_sign_out(browser, site):
    base, _app, _ids = site
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(base + "/login")
    choose_language(page, "fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#language-select option[lang=da]").count() == 1
    check(page)
    page.fill("#email", "laeser@demo.dk")
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    sign_out(page)
    page.wait_for_url(base + "/login")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator(".flash-success").inner_text() == "Vous êtes maintenant déconnecté."
    context.close()
    # Another browser (no session, English): the choice made before signing in was remembered.
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    sign_in(page, base, "laeser@demo.dk", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "fr"
    choose_language(page, "da")  # a choice made while signed in is remembered too
    context.close()
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    sign_in(page, base, "laeser@demo.dk", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "da"
    context.close()


def test_pages_reflow_at_320_css_pixels(browser, site):
    """WCAG 1.4.10: no page scrolls sideways at 320 px; wide tables scroll in their own region."""
    base, _app, ids = site
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, base, COORDINATOR, PASSWORD)
    for path in ("/", f"/assessments/{ids['draft']}/block/alpha", f"/assessments/{ids['submitted']}/results",
                 "/o/demo/compare", "/o/demo/admin", "/o/demo/admin/departments",
                 "/o/demo/admin/users", "/o/demo/admin/invitations", f"/assessments/{ids['draft']}/audit"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    check(page)
    page.goto(base + "/o/demo/compare")
    check(page)  # the wide table scrolls in a focusable, labelled region
    context.close()


def test_forms_post_without_javascript(browser, site):
    base, _app, ids = site
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, RESPONDENT, PASSWORD)
    page.goto(f"{base}/assessments/{ids['draft']}/block/gamma")
    page.check("fieldset.question input[type=radio] >> nth=0")
    page.locator(".button-row button[value=next]").click()
    page.wait_for_url(f"{base}/assessments/{ids['draft']}/strategic")
    choose_language(page, "fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.url.endswith("/strategic")
    context.close()


@pytest.mark.parametrize("which", ["submitted", "draft"])
def test_the_three_views_of_the_recommendations(browser, site, which):
    base, _app, ids = site
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    sign_in(page, base, COORDINATOR, PASSWORD)
    for view in ("priority", "track", "influence"):
        page.goto(f"{base}/assessments/{ids[which]}/results?view={view}")
        current = page.locator(".view-switch a[aria-current=page]")
        assert current.count() == 1 and f"view={view}" in current.get_attribute("href")
        check(page)
    # the views are plain links: following one works without JavaScript
    page.locator(".view-switch a", has_text="Efter spor").click()
    assert "view=track" in page.url
    assert page.locator("#recommendations ~ h3").first.inner_text().startswith("Spor ")
    context.close()
