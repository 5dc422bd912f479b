"""/api/v1 action plan endpoints: access, validation as problem+json, schemas of the document."""
from __future__ import annotations

from app.extensions import db
from app.models import PlanChange, PlanItem
from tests.conftest import department

from .conftest import assert_problem
from .test_openapi import check


def test_add_read_update_delete(client, world):
    culture = department(world.org, "culture")
    h = world.headers("respondent")
    url = f"/api/v1/departments/{culture.id}/plan"
    r = client.post(url, json={"initiative": "init-alpha", "owner": "Kim", "status": "planned",
                               "start": "2026-01-01", "due": "2026-06-30"}, headers=h)
    assert r.status_code == 201, r.get_json()
    item = r.get_json()
    assert (item["department"], item["initiative"], item["due"], item["joint"]) == (
        "culture", "init-alpha", "2026-06-30", False)
    assert item["period"] == "2026"  # the department's newest assessment
    doc = client.get("/api/v1/openapi.json").get_json()
    check(doc, "PlanItem", item)
    plan = client.get(url, headers=world.headers("viewer")).get_json()
    check(doc, "DepartmentPlan", plan)
    assert [i["id"] for i in plan["items"]] == [item["id"]]
    r = client.put(f"/api/v1/plan-items/{item['id']}", json={"status": "done", "due": None},
                   headers=h)
    assert r.status_code == 200 and (r.get_json()["status"], r.get_json()["due"]) == ("done", None)
    assert client.delete(f"/api/v1/plan-items/{item['id']}", headers=h).status_code == 204
    assert db.session.query(PlanItem).count() == 0
    assert [c.source for c in db.session.query(PlanChange)] == ["api"] * 3


def test_bad_bodies_are_problems_naming_each_field(client, world):
    culture = department(world.org, "culture")
    url = f"/api/v1/departments/{culture.id}/plan"
    h = world.headers("respondent")
    body = assert_problem(client.post(url, json={
        "initiative": "init-alpha", "status": "finished", "start": "2026-13-01", "due": 5,
        "colour": "red"}, headers=h), 422)
    assert {e["field"] for e in body["errors"]} == {"status", "start", "due", "colour"}
    body = assert_problem(client.post(url, json={"initiative": "nope"}, headers=h), 422)
    assert body["errors"][0]["field"] == "initiative"
    body = assert_problem(client.post(url, json={
        "initiative": "init-alpha", "start": "2026-05-01", "due": "2026-04-01"}, headers=h), 422)
    assert body["errors"][0]["field"] == "due"
    assert_problem(client.post(url, json={}, headers=h), 422)
    assert_problem(client.post(url, data="x", headers=h), 415)
    assert db.session.query(PlanItem).count() == 0


def test_access(client, world):
    culture = department(world.org, "culture")
    url = f"/api/v1/departments/{culture.id}/plan"
    body = {"initiative": "init-alpha"}
    assert_problem(client.post(url, json=body, headers=world.headers("viewer")), 403)
    assert_problem(client.post(url, json=body, headers=world.headers("respondent_schools")), 404)
    assert_problem(client.get(url, headers=world.headers("other")), 404)
    assert_problem(client.get(url), 401)
    item = client.post(url, json=body, headers=world.headers("admin")).get_json()
    assert_problem(client.delete(f"/api/v1/plan-items/{item['id']}",
                                 headers=world.headers("other")), 404)
    assert_problem(client.get("/api/v1/organisations/demo/plan",
                              headers=world.headers("respondent")), 403)


def test_organisation_plan_and_joint_initiatives(client, world):
    h = world.headers("admin")
    doc = client.get("/api/v1/openapi.json").get_json()
    r = client.post("/api/v1/organisations/demo/plan/joint", json={
        "initiative": "init-alpha", "period": "2026", "departments": ["culture", "schools"],
        "status": "in_progress", "due": "2020-01-01"}, headers=h)
    assert r.status_code == 201, r.get_json()
    check(doc, "PlanItem", r.get_json())
    assert r.get_json()["departments"] == ["culture", "schools"] and r.get_json()["overdue"]
    body = assert_problem(client.post("/api/v1/organisations/demo/plan/joint", json={
        "initiative": "init-beta", "period": "2026", "departments": ["nowhere"]}, headers=h), 422)
    assert body["errors"][0]["field"] == "departments"
    assert_problem(client.post("/api/v1/organisations/demo/plan/joint", json={
        "initiative": "init-beta", "period": "2026", "departments": ["culture"]},
        headers=world.headers("respondent")), 403)
    plan = client.get("/api/v1/organisations/demo/plan", headers=world.headers("viewer"))
    check(doc, "OrganisationPlan", plan.get_json())
    assert [i["initiative"] for i in plan.get_json()["joint"]] == ["init-alpha"]
    assert_problem(client.get("/api/v1/organisations/demo/plan?status=x", headers=h), 422)
    culture = department(world.org, "culture")
    joint = client.get(f"/api/v1/departments/{culture.id}/plan",
                       headers=world.headers("respondent")).get_json()["joint"]
    assert [j["initiative"] for j in joint] == ["init-alpha"]
    assert_problem(client.put(f"/api/v1/plan-items/{joint[0]['id']}", json={"status": "done"},
                              headers=world.headers("respondent")), 403)
    r = client.put(f"/api/v1/plan-items/{joint[0]['id']}", json={"departments": ["culture"]},
                   headers=h)
    assert r.get_json()["departments"] == ["culture"]
