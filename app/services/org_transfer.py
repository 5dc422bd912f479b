"""A whole organisation out of one installation and into another (`core.org_exchange`).

`export_organisation` reads every row the organisation owns into one document;
`import_organisation` stores a validated document in one transaction with new ids, or
nothing at all. `read_document` turns file bytes (JSON, optionally gzip) into JSON values.
"""
from __future__ import annotations

import gzip
import io
import json
import secrets
import zlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from ..core.org_exchange import FORMAT, OrgDocument, format_when
from ..errors import Invalid
from ..extensions import db
from ..models import Answer as AnswerRow
from ..models import (
    AnswerChange,
    Assessment,
    AuditEvent,
    Department,
    Membership,
    Organisation,
    OrganisationAnswer,
    Period,
    PlanChange,
    PlanItem,
    PlanParticipant,
    RegisterChange,
    RegisterEntry,
    User,
    utcnow,
)
from ..models import StrategicAnswer as StrategicRow
from ..registry import registry
from .organisations import organisation_by_slug
from .questionnaires import publish

MAX_FILE = 200 * 1024 * 1024  # bytes, after decompression


class DocumentError(Exception):
    """A file that is not a readable JSON document; the message names the problem."""


def read_document(raw: bytes) -> Any:
    """The JSON value in a file's bytes (gzip recognised by its magic number)."""
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as f:
                raw = f.read(MAX_FILE + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise DocumentError(f"damaged or truncated gzip file ({exc})") from None
    if len(raw) > MAX_FILE:
        raise DocumentError(f"larger than {MAX_FILE // (1024 * 1024)} MB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DocumentError("not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"malformed JSON: {exc.msg} at line {exc.lineno} "
                            f"column {exc.colno} (a truncated file?)") from None
    except RecursionError:
        raise DocumentError("nested too deeply") from None


def write_document(doc: Mapping[str, Any], compress: bool = False) -> bytes:
    """The document as file bytes: indented UTF-8 JSON, gzip-compressed when asked."""
    data = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    return gzip.compress(data, mtime=0) if compress else data


# -- export --------------------------------------------------------------------------------


def _load(text: str | None) -> Any:
    return json.loads(text) if text else None


def _answer(row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("level", "status", "target"):
        if getattr(row, key) is not None:
            out[key] = getattr(row, key)
    if row.comment:
        out["comment"] = row.comment
    return out


def _people(org: Organisation) -> tuple[list[User], dict[int, Membership]]:
    """The members, and everyone else the organisation's rows name (former members)."""
    members = {m.user_id: m for m in db.session.scalars(
        select(Membership).where(Membership.organisation_id == org.id))}
    assessment_ids = select(Assessment.id).where(Assessment.organisation_id == org.id)
    named = set(members)
    for column, where in (
            (AnswerRow.updated_by_id, AnswerRow.assessment_id.in_(assessment_ids)),
            (StrategicRow.updated_by_id, StrategicRow.assessment_id.in_(assessment_ids)),
            (AnswerChange.user_id, AnswerChange.assessment_id.in_(assessment_ids)),
            (OrganisationAnswer.updated_by_id, OrganisationAnswer.organisation_id == org.id),
            (RegisterEntry.updated_by_id, RegisterEntry.organisation_id == org.id),
            (RegisterChange.user_id, RegisterChange.organisation_id == org.id),
            (AuditEvent.user_id, AuditEvent.organisation_id == org.id),
            (PlanChange.user_id, PlanChange.organisation_id == org.id)):
        named |= {u for u in db.session.scalars(select(column).where(where).distinct()) if u}
    users = list(db.session.scalars(select(User).where(User.id.in_(named)).order_by(User.id)))
    return users, members


def export_organisation(org: Organisation) -> dict[str, Any]:
    """The organisation document: everything the organisation owns, ids as stored here."""
    departments = list(db.session.scalars(
        select(Department).where(Department.organisation_id == org.id).order_by(Department.id)))
    periods = list(db.session.scalars(
        select(Period).where(Period.organisation_id == org.id).order_by(Period.id)))
    users, members = _people(org)
    assessments = list(db.session.scalars(
        select(Assessment).where(Assessment.organisation_id == org.id).order_by(Assessment.id)))
    ids = [a.id for a in assessments]
    answers: dict[int, list] = {i: [] for i in ids}
    for r in db.session.scalars(select(AnswerRow).where(AnswerRow.assessment_id.in_(ids))
                                .order_by(AnswerRow.assessment_id, AnswerRow.question_id)):
        answers[r.assessment_id].append({"question": r.question_id, "answer": _answer(r),
                                         "updated_by": r.updated_by_id,
                                         "updated_at": format_when(r.updated_at)})
    strategic: dict[int, list] = {i: [] for i in ids}
    for r in db.session.scalars(select(StrategicRow).where(StrategicRow.assessment_id.in_(ids))
                                .order_by(StrategicRow.assessment_id, StrategicRow.question_id)):
        strategic[r.assessment_id].append({"question": r.question_id, "value": json.loads(r.value),
                                           "updated_by": r.updated_by_id,
                                           "updated_at": format_when(r.updated_at)})
    shared: dict[str, list] = {}
    for r in db.session.scalars(select(OrganisationAnswer).where(
            OrganisationAnswer.organisation_id == org.id)
            .order_by(OrganisationAnswer.period, OrganisationAnswer.question_id)):
        shared.setdefault(r.period, []).append({
            "question": r.question_id, "answer": _answer(r), "updated_by": r.updated_by_id,
            "updated_at": format_when(r.updated_at)})
    plan_items = list(db.session.scalars(
        select(PlanItem).where(PlanItem.organisation_id == org.id).order_by(PlanItem.id)))
    pinned = sorted({(a.questionnaire_id, a.questionnaire_version) for a in assessments}
                    | {(p.questionnaire_id, p.questionnaire_version) for p in plan_items})
    shared_ids = {x["question"] for rows in shared.values() for x in rows}
    # the questionnaires that ask the organisation-wide questions answered, even unpinned
    pinned = sorted(set(pinned) | {q.key for q in registry().all()
                                   if shared_ids & set(q.organisation_questions)})
    return {
        "format": FORMAT,
        "exported_at": format_when(utcnow()),
        "organisation": {"slug": org.slug, "name": org.name, "share_results": org.share_results,
                         "created_at": format_when(org.created_at)},
        "questionnaires": [{"id": i, "version": v, "content_hash": registry().get(i, v).content_hash}
                           for i, v in pinned if registry().get(i, v) is not None],
        "departments": [{"id": d.id, "slug": d.slug, "name": d.name, "archived": d.archived}
                        for d in departments],
        "periods": [{"id": p.id, "label": p.label, "open": p.open,
                     "opens_on": p.opens_on.isoformat() if p.opens_on else None,
                     "closes_on": p.closes_on.isoformat() if p.closes_on else None}
                    for p in periods],
        "users": [{"id": u.id, "email": u.email, "name": u.name, "locale": u.locale,
                   "active": u.active, "created_at": format_when(u.created_at),
                   "role": members[u.id].role if u.id in members else None,
                   "department": members[u.id].department_id if u.id in members else None}
                  for u in users],
        "assessments": [{
            "id": a.id, "department": a.department_id, "period": a.period,
            "questionnaire": {"id": a.questionnaire_id, "version": a.questionnaire_version},
            "status": a.status, "created_at": format_when(a.created_at),
            "updated_at": format_when(a.updated_at), "submitted_at": format_when(a.submitted_at),
            "last_block": a.last_block, "answers": answers[a.id], "strategic": strategic[a.id],
        } for a in assessments],
        "organisation_answers": [{"id": n, "period": p, "answers": rows}
                                 for n, (p, rows) in enumerate(sorted(shared.items()), 1)],
        "answer_changes": [{
            "id": c.id, "assessment": c.assessment_id, "question": c.question_id,
            "user": c.user_id, "at": format_when(c.at), "old": _load(c.old), "new": _load(c.new),
            "source": c.source,
        } for c in db.session.scalars(select(AnswerChange).where(
            AnswerChange.assessment_id.in_(ids)).order_by(AnswerChange.id))],
        "register": [_register_row(e) for e in db.session.scalars(
            select(RegisterEntry).where(RegisterEntry.organisation_id == org.id)
            .order_by(RegisterEntry.id))],
        "register_changes": [{
            "id": c.id, "entry": c.entry_id, "action": c.action, "user": c.user_id,
            "at": format_when(c.at), "old": _load(c.old), "new": _load(c.new), "source": c.source,
        } for c in db.session.scalars(select(RegisterChange).where(
            RegisterChange.organisation_id == org.id).order_by(RegisterChange.id))],
        "audit_events": [{
            "id": e.id, "at": format_when(e.at), "kind": e.kind, "user": e.user_id,
            "department": e.department_id, "period": e.period, "assessment": e.assessment_id,
            "detail": _load(e.detail) or {},
        } for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.organisation_id == org.id).order_by(AuditEvent.id))],
        "plan_items": [{
            "id": p.id, "department": p.department_id, "initiative": p.initiative_id,
            "questionnaire": {"id": p.questionnaire_id, "version": p.questionnaire_version},
            "period": p.period, "owner": p.owner, "status": p.status,
            "start": p.start.isoformat() if p.start else None,
            "due": p.due.isoformat() if p.due else None, "note": p.note,
            "created_at": format_when(p.created_at), "updated_at": format_when(p.updated_at),
            "participants": sorted(x.department_id for x in p.participants),
        } for p in plan_items],
        "plan_changes": [{
            "id": c.id, "department": c.department_id, "item": c.item_id,
            "initiative": c.initiative_id, "action": c.action, "user": c.user_id,
            "at": format_when(c.at), "old": _load(c.old), "new": _load(c.new), "source": c.source,
        } for c in db.session.scalars(select(PlanChange).where(
            PlanChange.organisation_id == org.id).order_by(PlanChange.id))],
    }


