"""Passwords and API tokens of one's own account: reset by e-mail (SPEC 13), change, tokens.

A reset link works once, for one hour; only its hash is stored; using it ends every session of
the user. Each use case commits once; bad input raises Invalid and changes nothing.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from . import services
from .errors import Invalid, NotFound
from .extensions import db
from .i18n import translate
from .models import ApiToken, PasswordReset, User, utcnow
from .rounds import aware

RESET_VALID = timedelta(hours=1)
RESETS_PER_HOUR = 3  # per account: more requests within the hour send nothing


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, [(field, message)])


def check_new_password(password: str, confirm: str, email: str = "") -> None:
    """Invalid unless the new password passes the one password rule and is typed the same twice."""
    if (problem := services.password_problem(password, email)) is not None:
        raise _invalid("password", translate(problem))
    if password != confirm:
        raise _invalid("confirm", _("The two passwords are not the same."))


def request_reset(email: str) -> tuple[User, str] | None:
    """A new reset link for an active account with this address, as (user, secret token);
    None for an unknown address or when the account asked too often this hour. Commits."""
    email = (email or "").strip().lower()[:254]
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.active:
        return None
    recent = db.session.scalar(select(func.count()).select_from(PasswordReset).where(
        PasswordReset.user_id == user.id,
        PasswordReset.created_at > utcnow() - timedelta(hours=1))) or 0
    if recent >= RESETS_PER_HOUR:
        return None
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=user.id, token_hash=services.token_digest(token),
                                 expires_at=utcnow() + RESET_VALID))
    db.session.commit()
    return user, token


def reset_for(token: str) -> PasswordReset:
    """The usable reset of a link; NotFound when unknown, used or expired (never say which)."""
    row = db.session.scalar(select(PasswordReset).where(
        PasswordReset.token_hash == services.token_digest(token or "")))
    if row is None or row.used_at is not None or aware(row.expires_at) <= utcnow():
        raise NotFound("unknown, used or expired reset link")
    return row


def reset_password(token: str, password: str, confirm: str) -> User:
    """Set a new password through a reset link; the link is spent, every other reset link of
    the user is void and every session of the user ends. Commits."""
    row = reset_for(token)
    user = db.session.get(User, row.user_id)
    check_new_password(password, confirm, user.email)
    spent = db.session.execute(update(PasswordReset).where(
        PasswordReset.id == row.id, PasswordReset.used_at.is_(None)).values(used_at=utcnow()))
    if spent.rowcount != 1:
        db.session.rollback()
        raise NotFound("reset link already used")
    db.session.execute(update(PasswordReset).where(
        PasswordReset.user_id == row.user_id, PasswordReset.used_at.is_(None)).values(
        used_at=utcnow()))
    user.password_hash = services.hash_password(password)
    user.session_token = services.new_session_token()  # ends every session
    db.session.commit()
    return user


def change_password(user: User, current: str, password: str, confirm: str) -> None:
    """Change one's password; every other session of the user ends. Commits.

    The caller signs the current session in again with the new session token.
    """
    if not services.verify_password(user, current or ""):
        raise _invalid("current", _("The current password is not correct."))
    check_new_password(password, confirm, user.email)
    user.password_hash = services.hash_password(password)
    user.session_token = services.new_session_token()
    db.session.commit()


@dataclass(frozen=True)
class TokenInfo:
    """An API token as its owner sees it (never the secret)."""

    id: int
    created_at: datetime
    last_used_at: datetime | None


def tokens(user: User) -> list[TokenInfo]:
    """The user's API tokens, newest first."""
    return [TokenInfo(t.id, aware(t.created_at), aware(t.last_used_at))
            for t in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))]


def revoke_token(user: User, token_id: int) -> None:
    """Delete one of the user's own API tokens; NotFound for anyone else's. Commits."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound(f"token {token_id} not found")
    db.session.delete(row)
    db.session.commit()
