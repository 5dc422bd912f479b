"""The register API: same access rules as the pages, problem+json errors, matching the schema."""
from __future__ import annotations

from .conftest import assert_problem
from .test_openapi import check

ENTRY = {"name": "ESDH", "layer": "business-systems", "supplier": "Leverandør A",
         "supplier_country": "DK", "hosting_country": "DK", "criticality": "high",
         "lock_in": 5, "data_export": "partial", "exit_plan": "none",
         "contract_end": "2027-03-31", "department": None}


def test_crud_with_conditions_and_schema(client, world):
    doc = client.get("/api/v1/openapi.json").get_json()
    h = world.headers("admin")
    made = client.post("/api/v1/organisations/demo/register", json=ENTRY, headers=h)
    assert made.status_code == 201
    e = made.get_json()
    check(doc, "RegisterEntry", e)
    listing = client.get("/api/v1/organisations/demo/register", headers=h).get_json()
    check(doc, "Register", listing)
    assert listing["conditions"]["red_entry"] == {"holds": True, "entries": [e["id"]]}
    changed = client.put(f"/api/v1/organisations/demo/register/{e['id']}",
                         json={**ENTRY, "exit_plan": "tested"}, headers=h)
    assert changed.status_code == 200 and changed.get_json()["exit_plan"] == "tested"
    listing = client.get("/api/v1/organisations/demo/register", headers=h).get_json()
    assert listing["conditions"]["red_entry"] == {"holds": False, "entries": []}
    assert client.delete(f"/api/v1/organisations/demo/register/{e['id']}",
                         headers=h).status_code == 204
    assert client.get("/api/v1/organisations/demo/register", headers=h).get_json()["entries"] == []


def test_bad_fields_are_named_and_nothing_stored(client, world):
    h = world.headers("admin")
    body = assert_problem(client.post("/api/v1/organisations/demo/register",
                                      json={**ENTRY, "lock_in": 6, "supplier_country": "USA"},
                                      headers=h), 422)
    assert {x["field"] for x in body["errors"]} == {"lock_in", "supplier_country"}
    assert_problem(client.post("/api/v1/organisations/demo/register", json=[1], headers=h), 422)
    assert client.get("/api/v1/organisations/demo/register", headers=h).get_json()["entries"] == []


def test_access_rules(client, world):
    shared = client.post("/api/v1/organisations/demo/register", json=ENTRY,
                         headers=world.headers("admin")).get_json()
    schools = client.post("/api/v1/organisations/demo/register",
                          json={**ENTRY, "department": "schools"},
                          headers=world.headers("admin")).get_json()
    url = "/api/v1/organisations/demo/register"
    # another organisation: 404 for the register and for an entry by id
    assert_problem(client.get(url, headers=world.headers("other")), 404)
    assert_problem(client.put(f"/api/v1/organisations/other/register/{shared['id']}",
                              json=ENTRY, headers=world.headers("other")), 404)
    # viewer reads, cannot write
    assert len(client.get(url, headers=world.headers("viewer")).get_json()["entries"]) == 2
    assert_problem(client.post(url, json=ENTRY, headers=world.headers("viewer")), 403)
    # the culture leader: reads the shared entry, not the schools one, and may not touch either
    lead = world.headers("respondent")
    assert [e["id"] for e in client.get(url, headers=lead).get_json()["entries"]] == [shared["id"]]
    assert_problem(client.put(f"{url}/{schools['id']}", json=ENTRY, headers=lead), 404)
    assert_problem(client.put(f"{url}/{shared['id']}", json=ENTRY, headers=lead), 403)
    made = client.post(url, json={**ENTRY, "department": "culture"}, headers=lead)
    assert made.status_code == 201
    body = assert_problem(client.post(url, json={**ENTRY, "department": "schools"}, headers=lead),
                          422)
    assert body["errors"][0]["field"] == "department"