def _register_row(e: RegisterEntry) -> dict[str, Any]:
    return {"id": e.id, "name": e.name, "layer": e.layer, "department": e.department_id,
            "supplier": e.supplier, "supplier_country": e.supplier_country,
            "hosting_country": e.hosting_country, "criticality": e.criticality,
            "lock_in": e.lock_in, "data_export": e.data_export, "exit_plan": e.exit_plan,
            "contract_end": e.contract_end.isoformat() if e.contract_end else None,
            "seal": e.seal, "seal_source": e.seal_source, "alternative": e.alternative,
            "notes": e.notes, "updated_by": e.updated_by_id,
            "updated_at": format_when(e.updated_at)}


# -- import --------------------------------------------------------------------------------


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def import_organisation(doc: OrgDocument, slug: str | None = None) -> Organisation:
    """Store a validated document as a new organisation (under `slug` when given), with new
    ids, all in one transaction: on any problem nothing is stored. Users whose e-mail this
    installation already knows become members with their existing account; the others get
    an account without a password (they set one through an invitation or a password reset,
    or sign in through their identity provider)."""
    slug = slug or doc.organisation["slug"]
    if organisation_by_slug(slug) is not None:
        raise Invalid(f"an organisation with slug '{slug}' already exists here; import it under "
                      "another slug (--as NEW-SLUG)", [("organisation.slug", "already exists")])
    try:
        ids = _store(doc, slug)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return db.session.get(Organisation, ids)


