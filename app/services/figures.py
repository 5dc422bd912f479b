"""Figures kept per assessment, so that comparing 1,000 departments reads 1,000 rows, not
their 38,000 answers (SPEC section 11).

A kept row (`AssessmentFigures`) is identified by its assessment and a `kind` (the block
scores under one questionnaire version, or the recommended initiatives), and carries a
`stamp` of everything the figures were computed from: the assessment's `updated_at` (moved
by every change to its answers, see models), its questionnaire content, the organisation's
shared answers for the period, `RULES`, and for recommended initiatives that listen to the
register, the department's entries and the day they are judged on. A reader uses a row only when the stamp it
expects is the stored one; anything else is recomputed from the answers and stored again.
So a row is never invalidated by hand and a late writer can only store a stamp nobody
expects. Storing is best effort, on its own connection: a read never fails because of it.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..core.answers import Answer
from ..core.scoring import overall_score
from ..extensions import db
from ..models import Answer as AnswerRow
from ..models import Assessment, AssessmentFigures

# Part of every stamp: change it when the scoring or recommendation rules change, and every
# kept figure is recomputed on its next read.
RULES = "2"
RECOMMENDED = "recommended"
# Above this many assessments to recompute, their answers are read through the scope's join
# rather than an IN list of ids.
IN_LIST_LIMIT = 200

log = logging.getLogger(__name__)


def blocks_kind(q) -> str:
    """The kind of the block scores under questionnaire `q` (its id, version and content)."""
    return f"blocks:{q.id}@{q.version}:{q.content_hash[:16]}"


def digest(items: Iterable[str]) -> str:
    """A short digest of a set of texts, in any order; "-" for none (part of a stamp)."""
    items = sorted(items)
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:16] if items else "-"


def shared_fingerprint(shared: Mapping[str, Answer] | None) -> str:
    """A short digest of an organisation's shared answers for one period."""
    return digest(json.dumps([k, a.level, a.status, a.target]) for k, a in (shared or {}).items())


def stamp(updated_at, content_hash: str, shared: str) -> str:
    """What a kept figure was computed from: answers, questionnaire, shared answers, rules."""
    return f"{RULES}|{updated_at.isoformat()}|{content_hash[:16]}|{shared}"


def stamps(heads: Iterable, shared: Mapping[str, Mapping[str, Answer]]) -> dict[int, str]:
    """The stamp each assessment's kept figures must have (heads: rows with id, period,
    questionnaire_id, questionnaire_version, content_hash, updated_at). The organisation's
    shared answers count only for a questionnaire that has organisation-wide questions, as
    in the scores themselves, so every reader expects the same stamp."""
    from ..registry import questionnaire
    prints = {p: shared_fingerprint(levels) for p, levels in shared.items()}
    has_shared: dict[tuple[str, str], bool] = {}
    out = {}
    for h in heads:
        key = (h.questionnaire_id, h.questionnaire_version)
        if key not in has_shared:
            has_shared[key] = bool(questionnaire(*key).organisation_questions)
        out[h.id] = stamp(h.updated_at, h.content_hash,
                          prints.get(h.period, "-") if has_shared[key] else "-")
    return out


def packed(scores: Sequence) -> list:
    """Block scores (core.scoring.BlockScore, in the questionnaire's order) as kept: the
    overall score first, then each block's; a list reads back faster than a mapping."""
    return [overall_score(scores), *(s.score for s in scores)]


def unpacked(block_ids: Sequence[str], payload: list) -> tuple[float | None, dict[str, float | None]]:
    """The overall score and the block scores of a kept list (see `packed`)."""
    return payload[0], dict(zip(block_ids, payload[1:], strict=True))


def kept(kind: str, scope: Sequence, expected: Mapping[int, str],
         compute: Callable[[list[int], dict[int, dict[str, Answer]]], Mapping[int, Any]],
         ) -> dict[int, Any]:
    """The figures of `kind` for the assessments in `expected` (id -> the stamp they must have).

    Kept rows with the expected stamp are used as they are; for the rest, the answers are
    read (one statement) and `compute(ids, answers)` gives their figures, which are stored.
    `scope` is the WHERE clause on Assessment that covers every id in `expected`.
    """
    return kept_by_kind(scope, {kind: (expected, compute)})[kind]


def kept_by_kind(scope: Sequence, wanted: Mapping[str, tuple[Mapping[int, str], Callable]]
                 ) -> dict[str, dict[int, Any]]:
    """`kept` for several kinds at once (kind -> (expected, compute)): the kept rows of every
    kind in one statement, and the answers of every assessment to recompute in one more."""
    out: dict[str, dict[int, Any]] = {kind: {} for kind in wanted}
    kinds = [kind for kind, (expected, _compute) in wanted.items() if expected]
    if not kinds:
        return out
    for aid, kind, row_stamp, payload in db.session.execute(
            select(AssessmentFigures.assessment_id, AssessmentFigures.kind,
                   AssessmentFigures.stamp, AssessmentFigures.payload)
            .join(Assessment, Assessment.id == AssessmentFigures.assessment_id)
            .where(*scope, AssessmentFigures.kind.in_(kinds))):
        if wanted[kind][0].get(aid) == row_stamp:
            out[kind][aid] = json.loads(payload)
    missing = {kind: [aid for aid in wanted[kind][0] if aid not in out[kind]] for kind in kinds}
    if any(missing.values()):
        answers = answers_of_many(scope, {aid for ids in missing.values() for aid in ids})
        for kind, ids in missing.items():
            if ids:
                expected, compute = wanted[kind]
                fresh = compute(ids, answers)
                out[kind].update(fresh)
                _store(kind, [(aid, expected[aid], fresh[aid]) for aid in ids])
    return out


def answers_of_many(scope: Sequence | None, ids: Iterable[int]) -> dict[int, dict[str, Answer]]:
    """The answers (level, status, target) of these assessments, in one statement (none for
    no ids). Many ids are read through `scope`, a WHERE clause on Assessment covering them,
    when one is given, rather than an IN list."""
    ids = list(ids)
    found: dict[int, dict[str, Answer]] = {aid: {} for aid in ids}
    if not ids:
        return found
    query = select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.level,
                   AnswerRow.status, AnswerRow.target)
    if scope is None or len(ids) <= IN_LIST_LIMIT:
        query = query.where(AnswerRow.assessment_id.in_(ids))
    else:
        query = query.join(Assessment, Assessment.id == AnswerRow.assessment_id).where(*scope)
    for aid, qid, level, status, target in db.session.execute(query):
        if aid in found:
            found[aid][qid] = Answer(level=level, status=status, target=target)
    return found


def _store(kind: str, rows: list[tuple[int, str, Any]]) -> None:
    """Upsert the rows on a connection of their own; skipped while the request's session has
    unsaved writes (the rows could wait on its locks), and a failure only costs a recompute."""
    if not rows or db.session.info.get("writes"):
        return
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        return
    statement = insert(AssessmentFigures.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=["assessment_id", "kind"],
        set_={"stamp": statement.excluded.stamp, "payload": statement.excluded.payload})
    values = [{"assessment_id": aid, "kind": kind, "stamp": s,
               "payload": json.dumps(payload, separators=(",", ":"))} for aid, s, payload in rows]
    try:
        with db.engine.begin() as conn:
            conn.execute(statement, values)
    except SQLAlchemyError as exc:  # e.g. an assessment deleted meanwhile, a locked file
        log.warning("assessment figures not kept (%s rows, %s): %s", len(rows), kind, exc)
