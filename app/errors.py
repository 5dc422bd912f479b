"""Errors raised by the use cases; the web, API and CLI layers turn them into responses."""
from __future__ import annotations


class AppError(Exception):
    """Base class: a message for the user and an HTTP status for the adapters."""

    status = 400

    def __init__(self, message: str = "", errors: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class NotFound(AppError):
    """Missing, or in an organisation the caller is not a member of (never reveal which)."""

    status = 404


class Forbidden(AppError):
    """The caller's role may not do this."""

    status = 403


class Invalid(AppError):
    """Bad input; errors holds (field, message) pairs."""

    status = 422


class Locked(AppError):
    """A change to a submitted assessment."""

    status = 409


class PreconditionFailed(AppError):
    """The client's If-Match no longer matches: someone changed the answers meanwhile."""

    status = 412


class Conflict(AppError):
    """Someone else saved the same answers meanwhile; conflicts lists what changed."""

    status = 409

    def __init__(self, message: str, conflicts: list[dict]):
        super().__init__(message, [(c["question"], message) for c in conflicts])
        self.conflicts = conflicts


class Text(str):
    """A user-facing message in English that keeps its template and named placeholders.

    It reads as the English sentence (CLI, API, logs); an adapter that speaks the user's
    language calls `app.i18n.translate(text)`, which looks the template up in the catalogue
    (the services mark such strings with `Text(...)`, an extraction keyword).
    """

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        obj = super().__new__(cls, template % params if params else template)
        obj.template, obj.params = template, params
        return obj
