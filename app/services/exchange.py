"""The exchange format: export an assessment, import one in a single transaction."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError

from .. import integrity
from ..core.exchange import ExchangeAssessment, to_exchange
from ..core.saving import as_json
from ..errors import Invalid
from ..extensions import db
from ..models import Answer as AnswerRow
from ..models import (
    AnswerChange,
    Assessment,
    User,
    utcnow,
)
from ..models import StrategicAnswer as StrategicRow
from ..registry import questionnaire
from .assessments import (
    _new_assessment,
    answers_of,
    find_assessment,
    questionnaire_of,
    strategic_of,
)
from .organisations import get_or_create_department, get_or_create_org


def export_exchange(a: Assessment) -> dict[str, Any]:
    """The exchange document of an assessment."""
    from ..shared_answers import shared_answers
    q = questionnaire_of(a)
    shared = ({k: v.answer for k, v in shared_answers(a.organisation_id, a.period).items()
               if k in q.organisation_questions} if q.organisation_questions else {})
    own = {k: v for k, v in answers_of(a).items() if k not in q.organisation_questions}
    x = ExchangeAssessment(
        a.questionnaire_id, a.questionnaire_version, a.organisation.slug, a.organisation.name,
        a.department.slug, a.department.name, a.period, a.status, own, strategic_of(a), shared)
    return to_exchange(x, q)


def import_exchange(x: ExchangeAssessment, user: User | None = None) -> Assessment:
    """Store a validated exchange document as a new assessment, all in one transaction."""
    try:
        org = get_or_create_org(x.organisation_slug, x.organisation_name)
        dep = get_or_create_department(org, x.department_slug, x.department_name)
        if find_assessment(dep, x.period) is not None:
            raise Invalid(f"department '{dep.slug}' of '{org.slug}' already has an assessment "
                          f"for period {x.period}", [("period", "already assessed")])
        a = _new_assessment(dep, x.period, questionnaire(x.questionnaire_id,
                                                         x.questionnaire_version), x.status)
        uid = user.id if user else None
        for qid, ans in x.answers.items():
            db.session.add(AnswerRow(assessment_id=a.id, question_id=qid, level=ans.level,
                                     status=ans.status, target=ans.target, comment=ans.comment,
                                     updated_by_id=uid))
            db.session.add(AnswerChange(assessment_id=a.id, question_id=qid, user_id=uid,
                                        new=as_json(ans), source="import"))
        for sid, s in x.strategic.items():
            db.session.add(StrategicRow(assessment_id=a.id, question_id=sid,
                                        value=json.dumps(s.to_json(), ensure_ascii=False),
                                        updated_by_id=uid))
            db.session.add(AnswerChange(assessment_id=a.id, question_id=sid, user_id=uid,
                                        new=as_json(s), source="import"))
        if x.status == "submitted":
            a.submitted_at = utcnow()
        if x.organisation_answers:
            from ..shared_answers import import_shared_answers
            import_shared_answers(org, x.period, user, x.organisation_answers)
        db.session.commit()
    except (IntegrityError, DataError) as exc:  # e.g. a new slug with an existing department's name
        db.session.rollback()
        raise integrity.invalid_from(exc) from None
    except Exception:
        db.session.rollback()
        raise
    return a
