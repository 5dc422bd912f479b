"""Invitation links: one-time, expiring, stored hashed; optional mail; accepting creates the account."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import ClassVar

import pytest
from sqlalchemy import func, select, update

from app import mail, services
from app.extensions import db
from app.models import Invitation, Membership, User, utcnow
from app.services import accounts
from tests.conftest import csrf_token, department, login


def invite(client, email="new@example.org", role="respondent", dep="all"):
    url = "/o/demo/admin/invitations"
    return client.post(url, data={"email": email, "role": role, "department": dep,
                                  "csrf_token": csrf_token(client, url)})


def link_of(response) -> str:
    match = re.search(r'id="invitation-link" readonly value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no invitation link shown"
    return match.group(1)


def accept(client, path, name="Nina Ny", password="a good password", confirm=None):
    return client.post(path, data={"name": name, "password": password,
                                   "confirm": password if confirm is None else confirm,
                                   "csrf_token": csrf_token(client, path)})


def test_invitation_link_works_once(app, client, org, coordinator):
    dep = department(org, "social")
    r = invite(client, "New@Example.org", "respondent", str(dep.id))
    assert r.status_code == 200
    path = link_of(r).replace("http://localhost", "")
    token = path.rsplit("/", 1)[1]
    inv = db.session.scalar(select(Invitation))
    assert inv.email == "new@example.org" and inv.token_hash == services.token_digest(token)
    assert token not in inv.token_hash
    assert token not in client.get("/o/demo/admin/invitations").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    other = app.test_client()
    assert other.get(path).status_code == 200
    r = accept(other, path)
    assert r.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.name == "Nina Ny" and services.verify_password(user, "a good password")
    (m,) = user.memberships
    assert (m.organisation_id, m.role, m.department_id) == (org.id, "respondent", dep.id)
    assert login(other, "new@example.org", "a good password").status_code == 302

    again = app.test_client()
    r = again.get(path, headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert "already been used" in r.get_data(as_text=True)
    r = again.post(path, data={"name": "Mallory", "password": "another password",
                               "confirm": "another password",
                               "csrf_token": csrf_token(again, "/login")},
                   headers={"Accept-Language": "en"})
    assert r.status_code == 422 and "already been used" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_expired_invitation_is_refused(app, client, org, coordinator):
    path = link_of(invite(client)).replace("http://localhost", "")
    inv = db.session.scalar(select(Invitation))
    inv.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    visitor = app.test_client()
    r = visitor.get(path, headers={"Accept-Language": "en"})
    assert r.status_code == 422 and "expired" in r.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None
    assert "Expired" in client.get("/o/demo/admin/invitations").get_data(as_text=True)


def test_unknown_invitation_token_is_404(client, org):
    assert client.get("/invite/not-a-real-token").status_code == 404


@pytest.mark.parametrize("data, message", [
    ({"name": "", "password": "a good password"}, "Enter your name"),
    ({"name": "Nina", "password": "short"}, "at least 12 characters"),
    ({"name": "Nina", "password": "a good password", "confirm": "different!"}, "not the same"),
])
def test_bad_acceptance_input_creates_nothing(app, client, org, coordinator, data, message):
    path = link_of(invite(client)).replace("http://localhost", "")
    visitor = app.test_client()
    r = visitor.post(path, data={"confirm": data.get("password"), **data,
                                 "csrf_token": csrf_token(visitor, path)},
                     headers={"Accept-Language": "en"})
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None
    assert db.session.scalar(select(Invitation)).used_at is None


@pytest.mark.parametrize("email, role, message", [
    ("not-an-address", "respondent", "valid e-mail"),
    ("x@example.org", "owner", "Unknown role"),
    ("boss@example.org", "viewer", "already a member"),
])
def test_bad_invitation_input_is_refused(client, org, coordinator, email, role, message):
    r = invite(client, email, role)
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_invitation_to_another_organisations_department_is_404(client, org, coordinator, make_org):
    other = make_org("other", "Other", departments=("theirs",))
    r = invite(client, dep=str(department(other, "theirs").id))
    assert r.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_existing_account_joins_only_when_signed_in(app, client, org, coordinator, make_org,
                                                    make_user):
    other = make_org("other", "Other", departments=())
    make_user("known@example.org", org=other, role="viewer")
    path = link_of(invite(client, "known@example.org", "viewer")).replace("http://localhost", "")
    visitor = app.test_client()
    r = accept(visitor, path, password="takeover attempt")
    assert r.status_code == 422
    user = db.session.scalar(select(User).where(User.email == "known@example.org"))
    assert not services.verify_password(user, "takeover attempt") and len(user.memberships) == 1
    owner = app.test_client()
    login(owner, "known@example.org")
    r = owner.post(path, data={"csrf_token": csrf_token(owner, path)})
    assert r.status_code == 302
    db.session.refresh(user)
    assert {m.organisation_id for m in user.memberships} == {org.id, other.id}


def test_revoke_invitation(app, client, org, coordinator):
    path = link_of(invite(client)).replace("http://localhost", "")
    inv = db.session.scalar(select(Invitation))
    url = "/o/demo/admin/invitations"
    r = client.post(f"{url}/{inv.id}/revoke", data={"csrf_token": csrf_token(client, url),
                                                   "confirmed": "1"})
    assert r.status_code == 302
    assert app.test_client().get(path).status_code == 404


def test_revoke_invitation_of_another_organisation_is_404(app, client, org, coordinator,
                                                          make_org, make_user):
    other = make_org("other", "Other", departments=())
    them = make_user("a@other.org", org=other, role="admin")
    m = db.session.scalar(select(Membership).where(Membership.user_id == them.id))
    inv, _token = services.create_invitation(m, them, "x@example.org", "viewer", None)
    url = "/o/demo/admin/invitations"
    r = client.post(f"{url}/{inv.id}/revoke", data={"csrf_token": csrf_token(client, url),
                                                   "confirmed": "1"})
    assert r.status_code == 404
    assert db.session.get(Invitation, inv.id) is not None


class FakeSMTP:
    sent: ClassVar[list] = []

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.tls = True

    def login(self, user, password):
        self.user = user

    def send_message(self, msg):
        FakeSMTP.sent.append(msg)


def test_invitation_is_mailed_when_smtp_is_configured(app, client, org, coordinator, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    r = invite(client, "mailme@example.org")
    link = link_of(r)
    (msg,) = FakeSMTP.sent
    assert msg["To"] == "mailme@example.org"
    assert link in msg.get_content()
    assert "was sent to mailme@example.org" in r.get_data(as_text=True)


def test_no_mail_without_smtp_settings(app, client, org, coordinator, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    link_of(invite(client))
    assert FakeSMTP.sent == []


def test_mail_failure_still_shows_the_link(app, client, org, coordinator, monkeypatch):
    class Broken(FakeSMTP):
        def send_message(self, msg):
            raise OSError("connection refused")
    monkeypatch.setattr(mail.smtplib, "SMTP", Broken)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    r = invite(client)
    assert link_of(r)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1


def test_signed_in_user_opening_someone_elses_invitation_is_not_welcomed_as_member(
        app, client, org, coordinator):
    """The invitee's account is created; the signed-in coordinator is told so, not welcomed."""
    path = link_of(invite(client, "other@example.org")).replace("http://localhost", "")
    r = accept(client, path)
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    flashed = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sign in with other@example.org" in flashed and "Welcome to" not in flashed
    invitee = db.session.scalar(select(User).where(User.email == "other@example.org"))
    assert [m.organisation_id for m in invitee.memberships] == [org.id]
    assert [m.organisation_id for m in coordinator.memberships] == [org.id]


