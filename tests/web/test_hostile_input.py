"""Hostile input on the pages: markup in names, oversized bodies, NUL characters, bad periods,
open redirects, and downloads that must not be cached."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from app import services
from app.extensions import db
from app.models import Assessment, Department
from tests.conftest import (
    csrf_token,
    department,
    login,
)

EVIL = "<script>alert(1)</script> \"q\" & 'x'"
LEVELS = {"alpha-one": 2, "alpha-two": 3, "beta-one": 4, "gamma-one": 1}


@pytest.fixture
def hostile(make_org, make_user, make_assessment):
    """An organisation and two departments with markup in their names, one submitted each."""
    org = make_org(slug="demo", name="Org " + EVIL, departments=("culture", "schools"))
    for slug in ("culture", "schools"):
        d = department(org, slug)
        d.name = f"{slug} {EVIL}"
        make_assessment(d, "2026", LEVELS, status="submitted")
    db.session.commit()
    make_user("boss@example.org", org=org, role="admin")
    return org


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)


def assert_inert(html: str) -> None:
    """The hostile names are escaped: no script element, no broken attribute."""
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_names_are_escaped_on_dashboard_results_and_in_svg(client, hostile):
    login(client, "boss@example.org")
    aid = db.session.scalar(select(Assessment.id).join(Department).where(
        Department.slug == "culture"))
    charts = 0
    for url in ("/", "/o/demo/compare?period=2026", f"/assessments/{aid}/results",
                "/o/demo/admin", "/o/demo/admin/departments"):
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.get_data(as_text=True)
        assert_inert(html)
        for svg in svgs(html):
            charts += 1
            ET.fromstring(svg)  # well-formed: a name cannot close an element or attribute
            assert "<script" not in svg
    assert charts >= 3  # the block chart, the comparison chart, the trend chart


def test_too_large_form_is_413_and_stores_nothing(client, hostile):
    login(client, "boss@example.org")
    url = "/o/demo/admin/departments"
    r = client.post(url, data={"name": "x" * (3 * 1024 * 1024), "csrf_token": csrf_token(client, url)})
    assert r.status_code == 413
    assert r.mimetype == "text/html" and "<h1>" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Department)) == 2


def test_nul_character_in_a_form_is_400_with_a_message(client, hostile):
    login(client, "boss@example.org")
    url = "/o/demo/admin/departments"
    r = client.post(url, data={"name": "Kultur\x00", "csrf_token": csrf_token(client, url)},
                    headers={"Accept-Language": "en"})
    assert r.status_code == 400
    assert "NUL character" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Department)) == 2


def test_nul_character_in_path_or_query_is_400(client, hostile):
    login(client, "boss@example.org")
    assert client.get("/o/demo%00/compare").status_code == 400
    assert client.get("/o/demo/compare?period=2026%00").status_code == 400
    assert client.get("/login?next=/%00").status_code == 400


def test_nul_in_a_comment_of_a_questionnaire_page_stores_nothing(client, make_org, make_user,
                                                                 make_assessment):
    org = make_org()
    make_user(org=org)
    a = make_assessment(department(org, "culture"))
    login(client, "leader@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "alpha-one-answer": "2",
                               "alpha-one-comment": "a\x00b", "go": "next"})
    assert r.status_code == 400
    assert services.answers_of(a) == {}


def test_period_with_a_trailing_newline_is_refused_not_a_500(client, hostile):
    login(client, "boss@example.org")
    assert client.get("/o/demo/compare.csv?period=2026%0A").status_code == 404
    assert client.get("/o/demo/compare.csv?period=2026").status_code == 200


def test_downloads_are_never_cached(client, hostile):
    login(client, "boss@example.org")
    aid = db.session.scalar(select(Assessment.id))
    for url in ("/o/demo/compare.csv?period=2026", f"/assessments/{aid}/report.pdf?locale=en",
                "/o/demo/report.pdf?period=2026&locale=en"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["Cache-Control"] == "no-store", url
        assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
                                    "/\x7f/evil.example", "/\x01/evil.example"])
def test_next_with_control_characters_goes_home(client, make_org, make_user, target):
    from app.web.main import safe_target
    assert safe_target(target, "/") == "/"


@pytest.mark.parametrize("target", ["%2F%2Fevil.example", "/%2F%2Fevil.example",
                                    "javascript:alert(1)", "/\\evil.example"])
def test_language_switch_next_stays_on_the_site(client, target):
    r = client.post("/language", data={"locale": "en", "next": target,
                                       "csrf_token": csrf_token(client)})
    assert r.status_code == 302
    location = r.headers["Location"]
    assert location == "/" or (location == target and location.startswith("/%2F"))
