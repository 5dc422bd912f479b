"""Answers posted after their session ended: kept server-side until their author signs in.

The browser only carries a random id in its session cookie (a page of long comments would
overflow the 4 KB cookie limit and be dropped). A page proves whose it is with a signed owner
field rendered into it while its user was signed in; only that user, once signed in again, gets
the kept answers saved. Anything else (no proof, another user's proof) comes back unsaved, for
the signed-in user to check.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete

from .extensions import db
from .models import PendingAnswers, utcnow

OWNER_FIELD = "owner"
SALT = "pending-answers-owner"
# More than any questionnaire page can hold (a block of comments at their maximum length).
MAX_BYTES = 256 * 1024
MAX_KEPT = 5  # ids a session cookie carries at most (several tabs)


@dataclass(frozen=True)
class Kept:
    """A kept page: its posted fields, and whether it may be saved for the signed-in user."""

    form: dict[str, list[str]]
    trusted: bool


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _lifetime() -> timedelta:
    return timedelta(hours=current_app.config.get("PENDING_ANSWERS_HOURS", 72))


def owner_proof(user_id: int, assessment_id: int) -> str:
    """The signed owner field of a page the user is shown: who, and which assessment."""
    return _serializer().dumps([user_id, assessment_id])


def owner_of(proof: str | None, assessment_id: int) -> int | None:
    """The user a posted owner field names for this assessment, or None if it is not valid."""
    if not proof or len(proof) > 200:
        return None
    try:
        user_id, aid = _serializer().loads(proof, max_age=int(_lifetime().total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    return user_id if aid == assessment_id and isinstance(user_id, int) else None


def keep(assessment_id: int, page: str, fields: dict[str, list[str]]) -> str | None:
    """Store a page posted without a session; its random id, or None if it is too large. Commits."""
    proof = (fields.get(OWNER_FIELD) or [None])[0]
    data = {k: v for k, v in fields.items() if k not in ("csrf_token", OWNER_FIELD)}
    text = json.dumps(data, ensure_ascii=False)
    if len(text.encode()) > MAX_BYTES:
        return None
    now = utcnow().replace(tzinfo=None)  # stored naive UTC, as SQLite hands it back
    db.session.execute(delete(PendingAnswers).where(PendingAnswers.expires_at < now))
    pid = secrets.token_urlsafe(32)
    db.session.add(PendingAnswers(
        id=pid, user_id=owner_of(proof, assessment_id), assessment_id=assessment_id,
        page=page[:64], form=text, created_at=now, expires_at=now + _lifetime()))
    db.session.commit()
    return pid


def take(ids: list[str], assessment_id: int, page: str, user_id: int) -> tuple[Kept, str] | None:
    """The newest kept page of these ids for this assessment and page, removed; with its id.

    Trusted only when the page proved it was this user's. Commits when one is found.
    """
    now = utcnow().replace(tzinfo=None)
    rows = [r for r in (db.session.get(PendingAnswers, i) for i in ids if isinstance(i, str)) if r]
    rows = [r for r in rows if r.assessment_id == assessment_id and r.page == page]
    if not rows:
        return None
    row = max(rows, key=lambda r: r.created_at)
    db.session.delete(row)
    db.session.commit()
    if row.expires_at.replace(tzinfo=None) < now:
        return None
    return Kept(json.loads(row.form), trusted=row.user_id == user_id), row.id
