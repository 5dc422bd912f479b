"""End to end in Chromium: a leader signs in with Demo Kommune's own login (a real provider)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import PASSWORD, check, demo_people, serve
from tests.oidc import SECRET, provider, registration, require_provider

pytestmark = pytest.mark.browser


def _seed():
    from app import services
    from app.extensions import db
    from app.models import Invitation, utcnow
    org, dep = demo_people([("admin@demo.dk", "admin"), ("leader@demo.dk", "respondent")])
    db.session.add(Invitation(organisation_id=org.id, email="invitee@demo.dk", role="viewer",
                              token_hash=services.token_digest("browser-invite"),
                              expires_at=utcnow() + timedelta(days=3)))
    db.session.commit()
    services.start_assessment(dep, "2026")
    return org.id


@pytest.fixture(scope="module")
def sso(tmp_path_factory):
    """(base url, issuer) of the app and Demo Kommune's provider, which knows the app."""
    require_provider()
    from app import identity
    from app.extensions import db
    from app.models import Organisation
    for base, app, org_id in serve(tmp_path_factory, _seed):
        with provider([registration("drsa-demo", base, "demo")]) as issuer:
            with app.app_context():
                identity.save_provider(db.session.get(Organisation, org_id), issuer=issuer,
                                       client_id="drsa-demo", client_secret=SECRET)
                db.session.remove()
            yield base, issuer


@pytest.fixture
def danish(browser):
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    yield page
    context.close()


def at_provider(page, issuer, login):
    page.wait_for_url(issuer + "/interaction/**")
    page.fill("#login", login)
    page.fill("#password", "anything")
    page.click("button[type=submit]")


def test_a_leader_signs_in_with_the_municipalitys_login_and_out_again(danish, sso):
    base, issuer = sso
    page = danish
    page.goto(base + "/login")
    check(page)
    page.click("a:has-text('Log ind med Demo Kommunes login')")
    at_provider(page, issuer, "leader")
    page.wait_for_url(base + "/")
    assert page.locator("h1").inner_text() == "Mine vurderinger"
    assert page.locator("main").get_by_text("Kultur").count() >= 1
    check(page)
    # Sign-out ends the session here, then continues at the provider's end-session endpoint.
    page.click("header button:has-text('Log ud')")
    page.wait_for_url(issuer + "/session/end**")
    page.click("button:has-text('Yes, sign me out')")
    page.wait_for_url(base + "/login")
    page.goto(base + "/")
    assert page.url == base + "/login"


def test_an_unknown_person_is_refused_and_told_whom_to_ask(page, sso):
    base, issuer = sso
    page.goto(base + "/login")
    page.click("a:has-text('Sign in with Demo Kommune’s login')")
    at_provider(page, issuer, "stranger")
    page.wait_for_url(base + "/login/oidc/demo/callback**")
    assert page.locator("h1").inner_text() == "Sign-in refused"
    assert "admin@demo.dk" in page.locator("[role=alert]").inner_text()
    check(page)


def test_the_sign_in_settings_page_is_accessible(page, sso):
    base, _issuer = sso
    page.goto(base + "/login")
    page.fill("#email", "admin@demo.dk")
    page.fill("#password", PASSWORD)
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(base + "/")
    page.goto(base + "/o/demo/admin/sign-in")
    check(page)
    page.fill("#issuer", "not a url")
    page.locator("main form[method=post] button[type=submit]").first.click()
    assert page.locator("#error-summary").count() == 1
    check(page)
    page.goto(base + "/o/demo/admin/sign-in/remove")
    check(page)


def test_an_invited_person_joins_through_the_organisations_login(page, sso):
    base, issuer = sso
    page.goto(base + "/invite/browser-invite")
    check(page)
    page.click("main a:has-text('Sign in with Demo Kommune’s login')")
    at_provider(page, issuer, "invitee")
    page.wait_for_url(base + "/")
    assert page.locator("h1").inner_text() == "My assessments"
    page.goto(base + "/invite/browser-invite")  # the invitation is spent
    assert "already been used" in page.locator("main").inner_text()
