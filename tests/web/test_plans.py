"""The action plan pages: from results to a plan, edits, validation, overview, joint initiatives."""
from __future__ import annotations

import html
import re

import pytest

from app.extensions import db
from app.models import PlanChange, PlanItem
from tests.conftest import csrf_token, department, login

EN = {"Accept-Language": "en"}


@pytest.fixture
def org(make_org):
    return make_org(departments=("culture", "schools"))


@pytest.fixture
def leader(client, org, make_user):
    user = make_user("leader@x.org", org, "respondent", department(org, "culture"))
    user.locale = "en"
    db.session.commit()
    login(client, user.email)
    return user


def _text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _add(client, dep, **data):
    url = f"/departments/{dep.id}/plan"
    data.setdefault("csrf_token", csrf_token(client, url))
    return client.post(url, data=data)


def test_from_results_to_a_plan_in_a_few_clicks(client, org, leader, make_assessment):
    culture = department(org, "culture")
    a = make_assessment(culture, "2025", {"alpha-one": 1, "alpha-two": 2}, status="submitted")
    page = client.get(f"/assessments/{a.id}/results").get_data(as_text=True)
    link = html.unescape(re.search(r'href="([^"]+)">Add to plan', page).group(1))
    assert "initiative=init-alpha" in link and "period=2025" in link
    form = client.get(link).get_data(as_text=True)
    assert re.search(r'<option selected value="init-alpha">|<option value="init-alpha" selected>',
                     form)
    r = client.post(link.split("#")[0], data={
        "csrf_token": csrf_token(client, link), "initiative": "init-alpha", "owner": "Kim Holm",
        "status": "planned", "start": "2025-03-01", "due": "2025-12-31", "note": "first step"})
    assert r.status_code == 303
    page = _text(client.get(f"/departments/{culture.id}/plan"))
    assert "Alpha initiative" in page and "Kim Holm" in page and "2025-12-31" in page
    item = db.session.query(PlanItem).one()
    assert (item.period, item.owner, str(item.start)) == ("2025", "Kim Holm", "2025-03-01")
    assert db.session.query(PlanChange).one().action == "add"


@pytest.mark.parametrize("data, message", [
    ({"initiative": "nope"}, "Initiative: choose an initiative of the catalogue."),
    ({"status": "finished"}, "Status: choose planned, in progress, done or dropped."),
    ({"start": "2026-05-01", "due": "2026-04-01"},
     "Due date: the due date is before the start date."),
    ({"start": "1st of May"}, "Start: enter a date as YYYY-MM-DD"),
    ({"due": "2026-02-30"}, "Due date: enter a date as YYYY-MM-DD"),
])
def test_bad_input_names_the_field_and_stores_nothing(client, org, leader, data, message):
    r = _add(client, department(org, "culture"),
             **{"initiative": "init-alpha", "status": "planned", **data})
    assert r.status_code == 422
    assert message in _text(r)
    assert 'aria-invalid="true"' in r.get_data(as_text=True)
    assert db.session.query(PlanItem).count() == 0


def test_edit_and_drop(client, org, leader):
    culture = department(org, "culture")
    _add(client, culture, initiative="init-beta", status="planned")
    item = db.session.query(PlanItem).one()
    url = f"/plan-items/{item.id}"
    assert "Beta initiative" in _text(client.get(url))
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "owner": "Ida",
                               "status": "in_progress", "start": "", "due": "2026-06-30",
                               "note": ""})
    assert r.status_code == 303 and r.location.endswith(f"/departments/{culture.id}/plan")
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "status": "in_progress",
                               "start": "2026-07-01", "due": "2026-06-30"})
    assert r.status_code == 422 and "Due date: the due date" in _text(r)
    r = client.post(f"{url}/drop", data={"csrf_token": csrf_token(client, url)})
    assert r.status_code == 303
    db.session.expire_all()
    item = db.session.get(PlanItem, item.id)
    assert (item.owner, item.status, str(item.due)) == ("Ida", "dropped", "2026-06-30")
    assert [c.action for c in db.session.query(PlanChange).order_by(PlanChange.id)] == [
        "add", "update", "update"]


def test_other_departments_viewers_and_other_organisations(client, org, make_org, make_user):
    schools = department(org, "schools")
    other = make_org(slug="other", name="Other", departments=("x",))
    make_user("leader@x.org", org, "respondent", department(org, "culture"))
    make_user("viewer@x.org", org, "viewer")
    make_user("out@x.org", other, "admin")
    login(client, "leader@x.org")
    assert client.get(f"/departments/{schools.id}/plan").status_code == 404
    assert client.get(f"/o/{org.slug}/plans").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "viewer@x.org")
    page = client.get(f"/departments/{schools.id}/plan")
    assert page.status_code == 200 and "Add to the plan" not in _text(page)
    assert _add(client, schools, initiative="init-alpha", status="planned").status_code == 403
    assert client.get(f"/o/{org.slug}/plans").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "out@x.org")
    assert client.get(f"/departments/{schools.id}/plan").status_code == 404
    assert client.get(f"/o/{org.slug}/plans").status_code == 404


