"""Action plan use cases: access rules, audit, one transaction each, effects from the database."""
from __future__ import annotations

import json
from datetime import date

import pytest

from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.models import PlanChange, PlanItem
from app.services import plans
from tests.conftest import department


@pytest.fixture
def org(make_org):
    return make_org(departments=("culture", "schools", "roads"))


@pytest.fixture
def people(org, make_user, make_org):
    other = make_org(slug="other", name="Other", departments=("x",))
    return {
        "leader": make_user("leader@x.org", org, "respondent", department(org, "culture")),
        "schools": make_user("schools@x.org", org, "respondent", department(org, "schools")),
        "admin": make_user("admin@x.org", org, "admin"),
        "viewer": make_user("viewer@x.org", org, "viewer"),
        "outsider": make_user("out@x.org", other, "admin"),
    }


def test_access_rules(org, people):
    culture = department(org, "culture")
    assert plans.department_for(people["leader"], culture.id, write=True)[0] == culture
    assert plans.department_for(people["admin"], culture.id, write=True)[0] == culture
    assert plans.department_for(people["viewer"], culture.id)[0] == culture
    with pytest.raises(Forbidden):
        plans.department_for(people["viewer"], culture.id, write=True)
    with pytest.raises(NotFound):  # another department's leader
        plans.department_for(people["schools"], culture.id)
    with pytest.raises(NotFound):  # another organisation: never revealed
        plans.department_for(people["outsider"], culture.id)
    item = plans.add_item(people["leader"], culture, "init-alpha")
    with pytest.raises(NotFound):
        plans.item_for(people["outsider"], item.id)
    with pytest.raises(Forbidden):
        plans.item_for(people["viewer"], item.id, write=True)


def test_add_update_drop_remove_are_audited(org, people, make_assessment):
    culture = department(org, "culture")
    make_assessment(culture, "2025", {"alpha-one": 2}, status="submitted")
    user = people["leader"]
    item = plans.add_item(user, culture, "init-alpha",
                          {"owner": "Kim", "start": date(2025, 3, 1), "due": date(2025, 9, 1)})
    assert (item.period, item.questionnaire_id, item.status) == ("2025", "mini", "planned")
    plans.update_item(user, item, {"status": "in_progress", "note": "started"})
    plans.update_item(user, item, {"status": "in_progress"})  # nothing changed: no event
    plans.drop_item(user, item)
    plans.remove_item(user, item)
    events = db.session.query(PlanChange).order_by(PlanChange.id).all()
    assert [e.action for e in events] == ["add", "update", "update", "remove"]
    assert all(e.user_id == user.id and e.department_id == culture.id for e in events)
    assert json.loads(events[1].old)["status"] == "planned"
    assert json.loads(events[1].new)["note"] == "started"
    assert json.loads(events[2].new)["status"] == "dropped"
    assert events[3].new is None and json.loads(events[3].old)["owner"] == "Kim"
    assert db.session.query(PlanItem).count() == 0


@pytest.mark.parametrize("initiative, fields, bad", [
    ("nope", {}, ["initiative"]),
    ("init-alpha", {"status": "finished"}, ["status"]),
    ("init-alpha", {"start": date(2026, 5, 1), "due": date(2026, 4, 1)}, ["due"]),
])
def test_bad_items_are_refused_whole(org, people, initiative, fields, bad):
    with pytest.raises(Invalid) as exc:
        plans.add_item(people["leader"], department(org, "culture"), initiative, fields)
    assert [f for f, _ in exc.value.errors] == bad
    assert db.session.query(PlanItem).count() == 0
    assert db.session.query(PlanChange).count() == 0


def test_an_initiative_once_unless_dropped(org, people):
    culture = department(org, "culture")
    first = plans.add_item(people["leader"], culture, "init-alpha")
    with pytest.raises(Invalid) as exc:
        plans.add_item(people["leader"], culture, "init-alpha")
    assert exc.value.errors[0][0] == "initiative"
    plans.drop_item(people["leader"], first)
    assert plans.add_item(people["leader"], culture, "init-alpha").id != first.id


def test_a_failed_update_leaves_the_item_as_it_was(org, people):
    item = plans.add_item(people["leader"], department(org, "culture"), "init-alpha",
                          {"owner": "Kim"})
    with pytest.raises(Invalid):
        plans.update_item(people["leader"], item, {"owner": "Bo", "status": "bad"})
    db.session.expire_all()
    assert (db.session.get(PlanItem, item.id).owner,
            db.session.query(PlanChange).count()) == ("Kim", 1)


