"""RFC 9457 problem details."""
from __future__ import annotations

from flask import jsonify

TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
          405: "Method Not Allowed", 409: "Conflict", 415: "Unsupported Media Type",
          422: "Unprocessable Content", 429: "Too Many Requests", 500: "Internal Server Error"}


def problem(status: int, detail: str = "", errors: list[tuple[str, str]] | None = None, **extra):
    """An application/problem+json response with a per-field errors list."""
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
            "detail": detail or TITLES.get(status, "Error"),
            "errors": [{"field": f, "message": m} for f, m in (errors or [])], **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response