def test_leader_invitation_needs_a_department_all_only_explicitly(client, org, coordinator):
    r = invite(client, "lead@example.org", "respondent", "")
    assert r.status_code == 422 and 'id="department-error"' in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    form = client.get("/o/demo/admin/invitations").get_data(as_text=True)
    select_html = form[form.index('id="department"'):]
    assert re.match(r'id="department" name="department">\s*<option value="">Choose a department',
                    select_html) and "All departments" in select_html
    assert invite(client, "lead@example.org", "respondent", "all").status_code == 200
    assert db.session.scalar(select(Invitation)).department_id is None
    assert invite(client, "viewer@example.org", "viewer", "").status_code == 200


def test_copy_button_and_email_prefilled_after_accepting(client, org, coordinator):
    r = invite(client, "fresh@example.org", "viewer", "")
    assert 'data-copy="invitation-link"' in r.get_data(as_text=True)
    path = link_of(r).replace("http://localhost", "")
    other = client.application.test_client()
    done = accept(other, path)
    assert done.status_code == 302 and done.headers["Location"].endswith(
        "/login?email=fresh@example.org")
    login_page = other.get(done.headers["Location"]).get_data(as_text=True)
    assert 'value="fresh@example.org"' in login_page


def test_second_invitation_cannot_claim_an_existing_account(client, org, coordinator, make_org,
                                                            make_user):
    elsewhere = make_org("else", "Elsewhere", ("x",))
    make_user("owner@example.org", elsewhere, "respondent")
    path = link_of(invite(client, "owner@example.org", "viewer", "")).replace(
        "http://localhost", "")
    stranger = client.application.test_client()
    r = accept(stranger, path, password="attacker password")  # not signed in as the owner
    assert r.status_code == 422
    owner = db.session.scalar(select(User).where(User.email == "owner@example.org"))
    assert [m.organisation_id for m in owner.memberships] == [elsewhere.id]
    assert services.verify_password(owner, "attacker password") is False
    login(stranger, "owner@example.org")
    assert stranger.post(path, data={"csrf_token": csrf_token(stranger, path)}).status_code == 302
    db.session.refresh(owner)
    assert sorted(m.organisation_id for m in owner.memberships) == sorted([elsewhere.id, org.id])


# -- invitations ---------------------------------------------------------------------------------

def _invitation(org, admin, email):
    m = next(x for x in admin.memberships if x.organisation_id == org.id)
    return services.create_invitation(m, admin, email, "viewer", None)


def test_second_invitation_for_a_member_is_refused_cleanly(app, client, make_org, make_user):
    org = make_org()
    admin = make_user("boss@example.org", org=org, role="admin")
    member = make_user("member@example.org", org=org, role="respondent")
    _inv, token = _invitation(org, admin, "late@example.org")
    # The address became a member meanwhile (e.g. by an earlier invitation).
    late = make_user("late@example.org", org=org, role="respondent")
    assert member and late
    login(client, "late@example.org")
    path = f"/invite/{token}"
    r = client.post(path, data={"csrf_token": csrf_token(client, path)},
                    headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert "already a member" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.user_id == late.id)) == 1


def test_an_invitation_spent_meanwhile_creates_nothing(app, client, make_org, make_user,
                                                       monkeypatch):
    org = make_org()
    admin = make_user("boss@example.org", org=org, role="admin")
    inv, token = _invitation(org, admin, "new@example.org")
    real = services.invitation_for

    def racing(t):
        found = real(t)  # still pending when read ...
        with db.engine.begin() as conn:  # ... then another request spends it
            conn.execute(update(Invitation).where(Invitation.id == inv.id).values(used_at=utcnow()))
        return found
    monkeypatch.setattr(accounts, "invitation_for", racing)
    from app.errors import Invalid
    with pytest.raises(Invalid):
        services.accept_invitation(token, "Nina", "a good password", "a good password")
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None
