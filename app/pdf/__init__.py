"""PDF reports: adapters that gather an assessment's or organisation's data, then render it.

The renderers in assessment.py and organisation.py take the dataclasses of data.py and
return bytes; only the two functions here touch the services.
"""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from .. import labels, services
from ..core.questionnaire import Questionnaire, localized
from ..core.recommend import by_track
from ..core.results import Results
from ..core.scoring import stage
from ..errors import Invalid, NotFound
from ..plan_report import department_section, organisation_section
from .data import (
    AssessmentReport,
    BlockSection,
    CommonInitiative,
    DepartmentLine,
    InitiativeLine,
    OrganisationReport,
    QuestionLine,
    ReportMeta,
    Score,
    StrategicLine,
    TrackGroup,
)

COMMON_LIMIT = 10


def check_locale(locale: str | None) -> str:
    """The locale if the app offers it (the default when None); Invalid otherwise."""
    offered = current_app.config["LANGUAGES"]
    if locale is None or locale == "":
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if locale not in offered:
        raise Invalid(f"unknown locale {locale!r} (use {', '.join(offered)})",
                      [("locale", "unknown locale")])
    return locale


def assessment_pdf(a, locale: str) -> bytes:
    """The assessment's PDF report in the locale."""
    from .assessment import render_assessment
    locale = check_locale(locale)
    with force_locale(locale):
        return render_assessment(assessment_data(a, locale))


def organisation_pdf(org, membership, period: str, locale: str) -> bytes:
    """The organisation's PDF report for a period, as the membership may see it."""
    from .organisation import render_organisation
    locale = check_locale(locale)
    with force_locale(locale):
        return render_organisation(organisation_data(org, membership, period, locale))


def _score(value: float | None) -> Score:
    s = stage(value)
    return Score(value, s, labels.stage_name(s))


def _meta(q: Questionnaire, organisation: str, period: str, locale: str) -> ReportMeta:
    return ReportMeta(
        locale=locale, organisation=organisation, title=localized(q.title, locale),
        questionnaire=_("%(id)s, version %(version)s", id=q.id, version=q.version),
        period=period, date=format_date(date.today(), format="long"))


def _level_text(q: Questionnaire, qid: str, answer, locale: str) -> str:
    if answer is None:
        return _("Not answered")
    if answer.level is not None:
        return localized(q.questions[qid].levels[answer.level - 1], locale)
    return labels.label(labels.STATUSES, answer.status)


def _strategic_text(sq, answer, locale: str) -> str:
    if answer is None or answer.empty:
        return ""
    options = {o.id: localized(o.label, locale) for o in sq.options}
    if answer.choice is not None:
        return options.get(answer.choice, answer.choice)
    if answer.choices:
        return "; ".join(options.get(c, c) for c in answer.choices)
    return answer.text


def _initiatives(q: Questionnaire, results: Results, locale: str) -> list[InitiativeLine]:
    out = []
    for r in results.recommendations:
        i = r.initiative
        why = []
        for reason in r.reasons:
            text = localized(q.questions[reason.question].text, locale)
            if reason.level is None:
                why.append(_("%(question)s (%(status)s)", question=text,
                             status=labels.label(labels.STATUSES, reason.status)))
            elif reason.target is None:
                why.append(_("%(question)s (level %(level)s, no target set)", question=text,
                             level=reason.level))
            else:
                why.append(_("%(question)s (level %(level)s, target %(target)s)", question=text,
                             level=reason.level, target=reason.target))
        out.append(InitiativeLine(
            rank=r.rank + 1, title=localized(i.title, locale),
            description=localized(i.description, locale),
            track=localized(q.track(i.track).title, locale),
            type=labels.label(labels.TYPES, i.type), timeframe=labels.timeframe(i.months),
            effect=labels.label(labels.EFFECTS, i.effect),
            influence=labels.label(labels.INFLUENCES, i.influence),
            why=why, priority=r.is_priority))
    return out


