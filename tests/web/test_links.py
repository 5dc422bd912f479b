"""Finding 7: links sent by e-mail come from BASE_URL, use https when HTTPS is on, and are never
built from an untrusted Host."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.config import ConfigError, from_env
from app.extensions import db
from app.models import Invitation
from tests.conftest import csrf_token
from tests.web.test_admin_invitations import link_of

URL = "/o/demo/admin/invitations"


def _invite(client, host=None):
    headers = {"Host": host} if host else {}
    token = csrf_token(client, URL)
    if host:  # the browser sends its cookie to whatever host it was made to visit
        client.set_cookie("session", client.get_cookie("session").value, domain=host)
    return client.post(URL, headers=headers, data={
        "email": "new@example.org", "role": "respondent", "department": "all", "csrf_token": token})


@pytest.fixture
def config(app):
    saved = {k: app.config.get(k) for k in ("BASE_URL", "HTTPS", "LINK_HOSTS", "SERVER_NAME")}
    yield app.config
    app.config.update(saved)


def test_a_forged_host_never_makes_an_invitation_link(app, client, org, coordinator, config):
    config["SERVER_NAME"] = None
    r = _invite(client, host="evil.example")
    assert r.status_code == 400
    assert "Ask the operator to set BASE_URL" in r.get_data(as_text=True)
    assert "evil.example" not in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_base_url_wins_over_the_host_header(app, client, org, coordinator, config):
    config["SERVER_NAME"] = None
    config["BASE_URL"] = "https://selvevaluering.example.dk"
    link = link_of(_invite(client, host="evil.example"))
    assert link.startswith("https://selvevaluering.example.dk/invite/")


def test_links_are_https_when_https_is_on(app, client, org, coordinator, config):
    config["HTTPS"] = True
    assert link_of(_invite(client)).startswith("https://localhost/invite/")


def test_trusted_hosts_are_accepted(app, client, org, coordinator, config):
    config["SERVER_NAME"] = None
    config["LINK_HOSTS"] = ["assess.example.dk"]
    assert link_of(_invite(client, host="assess.example.dk")).startswith(
        "http://assess.example.dk/invite/")


@pytest.mark.parametrize("env, ok", [
    ({"BASE_URL": "https://a.example.dk", "HTTPS": "1"}, True),
    ({"BASE_URL": "http://a.example.dk", "HTTPS": "1"}, False),
    ({"BASE_URL": "a.example.dk"}, False)])
def test_base_url_is_checked_at_start(monkeypatch, tmp_path, env, ok):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    if ok:
        assert from_env(str(tmp_path))["BASE_URL"] == env["BASE_URL"]
    else:
        with pytest.raises(ConfigError, match="BASE_URL"):
            from_env(str(tmp_path))
