"""The register's pages: table and filters, heat map, form, delete, files, access."""
from __future__ import annotations

import io

import pytest

from app import services_register as reg
from app.extensions import db
from app.models import RegisterEntry
from tests.conftest import csrf_token, department, login

ROW = {"name": "ESDH", "layer": "business-systems", "supplier": "Leverandør A",
       "supplier_country": "DK", "hosting_country": "DK", "criticality": "high",
       "lock_in": "5", "data_export": "partial", "exit_plan": "none", "department": "",
       "contract_end": "", "seal": "", "seal_source": "", "alternative": "", "notes": ""}


def add(org, user, **fields):
    return reg.create_entry(org, user.memberships[0], user, {**ROW, **fields})


def test_register_page_shows_conditions_heat_map_and_filters(client, org, coordinator):
    add(org, coordinator)
    add(org, coordinator, name="Mail", layer="digital-workplace", supplier="Big Cloud Inc",
        supplier_country="US", hosting_country="IE", lock_in="3", exit_plan="tested",
        department="culture")
    html = client.get("/o/demo/register").get_data(as_text=True)
    assert "Critical system «ESDH» at «Leverandør A»: lock-in 5, no exit plan" in html
    assert "Critical system «Mail» at «Big Cloud Inc»: supplier in United States" in html
    assert '<svg' in html and 'role="img"' in html
    assert "Heat map by layer, as numbers" in html
    only = client.get("/o/demo/register?layer=digital-workplace").get_data(as_text=True)
    assert ">Mail</a>" in only and ">ESDH</a>" not in only
    red = client.get("/o/demo/register?condition=red_entry").get_data(as_text=True)
    assert ">ESDH</a>" in red and ">Mail</a>" not in red
    shared = client.get("/o/demo/register?department=-").get_data(as_text=True)
    assert ">ESDH</a>" in shared and ">Mail</a>" not in shared


def test_form_adds_an_entry_and_names_bad_fields(client, org, coordinator):
    token = csrf_token(client, "/o/demo/register/new")
    bad = client.post("/o/demo/register/new", data={**ROW, "lock_in": "9", "supplier_country": "",
                                                     "csrf_token": token})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Lock-in: must be a whole number from 1–5." in html
    assert "Supplier&#39;s country: this field is required." in html
    assert db.session.query(RegisterEntry).count() == 0
    ok = client.post("/o/demo/register/new", data={**ROW, "csrf_token": token})
    assert ok.status_code == 302
    (row,) = db.session.query(RegisterEntry).all()
    page = client.get(f"/o/demo/register/{row.id}").get_data(as_text=True)
    assert 'value="ESDH"' in page and '<option selected value="DK">' in page
    saved = client.post(f"/o/demo/register/{row.id}", data={**ROW, "name": "ESDH 2",
                                                             "csrf_token": token})
    assert saved.status_code == 302 and db.session.get(RegisterEntry, row.id).name == "ESDH 2"
    client.post(f"/o/demo/register/{row.id}/delete", data={"csrf_token": token})
    assert db.session.query(RegisterEntry).count() == 0


def test_other_organisation_gets_404_and_viewer_cannot_change(client, org, make_org, make_user,
                                                             coordinator):
    e = add(org, coordinator, department="culture")
    other = make_org(slug="other", name="Other")
    make_user("x@example.org", org=other, role="admin")
    make_user("v@example.org", org=org, role="viewer")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/o/demo/register")})
    login(client, "x@example.org")
    assert client.get(f"/o/demo/register/{e.id}").status_code == 404
    assert client.get(f"/o/other/register/{e.id}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/o/other/register")})
    login(client, "v@example.org")
    page = client.get(f"/o/demo/register/{e.id}")
    assert page.status_code == 200 and "<form method=\"post\" action=\"/o/demo/register/" not in (
        page.get_data(as_text=True))
    token = csrf_token(client, "/o/demo/register")
    assert client.post(f"/o/demo/register/{e.id}", data={**ROW, "csrf_token": token}).status_code == 403
    assert client.get("/o/demo/register/new").status_code == 403


