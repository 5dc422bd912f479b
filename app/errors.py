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
