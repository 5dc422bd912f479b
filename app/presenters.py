"""Every rule that turns a domain value into display text or rows, in one place.

Pages, PDF reports, the audit trail, the conflict box and the CSV exports all call these:
stage, status, role and initiative-attribute labels, score formatting, answers in words,
initiative rows with their reasons and the three views of them, a result's context (the
organisation's mean, the change since the previous period), the organisation's common
initiatives, and the one CSV writer. The results page and the assessment PDF both call it,
so the two never word a reason differently.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from babel import numbers
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .core.answers import Answer, StrategicAnswer
from .core.context import Context, Figures
from .core.progress import COMPLETE, NOT_STARTED, PARTLY
from .core.questionnaire import Questionnaire, StrategicQuestion, localized
from .core.recommend import GAP, GAP_REASON, Reason, by_influence, by_track, estimated
from .core.results import Results
from .core.scoring import round1, stage
from .pdf.data import CommonInitiative, ContextLine, InitiativeLine, ReportMeta, Score
from .register_text import reason_lines

STAGE_NAMES = {
    1: _l("Initial"),
    2: _l("Developing"),
    3: _l("Established"),
    4: _l("Advanced"),
    5: _l("Leading"),
}
TYPES = {
    "pilot": _l("Pilot"),
    "analysis": _l("Analysis"),
    "dialogue": _l("Dialogue"),
    "policy": _l("Policy"),
}
EFFECTS = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
INFLUENCES = {
    "own": _l("Within our own control"),
    "collaboration": _l("Requires collaboration"),
    "external": _l("Outside our influence"),
}
STATUSES = {"dont_know": _l("Don't know"), "not_applicable": _l("Not applicable")}
ASSESSMENT_STATUSES = {"draft": _l("Draft"), "submitted": _l("Submitted")}
ROLE_NAMES = {"admin": _l("Coordinator"), "respondent": _l("Department leader"),
              "viewer": _l("Viewer")}
INVITATION_STATES = {"pending": _l("Waiting"), "used": _l("Used"), "expired": _l("Expired")}
PAGE_STATUSES = {NOT_STARTED: _l("Not started"), PARTLY: _l("Partly answered"),
                 COMPLETE: _l("Complete")}
COMMON_LIMIT = 10  # initiatives shown as "most often recommended" on the dashboard and in the PDF


# -- labels and scores -------------------------------------------------------------------------

def stage_name(stage: int | None) -> str:
    """The stage's name in the current locale; an en dash without a stage."""
    return str(STAGE_NAMES[stage]) if stage in STAGE_NAMES else "–"


@lru_cache(maxsize=4096)
def _formatted(value: float, pattern: str, locale: str) -> str:
    return numbers.format_decimal(value, format=pattern, locale=locale)


def format_decimal(value: float, format: str) -> str:  # noqa: A002 (flask_babel's name)
    """flask_babel.format_decimal, remembered per value, pattern and locale: a results page
    formats the same few scores hundreds of times."""
    # Keyed by the locale's name: each request has a Locale object of its own, and comparing
    # two of them costs more than the formatting.
    return _formatted(value, format, str(get_locale()))


def format_score(score: float | None) -> str:
    """A score rounded to one decimal in the current locale's notation; an en dash for none."""
    return "–" if score is None else format_decimal(round1(score), format="0.0")


def score(value: float | None) -> Score:
    """A score with its stage and the stage's name."""
    s = stage(value)
    return Score(value, s, stage_name(s))


def timeframe(months: int) -> str:
    """'6 months' in the current locale."""
    return ngettext("%(num)s month", "%(num)s months", months)


def label(table: dict, key: str | None) -> str:
    """The translated label of a key, or the key itself when it has none."""
    value = table.get(key)
    return str(value) if value is not None else (key or "")


PLAN_STATUSES = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}


def plan_status(status: str | None) -> str:
    """A plan item's status in the current locale."""
    return label(PLAN_STATUSES, status)


