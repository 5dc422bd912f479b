"""The coordinator's download of the whole organisation (page and API), a person's own data,
and erasing a member: scores unchanged, no trace of the name or address anywhere."""
from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import String, Text, func, select

from app import services
from app.core.answers import Answer
from app.extensions import db
from app.models import AuditEvent, Membership, User
from tests.conftest import csrf_token, department, login

NAME, EMAIL = "Bodil Særlignavn", "bodil.saerlig@aarhus.dk"


@pytest.fixture
def org_with_leader(app, make_org, make_user, make_assessment):
    """An organisation with a coordinator, a viewer and a leader who answered and commented."""
    org = make_org(slug="aarhus", name="Aarhus Kommune", departments=("culture",))
    services.ensure_period(org, "2026")
    db.session.commit()
    coordinator = make_user("chef@aarhus.dk", org, "admin")
    make_user("viewer@aarhus.dk", org, "viewer")
    leader = make_user(EMAIL, org, "respondent", department(org, "culture"))
    leader.name = NAME
    db.session.commit()
    a = services.start_assessment(department(org, "culture"), "2026", user=leader)
    services.save_answers(a, leader, {"alpha-one": Answer(level=3, comment="Vi mangler en plan"),
                                      "beta-one": Answer(level=4)}, {})
    services.submit(a, leader)
    # the coordinator's actions name the leader by address in the audit events
    m = db.session.scalar(select(Membership).where(Membership.user_id == leader.id))
    actor = db.session.scalar(select(Membership).where(Membership.user_id == coordinator.id))
    services.change_role(actor, m.id, "respondent", None)
    services.change_role(actor, m.id, "respondent", department(org, "culture").id)
    return org, a.id, m.id


def test_the_coordinator_downloads_the_organisation(client, org_with_leader):
    login(client, "chef@aarhus.dk")
    page = client.get("/o/aarhus/admin").get_data(as_text=True)
    assert "/o/aarhus/admin/export" in page
    response = client.get("/o/aarhus/admin/export")
    assert response.status_code == 200
    assert response.mimetype == "application/gzip"
    assert "attachment" in response.headers["Content-Disposition"]
    doc = json.loads(gzip.decompress(response.data))
    assert doc["format"] == "digital-resilience-organisation/1"
    assert EMAIL in {u["email"] for u in doc["users"]}


@pytest.mark.parametrize("who", ["viewer@aarhus.dk", EMAIL])
def test_only_coordinators_download_the_organisation(client, org_with_leader, who):
    login(client, who)
    assert client.get("/o/aarhus/admin/export").status_code == 403


def test_the_api_offers_the_export_to_admins(client, org_with_leader):
    admin = services.user_by_email("chef@aarhus.dk")
    viewer = services.user_by_email("viewer@aarhus.dk")
    ok = client.get("/api/v1/organisations/aarhus/export",
                    headers={"Authorization": f"Bearer {services.create_token(admin)}"})
    assert ok.status_code == 200 and ok.json["format"] == "digital-resilience-organisation/1"
    refused = client.get("/api/v1/organisations/aarhus/export",
                         headers={"Authorization": f"Bearer {services.create_token(viewer)}"})
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    spec = client.get("/api/v1/openapi.json").json
    assert "get" in spec["paths"]["/organisations/{slug}/export"]


def test_a_person_downloads_their_data(client, org_with_leader):
    login(client, EMAIL)
    assert "/account/data" in client.get("/account").get_data(as_text=True)
    response = client.get("/account/data")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    doc = json.loads(response.data)
    assert doc["profile"]["email"] == EMAIL and doc["profile"]["name"] == NAME
    assert doc["memberships"] == [{"organisation": "aarhus", "role": "respondent",
                                   "department": "culture"}]
    assert {(a["question"], a["answer"].get("comment")) for a in doc["answers"]} == {
        ("alpha-one", "Vi mangler en plan"), ("beta-one", None)}
    assert {c["question"] for c in doc["audit"]["answer_changes"]} == {"alpha-one", "beta-one"}
    kinds = {e["kind"] for e in doc["audit"]["events"]}
    assert {"started", "submitted", "role_changed"} <= kinds  # role_changed names them
    assert "argon2" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.kind == "personal_data_downloaded")) == 1


def _texts_containing(*needles: str) -> list[str]:
    """Every 'table.column' of the database holding one of the needles in some row."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text):
                continue
            for needle in needles:
                hit = db.session.scalar(select(func.count()).select_from(table).where(
                    func.lower(column).contains(needle.lower(), autoescape=True)))
                if hit:
                    found.append(f"{table.name}.{column.name}")
    return found


def test_erasing_a_member_keeps_scores_and_leaves_no_trace(client, org_with_leader):
    _org, assessment_id, membership_id = org_with_leader
    a = services.get_assessment_or_404(assessment_id)
    before = services.results_document(a)
    assert set(_texts_containing(NAME, EMAIL)) >= {"users.email", "users.name",
                                                   "audit_events.detail"}
    login(client, "chef@aarhus.dk")
    confirm = client.get(f"/o/aarhus/admin/users/{membership_id}/erase")
    assert confirm.status_code == 200 and EMAIL in confirm.get_data(as_text=True)
    response = client.post(f"/o/aarhus/admin/users/{membership_id}/erase",
                           data={"csrf_token": csrf_token(client, "/o/aarhus/admin/users")})
    assert response.status_code == 302
    db.session.expire_all()
    assert _texts_containing(NAME, EMAIL) == []
    assert _texts_containing("Særlignavn", "bodil.saerlig") == []
    a = services.get_assessment_or_404(assessment_id)
    assert services.results_document(a) == before
    trail = services.audit_trail(a)
    assert trail and {c.who for c in trail if c.source != "organisation"} == {
        next(c.who for c in trail)} and trail[0].who.startswith("Former member ")
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.kind == "member_erased")) == 1
    assert services.user_by_email(EMAIL) is None
    gone = db.session.scalar(select(User).where(User.name.startswith("Former member")))
    assert gone.password_hash == "" and not gone.active and not gone.memberships


@pytest.mark.parametrize("case", ["self", "member elsewhere"])
def test_erasure_is_refused(client, org_with_leader, make_org, case):
    org, _aid, leader_membership = org_with_leader
    coordinator = services.user_by_email("chef@aarhus.dk")
    target = db.session.scalar(select(Membership).where(Membership.user_id == coordinator.id))
    if case == "member elsewhere":
        other = make_org(slug="odense", name="Odense", departments=())
        db.session.add(Membership(user_id=services.user_by_email(EMAIL).id,
                                  organisation_id=other.id, role="viewer"))
        db.session.commit()
        target = db.session.get(Membership, leader_membership)
    login(client, "chef@aarhus.dk")
    before = _texts_containing(EMAIL)
    response = client.post(f"/o/aarhus/admin/users/{target.id}/erase",
                           data={"csrf_token": csrf_token(client, "/o/aarhus/admin/users")})
    assert response.status_code == 302
    assert "flash-error" in client.get("/o/aarhus/admin/users").get_data(as_text=True)
    assert _texts_containing(EMAIL) == before


def test_erasing_a_member_of_another_organisation_is_not_found(client, org_with_leader, make_org,
                                                                make_user):
    other = make_org(slug="odense", name="Odense", departments=())
    stranger = make_user("someone@odense.dk", other, "viewer")
    login(client, "chef@aarhus.dk")
    mid = stranger.memberships[0].id
    assert client.get(f"/o/aarhus/admin/users/{mid}/erase").status_code == 404
