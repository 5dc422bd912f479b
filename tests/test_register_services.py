"""The register's use cases: access rules, audit trail, one transaction per change."""
from __future__ import annotations

import json

import pytest

from app import services_register as reg
from app.errors import Forbidden, NotFound
from app.extensions import db
from app.models import RegisterChange, RegisterEntry
from tests.conftest import department

ROW = {"name": "ESDH", "layer": "business-systems", "supplier": "Leverandør A",
       "supplier_country": "DK", "hosting_country": "DK", "criticality": "high",
       "lock_in": 5, "data_export": "partial", "exit_plan": "none"}


@pytest.fixture
def world(make_org, make_user):
    org = make_org(departments=("culture", "social"))
    other = make_org(slug="other", name="Other", departments=("x",))
    boss = make_user("boss@example.org", org=org, role="admin")
    lead = make_user("lead@example.org", org=org, role="respondent",
                     department=department(org, "culture"))
    viewer = make_user("viewer@example.org", org=org, role="viewer")
    stranger = make_user("s@example.org", org=other, role="admin")
    return org, other, boss, lead, viewer, stranger


def m(user):
    return user.memberships[0]


def test_coordinator_creates_every_kind_of_entry_and_each_change_is_audited(world):
    org, _other, boss, *_ = world
    shared = reg.create_entry(org, m(boss), boss, ROW)
    own = reg.create_entry(org, m(boss), boss, {**ROW, "name": "Bib", "department": "social"})
    reg.update_entry(org, m(boss), boss, own.id, {**ROW, "name": "Bibliotek",
                                                   "department": "social"})
    reg.delete_entry(org, m(boss), boss, shared.id)
    log = db.session.query(RegisterChange).order_by(RegisterChange.id).all()
    assert [(c.action, c.entry_id, c.user_id) for c in log] == [
        ("create", shared.id, boss.id), ("create", own.id, boss.id),
        ("update", own.id, boss.id), ("delete", shared.id, boss.id)]
    assert json.loads(log[2].old)["name"] == "Bib" and json.loads(log[2].new)["name"] == "Bibliotek"
    assert log[3].new is None
    assert [e.name for e in reg.entries(org)] == ["Bibliotek"]


def test_leader_keeps_own_department_reads_shared_and_nothing_else(world):
    org, _other, boss, lead, *_ = world
    shared = reg.create_entry(org, m(boss), boss, ROW)
    theirs = reg.create_entry(org, m(boss), boss, {**ROW, "name": "Social", "department": "social"})
    own = reg.create_entry(org, m(lead), lead, {**ROW, "name": "Kultur", "department": "culture"})
    assert sorted(e.name for e in reg.entries(org, m(lead))) == ["ESDH", "Kultur"]
    with pytest.raises(reg.RegisterInvalid) as exc:  # a shared entry is the coordinator's
        reg.create_entry(org, m(lead), lead, ROW)
    assert [(line, e.field, e.code) for line, e in exc.value.problems] == [
        (None, "department", "forbidden_department")]
    with pytest.raises(Forbidden):
        reg.update_entry(org, m(lead), lead, shared.id, {**ROW, "department": "culture"})
    with pytest.raises(NotFound):
        reg.entry(org, m(lead), theirs.id)
    with pytest.raises(NotFound):
        reg.delete_entry(org, m(lead), lead, theirs.id)
    reg.update_entry(org, m(lead), lead, own.id, {**ROW, "name": "Kultur 2", "department": "culture"})
    assert db.session.get(RegisterEntry, own.id).name == "Kultur 2"


def test_viewer_reads_everything_and_changes_nothing(world):
    org, _other, boss, _lead, viewer, _s = world
    e = reg.create_entry(org, m(boss), boss, {**ROW, "department": "social"})
    assert [x.name for x in reg.entries(org, m(viewer))] == ["ESDH"]
    with pytest.raises(Forbidden):
        reg.create_entry(org, m(viewer), viewer, ROW)
    with pytest.raises(Forbidden):
        reg.delete_entry(org, m(viewer), viewer, e.id)


def test_another_organisations_entry_is_not_found(world):
    org, other, boss, _lead, _viewer, stranger = world
    e = reg.create_entry(org, m(boss), boss, ROW)
    with pytest.raises(NotFound):
        reg.entry(other, m(stranger), e.id)
    with pytest.raises(NotFound):
        reg.update_entry(other, m(stranger), stranger, e.id, ROW)


def test_a_bad_entry_stores_nothing(world):
    org, _other, boss, *_ = world
    with pytest.raises(reg.RegisterInvalid) as exc:
        reg.create_entry(org, m(boss), boss, {**ROW, "lock_in": 7, "hosting_country": "XX"})
    assert {e.field for _l, e in exc.value.problems} == {"lock_in", "hosting_country"}
    assert db.session.query(RegisterEntry).count() == 0
    assert db.session.query(RegisterChange).count() == 0


def test_import_is_all_or_nothing_and_updates_by_id(world):
    org, _other, boss, *_ = world
    kept = reg.create_entry(org, m(boss), boss, ROW)
    rows = [(n + 2, {**ROW, "name": f"System {n}"}) for n in range(100)]
    rows[57] = (59, {**ROW, "name": "System 57", "criticality": "extreme"})
    with pytest.raises(reg.RegisterInvalid) as exc:
        reg.import_entries(org, m(boss), boss, rows)
    assert [(line, e.field) for line, e in exc.value.problems] == [(59, "criticality")]
    assert db.session.query(RegisterEntry).count() == 1
    rows[57] = (59, {**ROW, "name": "System 57"})
    rows.append((102, {**ROW, "id": str(kept.id), "name": "ESDH 2"}))
    assert reg.import_entries(org, m(boss), boss, rows) == (100, 1)
    assert db.session.query(RegisterEntry).count() == 101
    assert db.session.get(RegisterEntry, kept.id).name == "ESDH 2"
    with pytest.raises(reg.RegisterInvalid) as exc:
        reg.import_entries(org, m(boss), boss, [(2, {**ROW, "id": "999999"})])
    assert [(line, e.field, e.code) for line, e in exc.value.problems] == [(2, "id", "unknown_id")]