def format_change(delta: float | None) -> str:
    """A change of mean level with its sign, one decimal, in the locale's notation; – for none."""
    if delta is None:
        return "–"
    value = round1(delta)
    text = format_decimal(abs(value), format="0.0")
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def report_meta(q: Questionnaire, organisation: str, period: str, locale: str) -> ReportMeta:
    """The identifying fields of a report, dated today in the organisation's time zone."""
    return ReportMeta(
        locale=locale, organisation=organisation, title=localized(q.title, locale),
        questionnaire=_("%(title)s, version %(version)s", title=localized(q.title, locale),
                        version=q.version),
        # Flask-Babel rebases the moment onto the organisation's time zone (TIMEZONE)
        period=period, date=format_date(datetime.now(UTC), format="long"))


# -- answers in words --------------------------------------------------------------------------

def strategic_text(sq: StrategicQuestion, answer: StrategicAnswer | None, locale: str) -> str:
    """A strategic answer in words: the chosen options' labels or the text; "" when empty."""
    if answer is None or answer.empty:
        return ""
    options = {o.id: localized(o.label, locale) for o in sq.options}
    if answer.choice is not None:
        return options.get(answer.choice, answer.choice)
    return ", ".join(options.get(c, c) for c in answer.choices) if answer.choices else answer.text


def level_text(q: Questionnaire, qid: str, answer: Answer | None, locale: str) -> str:
    """The chosen level's descriptor, the status ("Don't know"), or "Not answered"."""
    if answer is None:
        return _("Not answered")
    if answer.level is not None:
        return localized(q.questions[qid].levels[answer.level - 1], locale)
    return label(STATUSES, answer.status)


def value_text(q: Questionnaire, qid: str, value: Mapping[str, Any] | None, locale: str) -> str:
    """A stored answer (its exchange JSON) in words, for the audit trail and the conflict box.

    Maturity answers: level or status, target, comment; strategic answers: option labels.
    """
    if value is None:
        return _("(no answer)")
    sq = q.strategic(qid)
    if sq is not None:
        return strategic_text(sq, StrategicAnswer(
            choice=value.get("choice"), choices=tuple(value.get("choices", ())),
            text=value.get("text", "")), locale)
    parts = [_("level %(n)s", n=value["level"]) if "level" in value
             else label(STATUSES, value.get("status"))]
    if "target" in value:
        parts.append(_("target %(n)s", n=value["target"]))
    if value.get("comment"):
        parts.append(_("comment: “%(text)s”", text=value["comment"]))
    return "; ".join(p for p in parts if p)


def question_text(q: Questionnaire, qid: str, locale: str) -> str:
    """The text of a maturity or strategic question; its id when the questionnaire lacks it."""
    item = q.questions.get(qid) or q.strategic(qid)
    return localized(item.text, locale) if item else qid


# -- initiatives and their reasons (SPEC section 4) ----------------------------------------------

ATTRIBUTES = ("type", "months", "effect", "influence")  # the ones a v2 initiative may estimate
VIEWS = ("priority", "track", "influence")
LEADING_NUMBER = re.compile(r"^\s*\d+[.)]\s*")


@dataclass(frozen=True)
class Group:
    """A heading and the initiative rows under it (one group of a view)."""

    heading: str
    rows: list[InitiativeLine] = field(default_factory=list)


def number(value: float) -> str:
    """A threshold such as 3 or 2.5 in the locale's notation."""
    return format_decimal(value, format="0.#")


def _reason_formats() -> dict[str, str]:
    """The reason sentences' formats, translated once per page rather than once per reason."""
    return {
        "gap": _("Target %(target)s against level %(level)s on “%(question)s”"),
        "low_target": _("Level %(level)s on “%(question)s” – below the threshold %(threshold)s, "
                        "target %(target)s"),
        "low": _("Level %(level)s on “%(question)s” – below the threshold %(threshold)s"),
    }


def reason_sentence(q: Questionnaire, reason: Reason, locale: str,
                    formats: Mapping[str, str] | None = None) -> str:
    """'Level 2 on “…” – below the threshold 3' or 'Target 5 against level 2 on “…”'."""
    fmt = formats or _reason_formats()
    values = {"question": localized(q.questions[reason.question].text, locale),
              "level": reason.level, "target": reason.target}
    if reason.kind == GAP:
        return fmt["gap"] % values
    values["threshold"] = number(reason.threshold)
    if reason.gap is not None and reason.gap >= GAP_REASON:
        return fmt["low_target"] % values
    return fmt["low"] % values