def test_overview_puts_overdue_first_and_filters(org, people):
    culture, schools = department(org, "culture"), department(org, "schools")
    plans.add_item(people["admin"], culture, "init-beta", {"due": date(2099, 1, 1)})
    late = plans.add_item(people["admin"], schools, "init-alpha",
                          {"due": date(2020, 1, 1), "status": "in_progress"})
    plans.add_item(people["admin"], culture, "init-gamma", {"status": "done",
                                                            "due": date(2020, 1, 1)})
    rows = plans.overview(org)
    assert [(r.item.initiative_id, r.overdue) for r in rows] == [
        ("init-alpha", True), ("init-gamma", False), ("init-beta", False)]
    assert rows[0].item.id == late.id and rows[0].department == "Schools"
    assert [r.item.initiative_id for r in plans.overview(org, "done")] == ["init-gamma"]


def test_effects_between_the_previous_period_and_this(org, people, make_assessment):
    culture = department(org, "culture")
    make_assessment(culture, "2025", {"alpha-one": 1, "alpha-two": 2, "beta-one": 2},
                    status="submitted")
    plans.add_item(people["leader"], culture, "init-alpha", {"status": "done"})
    plans.add_item(people["leader"], culture, "init-beta", {"status": "planned"})
    a = make_assessment(culture, "2026", {"alpha-one": 2, "alpha-two": 4, "beta-one": 2},
                        status="submitted")
    report = plans.effects_for(a)
    assert report.previous == "2025"
    [(e, item)] = report.effects  # beta is only planned
    # m(2025) = (1 + 2 x 2) / 3 = 5/3; m(2026) = (2 + 4 x 2) / 3 = 10/3
    assert (e.initiative, item.status) == ("init-alpha", "done")
    assert e.delta == pytest.approx(5 / 3) and e.still_recommended is False
    assert plans.effects_for(db.session.get(type(a), a.id)).previous == "2025"


def test_joint_candidates_adoption_and_effect(org, people, make_assessment):
    culture, schools, roads = (department(org, s) for s in ("culture", "schools", "roads"))
    make_assessment(culture, "2025", {"alpha-one": 1, "alpha-two": 1}, status="submitted")
    make_assessment(schools, "2025", {"alpha-one": 2, "alpha-two": 2}, status="submitted")
    make_assessment(roads, "2025", {"alpha-one": 5, "alpha-two": 5, "gamma-one": 1},
                    status="submitted")
    got = {c.initiative.id: [d.slug for d in c.departments]
           for c in plans.joint_candidates(org, "2025")}
    # alpha: 2 of 3 departments; gamma: 1 of 3 is not half
    assert got == {"init-alpha": ["culture", "schools"], "init-alpha-2": ["culture", "schools"]}
    _, admin_m = plans.department_for(people["admin"], culture.id)
    _, leader_m = plans.department_for(people["leader"], culture.id)
    with pytest.raises(Forbidden):
        plans.adopt_joint(people["leader"], org, leader_m, "init-alpha", [culture.id], "2025")
    with pytest.raises(Invalid):
        plans.adopt_joint(people["admin"], org, admin_m, "init-alpha", [], "2025")
    joint = plans.adopt_joint(people["admin"], org, admin_m, "init-alpha",
                              [culture.id, schools.id], "2025", {"status": "in_progress"})
    assert [c.adopted for c in plans.joint_candidates(org, "2025")] == [True, False]
    assert plans.joint_items_of(culture) == [joint] and plans.joint_items_of(roads) == []
    with pytest.raises(Forbidden):  # a leader reads a joint initiative but does not change it
        plans.item_for(people["leader"], joint.id, write=True)
    make_assessment(culture, "2026", {"alpha-one": 3, "alpha-two": 3}, status="submitted")
    make_assessment(schools, "2026", {"alpha-one": 2, "alpha-two": 2}, status="submitted")
    [(item, je)] = plans.joint_effects(org, "2026")
    assert item.id == joint.id
    assert {d: e.delta for d, e in je.effects.items()} == {"Culture": 2.0, "Schools": 0.0}
    assert je.mean_delta == 1.0 and je.still_recommended == 1
    assert db.session.query(PlanChange).filter_by(action="adopt_joint").count() == 1
