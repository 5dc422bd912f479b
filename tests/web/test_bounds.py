"""Finding 4: huge ids are "not found", and constraint clashes name the field, everywhere."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.bounds import MAX_INT, as_id
from app.extensions import db
from app.models import Assessment, Department, Membership
from tests.api.conftest import world  # noqa: F401  (fixture)
from tests.conftest import department
from tests.test_cli import DOC
from tests.web.test_admin import post

HUGE = "99999999999999999999"


@pytest.mark.parametrize("value, expected", [
    ("1", 1), (str(MAX_INT), MAX_INT), (str(MAX_INT + 1), None), (HUGE, None), ("0", None),
    ("-1", None), ("", None), (" 7 ", 7), ("٣", None), (None, None), (True, None), (5, 5)])
def test_as_id_accepts_only_ids_a_column_can_hold(value, expected):
    assert as_id(value) == expected


@pytest.mark.parametrize("path", [
    f"/assessments/{HUGE}/results", f"/assessments/{HUGE}", f"/assessments/{HUGE}/review",
    f"/assessments/{HUGE}/block/alpha", f"/assessments/{MAX_INT + 1}/results",
    f"/assessments/{HUGE}/audit"])
def test_huge_ids_in_page_urls_are_404(client, coordinator, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [
    f"/o/demo/admin/departments/{HUGE}/rename", f"/o/demo/admin/users/{HUGE}/role",
    f"/o/demo/admin/periods/{HUGE}/open", f"/o/demo/admin/invitations/{HUGE}/revoke",
    f"/assessments/{HUGE}/reopen"])
def test_huge_ids_in_admin_posts_are_404(client, coordinator, path):
    # "confirmed": the withdrawal is posted from its confirmation page.
    assert post(client, path, {"name": "x", "role": "viewer", "confirmed": "1"},
                "/o/demo/admin").status_code == 404


def test_a_huge_department_in_a_form_is_404_and_changes_nothing(client, org, coordinator,
                                                                make_user):
    u = make_user("lead@example.org", org=org, role="viewer")
    mid = db.session.scalar(select(Membership.id).where(Membership.user_id == u.id))
    r = post(client, f"/o/demo/admin/users/{mid}/role", {"role": "respondent", "department": HUGE},
             "/o/demo/admin/users")
    assert r.status_code == 404
    assert db.session.get(Membership, mid).role == "viewer"
    r = post(client, "/o/demo/admin/invitations",
             {"email": "new@example.org", "role": "respondent", "department": HUGE},
             "/o/demo/admin/invitations")
    assert r.status_code in (404, 422)
    r = post(client, "/assessments/start", {"department": HUGE, "period": "2026"}, "/")
    assert r.status_code == 303


@pytest.mark.parametrize("path", [
    f"/api/v1/assessments/{HUGE}", f"/api/v1/assessments/{HUGE}/results",
    f"/api/v1/assessments/{HUGE}/report.pdf"])
def test_huge_ids_in_the_api_are_404_problems(client, world, path):  # noqa: F811
    r = client.get(path, headers=world.headers("admin"))
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    r = client.put(f"/api/v1/assessments/{HUGE}/answers", json={},
                   headers=world.headers("admin"))
    assert r.status_code == 404


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.mark.parametrize("command", ["export-assessment", "results"])
def test_huge_ids_on_the_command_line_are_a_clean_error(runner, command):
    r = runner.invoke(args=[command, HUGE])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "is not in the range" in r.output


def test_an_import_naming_an_existing_department_differently_names_the_field(
        runner, tmp_path, make_org):
    org = make_org("demo", "Demo Kommune", ("culture",))
    dep = department(org, "culture")
    doc = {**DOC, "department": {"slug": "kultur", "name": dep.name}}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    r = runner.invoke(args=["import-assessment", str(path)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "department.name" in r.output and "nothing was imported" in r.output
    assert db.session.scalar(select(func.count()).select_from(Department)) == 1
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_create_user_refuses_a_name_longer_than_the_column(runner):
    r = runner.invoke(args=["create-user", "a@example.org", "--password", "a long password 1",
                            "--org", "demo", "--role", "viewer", "--name", "n" * 201])
    assert r.exit_code == 1 and "name" in r.output and "Traceback" not in r.output
