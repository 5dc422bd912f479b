"""Benchmark data: organisations of N departments x P periods with submitted answers.

Rows are written directly (bulk) because building the data is not what is measured;
the assessments look exactly like ones saved through the services.
"""
from __future__ import annotations

import json
import random

from sqlalchemy import select

from app import services
from app.core.answers import Answer, StrategicAnswer
from app.extensions import db
from app.models import Answer as AnswerRow
from app.models import Assessment, Department, Membership, Organisation, User
from app.models import StrategicAnswer as StrategicRow
from app.registry import default_questionnaire
from app.services.assessments import _new_assessment

PERIODS = ("2023", "2024", "2025", "2026")
PASSWORD = "bench-password-123"
COMMENT = "Vi har <b>en plan</b> & aftaler med leverandøren – men ingen exit-test endnu."


def levels_for(q, rng: random.Random) -> dict[str, Answer]:
    """A full, plausible set of answers: levels, targets, some comments and don't-knows."""
    out = {}
    for i, qid in enumerate(q.questions):
        if i % 9 == 8:
            out[qid] = Answer(status="dont_know")
            continue
        level = rng.randint(1, 5)
        out[qid] = Answer(level=level, target=min(5, level + rng.randint(0, 2)),
                          comment=COMMENT if i % 3 == 0 else "")
    return out


def strategic_for(q) -> dict[str, StrategicAnswer]:
    """One answer to every strategic question."""
    out = {}
    for sq in q.strategic_questions:
        if sq.kind == "multi":
            out[sq.id] = StrategicAnswer(choices=sq.option_ids[:2])
        elif sq.kind in ("scale", "single"):
            out[sq.id] = StrategicAnswer(choice=sq.option_ids[0])
        else:
            out[sq.id] = StrategicAnswer(text="Fælles indkøb med KL og nabokommuner.")
    return out


def add_assessment(dep: Department, period: str, answers: dict[str, Answer],
                   strategic: dict[str, StrategicAnswer], status: str) -> Assessment:
    """Insert an assessment with its answers (flushes, does not commit)."""
    q = default_questionnaire()
    a = _new_assessment(dep, period, q, status)
    for qid, ans in answers.items():
        db.session.add(AnswerRow(assessment_id=a.id, question_id=qid, level=ans.level,
                                 status=ans.status, target=ans.target, comment=ans.comment))
    for sid, s in strategic.items():
        db.session.add(StrategicRow(assessment_id=a.id, question_id=sid,
                                    value=json.dumps(s.to_json(), ensure_ascii=False)))
    if status == "submitted":
        a.submitted_at = a.updated_at
    return a


def user(email: str, org: Organisation, role: str = "admin", dep: Department | None = None) -> User:
    """The user with this e-mail, created with a membership of the organisation if missing."""
    u = db.session.scalar(select(User).where(User.email == email))
    if u is None:
        u = User(email=email, name=email.split("@")[0], session_token=services.new_session_token(),
                 password_hash=services.hash_password(PASSWORD))
        db.session.add(u)
        db.session.flush()
    if not any(m.organisation_id == org.id for m in u.memberships):
        u.memberships.append(Membership(organisation_id=org.id, role=role,
                                        department_id=dep.id if dep else None))
    db.session.flush()
    return u


def build_org(slug: str, departments: int, periods=PERIODS, drafts: int = 1,
              seed: int = 1) -> Organisation:
    """An organisation with submitted assessments for every department and period, plus drafts.

    The first `drafts` departments also get a draft for period "2027". Commits.
    """
    rng = random.Random(seed)
    q = default_questionnaire()
    org = services.get_or_create_org(slug, f"Bench {slug}")
    strategic = strategic_for(q)
    for n in range(departments):
        dep = services.get_or_create_department(org, f"dep-{n:03d}", f"Afdeling {n:03d}")
        for p in periods:
            add_assessment(dep, p, levels_for(q, rng), strategic, "submitted")
        if n < drafts:
            add_assessment(dep, "2027", levels_for(q, rng), strategic, "draft")
    db.session.commit()
    return org


def drafts_of(org: Organisation) -> list[Assessment]:
    """The organisation's draft assessments, by id."""
    return list(db.session.scalars(select(Assessment).where(
        Assessment.organisation_id == org.id, Assessment.status == "draft").order_by(Assessment.id)))


def submitted_of(org: Organisation) -> list[Assessment]:
    """The organisation's submitted assessments, by id."""
    return list(db.session.scalars(select(Assessment).where(
        Assessment.organisation_id == org.id, Assessment.status == "submitted")
        .order_by(Assessment.id)))