def test_coordinator_overview_and_joint_initiatives(client, org, make_user, make_assessment):
    culture, schools = department(org, "culture"), department(org, "schools")
    admin = make_user("admin@x.org", org, "admin")
    admin.locale = "en"
    db.session.commit()
    login(client, admin.email)
    _add(client, culture, initiative="init-beta", status="planned", due="2099-01-01")
    _add(client, schools, initiative="init-alpha", status="in_progress", due="2020-01-01")
    page = _text(client.get(f"/o/{org.slug}/plans"))
    assert page.index("Alpha initiative") < page.index("Beta initiative")  # overdue first
    assert "Overdue" in page
    filtered = _text(client.get(f"/o/{org.slug}/plans?status=planned"))
    assert "Beta initiative" in filtered and "Alpha initiative" not in filtered
    make_assessment(culture, "2025", {"alpha-one": 1, "alpha-two": 1}, status="submitted")
    make_assessment(schools, "2025", {"alpha-one": 2, "alpha-two": 2}, status="submitted")
    url = f"/o/{org.slug}/plans/joint"
    page = _text(client.get(url))
    assert "Alpha initiative: Culture, Schools" in page
    r = client.post(url + "?period=2025", data={"csrf_token": csrf_token(client, url),
                                                "initiative": "init-alpha", "status": "planned"})
    assert r.status_code == 422 and "Participating departments: choose at least one" in _text(r)
    r = client.post(url + "?period=2025", data={
        "csrf_token": csrf_token(client, url), "initiative": "init-alpha", "status": "planned",
        "departments": [str(culture.id), str(schools.id)], "owner": "CIO"})
    assert r.status_code == 303
    joint = db.session.query(PlanItem).filter_by(department_id=None).one()
    assert {p.department.slug for p in joint.participants} == {"culture", "schools"}
    assert "(adopted)" in _text(client.get(url))
    plan = _text(client.get(f"/departments/{culture.id}/plan"))
    assert "Joint initiatives the department takes part in" in plan
    assert "Alpha initiative: Planned, owner CIO" in plan


def test_results_show_the_effect_of_the_plan(client, org, leader, make_assessment):
    culture = department(org, "culture")
    make_assessment(culture, "2025", {"alpha-one": 1, "alpha-two": 2, "beta-one": 2},
                    status="submitted")
    _add(client, culture, initiative="init-alpha", status="done")
    _add(client, culture, initiative="init-beta", status="planned")
    a = make_assessment(culture, "2026", {"alpha-one": 2, "alpha-two": 4, "beta-one": 2},
                        status="submitted")
    page = _text(client.get(f"/assessments/{a.id}/results"))
    section = page[page.index("Effect of the action plan"):]
    # m(2025) = 5/3 = 1.7, m(2026) = 10/3 = 3.3, change +1.7; no longer recommended
    assert re.search(r"Alpha initiative\s+Done\s+1\.7\s+3\.3\s+\+1\.7\s+No", section)
    assert "Beta initiative" not in section[:section.index("Open the action plan")]


@pytest.mark.parametrize("lang, delimiter", [("en", ","), ("da", ";"), ("fr", ";")])
def test_exports_read_back_with_csv_and_openpyxl(client, org, make_user, lang, delimiter):
    import csv
    import io
    from datetime import date

    from openpyxl import load_workbook
    culture, schools = department(org, "culture"), department(org, "schools")
    admin = make_user("admin@x.org", org, "admin")
    admin.locale = lang
    db.session.commit()
    login(client, admin.email)
    _add(client, culture, initiative="init-alpha", status="in_progress", owner="=HYPERLINK()",
         start="2020-01-01", due="2020-06-30", note="late")
    _add(client, schools, initiative="init-beta", status="done", owner="Ida")
    r = client.get(f"/o/{org.slug}/plans.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    raw = r.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))
    header, first, second = rows
    status_word = {"en": "In progress", "da": "I gang", "fr": "En cours"}[lang]
    assert header[:2] == [{"en": "Department id", "da": "Afdelings-id",
                           "fr": "Identifiant de la direction"}[lang],
                          {"en": "Department", "da": "Afdeling", "fr": "Direction"}[lang]]
    assert header[2].startswith({"en": "Initiative id", "da": "Initiativ",
                                 "fr": "Identifiant de l"}[lang])
    assert first[:7] == ["culture", "Culture", "init-alpha", first[3], "'=HYPERLINK()",
                         "in_progress", status_word]  # overdue first, formula-safe
    assert first[7:9] == ["2020-01-01", "2020-06-30"]
    assert second[2] == "init-beta"
    r = client.get(f"/departments/{culture.id}/plan.xlsx")
    wb = load_workbook(io.BytesIO(r.get_data()))
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[1][2] == "init-alpha" and values[1][5] == "in_progress"
    assert values[1][7].date() == date(2020, 1, 1)  # a date, not text
    assert len(values) == 2 and len(wb.worksheets) == 2
    filtered = client.get(f"/o/{org.slug}/plans.csv?status=done").get_data().decode("utf-8-sig")
    assert "init-beta" in filtered and "init-alpha" not in filtered


def test_the_coordinator_reads_the_plans_audit_trail(client, org, make_user):
    culture = department(org, "culture")
    admin = make_user("admin@x.org", org, "admin")
    admin.locale = "en"
    db.session.commit()
    login(client, admin.email)
    _add(client, culture, initiative="init-alpha", status="planned")
    item = db.session.query(PlanItem).one()
    url = f"/plan-items/{item.id}"
    client.post(url, data={"csrf_token": csrf_token(client, url), "status": "done"})
    page = _text(client.get(f"/o/{org.slug}/plans/audit"))
    assert "Changed" in page and "Planned → Done" in page and "Added" in page
    assert page.index("Changed") < page.index("Added")  # newest first
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    make_user("viewer@x.org", org, "viewer")
    login(client, "viewer@x.org")
    assert client.get(f"/o/{org.slug}/plans/audit").status_code == 403
