"""Accounts: passwords, API and session tokens, users, invitations.

One rule each: `normalise_email`/`email_problem` for e-mail addresses, `password_problem`
(MIN_PASSWORD) for passwords; user creation by the CLI and by an invitation both use them.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select, update

from ..errors import Invalid, NotFound, Text
from ..extensions import db
from ..models import (
    ROLES,
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    User,
    utcnow,
)
from .common import MAX_NAME, _aware, _check_role, _invalid
from .organisations import _department_or_none, find_department, get_or_create_org

MIN_PASSWORD = 12
MAX_PASSWORD = 1000
# The passwords at the top of public breach lists that are long enough to pass the length
# rule, with the Danish ones added.
COMMON_PASSWORDS = frozenset("""
123456789012 1234567890123 12345678901234 123456123456 qwertyuiop12 qwertyuiopå
password1234 passwordpassword password123456 iloveyou1234 adminadmin12 administrator
letmein12345 welcome12345 changeme1234 sommerfugl12 kodeord12345 adgangskode1 adgangskode12
velkommen123 velkommen1234 qwerty123456 qwertyqwerty 1q2w3e4r5t6y 1qaz2wsx3edc abc123abc123
abcdefghijkl aaaaaaaaaaaa 111111111111 000000000000 football1234 baseball1234 monkey123456
dragon123456 sunshine1234 princess1234 trustno11234 passw0rd1234 p@ssw0rd1234 p@ssword1234
mypassword12 secret123456 hemmelig1234 danmark12345 københavn123 kobenhavn123 kommune12345
sikkerhed123 resilience12 digitalresilience
""".split())


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg.get("ARGON2_TIME_COST", 3),
                          memory_cost=cfg.get("ARGON2_MEMORY_COST", 65536))


def hash_password(password: str) -> str:
    """An Argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """True if the password matches; spends the same time when there is no such user."""
    if user is None or not user.password_hash:
        _hasher().hash(password)  # equalise timing so no one learns which accounts exist
        return False
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return True


def token_digest(token: str) -> str:
    """The stored form of a secret token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User) -> str:
    """A new API token for the user; only its hash is stored. Commits."""
    token = "drs_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=token_digest(token)))
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """The active user owning this API token, or None."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if row is None or not row.user.active:
        return None
    return row.user


def new_session_token() -> str:
    """A fresh per-user session token (rotated at sign-out)."""
    return secrets.token_hex(16)


def normalise_email(email: str | None) -> str:
    """The one form e-mail addresses are stored and looked up in: trimmed, lower case."""
    return (email or "").strip().lower()


def email_problem(email: str) -> Text | None:
    """Why a (normalised) e-mail address cannot be used, or None: the one rule for addresses."""
    local, at, domain = email.partition("@")
    if not at or not local or not domain or len(email) > 254:
        return Text("Enter a valid e-mail address, such as name@example.dk.")
    return None


