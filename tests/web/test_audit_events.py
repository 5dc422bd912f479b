"""The organisation's round events: who did what when, filterable, as CSV and XLSX."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from app import services
from app.models import AuditEvent
from tests.conftest import csrf_token, department, login


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English; Danish is the default."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_round_events_are_recorded_filtered_and_exported(client, make_org, make_user,
                                                         make_assessment):
    org = make_org("demo", "Demo Kommune", ("culture", "schools"))
    culture, schools = department(org, "culture"), department(org, "schools")
    admin = make_user("admin@demo.dk", org, "admin")
    leader = make_user("leader@demo.dk", org, "respondent", culture)
    a = services.start_assessment(culture, "2026", user=leader)
    services.submit(a, leader)
    services.reopen(a, admin)
    make_assessment(schools, "2025", {"alpha-one": 1})
    login(client, "admin@demo.dk")
    page = "/o/demo/admin/invitations"
    client.post(page, data={"csrf_token": csrf_token(client, page), "email": "new@demo.dk",
                            "role": "respondent", "department": str(schools.id)})
    kinds = [e.kind for e in AuditEvent.query.order_by(AuditEvent.id)]
    assert kinds == ["started", "submitted", "reopened", "started", "invitation_sent"]

    html = client.get(f"/o/demo/admin/events?department={culture.id}&period=2026",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Assessment submitted" in html and "Assessment reopened" in html
    assert "Invitation created" not in html and "leader" in html

    r = client.get(f"/o/demo/admin/events?department={culture.id}&format=csv",
                   headers={"Accept-Language": "da"})
    assert r.mimetype == "text/csv" and r.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 4 and len(rows[0]) == 8
    assert {row[2] for row in rows[1:]} == {"started", "submitted", "reopened"}  # ids column
    assert {row[4] for row in rows[1:]} == {"culture"}

    r = client.get("/o/demo/admin/events?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.data)).active
    assert ws.max_row == 6 and ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_leaders_cannot_read_the_audit_trail(client, make_org, make_user):
    org = make_org("demo", "Demo Kommune", ("culture",))
    make_user("leader@demo.dk", org, "respondent", department(org, "culture"))
    login(client, "leader@demo.dk")
    assert client.get("/o/demo/admin/events").status_code == 403
    assert client.get("/o/demo/admin/events?format=csv").status_code == 403
