"""RFC 9457 problem details, and the handlers that turn every API error into one."""
from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.exceptions import HTTPException

from ..errors import AppError, Conflict

TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
          405: "Method Not Allowed", 409: "Conflict", 412: "Precondition Failed", 413: "Content Too Large",
          415: "Unsupported Media Type", 422: "Unprocessable Content", 429: "Too Many Requests",
          500: "Internal Server Error"}
BEARER_CHALLENGE = 'Bearer realm="api"'


def problem(status: int, detail: str = "", errors: list[tuple[str, str]] | None = None, **extra):
    """An application/problem+json response with a per-field errors list."""
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
            "detail": detail or TITLES.get(status, "Error"),
            "errors": [{"field": f, "message": m} for f, m in (errors or [])], **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = BEARER_CHALLENGE
    return response


def app_error(exc: AppError):
    """A domain error from access control or a use case, as a problem."""
    extra = {"conflicts": exc.conflicts} if isinstance(exc, Conflict) else {}
    return problem(exc.status, exc.message, exc.errors, **extra)


def http_error(exc: HTTPException):
    """A werkzeug HTTP error (bad JSON, wrong method...) as a problem."""
    code = exc.code or 500
    detail = exc.description if code < 500 else ""
    return problem(code, detail or "")


def register_handlers(bp: Blueprint) -> None:
    """Make every error raised inside the API blueprint a problem+json response.

    Code-specific handlers are needed because the web's app-wide handlers for these codes
    would otherwise win over a blueprint handler registered for HTTPException alone.
    """
    bp.register_error_handler(AppError, app_error)
    bp.register_error_handler(HTTPException, http_error)
    for code in TITLES:
        bp.register_error_handler(code, http_error)
