"""The report use cases: gather an assessment's or organisation's data, then render a PDF.

The renderers in app/pdf take the plain dataclasses of app/pdf/data.py and return bytes;
this module is the one that reads rows (through the services) and fills those dataclasses,
with every text made by app.presenters.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from . import presenters, services, services_register
from .core.questionnaire import localized
from .errors import Invalid, NotFound
from .pdf.assessment import render_assessment
from .pdf.data import (
    AssessmentReport,
    BlockSection,
    DepartmentLine,
    OrganisationReport,
    QuestionLine,
    StrategicLine,
    TrackGroup,
)
from .pdf.organisation import render_organisation
from .pdf.register import section_data
from .plan_report import department_section, organisation_section
from .shared_answers import effective_of, shared_answers


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
    locale = check_locale(locale)
    with force_locale(locale):
        return render_assessment(assessment_data(a, locale))


def organisation_pdf(org, membership, period: str, locale: str) -> bytes:
    """The organisation's PDF report for a period, as the membership may see it."""
    locale = check_locale(locale)
    with force_locale(locale):
        return render_organisation(organisation_data(org, membership, period, locale))


def assessment_data(a, locale: str) -> AssessmentReport:
    """Everything the assessment report shows, localised, from the assessment's rows."""
    q = services.questionnaire_of(a)
    answers = effective_of(a, services.answers_of(a))  # the organisation's, for shared questions
    strategic = services.strategic_of(a)
    entries = services_register.entries_for_department(a.organisation, a.department)
    today = services_register.today_for_assessment(a)
    results = services.results_of(a, answers,
                                  services_register.findings_for_assessment(a, entries, today))
    ctx, previous = services.context_with_previous(a)
    current = results.figures()
    sections = []
    for block, bs in zip(q.blocks, results.blocks, strict=False):
        lines = [QuestionLine(
            text=localized(qu.text, locale),
            level=answers[qu.id].level if qu.id in answers else None,
            level_text=presenters.level_text(q, qu.id, answers.get(qu.id), locale),
            target=answers[qu.id].target if qu.id in answers else None,
            comment=answers[qu.id].comment if qu.id in answers else "")
            for qu in block.questions]
        sections.append(BlockSection(
            id=block.id, title=localized(block.title, locale),
            intro=localized(block.intro, locale), score=presenters.score(bs.score),
            answered=bs.answered, total=bs.total, low_coverage=bs.low_coverage,
            questions=lines, context=presenters.context_line(ctx, current, block.id)))
    by_id = {s.id: s for s in sections}
    strongest, weakest = results.strongest_and_weakest()
    lines = presenters.initiative_lines(q, results, locale)
    tracks = [TrackGroup(g.heading, g.rows)
              for g in presenters.initiatives_by_track(q, results, locale, lines)]
    return AssessmentReport(
        meta=presenters.report_meta(q, a.organisation.name, a.period, locale),
        department=a.department.name,
        status=presenters.label(presenters.ASSESSMENT_STATUSES, a.status),
        draft=a.status != "submitted",
        overall=presenters.score(results.overall), blocks=sections,
        strongest=by_id[strongest.id] if strongest else None,
        weakest=by_id[weakest.id] if weakest else None,
        strategic=[StrategicLine(localized(sq.text, locale),
                                 presenters.strategic_text(sq, strategic.get(sq.id), locale))
                   for sq in q.strategic_questions],
        tracks=tracks, recommendations=lines,
        plan=department_section(a, locale, results=results, effective=answers,
                                previous=previous),
        context=presenters.context_line(ctx, current),
        previous_period=ctx.previous_period, departments=ctx.departments,
        glossary=[(localized(g.term, locale), localized(g.text, locale)) for g in q.glossary],
        register=section_data(entries, today,
                              _("Entries of %(department)s and the shared entries",
                                department=a.department.name), locale))


def organisation_data(org, membership, period: str, locale: str) -> OrganisationReport:
    """Everything the organisation report shows for a period, as the membership may see it."""
    all_periods = services.periods_of(org)
    if period not in all_periods:
        raise NotFound(f"organisation '{org.slug}' has no period {period!r}")
    comparisons = services.comparisons(org, membership, all_periods)
    current = next(c for c in comparisons if c.period == period)
    q = services.comparison_questionnaire(org, all_periods)
    overall_by = {c.period: {r.department: r.overall for r in c.rows if not r.draft}
                  for c in comparisons}
    periods = [c.period for c in comparisons]

    def line(row, trend) -> DepartmentLine:
        return DepartmentLine(name=row.name, draft=row.draft, overall=presenters.score(row.overall),
                              blocks=[presenters.score(row.blocks.get(b)) for b in current.block_ids],
                              trend=trend)

    departments = [line(r, [overall_by[p].get(r.department) for p in periods])
                   for r in current.rows]
    organisation = line(current.organisation, [c.organisation.overall for c in comparisons])
    counts, submitted = services.recommendation_counts(org, period)
    return OrganisationReport(
        meta=presenters.report_meta(q, org.name, period, locale),
        block_titles=[localized(q.block(b).title, locale) for b in current.block_ids],
        organisation=organisation, departments=departments, periods=periods,
        submitted=submitted, common=presenters.common_initiatives(q, counts, locale),
        plan=organisation_section(org, period, locale),
        versions_note=presenters.versions_note(services.period_versions(org, period, q.id),
                                               q.version),
        shared=presenters.shared_lines(q, {k: s.answer for k, s in
                                           shared_answers(org.id, period).items()}, locale),
        register=section_data(services_register.entries(org, membership),
                              services_register.today_for(org, period),
                              _("All entries of the organisation"), locale))
