"""A person's data (GDPR Art. 15, 17 and 20): what the installation holds about a user, and
erasing a member while their organisation keeps the answers they gave."""
from __future__ import annotations

import json
import secrets
from typing import Any

from sqlalchemy import String, func, select, update
from sqlalchemy import Text as TextColumn

from ..core.org_exchange import format_when
from ..errors import Invalid, NotFound, Text
from ..extensions import db
from ..models import Answer as AnswerRow
from ..models import (
    AnswerChange,
    ApiToken,
    Assessment,
    AuditEvent,
    Department,
    Invitation,
    Membership,
    OidcIdentity,
    OidcProvider,
    Organisation,
    OrganisationAnswer,
    PasswordReset,
    PlanChange,
    RegisterChange,
    RegisterEntry,
    User,
)
from ..models import StrategicAnswer as StrategicRow
from ..rounds import record

FORMAT = "digital-resilience-personal-data/1"
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never a real address


def _load(text: str | None) -> Any:
    return json.loads(text) if text else None


def _answer(row) -> dict[str, Any]:
    return {k: getattr(row, k) for k in ("level", "status", "target", "comment")
            if getattr(row, k) not in (None, "")}


def personal_data(user: User) -> dict[str, Any]:
    """Everything the installation holds about the user, as one JSON document (no secrets:
    whether a password is set, never its hash; API tokens by date, never their value)."""
    where_assessment = (select(Assessment.id, Organisation.slug, Department.slug, Assessment.period)
                        .join(Organisation, Organisation.id == Assessment.organisation_id)
                        .join(Department, Department.id == Assessment.department_id))
    heads = {a: (o, d, p) for a, o, d, p in db.session.execute(where_assessment)}

    def where(aid: int) -> dict[str, str]:
        o, d, p = heads[aid]
        return {"organisation": o, "department": d, "period": p}

    org_slugs = dict(db.session.execute(select(Organisation.id, Organisation.slug)).all())
    events = db.session.scalars(select(AuditEvent).where(
        (AuditEvent.user_id == user.id) | AuditEvent.detail.contains(user.email, autoescape=True))
        .order_by(AuditEvent.at))
    return {
        "format": FORMAT,
        "profile": {"email": user.email, "name": user.name, "locale": user.locale,
                    "active": user.active, "created_at": format_when(user.created_at),
                    "password_set": bool(user.password_hash)},
        "memberships": [{"organisation": m.organisation.slug, "role": m.role,
                         "department": m.department.slug if m.department else None}
                        for m in user.memberships],
        "identity_providers": [{"issuer": issuer, "subject": i.subject,
                                "linked_at": format_when(i.created_at),
                                "last_sign_in_at": format_when(i.last_sign_in_at)}
                               for i, issuer in db.session.execute(
                                   select(OidcIdentity, OidcProvider.issuer).join(
                                       OidcProvider, OidcProvider.id == OidcIdentity.provider_id)
                                   .where(OidcIdentity.user_id == user.id))],
        "api_tokens": [{"created_at": format_when(t.created_at),
                        "last_used_at": format_when(t.last_used_at)}
                       for t in db.session.scalars(select(ApiToken).where(
                           ApiToken.user_id == user.id))],
        "answers": [{**where(r.assessment_id), "question": r.question_id, "answer": _answer(r),
                     "saved_at": format_when(r.updated_at)}
                    for r in db.session.scalars(select(AnswerRow).where(
                        AnswerRow.updated_by_id == user.id).order_by(AnswerRow.id))],
        "strategic_answers": [{**where(r.assessment_id), "question": r.question_id,
                               "value": _load(r.value), "saved_at": format_when(r.updated_at)}
                              for r in db.session.scalars(select(StrategicRow).where(
                                  StrategicRow.updated_by_id == user.id))],
        "organisation_answers": [{"organisation": org_slugs[r.organisation_id], "period": r.period,
                                  "question": r.question_id, "answer": _answer(r),
                                  "saved_at": format_when(r.updated_at)}
                                 for r in db.session.scalars(select(OrganisationAnswer).where(
                                     OrganisationAnswer.updated_by_id == user.id))],
        "register_entries": [{"organisation": org_slugs[r.organisation_id], "name": r.name,
                              "saved_at": format_when(r.updated_at)}
                             for r in db.session.scalars(select(RegisterEntry).where(
                                 RegisterEntry.updated_by_id == user.id))],
        "audit": {
            "answer_changes": [{**where(c.assessment_id), "question": c.question_id,
                                "at": format_when(c.at), "old": _load(c.old),
                                "new": _load(c.new), "source": c.source}
                               for c in db.session.scalars(select(AnswerChange).where(
                                   AnswerChange.user_id == user.id).order_by(AnswerChange.at))],
            "register_changes": [{"organisation": org_slugs[c.organisation_id],
                                  "action": c.action, "at": format_when(c.at),
                                  "old": _load(c.old), "new": _load(c.new)}
                                 for c in db.session.scalars(select(RegisterChange).where(
                                     RegisterChange.user_id == user.id))],
            "plan_changes": [{"organisation": org_slugs[c.organisation_id],
                              "initiative": c.initiative_id, "action": c.action,
                              "at": format_when(c.at), "old": _load(c.old), "new": _load(c.new)}
                             for c in db.session.scalars(select(PlanChange).where(
                                 PlanChange.user_id == user.id))],
            "events": [{"organisation": org_slugs[e.organisation_id], "kind": e.kind,
                        "at": format_when(e.at), "by_you": e.user_id == user.id,
                        "period": e.period, "detail": _load(e.detail)} for e in events],
        },
    }


