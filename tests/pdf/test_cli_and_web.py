"""The `report` and `org-report` commands and the PDF download routes."""
from __future__ import annotations

import pytest

from tests.conftest import department, login

from .conftest import pdf_text


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
def test_report_command_writes_the_pdf(runner, hostile_assessment, tmp_path, locale):
    out = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", str(hostile_assessment.id), "--output", str(out),
                                 "--locale", locale])
    assert result.exit_code == 0, result.output
    assert "Kultur & Borgerservice </para>" in pdf_text(out.read_bytes())


def test_report_command_fails_cleanly(runner, tmp_path):
    out = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", "4242", "--output", str(out)])
    assert result.exit_code == 1
    assert "assessment 4242 not found" in result.output
    assert "Traceback" not in result.output and not out.exists()
    result = runner.invoke(args=["report", "1", "--output", str(out), "--locale", "de"])
    assert result.exit_code == 2 and "'de' is not one of" in result.output


def test_report_command_reports_an_unwritable_file(runner, hostile_assessment, tmp_path):
    result = runner.invoke(args=["report", str(hostile_assessment.id), "--output",
                                 str(tmp_path / "missing" / "r.pdf")])
    assert result.exit_code == 1 and "cannot write file" in result.output


def test_org_report_command(runner, hostile_assessment, tmp_path):
    out = tmp_path / "org.pdf"
    result = runner.invoke(args=["org-report", "aarhus", "--period", "2026", "--output",
                                 str(out), "--locale", "en"])
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    assert "Aarhus <Kommune> & Co" in text and "Comparison of departments, period 2026" in text


@pytest.mark.parametrize("args, message", [
    (["org-report", "nowhere", "--period", "2026"], "unknown organisation 'nowhere'"),
    (["org-report", "aarhus", "--period", "1999"], "has no period '1999'"),
])
def test_org_report_command_fails_cleanly(runner, hostile_assessment, tmp_path, args, message):
    out = tmp_path / "org.pdf"
    result = runner.invoke(args=[*args, "--output", str(out)])
    assert result.exit_code == 1
    assert message in result.output and not out.exists()


@pytest.fixture
def two_orgs(make_org, make_user, make_assessment):
    """A viewer of 'aarhus'; 'odense' has a submitted assessment the viewer must not reach."""
    aarhus = make_org(slug="aarhus", name="Aarhus Kommune", departments=("culture",))
    odense = make_org(slug="odense", name="Odense Kommune", departments=("culture",))
    mine = make_assessment(department(aarhus, "culture"), "2026", {"alpha-one": 2},
                           status="submitted")
    theirs = make_assessment(department(odense, "culture"), "2026", {"alpha-one": 2},
                             status="submitted")
    make_user("viewer@aarhus.dk", aarhus, role="viewer")
    return mine, theirs


def test_assessment_pdf_route(client, two_orgs):
    mine, theirs = two_orgs
    assert client.get(f"/assessments/{mine.id}/report.pdf").status_code == 302  # sign in first
    login(client, "viewer@aarhus.dk")
    response = client.get(f"/assessments/{mine.id}/report.pdf?locale=en")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "Aarhus Kommune" in pdf_text(response.data)
    assert client.get(f"/assessments/{theirs.id}/report.pdf").status_code == 404
    assert client.get("/assessments/999999/report.pdf").status_code == 404
    bad = client.get(f"/assessments/{mine.id}/report.pdf?locale=xx",
                     headers={"Accept-Language": "en"})
    assert bad.status_code == 400 and b"must be one of da, en and fr" in bad.data


def test_organisation_pdf_route(client, two_orgs):
    login(client, "viewer@aarhus.dk")
    response = client.get("/o/aarhus/report.pdf?period=2026&locale=fr")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Aarhus Kommune" in pdf_text(response.data)
    assert client.get("/o/aarhus/report.pdf").status_code == 200  # latest period
    assert client.get("/o/odense/report.pdf?period=2026").status_code == 404
    assert client.get("/o/aarhus/report.pdf?period=1999").status_code == 404
    assert client.get("/o/aarhus/report.pdf?period=2026&locale=de").status_code == 400
