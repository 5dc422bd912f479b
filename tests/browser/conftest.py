"""A real server on a loopback port and a headless Debian Chromium for the browser tests."""
from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import FIXTURES, PASSWORD, base_config

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]


def pytest_collection_modifyitems(config, items):
    """Skip browser tests cleanly where Chromium is not installed."""
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """(base url, app, assessment id) of a server with a signed-up respondent and a draft."""
    from app import create_app, services
    from app.extensions import db
    from app.models import Department, Membership, Organisation, User
    config = base_config(tmp_path_factory, [FIXTURES / "questionnaires"], "mini")
    config.pop("SERVER_NAME")
    config["RATELIMIT_LOGIN"] = "1000 per minute"
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        org = Organisation(slug="demo", name="Demo Kommune")
        db.session.add(org)
        db.session.flush()
        dep = Department(organisation_id=org.id, slug="culture", name="Kultur")
        db.session.add(dep)
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
        dep2 = Department(organisation_id=org.id, slug="it", name="IT")
        db.session.add(dep2)
        db.session.commit()
        a = services.start_assessment(dep, "2026")
        b = services.start_assessment(dep2, "2026")
        ids = (a.id, b.id)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app, ids
    server.shutdown()
    thread.join(5)


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


def sign_in(page, base, email="leader@example.org"):
    """Sign in through the form."""
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_url(base + "/")
