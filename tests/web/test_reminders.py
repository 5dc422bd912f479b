"""Reminders and reopen notices through a real local SMTP server (aiosmtpd)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app import services
from app.extensions import db
from app.models import AuditEvent
from tests.conftest import csrf_token, department, login


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English; Danish is the default."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def round_2026(client, make_org, make_user, make_assessment):
    org = make_org("demo", "Demo Kommune", ("culture", "schools", "roads"))
    culture, schools, roads = (department(org, d) for d in ("culture", "schools", "roads"))
    make_user("admin@demo.dk", org, "admin")
    make_user("culture@demo.dk", org, "respondent", culture)
    make_user("schools@demo.dk", org, "respondent", schools)
    make_user("roads@demo.dk", org, "respondent", roads)
    services.ensure_period(org, "2026")
    make_assessment(culture, "2026", {"alpha-one": 2})
    make_assessment(schools, "2026", {"alpha-one": 4}, status="submitted")
    login(client, "admin@demo.dk")
    return org


def send(client):
    url = "/o/demo/admin/round/remind?period=2026"
    return client.post(url, data={"csrf_token": csrf_token(client, url)})


def test_reminders_reach_the_smtp_server_once_per_24_hours(client, round_2026, smtp_server):
    page = client.get("/o/demo/admin/round/remind?period=2026").get_data(as_text=True)
    assert "Send the reminders" in page and "culture@demo.dk" in page
    assert send(client).status_code == 302
    assert sorted(to for rcpt, _m in smtp_server for to in rcpt) == [
        "culture@demo.dk", "roads@demo.dk"]  # schools has submitted
    rcpt, msg = next((r, m) for r, m in smtp_server if r == ["culture@demo.dk"])
    assert msg["From"] == "runde@demo.dk" and "2026" in msg["Subject"]
    body = msg.get_content()
    assert "Culture" in body and "http://localhost/" in body
    events = db.session.query(AuditEvent).filter_by(kind="reminder_sent").all()
    assert len(events) == 2 and all(e.period == "2026" for e in events)
    # A second click within 24 hours sends nothing more.
    assert send(client).status_code == 302
    assert len(smtp_server) == 2
    html = client.get("/o/demo/admin/round?period=2026").get_data(as_text=True)
    assert "1 of 3 departments have submitted" in html
    # After 24 hours the department may be reminded again.
    for e in events:
        e.at = e.at - timedelta(hours=25)
    db.session.commit()
    send(client)
    assert len(smtp_server) == 4


def test_base_url_is_used_for_links_in_mails(app, client, round_2026, smtp_server):
    app.config["BASE_URL"] = "https://selvevaluering.example.dk"
    try:
        send(client)
    finally:
        app.config.pop("BASE_URL")
    assert "https://selvevaluering.example.dk/" in smtp_server[0][1].get_content()


def test_without_mail_the_page_gives_text_and_addresses_to_copy(client, round_2026):
    page = client.get("/o/demo/admin/round/remind?period=2026").get_data(as_text=True)
    assert "Mail is not set up" in page
    assert "culture@demo.dk, roads@demo.dk" in page
    assert "Send the reminders" not in page
    assert send(client).status_code == 200  # nothing sent, the same page again
    assert db.session.query(AuditEvent).filter_by(kind="reminder_sent").count() == 0


def test_smtp_failure_is_a_clear_message_not_a_500(app, client, round_2026):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)
    try:
        r = send(client)
    finally:
        app.config["MAIL_SERVER"] = ""
    assert r.status_code == 200 and "could not be sent" in r.get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(kind="reminder_sent").count() == 0


def test_reopen_asks_for_confirmation_mails_the_leader_and_shows_on_home(
        client, round_2026, smtp_server):
    a = services.find_assessment(department(round_2026, "schools"), "2026")
    r = client.post(f"/assessments/{a.id}/reopen", data={"csrf_token": csrf_token(client, "/")})
    assert r.status_code == 303  # to the confirmation page, nothing changed yet
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "leaves the organisation" in page and 'name="confirmed" value="1"' in page
    db.session.refresh(a)
    assert a.status == "submitted"
    client.post(f"/assessments/{a.id}/reopen",
                data={"csrf_token": csrf_token(client, "/"), "confirmed": "1"})
    db.session.refresh(a)
    assert a.status == "draft" and a.reopened_at is not None
    (rcpt, msg), = smtp_server
    assert rcpt == ["schools@demo.dk"] and "2026" in msg["Subject"]
    assert db.session.query(AuditEvent).filter_by(kind="reopened", assessment_id=a.id).count() == 1
    leader = client.application.test_client()
    leader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(leader, "schools@demo.dk")
    assert "Reopened by a coordinator" in leader.get("/").get_data(as_text=True)


def test_reminders_sent_before_a_failure_are_recorded(app, round_2026):
    from app import rounds
    from app.models import User
    calls = []

    def flaky(to, subject, body):
        calls.append(to)
        if len(calls) == 2:
            raise OSError("connection lost")

    admin = db.session.query(User).filter_by(email="admin@demo.dk").one()
    with pytest.raises(OSError):
        rounds.send_reminders(round_2026, admin, "2026", lambda r: ("s", "b"), flaky)
    assert db.session.query(AuditEvent).filter_by(kind="reminder_sent").count() == 1
    assert [r.department for r in rounds.reminders(round_2026, "2026") if r.due] == ["Roads"]
