"""Security review: hostile names, body size, NUL characters, redirects, invitations, proxies."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select, update

from app import services
from app.extensions import db
from app.models import Assessment, Department, Invitation, Membership, User, utcnow
from app.services import accounts
from tests.conftest import (
    FIXTURES,
    _dispose,
    _make_app,
    base_config,
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
    from app import services
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


# -- invitations ---------------------------------------------------------------------------------

def _invitation(org, admin, email):
    m = next(x for x in admin.memberships if x.organisation_id == org.id)
    return services.create_invitation(m, admin, email, "viewer", None)


def test_second_invitation_for_a_member_is_refused_cleanly(app, client, make_org, make_user):
    org = make_org()
    admin = make_user("boss@example.org", org=org, role="admin")
    member = make_user("member@example.org", org=org, role="respondent")
    _inv, token = _invitation(org, admin, "late@example.org")
    # The address became a member meanwhile (e.g. by an earlier invitation).
    late = make_user("late@example.org", org=org, role="respondent")
    assert member and late
    login(client, "late@example.org")
    path = f"/invite/{token}"
    r = client.post(path, data={"csrf_token": csrf_token(client, path)},
                    headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert "already a member" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.user_id == late.id)) == 1


def test_an_invitation_spent_meanwhile_creates_nothing(app, client, make_org, make_user,
                                                       monkeypatch):
    org = make_org()
    admin = make_user("boss@example.org", org=org, role="admin")
    inv, token = _invitation(org, admin, "new@example.org")
    real = services.invitation_for

    def racing(t):
        found = real(t)  # still pending when read ...
        with db.engine.begin() as conn:  # ... then another request spends it
            conn.execute(update(Invitation).where(Invitation.id == inv.id).values(used_at=utcnow()))
        return found
    monkeypatch.setattr(accounts, "invitation_for", racing)
    from app.errors import Invalid
    with pytest.raises(Invalid):
        services.accept_invitation(token, "Nina", "a good password", "a good password")
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None


# -- rate limit behind a proxy -------------------------------------------------------------------

def _fail(client, email="nobody@example.org", **headers):
    return client.post("/login", data={"email": email, "password": "wrong password",
                                       "csrf_token": csrf_token(client)}, headers=headers)


def test_forwarded_for_is_ignored_without_trusted_proxies(client):
    codes = [_fail(client, **{"X-Forwarded-For": f"10.0.0.{n}"}).status_code for n in range(6)]
    assert codes == [200] * 5 + [429]


@pytest.fixture
def proxied_app(tmp_path_factory):
    config = base_config(tmp_path_factory, [FIXTURES / "questionnaires"], "mini")
    app = _make_app({**config, "PROXY_HOPS": 1})
    yield app
    _dispose(app)


def test_behind_a_trusted_proxy_the_limit_is_per_client(proxied_app):
    from app.extensions import limiter
    with proxied_app.app_context():
        limiter.reset()
        one, two = proxied_app.test_client(), proxied_app.test_client()
        codes = [_fail(one, **{"X-Forwarded-For": "192.0.2.1"}).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
        # Another client behind the same proxy is not locked out by the first.
        assert _fail(two, **{"X-Forwarded-For": "192.0.2.2"}).status_code == 200
        limiter.reset()


# -- answers posted without a session ------------------------------------------------------------

@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "https://evil.example"}])
def test_another_site_cannot_plant_answers_through_a_signed_out_post(
        client, make_org, make_user, make_assessment, headers):
    org = make_org()
    make_user(org=org)
    a = make_assessment(department(org, "culture"))
    # The browser does not send the SameSite=Lax cookie with another site's POST.
    url = f"/assessments/{a.id}/block/alpha"
    r = client.post(url, headers=headers, data={"alpha-one-answer": "5",
                                                "alpha-one-comment": "planted by evil"})
    assert r.status_code == 403
    login(client, "leader@example.org")
    html = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "planted by evil" not in html and "They are not saved yet" not in html


def test_a_same_site_post_after_the_session_ended_is_still_kept(app, make_org, make_user,
                                                               make_assessment):
    org = make_org()
    make_user(org=org)
    a = make_assessment(department(org, "culture"))
    client = app.test_client()
    r = client.post(f"/assessments/{a.id}/block/alpha",
                    headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
                    data={"alpha-one-answer": "4", "alpha-one-comment": "kept for checking"})
    assert r.status_code == 303 and "/login" in r.headers["Location"]
    login(client, "leader@example.org")
    html = client.get(f"/assessments/{a.id}/block/alpha",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "They are not saved yet" in html and "kept for checking" in html