def assessment_data(a, locale: str) -> AssessmentReport:
    """Everything the assessment report shows, localised, from the assessment's rows."""
    q = services.questionnaire_of(a)
    answers = services.answers_of(a)
    strategic = services.strategic_of(a)
    results = services.results_of(a)
    sections = []
    for block, bs in zip(q.blocks, results.blocks, strict=False):
        lines = [QuestionLine(
            text=localized(qu.text, locale),
            level=answers[qu.id].level if qu.id in answers else None,
            level_text=_level_text(q, qu.id, answers.get(qu.id), locale),
            target=answers[qu.id].target if qu.id in answers else None,
            comment=answers[qu.id].comment if qu.id in answers else "")
            for qu in block.questions]
        sections.append(BlockSection(
            id=block.id, title=localized(block.title, locale),
            intro=localized(block.intro, locale), score=_score(bs.score),
            answered=bs.answered, total=bs.total, low_coverage=bs.low_coverage,
            questions=lines))
    by_id = {s.id: s for s in sections}
    strongest, weakest = results.strongest_and_weakest()
    lines = _initiatives(q, results, locale)
    line_of = {r.initiative.id: line for r, line in zip(results.recommendations, lines, strict=False)}
    tracks = [TrackGroup(localized(q.track(tid).title, locale),
                         [line_of[r.initiative.id] for r in recs])
              for tid, recs in by_track(q, results.recommendations)]
    return AssessmentReport(
        meta=_meta(q, a.organisation.name, a.period, locale),
        department=a.department.name,
        status=labels.label(labels.ASSESSMENT_STATUSES, a.status), draft=a.status != "submitted",
        overall=_score(results.overall), blocks=sections,
        strongest=by_id[strongest.id] if strongest else None,
        weakest=by_id[weakest.id] if weakest else None,
        strategic=[StrategicLine(localized(sq.text, locale),
                                 _strategic_text(sq, strategic.get(sq.id), locale))
                   for sq in q.strategic_questions],
        tracks=tracks, recommendations=lines, plan=department_section(a, locale))


def organisation_data(org, membership, period: str, locale: str) -> OrganisationReport:
    """Everything the organisation report shows for a period, as the membership may see it."""
    from ..registry import default_questionnaire
    all_periods = services.periods_of(org)
    if period not in all_periods:
        raise NotFound(f"organisation '{org.slug}' has no period {period!r}")
    q = default_questionnaire()
    comparisons = services.comparisons(org, membership, all_periods)
    current = next(c for c in comparisons if c.period == period)
    overall_by = {c.period: {r.department: r.overall for r in c.rows if not r.draft}
                  for c in comparisons}
    periods = [c.period for c in comparisons]

    def line(row, trend) -> DepartmentLine:
        return DepartmentLine(name=row.name, draft=row.draft, overall=_score(row.overall),
                              blocks=[_score(row.blocks.get(b)) for b in current.block_ids],
                              trend=trend)

    departments = [line(r, [overall_by[p].get(r.department) for p in periods])
                   for r in current.rows]
    organisation = line(current.organisation,
                        [c.organisation.overall for c in comparisons])
    counts, submitted = services.recommendation_counts(org, period)
    common = []
    for iid, n in counts[:COMMON_LIMIT]:
        i = q.initiative(iid)
        common.append(CommonInitiative(
            title=localized(i.title, locale), track=localized(q.track(i.track).title, locale),
            departments=n, type=labels.label(labels.TYPES, i.type),
            timeframe=labels.timeframe(i.months), effect=labels.label(labels.EFFECTS, i.effect),
            influence=labels.label(labels.INFLUENCES, i.influence)))
    return OrganisationReport(
        meta=_meta(q, org.name, period, locale),
        block_titles=[localized(q.block(b).title, locale) for b in current.block_ids],
        organisation=organisation, departments=departments, periods=periods,
        submitted=submitted, common=common, plan=organisation_section(org, period, locale))