def track_heading(q: Questionnaire, track_id: str, locale: str) -> str:
    """'Track 2: …', so that a track never reads as the block of the same name.

    Version 1's track titles carry the report's own number ("2. Teknologisk …"); it is
    dropped so the heading is not numbered twice.
    """
    n = next(n for n, t in enumerate(q.tracks, start=1) if t.id == track_id)
    title = LEADING_NUMBER.sub("", localized(q.track(track_id).title, locale))
    return _("Track %(n)s: %(title)s", n=n, title=title)


def initiative_lines(q: Questionnaire, results: Results, locale: str) -> list[InitiativeLine]:
    """The recommendations in priority order as plain text rows, each with why it is there.

    Formats are translated once per call: a page of 40 initiatives and their reasons would
    otherwise cost hundreds of catalogue look-ups.
    """
    reason_fmt = _reason_formats()
    more_fmt = _("%(reason)s (and %(n)s more)")
    names = {kind: {k: str(v) for k, v in table.items()} for kind, table in (
        ("type", TYPES), ("effect", EFFECTS), ("influence", INFLUENCES))}
    tracks = {t.id: (n, track_heading(q, t.id, locale), _("Track %(n)s", n=n))
              for n, t in enumerate(q.tracks, start=1)}
    out = []
    for r in results.recommendations:
        i = r.initiative
        why = [reason_sentence(q, x, locale, reason_fmt) for x in r.reasons]
        why += [line for x in r.register_reasons for line in reason_lines(x, locale)]
        n, heading, short = tracks[i.track]
        out.append(InitiativeLine(
            rank=r.rank + 1, title=localized(i.title, locale),
            description=localized(i.description, locale), track=heading,
            type=names["type"].get(i.type, i.type), timeframe=timeframe(i.months),
            effect=names["effect"].get(i.effect, i.effect),
            influence=names["influence"].get(i.influence, i.influence),
            why=why, priority=r.is_priority, months=i.months, id=i.id, track_number=n,
            track_short=short, influence_key=i.influence, estimated=estimated(i),
            why_line=(why[0] if len(why) == 1 else
                      more_fmt % {"reason": why[0], "n": len(why) - 1} if why else "")))
    return out


def _lines_of(q: Questionnaire, results: Results, locale: str,
              lines: list[InitiativeLine] | None) -> dict[str, InitiativeLine]:
    lines = lines if lines is not None else initiative_lines(q, results, locale)
    return {r.initiative.id: line for r, line in zip(results.recommendations, lines, strict=True)}


def initiatives_by_track(q: Questionnaire, results: Results, locale: str,
                         lines: list[InitiativeLine] | None = None) -> list[Group]:
    """The initiative rows grouped by track ('Track 2: …'), each in priority order."""
    line_of = _lines_of(q, results, locale, lines)
    return [Group(track_heading(q, tid, locale), [line_of[r.initiative.id] for r in recs])
            for tid, recs in by_track(q, results.recommendations)]


def views(q: Questionnaire, results: Results, locale: str,
          lines: list[InitiativeLine] | None = None) -> dict[str, list[Group]]:
    """The three views of SPEC section 4: by priority (one group), by track, by influence."""
    lines = lines if lines is not None else initiative_lines(q, results, locale)
    line_of = _lines_of(q, results, locale, lines)
    return {
        "priority": [Group("", lines)],
        "track": initiatives_by_track(q, results, locale, lines),
        "influence": [Group(label(INFLUENCES, k), [line_of[r.initiative.id] for r in recs])
                      for k, recs in by_influence(results.recommendations)],
    }


def common_initiatives(q: Questionnaire, counts: Iterable[tuple[str, int]], locale: str,
                       ) -> list[CommonInitiative]:
    """The most often recommended initiatives (at most COMMON_LIMIT) as plain text rows."""
    out = []
    for iid, n in counts:
        try:
            i = q.initiative(iid)
        except KeyError:  # recommended by another questionnaire version only
            continue
        out.append(CommonInitiative(
            title=localized(i.title, locale), track=localized(q.track(i.track).title, locale),
            departments=n, type=label(TYPES, i.type), timeframe=timeframe(i.months),
            effect=label(EFFECTS, i.effect), influence=label(INFLUENCES, i.influence)))
        if len(out) == COMMON_LIMIT:
            break
    return out