def _store(doc: OrgDocument, slug: str) -> int:
    o = doc.organisation
    org = Organisation(slug=slug, name=o["name"], share_results=o["share_results"])
    if o["created_at"]:
        org.created_at = o["created_at"]
    db.session.add(org)
    db.session.flush()
    deps: dict[int, int] = {}
    for r in doc.rows("departments"):
        d = Department(organisation_id=org.id, slug=r["slug"], name=r["name"],
                       archived=r["archived"])
        db.session.add(d)
        db.session.flush()
        deps[r["id"]] = d.id
    for r in doc.rows("periods"):
        db.session.add(Period(organisation_id=org.id, label=r["label"], open=r["open"],
                              opens_on=r["opens_on"], closes_on=r["closes_on"]))
    users = _store_users(doc, org, deps)
    for key in doc.questionnaires:
        publish(registry().get(*key))
    assessments: dict[int, int] = {}
    for r in doc.rows("assessments"):
        a = Assessment(organisation_id=org.id, department_id=deps[r["department"]],
                       period=r["period"], questionnaire_id=r["questionnaire"][0],
                       questionnaire_version=r["questionnaire"][1],
                       content_hash=registry().get(*r["questionnaire"]).content_hash,
                       status=r["status"], created_at=r["created_at"],
                       updated_at=r["updated_at"], submitted_at=r["submitted_at"],
                       last_block=r["last_block"])
        db.session.add(a)
        db.session.flush()
        assessments[r["id"]] = a.id
        for x in r["answers"]:
            ans = x["answer"]
            db.session.add(AnswerRow(
                assessment_id=a.id, question_id=x["question"], level=ans.level,
                status=ans.status, target=ans.target, comment=ans.comment,
                updated_by_id=users.get(x["updated_by"]), updated_at=x["updated_at"]))
        for x in r["strategic"]:
            db.session.add(StrategicRow(
                assessment_id=a.id, question_id=x["question"],
                value=json.dumps(x["value"].to_json(), ensure_ascii=False),
                updated_by_id=users.get(x["updated_by"]), updated_at=x["updated_at"]))
    for r in doc.rows("organisation_answers"):
        for x in r["answers"]:
            ans = x["answer"]
            db.session.add(OrganisationAnswer(
                organisation_id=org.id, period=r["period"], question_id=x["question"],
                level=ans.level, status=ans.status, target=ans.target, comment=ans.comment,
                updated_by_id=users.get(x["updated_by"]), updated_at=x["updated_at"]))
    for r in doc.rows("answer_changes"):
        db.session.add(AnswerChange(
            assessment_id=assessments[r["assessment"]], question_id=r["question"],
            user_id=users.get(r["user"]), at=r["at"], old=_dump(r["old"]), new=_dump(r["new"]),
            source=r["source"]))
    entries: dict[int, int] = {}
    for r in doc.rows("register"):
        e = r["entry"]
        row = RegisterEntry(
            organisation_id=org.id, department_id=deps.get(r["department"]), name=e.name,
            layer=e.layer, supplier=e.supplier, supplier_country=e.supplier_country,
            hosting_country=e.hosting_country, criticality=e.criticality, lock_in=e.lock_in,
            data_export=e.data_export, exit_plan=e.exit_plan, contract_end=e.contract_end,
            seal=e.seal, seal_source=e.seal_source, alternative=e.alternative, notes=e.notes,
            updated_by_id=users.get(r["updated_by"]), updated_at=r["updated_at"])
        db.session.add(row)
        db.session.flush()
        entries[r["id"]] = row.id
    # A deleted entry's changes keep a shared id of their own that no live entry can take.
    lowest = db.session.scalar(select(func.min(RegisterChange.entry_id))) or 0
    for r in doc.rows("register_changes"):
        if r["entry"] not in entries:
            lowest = min(lowest, 0) - 1
            entries[r["entry"]] = lowest
        db.session.add(RegisterChange(
            organisation_id=org.id, entry_id=entries[r["entry"]], action=r["action"],
            user_id=users.get(r["user"]), at=r["at"], old=_dump(r["old"]), new=_dump(r["new"]),
            source=r["source"]))
    for r in doc.rows("audit_events"):
        db.session.add(AuditEvent(
            organisation_id=org.id, at=r["at"], kind=r["kind"], user_id=users.get(r["user"]),
            department_id=deps.get(r["department"]), period=r["period"],
            assessment_id=assessments.get(r["assessment"]),
            detail=json.dumps(r["detail"], ensure_ascii=False, sort_keys=True)))
    _store_plans(doc, org, deps, users)
    db.session.flush()
    return org.id


