"""A small HTTP client for loopback servers: cookies, CSRF tokens, no redirect following."""
from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.request
from urllib.parse import urlencode

USER_AGENT = "bench"  # the same as wrk's, so Flask-Login's session protection is satisfied
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
VERSION = re.compile(r'name="([^"]+)-version"[^>]*value="(\d*)"|value="(\d*)"[^>]*name="([^"]+)-version"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    """Status, headers and text of a response."""

    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8", "replace")

    def json(self):
        """The body parsed as JSON."""
        return json.loads(self.body)


class Session:
    """One browser-like client: keeps cookies, sends the bench user agent."""

    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.headers = {"User-Agent": USER_AGENT}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, data=None, json_body=None) -> Response:
        """Send a request; return the response whatever its status."""
        headers = dict(self.headers)
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)
        try:
            with self.opener.open(req, timeout=30) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def get(self, path: str) -> Response:
        """GET a path."""
        return self.request("GET", path)

    def post(self, path: str, data) -> Response:
        """POST a form."""
        return self.request("POST", path, data=data)

    def csrf(self, path: str = "/login") -> str:
        """The CSRF token on a page's form."""
        m = CSRF.search(self.get(path).text)
        if not m:
            raise RuntimeError(f"no CSRF token on {path}")
        return m.group(1) or m.group(2)

    def login(self, email: str, password: str) -> None:
        """Sign in through the login form."""
        r = self.post("/login", {"email": email, "password": password,
                                 "csrf_token": self.csrf("/login")})
        if r.status not in (302, 303):
            raise RuntimeError(f"login of {email} failed: HTTP {r.status}")

    def cookie_header(self) -> str:
        """The Cookie header this session sends."""
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def versions(html: str) -> dict[str, int]:
    """The `<question>-version` hidden fields of a questionnaire page."""
    out = {}
    for m in VERSION.finditer(html):
        name, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out[name] = int(value or 0)
    return out