# -- context (SPEC section 5) -------------------------------------------------------------------

def change_text(change: float | None) -> str:
    """'▲ 23.7', '▼ 4.0' or '± 0.0' in the locale's notation; '' without a previous score."""
    if change is None:
        return ""
    rounded = round(change, 1)
    if rounded == 0:
        return "± " + format_score(0.0)
    return ("▲ " if rounded > 0 else "▼ ") + format_score(abs(change))


def change_words(change: float | None) -> str:
    """The change for screen readers: 'up 23.7', 'down 4.0', 'unchanged'."""
    if change is None:
        return ""
    rounded = round(change, 1)
    if rounded == 0:
        return _("unchanged")
    if rounded > 0:
        return _("up %(points)s", points=format_score(abs(change)))
    return _("down %(points)s", points=format_score(abs(change)))


def context_line(ctx: Context, current: Figures, block_id: str | None = None) -> ContextLine:
    """The organisation's mean, the previous score and the change for overall or one block."""
    return ContextLine(
        organisation=ctx.organisation.get(block_id) if ctx.organisation else None,
        previous=ctx.previous.get(block_id) if ctx.previous else None,
        change=ctx.change(current, block_id))


@dataclass(frozen=True)
class BlockRow:
    """One block's score with its context, for the results page."""

    id: str
    title: str
    score: float | None
    stage: int | None
    answered: int
    total: int
    low_coverage: bool
    context: ContextLine


def gaps_to_close(gaps: Iterable) -> tuple[list, list]:
    """The gaps still open (target above level), largest first and then in questionnaire
    order, and the questions already at or above their target, in questionnaire order: the
    results page lists the first and folds the second away."""
    gaps = list(gaps)
    return (sorted((g for g in gaps if g.gap > 0), key=lambda g: -g.gap),
            [g for g in gaps if g.gap <= 0])


def block_rows(q: Questionnaire, results: Results, ctx: Context, locale: str) -> list[BlockRow]:
    """Each block's score, coverage, the organisation's mean and the change since last period."""
    current = results.figures()
    return [BlockRow(b.id, localized(q.block(b.id).title, locale), b.score, b.stage, b.answered,
                     b.total, b.low_coverage, context_line(ctx, current, b.id))
            for b in results.blocks]


# -- CSV -----------------------------------------------------------------------------------------

def csv_text(rows: Iterable[Iterable[Any]], newline: str = "\r\n", bom: bool = False) -> str:
    """Rows as CSV text (RFC 4180 line ends unless told); with a BOM for spreadsheet programs."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    return ("\ufeff" if bom else "") + buf.getvalue()


def shared_lines(q: Questionnaire, answers: Mapping[str, Answer], locale: str
                 ) -> list[tuple[str, str]]:
    """The organisation-wide questions of `q` with the organisation's answer as text:
    "Level 3", the status ("Don't know"), or "not answered"."""
    out = []
    for qid in q.organisation_questions:
        a = answers.get(qid)
        if a is None:
            text = _("not answered")
        elif a.level:
            text = _("Level %(level)s", level=a.level)
        else:
            text = str(STATUSES[a.status])
        out.append((localized(q.questions[qid].text, locale), text))
    return out


def versions_note(in_period: Iterable[str], target: str) -> str:
    """What a comparison says when a period's assessments use another questionnaire version
    than the one compared ('' when they all use it)."""
    from .core.versions import carried_versions
    in_period = list(in_period)
    older = carried_versions(in_period, target)
    if not older:
        return ""
    versions = ", ".join(older)
    if target in in_period:
        return _("This period mixes questionnaire versions %(versions)s and %(target)s: "
                 "departments are compared by the blocks of version %(target)s, and answers "
                 "given in version %(versions)s are carried over through the version mapping.",
                 versions=versions, target=target)
    return _("The assessments of this period use questionnaire version %(versions)s: they are "
             "compared by the blocks of version %(target)s, their answers carried over "
             "through the version mapping.", versions=versions, target=target)