def test_leader_sees_own_and_shared_entries_only(client, org, coordinator, make_user):
    add(org, coordinator, name="Shared one")
    add(org, coordinator, name="Social one", department="social")
    add(org, coordinator, name="Culture one", department="culture")
    make_user("lead@example.org", org=org, role="respondent", department=department(org, "culture"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/o/demo/register")})
    login(client, "lead@example.org")
    html = client.get("/o/demo/register").get_data(as_text=True)
    assert "Shared one" in html and "Culture one" in html and "Social one" not in html


def hundred_rows_csv(bad_line: int | None = None) -> bytes:
    lines = ["name;layer;supplier;supplier_country;hosting_country;criticality;lock_in;"
             "data_export;exit_plan;contract_end;seal;department"]
    for n in range(100):
        crit = "extreme" if n + 2 == bad_line else "Høj"
        lines.append(f"System {n};Koncern- og fagsystemer;Leverandør {n % 7};DK;on_premises;"
                     f"{crit};{1 + n % 5};Delvis;Ingen;2027-01-{1 + n % 28:02d};{n % 5};culture")
    return ("\ufeff" + "\r\n".join(lines)).encode()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_import_one_bad_row_among_a_hundred_stores_nothing(client, org, coordinator, kind):
    def upload(data):
        if kind == "xlsx":
            from app import register_files
            table = [r.split(";") for r in data.decode("utf-8-sig").split("\r\n")]
            rows = register_files.rows_from_table(table)  # sanity: the CSV itself is readable
            assert len(rows) == 100
            from openpyxl import Workbook
            wb = Workbook()
            for r in table:
                wb.active.append([int(c) if c.isdigit() else c for c in r])
            buf = io.BytesIO()
            wb.save(buf)
            data = buf.getvalue()
        token = csrf_token(client, "/o/demo/register/import")
        return client.post("/o/demo/register/import", content_type="multipart/form-data",
                           data={"csrf_token": token, "file": (io.BytesIO(data), f"r.{kind}")})
    bad = upload(hundred_rows_csv(bad_line=59))
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Line 59: Criticality: “extreme” is not one of the choices." in html
    assert html.count("Line ") == 1
    assert db.session.query(RegisterEntry).count() == 0
    good = upload(hundred_rows_csv())
    assert good.status_code == 302
    assert db.session.query(RegisterEntry).count() == 100


def test_export_round_trips_through_import(client, org, coordinator):
    add(org, coordinator, name="=cmd()", contract_end="2027-03-31", seal="2")
    csv_body = client.get("/o/demo/register.csv").data
    assert csv_body.startswith("\ufeff".encode())
    text = csv_body.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Id,System or service,Layer")  # English: comma
    assert "'=cmd()" in text and "Corporate and line-of-business systems" in text
    xlsx = client.get("/o/demo/register.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    from openpyxl import load_workbook
    ws = load_workbook(io.BytesIO(xlsx.data)).active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert isinstance(ws["I2"].value, int)  # lock-in stored as a number
    assert (ws["B2"].value, ws["B2"].data_type) == ("=cmd()", "s")  # text, never a formula
    assert ws["L2"].is_date and ws["L2"].number_format == "yyyy-mm-dd"
    for body, name in ((xlsx.data, "r.xlsx"), (csv_body, "r.csv")):
        token = csrf_token(client, "/o/demo/register/import")
        back = client.post("/o/demo/register/import", content_type="multipart/form-data",
                           data={"csrf_token": token, "file": (io.BytesIO(body), name)})
        assert back.status_code == 302
        (row,) = db.session.query(RegisterEntry).all()
        assert (row.name, str(row.contract_end), row.seal) == ("=cmd()", "2027-03-31", 2)


def test_results_page_and_json_name_register_entries(client, org, coordinator, make_assessment,
                                                     monkeypatch):
    from app import services
    from tests.core.test_register import _v2_catalogue
    v2 = _v2_catalogue()  # init-alpha listens to red_entry and contract_window
    from app.services import assessments
    monkeypatch.setattr(assessments, "questionnaire_of", lambda a: v2)
    monkeypatch.setattr(services, "questionnaire_of", lambda a: v2)
    a = make_assessment(department(org, "culture"), levels={"alpha-one": 4, "alpha-two": 4})
    html = client.get(f"/assessments/{a.id}/results").get_data(as_text=True)
    assert "Critical system" not in html
    add(org, coordinator, department="culture")
    add(org, coordinator, name="Social only", department="social")  # not culture's: left out
    html = client.get(f"/assessments/{a.id}/results").get_data(as_text=True)
    assert "Critical system «ESDH» at «Leverandør A»: lock-in 5, no exit plan" in html
    assert "Social only" not in html
    doc = services.results_document(a)
    (rec,) = [r for r in doc["recommendations"] if r["initiative"] == "init-alpha"]
    assert rec["register"] == [{"condition": "red_entry", "entries": [
        {"id": rec["register"][0]["entries"][0]["id"], "name": "ESDH", "supplier": "Leverandør A"}]}]
    assert rec["priority"] == 3  # high 3 x (max(0, 4 - 4) + 1 condition)


def test_statement_count_does_not_grow_with_the_register(client, org, coordinator, app):
    from sqlalchemy import event

    from tests.benchmarks.register_data import build_register

    def count(path):
        box = [0]

        def before(*_a):
            box[0] += 1
        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return box[0]

    build_register(org, 5)
    db.session.commit()
    small = [count(p) for p in ("/o/demo/register", "/api/v1/organisations/demo/register",
                                "/o/demo/register.csv")]
    build_register(org, 300, seed=2)
    db.session.commit()
    big = [count(p) for p in ("/o/demo/register", "/api/v1/organisations/demo/register",
                              "/o/demo/register.csv")]
    assert small == big


def test_changes_page_shows_who_changed_what(client, org, coordinator, make_user):
    e = add(org, coordinator)
    reg.update_entry(org, coordinator.memberships[0], coordinator, e.id,
                     {**ROW, "exit_plan": "tested", "lock_in": "4"})
    html = client.get("/o/demo/register/changes").get_data(as_text=True)
    assert html.count(">ESDH</th>") == 2 and "Changed" in html and "Added" in html
    assert "Lock-in, Exit plan" in html and "boss" in html
    make_user("lead@example.org", org=org, role="respondent", department=department(org, "culture"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/o/demo/register")})
    login(client, "lead@example.org")
    assert client.get("/o/demo/register/changes").status_code == 403