def _store_plans(doc: OrgDocument, org: Organisation, deps: dict[int, int],
                 users: dict[int, int]) -> None:
    items: dict[int, int] = {}
    for r in doc.rows("plan_items"):
        row = PlanItem(
            organisation_id=org.id, department_id=deps.get(r["department"]),
            initiative_id=r["initiative"], owner=r["owner"], status=r["status"],
            start=r["start"], due=r["due"], note=r["note"],
            questionnaire_id=r["questionnaire"][0], questionnaire_version=r["questionnaire"][1],
            period=r["period"], created_at=r["created_at"], updated_at=r["updated_at"])
        db.session.add(row)
        db.session.flush()
        items[r["id"]] = row.id
        for d in r["participants"]:
            db.session.add(PlanParticipant(item_id=row.id, department_id=deps[d]))
    # A removed item's changes keep a shared id of their own that no live item can take.
    lowest = db.session.scalar(select(func.min(PlanChange.item_id))) or 0
    for r in doc.rows("plan_changes"):
        if r["item"] is not None and r["item"] not in items:
            lowest = min(lowest, 0) - 1
            items[r["item"]] = lowest
        db.session.add(PlanChange(
            organisation_id=org.id, department_id=deps.get(r["department"]),
            item_id=items.get(r["item"]) if r["item"] is not None else None,
            initiative_id=r["initiative"], action=r["action"], user_id=users.get(r["user"]),
            at=r["at"], old=_dump(r["old"]), new=_dump(r["new"]), source=r["source"]))


def _store_users(doc: OrgDocument, org: Organisation, deps: dict[int, int]) -> dict[int, int]:
    rows = doc.rows("users")
    existing = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.in_([r["email"] for r in rows])))} if rows else {}
    out: dict[int, int] = {}
    for r in rows:
        user = existing.get(r["email"])
        if user is None:
            user = User(email=r["email"], name=r["name"], password_hash="",
                        session_token=secrets.token_hex(16), locale=r["locale"],
                        active=r["active"])
            if r["created_at"]:
                user.created_at = r["created_at"]
            db.session.add(user)
            db.session.flush()
        out[r["id"]] = user.id
        if r["role"] is not None:
            db.session.add(Membership(user_id=user.id, organisation_id=org.id, role=r["role"],
                                      department_id=deps.get(r["department"])))
    return out
