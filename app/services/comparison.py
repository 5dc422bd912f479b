"""Comparisons of an organisation's departments: reads only, a few statements each."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select

from ..core.answers import Answer
from ..core.compare import Comparison, DepartmentRow, compare
from ..core.questionnaire import Questionnaire
from ..core.scoring import block_scores
from ..core.versions import carry_answers, comparison_version
from ..extensions import db
from ..models import Assessment, Department, Membership, Organisation
from ..registry import questionnaire, registry
from .figures import RECOMMENDED, blocks_kind, kept, packed, stamps, unpacked


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
    """The comparison for each period (all when None) in a few SQL statements, whatever the size.

    Drafts appear only for viewers allowed to see them, marked as drafts. Every department is
    scored by the blocks of one version (`comparison_questionnaire`): an assessment of an
    older version has its answers carried over through the `previous` mappings first. The
    scores come from the figures kept per assessment (services.figures) where they are current.
    """
    from ..access import can_see_drafts_of, sees_all_departments
    from ..shared_answers import shared_levels_by_period
    scope = _scope(org, periods)
    every = _heads(scope)
    # Chosen from every assessment in scope, visible or not, as comparison_questionnaire does.
    target = _chosen((h.questionnaire_id, h.questionnaire_version) for h in every)
    heads = [h for h in every if h.status == "submitted" or can_see_drafts_of(m, h.department_id)]
    shared = shared_levels_by_period(org.id, periods) if heads else {}
    by_id = {h.id: h for h in heads}

    def compute(ids: list[int], answers: dict[int, dict[str, Answer]]) -> dict[int, list]:
        return {aid: _block_figures(target, by_id[aid], answers[aid], shared) for aid in ids}

    figures = kept(blocks_kind(target), scope, stamps(heads, shared), compute)
    block_ids = [b.id for b in target.blocks]
    by_period: dict[str, list[DepartmentRow]] = {p: [] for p in (periods or [])}
    for h in sorted(heads, key=lambda h: h.name.casefold()):
        overall, blocks = unpacked(block_ids, figures[h.id])
        by_period.setdefault(h.period, []).append(DepartmentRow(
            department=h.slug, name=h.name, overall=overall, blocks=blocks,
            status=h.status, assessment_id=h.id))
    out = [compare(p, block_ids, rows, org.name, org.slug) for p, rows in sorted(by_period.items())]
    if not sees_all_departments(m):  # share_results = own: the own department and the means
        own = {h.department_id: h.slug for h in heads}.get(m.department_id)
        out = [c.only(lambda r: r.department == own) for c in out]
    return out


def _heads(scope: list) -> list:
    """The assessments in scope with what their figures depend on, as plain columns (at 100
    departments x 4 periods, ORM objects doubled the time)."""
    return db.session.execute(
        select(Assessment.id, Assessment.department_id, Assessment.period, Assessment.status,
               Assessment.questionnaire_id, Assessment.questionnaire_version,
               Assessment.content_hash, Assessment.updated_at, Department.slug, Department.name)
        .join(Department, Department.id == Assessment.department_id).where(*scope)).all()


def _block_figures(target: Questionnaire, h, levels: dict[str, Answer],
                   shared: dict[str, dict[str, Answer]]) -> list:
    """One assessment's block scores and overall score under the target questionnaire."""
    from ..shared_answers import overlay
    own = questionnaire(h.questionnaire_id, h.questionnaire_version)
    answers = carry_answers(target, own, levels, _lookup(target.id))
    if own.organisation_questions:  # the organisation's answers count for shared questions
        answers = overlay(target, answers, shared.get(h.period))
    return packed(block_scores(target, answers))


def recommendation_counts(org: Organisation, period: str) -> tuple[list[tuple[str, int]], int]:
    """Initiatives recommended to the most submitted departments in a period, and how many
    departments there are."""
    from ..core.compare import common_recommendations
    heads, per_dep = recommended_by_department(org, period)
    order = [i.id for i in _chosen((h.questionnaire_id, h.questionnaire_version) for h in heads).initiatives]
    return common_recommendations(per_dep, order), len(per_dep)


def recommended_by_department(org: Organisation, period: str) -> tuple[list, dict[int, list[str]]]:
    """The submitted assessments of a period (as `_heads` rows) and the initiatives recommended
    to each one's department: by the answers and, for initiatives that listen to it, the
    department's register (SPEC section 14), exactly as its own results recommend them; from
    kept figures where they are current."""
    from ..core.recommend import recommended_ids, register_triggers
    from ..services_register import DepartmentRegisters
    from ..shared_answers import overlay, shared_levels_by_period
    scope = [Assessment.organisation_id == org.id, Assessment.period == period,
             Assessment.status == "submitted"]
    heads = _heads(scope)
    shared = shared_levels_by_period(org.id, [period]) if heads else {}
    by_id = {h.id: h for h in heads}
    listens = {key: any(register_triggers(i) for i in questionnaire(*key).initiatives)
               for key in {(h.questionnaire_id, h.questionnaire_version) for h in heads}}
    registers = DepartmentRegisters(org, period) if any(listens.values()) else None

    def register_of(h):
        return registers.findings(h.department_id) if listens[
            (h.questionnaire_id, h.questionnaire_version)] else None

    def compute(ids: list[int], answers: dict[int, dict[str, Answer]]) -> dict[int, list[str]]:
        out = {}
        for aid in ids:
            h = by_id[aid]
            hq = questionnaire(h.questionnaire_id, h.questionnaire_version)
            out[aid] = recommended_ids(hq, overlay(hq, answers[aid], shared.get(period)),
                                       register_of(h))
        return out

    expected = stamps(heads, shared)
    if registers is not None:  # a change to the register changes what is recommended
        expected = {h.id: f"{expected[h.id]}|{registers.fingerprint(h.department_id)}"
                    if listens[(h.questionnaire_id, h.questionnaire_version)] else expected[h.id]
                    for h in heads}
    recommended = kept(RECOMMENDED, scope, expected, compute)
    return heads, {h.department_id: recommended[h.id] for h in heads}
