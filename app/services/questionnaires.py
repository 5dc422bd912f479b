"""Questionnaire versions: which are installed, and which are pinned by assessments."""
from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import inspect, select

from ..core.questionnaire import Questionnaire
from ..extensions import db
from ..models import (
    PublishedQuestionnaire,
)
from ..registry import registry


def all_questionnaires() -> list[Questionnaire]:
    """Every installed questionnaire."""
    return registry().all()


def publish(q: Questionnaire) -> None:
    """Record a questionnaire's fingerprint when assessments first pin it (flushes)."""
    row = db.session.scalar(select(PublishedQuestionnaire).where(
        PublishedQuestionnaire.questionnaire_id == q.id,
        PublishedQuestionnaire.version == q.version))
    if row is None:
        db.session.add(PublishedQuestionnaire(
            questionnaire_id=q.id, version=q.version, content_hash=q.content_hash,
            fingerprint=json.dumps(q.fingerprint(), sort_keys=True)))
        db.session.flush()


def check_published(questionnaires: Iterable[Questionnaire], if_installed: bool = False,
                    ) -> list[str]:
    """One problem per published questionnaire whose ids, weights, triggers or thresholds changed.

    With `if_installed`, a database without the schema yet has no problems (nothing published).
    """
    if if_installed and not inspect(db.engine).has_table("published_questionnaires"):
        return []
    rows = {(r.questionnaire_id, r.version): r
            for r in db.session.scalars(select(PublishedQuestionnaire))}
    problems = []
    for q in questionnaires:
        row = rows.get(q.key)
        if row and json.loads(row.fingerprint) != json.loads(json.dumps(q.fingerprint())):
            problems.append(
                f"questionnaires/{q.id}/{q.version}.yaml: version {q.version} is in use by "
                "existing assessments and its ids, weights, triggers or thresholds changed; "
                "publish the change as a new version instead")
    return problems
