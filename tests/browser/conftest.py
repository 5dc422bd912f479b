"""A real server on a loopback port and a headless Debian Chromium for the browser tests."""
from __future__ import annotations

import contextlib
import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import FIXTURES, PASSWORD, base_config

CHROMIUM = "/usr/bin/chromium"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]


def pytest_collection_modifyitems(config, items):
    """Skip browser tests cleanly where Chromium is not installed."""
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def serve(tmp_path_factory, seed, questionnaires=(FIXTURES / "questionnaires", "mini")):
    """Yield (base url, app, seed's result) of a threaded server on a loopback port.

    The server has its own SQLite file: the browser tests check pages, not the database, and
    must not touch the database the rest of the suite runs on (TEST_DATABASE_URL).
    `questionnaires` is (directory, default questionnaire id).
    """
    from app import create_app
    from app.extensions import db
    config = base_config(tmp_path_factory, [questionnaires[0]], questionnaires[1])
    config.pop("SERVER_NAME")
    config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
    config["RATELIMIT_LOGIN"] = "1000 per minute"
    app = create_app(config)
    with app.app_context():
        db.create_all()
        result = seed()
        db.session.remove()
    with running(app) as base:
        yield base, app, result


@contextlib.contextmanager
def running(app):
    """Serve `app` on a loopback port in a thread; yield its base url, then stop it and close
    its database connections."""
    from app.extensions import db
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()


def _buffered(app):
    """The app with each response read whole and closed before Werkzeug writes it.

    Werkzeug's development server drains the socket before it closes the response; when the
    browser has already dropped the connection (a favicon request cut short by a navigation),
    that drain raises and the static file is left open, which `filterwarnings = error` turns
    into a failed test unrelated to the page under test.
    """
    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return wsgi


def demo_people(people):
    """Demo Kommune with a department Kultur and signed-up people [(email, role)] (the
    department members' department is Kultur; admins have none); returns (org, department)."""
    from app import services
    from app.extensions import db
    from app.models import Department, Membership, Organisation, User
    org = Organisation(slug="demo", name="Demo Kommune")
    db.session.add(org)
    db.session.flush()
    dep = Department(organisation_id=org.id, slug="culture", name="Kultur")
    db.session.add(dep)
    db.session.flush()
    for email, role in people:
        user = User(email=email, name=email.split("@")[0], password_hash=services.hash_password(
            PASSWORD), session_token=services.new_session_token())
        user.memberships.append(Membership(organisation_id=org.id, role=role,
                                           department_id=dep.id if role != "admin" else None))
        db.session.add(user)
    return org, dep


def _respondents_and_drafts():
    from app import services
    from app.extensions import db
    from app.models import Department, Membership, Organisation, User
    org = Organisation(slug="demo", name="Demo Kommune")
    db.session.add(org)
    db.session.flush()
    dep = Department(organisation_id=org.id, slug="culture", name="Kultur")
    dep2 = Department(organisation_id=org.id, slug="it", name="IT")
    db.session.add_all([dep, dep2])
    db.session.flush()
    for email in ("leader@example.org", "keyboard@example.org"):
        user = User(email=email, name=email.split("@")[0],
                    session_token=services.new_session_token(),
                    password_hash=services.hash_password(PASSWORD))
        user.memberships.append(Membership(  # the keyboard user may answer for any department
            organisation_id=org.id, role="respondent",
            department_id=dep.id if email.startswith("leader") else None))
        db.session.add(user)
    db.session.commit()
    return (services.start_assessment(dep, "2026").id, services.start_assessment(dep2, "2026").id)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """(base url, app, assessment ids) of a server with two respondents and two drafts."""
    yield from serve(tmp_path_factory, _respondents_and_drafts)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, base, email="leader@example.org", password=PASSWORD):
    """Sign in through the form (in whatever language the page is) and wait for the home page."""
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")


def check(page):
    """Run axe on the page and fail with its report on any violation; check the page's outline."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert results.violations_count == 0, results.generate_report()
    check_structure(page)


def check_structure(page):
    """One h1 first, no skipped heading level, a working skip link, the page's language set."""
    levels = page.evaluate(
        "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1])")
    assert levels and levels[0] == 1 and levels.count(1) == 1, (page.url, levels)
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (page.url, levels)
    assert page.locator("a.skip-link").get_attribute("href") == "#main"
    assert page.locator("main#main").count() == 1
    assert page.locator("html").get_attribute("lang") in ("da", "en", "fr")
