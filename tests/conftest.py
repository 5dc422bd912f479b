"""Shared fixtures: a fresh app and empty database per test, and factories for rows."""
from __future__ import annotations

import contextvars
import os
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import text

from app import create_app
from app.core.answers import Answer
from app.extensions import db, limiter
from app.models import Department, Membership, Organisation, User

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PASSWORD = "correct horse battery staple"
TEST_FERNET_KEY = "dGVzdC1rZXktZm9yLWNsaWVudC1zZWNyZXRzLTAxMjM="  # 32 bytes, url-safe base64

# Property tests check behaviour, not speed (speed goals live in tests/benchmarks): no deadline,
# which on a busy machine only made them fail at random.
settings.register_profile("default", deadline=None)
settings.load_profile("default")


def pytest_collection_modifyitems(config, items):
    """Leave the fuzz tests out unless a time budget is set (make fuzz, .ci/run)."""
    if os.environ.get("FUZZ_SECONDS"):
        return
    kept = [i for i in items if "fuzz" not in i.keywords]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if "fuzz" in i.keywords])
        items[:] = kept


def base_config(tmp_path_factory, questionnaire_dirs, default) -> dict:
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": url,
        "QUESTIONNAIRE_DIRS": questionnaire_dirs,
        "DEFAULT_QUESTIONNAIRE": default,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "RATELIMIT_LOGIN": "5 per minute",
        "SERVER_NAME": "localhost",
        "OIDC_ENCRYPTION_KEYS": [TEST_FERNET_KEY],
    }


class IsolatedClient(FlaskClient):
    """Runs each request in its own context, as a real server would.

    Tests hold an app context for their factories; without this, `g` (and so the signed-in
    user and the CSRF token) would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()
        return response


def _make_app(config):
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
    return app


def _clean(app):
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    limiter.reset()


def _dispose(app):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    app = _make_app(base_config(tmp_path_factory, [FIXTURES / "questionnaires"], "mini"))
    yield app
    _dispose(app)


@pytest.fixture
def app(_app):
    """The app on the small test questionnaire 'mini', with an empty database."""
    with _app.app_context():
        yield _app
    _clean(_app)


@pytest.fixture(scope="session")
def _real_app(tmp_path_factory):
    app = _make_app(base_config(tmp_path_factory, [ROOT / "questionnaires"],
                                "digital-resilience"))
    yield app
    _dispose(app)


@pytest.fixture
def real_app(_real_app):
    """The app on the shipped questionnaire, with an empty database."""
    with _real_app.app_context():
        yield _real_app
    _clean(_real_app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_org(app):
    return add_org


def add_org(slug="demo", name="Demo Kommune", departments=("culture",),
            period: str | None = None) -> Organisation:
    """A committed organisation with departments (named after their slugs), and the period
    opened if one is given; in the current app context."""
    from app import services
    org = Organisation(slug=slug, name=name)
    db.session.add(org)
    db.session.flush()
    for d in departments:
        db.session.add(Department(organisation_id=org.id, slug=d, name=d.title()))
    db.session.commit()
    if period is not None:
        services.ensure_period(org, period)
        db.session.commit()
    return org


def department(org, slug) -> Department:
    """The organisation's department with this slug."""
    return db.session.query(Department).filter_by(organisation_id=org.id, slug=slug).one()


@pytest.fixture
def make_user(app):
    from app import services

    def make(email="leader@example.org", org=None, role="respondent", department=None,
             password=PASSWORD):
        user = User(email=email, name=email.split("@")[0], session_token=services.new_session_token(),
                    password_hash=services.hash_password(password))
        if org is not None:
            user.memberships.append(Membership(organisation_id=org.id, role=role,
                                               department_id=department.id if department else None))
        db.session.add(user)
        db.session.commit()
        return user
    return make


@pytest.fixture
def make_assessment(app):
    """Factory: an assessment of a department and period with answers {qid: level | Answer}."""
    from app import services

    def make(dep, period="2026", levels=None, status="draft", strategic=None):
        a = services.start_assessment(dep, period)
        changes = {k: v if isinstance(v, Answer) else Answer(level=v)
                   for k, v in (levels or {}).items()}
        services.save_answers(a, None, changes, strategic or {})
        if status == "submitted":
            services.submit(a, None)
        return a
    return make


def csrf_token(client, url="/login") -> str:
    """The CSRF token of the client's session, read from a page's form."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on " + url
    return match.group(1)


def login(client, email, password=PASSWORD):
    """Sign in through the real form; return the response."""
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def smtp_server(app):
    """A real local SMTP server (aiosmtpd) the app sends to; yields the list of received messages."""
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    received: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            received.append((list(envelope.rcpt_tos), msg))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS",
                                            "MAIL_USERNAME", "MAIL_FROM")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      MAIL_USERNAME="", MAIL_FROM="runde@demo.dk")
    try:
        yield received
    finally:
        controller.stop()
        app.config.update(saved)