def record_personal_data_download(user: User) -> None:
    """Note in each of the user's organisations that they downloaded their data. Commits."""
    for m in user.memberships:
        record(m.organisation_id, "personal_data_downloaded", user)
    db.session.commit()


def erasable(org: Organisation, membership_id: int, actor_user_id: int | None = None
             ) -> Membership:
    """The member a coordinator may erase: in this organisation and in no other, and not the
    coordinator themselves (so a coordinator always remains); Invalid otherwise."""
    m = db.session.scalar(select(Membership).where(
        Membership.id == membership_id, Membership.organisation_id == org.id))
    if m is None:
        raise NotFound("no such member of the organisation")
    others = db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.user_id == m.user_id, Membership.organisation_id != org.id))
    if actor_user_id == m.user_id:
        raise Invalid(Text("You cannot erase yourself; another coordinator can."),
                      [("member", "yourself")])
    if others:
        raise Invalid(Text("This person is also a member of another organisation: remove them "
                              "from this one instead, or ask the installation's operator."),
                      [("member", "member elsewhere")])
    return m


def _text_columns():
    """Every text column but those of accounts and invitations (handled row by row: another
    person's address may contain this one, "ann@x.dk" in "joann@x.dk")."""
    for table in db.metadata.sorted_tables:
        if table.name in ("users", "invitations"):
            continue
        for column in table.columns:
            if isinstance(column.type, String | TextColumn) and not column.primary_key:
                yield table, column


def erase_member(actor: Membership, membership_id: int) -> str:
    """Erase a member: sign-in, memberships, tokens, identities and invitations go; the answers
    stay with the department, and every mention of the person's name or e-mail address in
    the database becomes a pseudonym. Audited; commits once; returns the pseudonym."""
    org = actor.organisation
    target = erasable(org, membership_id, actor.user_id)
    user = target.user
    email, name = user.email, user.name
    tag = secrets.token_hex(3)
    pseudonym = f"Former member {tag}"
    try:
        for model in (ApiToken, PasswordReset, OidcIdentity):
            db.session.execute(model.__table__.delete().where(model.user_id == user.id))
        db.session.execute(Invitation.__table__.delete().where(func.lower(Invitation.email) == email))
        db.session.execute(update(Invitation).where(Invitation.created_by_id == user.id)
                           .values(created_by_id=None))
        db.session.delete(target)
        db.session.flush()
        # What remains is a pseudonym the audit trail and "saved by" name: no way to sign in.
        user.email, user.name = f"erased-{tag}@{ERASED_DOMAIN}", pseudonym
        user.password_hash, user.active, user.locale = "", False, None
        user.session_token = secrets.token_hex(16)
        db.session.flush()
        for needle in {email, name} - {""}:
            if len(needle) < 3:  # a one- or two-letter name would rewrite unrelated text
                continue
            for table, column in _text_columns():
                db.session.execute(update(table).where(column.contains(needle, autoescape=True))
                                   .values({column.name: func.replace(column, needle, pseudonym)}))
        record(org.id, "member_erased", actor.user, detail={"pseudonym": pseudonym})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return pseudonym