def password_problem(password: str | None, email: str = "") -> Text | None:
    """Why a password cannot be used, or None: the one rule for passwords.

    At least MIN_PASSWORD characters (at most MAX_PASSWORD), and not one of the most common
    passwords: COMMON_PASSWORDS (case and spaces ignored), one or two characters repeated, or
    the account's own e-mail address. No network look-up.
    """
    password = password or ""
    if len(password) < MIN_PASSWORD:
        return Text("The password must be at least %(n)s characters.", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return Text("The password must be at most %(n)s characters.", n=MAX_PASSWORD)
    folded = "".join(password.casefold().split())
    if folded in COMMON_PASSWORDS or len(set(folded)) <= 2 or (email and folded == email.casefold()):
        return Text("This password is one of the most common ones. Choose another.")
    return None


def create_user(email: str, password: str, org_slug: str, role: str,
                department_slug: str | None = None, name: str = "") -> User:
    """Add a user with a membership (creating the organisation if missing). Commits."""
    email = normalise_email(email)
    errors = []
    if email_problem(email):
        errors.append(("email", f"invalid e-mail address {email!r}"))
    if role not in ROLES:
        errors.append(("role", f"unknown role {role!r} (use {', '.join(ROLES)})"))
    if name and len(name) > MAX_NAME:
        errors.append(("name", f"the name must be at most {MAX_NAME} characters"))
    if (problem := password_problem(password, email)) is not None:
        errors.append(("password", problem))
    if not re.match(r"^[a-z0-9][a-z0-9-]{0,62}\Z", org_slug or ""):
        errors.append(("org", f"invalid organisation slug {org_slug!r}"))
    if user_by_email(email) is not None:
        errors.append(("email", f"a user with e-mail {email} already exists"))
    if errors:
        raise Invalid("; ".join(m for _, m in errors), errors)
    org = get_or_create_org(org_slug)
    dep = None
    if department_slug:
        dep = find_department(org, department_slug)
        if dep is None:
            db.session.rollback()
            raise Invalid(f"unknown department {department_slug!r} in {org_slug}",
                          [("department", "unknown department")])
    user = User(email=email, name=name or email.split("@")[0], password_hash=hash_password(password),
                session_token=new_session_token())
    user.memberships.append(Membership(organisation_id=org.id, role=role,
                                       department_id=dep.id if dep else None))
    db.session.add(user)
    db.session.commit()
    return user


def user_by_email(email: str) -> User | None:
    """The user with this e-mail address (normalised), or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def invitations(org: Organisation) -> list[Invitation]:
    """The organisation's invitations, newest first."""
    return list(db.session.scalars(select(Invitation).where(
        Invitation.organisation_id == org.id).order_by(Invitation.created_at.desc(),
                                                         Invitation.id.desc())))


def invitation_state(inv: Invitation, now: datetime | None = None) -> str:
    """'used', 'expired' or 'pending'."""
    if inv.used_at is not None:
        return "used"
    if _aware(inv.expires_at) <= (now or utcnow()):
        return "expired"
    return "pending"


def create_invitation(actor: Membership, user: User, email: str, role: str,
                      department_id: Any, days: int | None = None) -> tuple[Invitation, str]:
    """A one-time, expiring invitation; returns it and the secret token (only its hash is kept). Commits."""
    email = normalise_email(email)
    if (problem := email_problem(email)) is not None:
        raise _invalid("email", problem)
    from ..rounds import record
    from .organisations import ALL_DEPARTMENTS
    _check_role(role)
    dep = _department_or_none(actor, department_id)
    if role == "respondent" and dep is None and department_id != ALL_DEPARTMENTS:
        raise _invalid("department", Text("Choose the department the leader answers for, or "
                                          "“All departments”."))
    org = actor.organisation
    existing = user_by_email(email)
    if existing is not None and any(x.organisation_id == org.id for x in existing.memberships):
        raise _invalid("email", Text("%(email)s is already a member of the organisation.", email=email))
    token = secrets.token_urlsafe(32)
    days = days or current_app.config.get("INVITATION_DAYS", 14)
    inv = Invitation(organisation_id=org.id, email=email, role=role,
                     department_id=dep.id if dep else None, token_hash=token_digest(token),
                     created_by_id=user.id, expires_at=utcnow() + timedelta(days=days))
    db.session.add(inv)
    record(org.id, "invitation_sent", user, department_id=inv.department_id,
           detail={"email": email, "role": role})
    db.session.commit()
    return inv, token


def revoke_invitation(actor: Membership, invitation_id: int, user: User | None = None) -> None:
    """Delete an invitation of the organisation so its link stops working. Commits."""
    from ..rounds import record
    inv = db.session.get(Invitation, invitation_id)
    if inv is None or inv.organisation_id != actor.organisation_id:
        raise NotFound(f"invitation {invitation_id} not found")
    record(inv.organisation_id, "invitation_withdrawn", user, department_id=inv.department_id,
           detail={"email": inv.email, "role": inv.role})
    db.session.delete(inv)
    db.session.commit()


def invitation_for(token: str) -> Invitation:
    """The pending invitation of a link; NotFound if unknown, Invalid if used or expired."""
    inv = db.session.scalar(select(Invitation).where(
        Invitation.token_hash == token_digest(token or "")))
    if inv is None:
        raise NotFound("unknown invitation")
    state = invitation_state(inv)
    if state == "used":
        raise _invalid("token", Text("This invitation has already been used. Sign in, or ask your "
                                  "coordinator for a new invitation."))
    if state == "expired":
        raise _invalid("token", Text("This invitation has expired. Ask your coordinator for a new one."))
    return inv


def account_for(inv: Invitation) -> User | None:
    """The existing account with the invitation's e-mail address, if any."""
    return user_by_email(inv.email)


def accept_invitation(token: str, name: str, password: str, confirm: str,
                      signed_in: User | None = None) -> User:
    """Create the account (or use the signed-in one) and its membership; the link is spent. Commits."""
    inv = invitation_for(token)
    existing = account_for(inv)
    if existing is not None:
        if signed_in is None or signed_in.id != existing.id:
            raise _invalid("email", Text("An account with the e-mail %(email)s already exists. Sign "
                                      "in with it and open the invitation link again.",
                                      email=inv.email))
        if any(m.organisation_id == inv.organisation_id for m in existing.memberships):
            raise _invalid("email", Text("%(email)s is already a member of the organisation.",
                                      email=inv.email))
        user = existing
    else:
        errors = []
        name = " ".join((name or "").split())
        if not name:
            errors.append(("name", Text("Enter your name.")))
        elif len(name) > MAX_NAME:
            errors.append(("name", Text("The name may be at most %(n)s characters.", n=MAX_NAME)))
        if (problem := password_problem(password, inv.email)) is not None:
            errors.append(("password", problem))
        elif password != confirm:
            errors.append(("confirm", Text("The two passwords are not the same.")))
        if errors:
            raise Invalid(errors[0][1], errors)
        user = User(email=inv.email, name=name, password_hash=hash_password(password),
                    session_token=new_session_token())
    # Spend the link first, with a conditional UPDATE: of two simultaneous acceptances, one wins
    # (the other waits for the row and then finds it used) and nothing of the loser is stored.
    spent = db.session.execute(update(Invitation).where(
        Invitation.id == inv.id, Invitation.used_at.is_(None)).values(used_at=utcnow()))
    if spent.rowcount != 1:
        db.session.rollback()
        raise _invalid("token", Text("This invitation has already been used. Sign in, or ask your "
                                  "coordinator for a new invitation."))
    from ..rounds import record
    db.session.add(user)
    user.memberships.append(Membership(organisation_id=inv.organisation_id, role=inv.role,
                                       department_id=inv.department_id))
    db.session.flush()
    record(inv.organisation_id, "invitation_accepted", user, department_id=inv.department_id,
           detail={"email": inv.email, "role": inv.role})
    db.session.commit()
    return user


def user_for_session(user_id: int, token: str) -> User | None:
    """The active user whose session token this is (memberships and organisations loaded)."""
    from sqlalchemy.orm import joinedload
    # One round trip (SPEC 11): the user, its memberships and their organisations joined.
    user = db.session.execute(select(User).where(User.id == user_id).options(
        joinedload(User.memberships).joinedload(Membership.organisation))).unique().scalar_one_or_none()
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def set_locale(user: User, locale: str) -> None:
    """Remember the user's language. Commits."""
    if user.locale != locale:
        user.locale = locale
        db.session.commit()


def end_sessions(user: User) -> None:
    """Rotate the user's session token, so every session of the user ends. Commits."""
    user.session_token = new_session_token()
    db.session.commit()
