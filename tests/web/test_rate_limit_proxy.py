"""The sign-in rate limit behind a reverse proxy: per client only when the proxy is trusted."""
from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, _dispose, _make_app, base_config, csrf_token


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


