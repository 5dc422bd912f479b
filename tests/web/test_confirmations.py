"""Far-reaching actions ask on a page of their own first (no JavaScript needed)."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Department, Invitation, Membership
from tests.conftest import csrf_token, department, login


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English; Danish is the default."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def org(client, make_org, make_user):
    org = make_org("demo", "Demo Kommune", ("culture",))
    make_user("admin@demo.dk", org, "admin")
    login(client, "admin@demo.dk")
    return org


def confirm_flow(client, url, fields, page):
    """POST without confirmation -> the confirmation page; its form POSTs with confirmed=1."""
    r = client.post(url, data={"csrf_token": csrf_token(client, page), **fields})
    assert r.status_code == 303
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert f'action="{url}"' in html and 'name="confirmed" value="1"' in html and "Cancel" in html
    return html


def test_archive_asks_first(client, org):
    d = department(org, "culture")
    url = f"/o/demo/admin/departments/{d.id}/archive"
    html = confirm_flow(client, url, {"archived": "1"}, "/o/demo/admin/departments")
    assert "Archive Culture?" in html
    assert not db.session.get(Department, d.id).archived
    client.post(url, data={"csrf_token": csrf_token(client, url), "archived": "1",
                           "confirmed": "1"})
    assert db.session.get(Department, d.id).archived
    # Restoring is not destructive: no confirmation.
    r = client.post(url, data={"csrf_token": csrf_token(client, "/o/demo/admin/departments"),
                               "archived": "0"})
    assert r.status_code == 302 and not db.session.get(Department, d.id).archived


def test_remove_member_asks_first(client, org, make_user):
    viewer = make_user("viewer@demo.dk", org, "viewer")
    mid = viewer.memberships[0].id
    url = f"/o/demo/admin/users/{mid}/remove"
    assert "viewer@demo.dk" in confirm_flow(client, url, {}, "/o/demo/admin/users")
    assert db.session.get(Membership, mid) is not None
    client.post(url, data={"csrf_token": csrf_token(client, url), "confirmed": "1"})
    assert db.session.get(Membership, mid) is None


def test_withdraw_invitation_asks_first(client, org):
    page = "/o/demo/admin/invitations"
    client.post(page, data={"csrf_token": csrf_token(client, page), "email": "new@demo.dk",
                            "role": "viewer", "department": ""})
    inv = db.session.query(Invitation).one()
    url = f"/o/demo/admin/invitations/{inv.id}/revoke"
    assert "new@demo.dk" in confirm_flow(client, url, {}, page)
    assert db.session.query(Invitation).count() == 1
    client.post(url, data={"csrf_token": csrf_token(client, url), "confirmed": "1"})
    assert db.session.query(Invitation).count() == 0


def test_confirmation_pages_of_another_organisation_are_404(client, org, make_org):
    other = make_org("other", "Anden", ("x",))
    x = department(other, "x")
    assert client.get(f"/o/demo/admin/departments/{x.id}/archive").status_code == 404
    assert client.get("/o/demo/admin/users/9999/remove").status_code == 404
    assert client.get("/o/demo/admin/invitations/9999/revoke").status_code == 404
    assert client.get("/assessments/9999/reopen").status_code == 404


def test_last_coordinator_cannot_remove_itself(client, org):
    mid = db.session.query(Membership).one().id
    url = f"/o/demo/admin/users/{mid}/remove"
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "confirmed": "1"})
    assert r.status_code == 422 and f"role-{mid}-error" in r.get_data(as_text=True)
    assert db.session.get(Membership, mid) is not None
