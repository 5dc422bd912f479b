"""Comparisons of an organisation's departments: reads only, a few statements each."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select

from ..core.answers import Answer
from ..core.compare import Comparison, DepartmentRow, compare
from ..core.questionnaire import Questionnaire
from ..core.scoring import block_scores, overall_score
from ..core.versions import carry_answers, comparison_version
from ..extensions import db
from ..models import Answer as AnswerRow
from ..models import (
    Assessment,
    Department,
    Membership,
    Organisation,
)
from ..registry import questionnaire, registry


def comparison_questionnaire(org: Organisation, periods: list[str] | None = None,
                             ) -> Questionnaire:
    """The questionnaire version whose blocks and initiatives a comparison of these periods
    (all when None) shows: the one place that decides it (see `core.versions.comparison_version`).
    """
    scope = _scope(org, periods)
    return _chosen(db.session.execute(select(
        Assessment.questionnaire_id, Assessment.questionnaire_version).where(*scope).distinct()))


def period_versions(org: Organisation, period: str, questionnaire_id: str) -> list[str]:
    """The versions of a questionnaire that the period's assessments use (drafts included,
    as `comparison_questionnaire` counts them), oldest first."""
    from ..core.versions import version_key
    return sorted(db.session.scalars(select(Assessment.questionnaire_version).where(
        *_scope(org, [period]), Assessment.questionnaire_id == questionnaire_id).distinct()),
        key=version_key)


def _scope(org: Organisation, periods: list[str] | None) -> list:
    scope = [Assessment.organisation_id == org.id]
    if periods is not None:
        scope.append(Assessment.period.in_(periods))
    return scope


def _chosen(keys: Iterable[tuple[str, str]]) -> Questionnaire:
    from ..registry import default_questionnaire
    return comparison_version([questionnaire(qid, v) for qid, v in set(keys)],
                              default_questionnaire())


def _lookup(qid: str) -> Callable[[str], Questionnaire | None]:
    return lambda version: registry().get(qid, version)


def comparisons(org: Organisation, m: Membership, periods: list[str] | None = None,
                ) -> list[Comparison]:
    """The comparison for each period (all when None) in three SQL statements, whatever the size.

    Drafts appear only for viewers allowed to see them, marked as drafts. Every department is
    scored by the blocks of one version (`comparison_questionnaire`): an assessment of an
    older version has its answers carried over through the `previous` mappings first.
    """
    from ..access import can_see_drafts_of
    # Plain columns rather than ORM objects: at 100 departments x 4 periods this halves the time.
    scope = _scope(org, periods)
    every = db.session.execute(
        select(Assessment.id, Assessment.department_id, Assessment.period, Assessment.status,
               Assessment.questionnaire_id, Assessment.questionnaire_version,
               Department.slug, Department.name)
        .join(Department, Department.id == Assessment.department_id).where(*scope)).all()
    # Chosen from every assessment in scope, visible or not, as comparison_questionnaire does.
    target = _chosen((h.questionnaire_id, h.questionnaire_version) for h in every)
    heads = [h for h in every if h.status == "submitted" or can_see_drafts_of(m, h.department_id)]
    levels: dict[int, dict[str, Answer]] = {h.id: {} for h in heads}
    if heads:
        for aid, qid, level in db.session.execute(
                select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.level)
                .join(Assessment, Assessment.id == AnswerRow.assessment_id)
                .where(*scope, AnswerRow.level.is_not(None))):
            if aid in levels:
                levels[aid][qid] = Answer(level=level)
    block_ids = [b.id for b in target.blocks]
    by_period: dict[str, list[DepartmentRow]] = {p: [] for p in (periods or [])}
    from ..shared_answers import overlay, shared_levels_by_period
    shared = shared_levels_by_period(org.id, periods) if heads else {}
    for h in sorted(heads, key=lambda h: h.name.casefold()):
        own = questionnaire(h.questionnaire_id, h.questionnaire_version)
        answers = carry_answers(target, own, levels[h.id], _lookup(target.id))
        if own.organisation_questions:  # the organisation's answers count for shared questions
            answers = overlay(target, answers, shared.get(h.period))
        scores = block_scores(target, answers)
        by_period.setdefault(h.period, []).append(DepartmentRow(
            department=h.slug, name=h.name, overall=overall_score(scores),
            blocks={s.id: s.score for s in scores}, status=h.status, assessment_id=h.id))
    out = [compare(p, block_ids, rows, org.name, org.slug) for p, rows in sorted(by_period.items())]
    from ..access import sees_all_departments
    if not sees_all_departments(m):  # share_results = own: the own department and the means
        own = {h.department_id: h.slug for h in heads}.get(m.department_id)
        out = [c.only(lambda r: r.department == own) for c in out]
    return out


def recommendation_counts(org: Organisation, period: str) -> tuple[list[tuple[str, int]], int]:
    """Initiatives recommended to the most submitted departments in a period, and how many there are."""
    from ..core.compare import common_recommendations
    from ..core.recommend import recommended_ids
    # Plain columns, not ORM rows: loading 100 assessments' answers as objects cost ~0.2 s.
    submitted = (Assessment.organisation_id == org.id, Assessment.period == period,
                 Assessment.status == "submitted")
    heads = db.session.execute(select(
        Assessment.id, Assessment.department_id, Assessment.questionnaire_id,
        Assessment.questionnaire_version).where(*submitted)).all()
    answers: dict[int, dict[str, Answer]] = {h.id: {} for h in heads}
    for aid, qid, level, status, target in db.session.execute(
            select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.level,
                   AnswerRow.status, AnswerRow.target)
            .join(Assessment, Assessment.id == AnswerRow.assessment_id).where(*submitted)):
        answers[aid][qid] = Answer(level=level, status=status, target=target)
    from ..shared_answers import overlay, shared_levels_by_period
    shared = shared_levels_by_period(org.id, [period]).get(period)
    per_dep = {}
    for h in heads:
        hq = questionnaire(h.questionnaire_id, h.questionnaire_version)
        per_dep[h.department_id] = recommended_ids(hq, overlay(hq, answers[h.id], shared))
    order = [i.id for i in _chosen((h.questionnaire_id, h.questionnaire_version) for h in heads).initiatives]
    return common_recommendations(per_dep, order), len(per_dep)
