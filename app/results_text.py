"""Display text for results (pages and PDFs alike): reasons, initiative rows, views, context.

Everything here turns core values into translated text for the current locale; the results
page and the assessment PDF both call it, so the two never word a reason differently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import gettext as _

from . import labels
from .core.context import Context, Figures
from .core.questionnaire import Questionnaire, localized
from .core.recommend import (
    GAP,
    Reason,
    Recommendation,
    by_influence,
    by_track,
    estimated,
    priorities,
)

ATTRIBUTES = ("type", "months", "effect", "influence")
VIEWS = ("priority", "track", "influence")


@dataclass(frozen=True)
class InitiativeRow:
    """One recommended initiative as text, in the current locale."""

    id: str
    rank: int  # 1-based position in priority order
    priority: bool
    title: str
    description: str
    track: str  # "Track 2: …"
    track_number: int
    track_short: str  # "Track 2"
    type: str
    months: int
    timeframe: str
    effect: str
    influence: str
    influence_key: str
    estimated: frozenset[str] = frozenset()  # of ATTRIBUTES
    reasons: tuple[str, ...] = ()

    @property
    def why(self) -> str:
        """The first reason, with how many more there are: the one-line why of a priority."""
        if len(self.reasons) <= 1:
            return self.reasons[0] if self.reasons else ""
        return _("%(reason)s (and %(n)s more)", reason=self.reasons[0], n=len(self.reasons) - 1)


@dataclass(frozen=True)
class Group:
    heading: str
    rows: list[InitiativeRow] = field(default_factory=list)


def number(value: float) -> str:
    """A threshold such as 3 or 2.5 in the locale's notation."""
    return format_decimal(value, format="0.#")


def reason_sentence(q: Questionnaire, reason: Reason, locale: str) -> str:
    """'Level 2 on “…” – below the threshold 3' or 'Target 5 against level 2 on “…”'."""
    question = localized(q.questions[reason.question].text, locale)
    if reason.kind == GAP:
        return _("Target %(target)s against level %(level)s on “%(question)s”",
                 target=reason.target, level=reason.level, question=question)
    if reason.gap is not None and reason.gap >= 2:
        return _("Level %(level)s on “%(question)s” – below the threshold %(threshold)s, "
                 "target %(target)s", level=reason.level, question=question,
                 threshold=number(reason.threshold), target=reason.target)
    return _("Level %(level)s on “%(question)s” – below the threshold %(threshold)s",
             level=reason.level, question=question, threshold=number(reason.threshold))


LEADING_NUMBER = re.compile(r"^\s*\d+[.)]\s*")


def track_heading(q: Questionnaire, track_id: str, locale: str) -> str:
    """'Track 2: …', so that a track never reads as the block of the same name.

    Version 1's track titles carry the report's own number ("2. Teknologisk …"); it is
    dropped so the heading is not numbered twice.
    """
    n = next(n for n, t in enumerate(q.tracks, start=1) if t.id == track_id)
    title = LEADING_NUMBER.sub("", localized(q.track(track_id).title, locale))
    return _("Track %(n)s: %(title)s", n=n, title=title)


def initiative_rows(q: Questionnaire, recs: list[Recommendation], locale: str,
                    ) -> list[InitiativeRow]:
    """Every recommendation as an InitiativeRow, in the given order."""
    names = {kind: {k: str(v) for k, v in table.items()} for kind, table in (
        ("type", labels.TYPES), ("effect", labels.EFFECTS), ("influence", labels.INFLUENCES))}
    tracks = {t.id: (n, track_heading(q, t.id, locale)) for n, t in enumerate(q.tracks, start=1)}
    out = []
    for r in recs:
        i = r.initiative
        out.append(InitiativeRow(
            id=i.id, rank=r.rank + 1, priority=r.is_priority,
            title=localized(i.title, locale), description=localized(i.description, locale),
            track=tracks[i.track][1], track_number=tracks[i.track][0],
            track_short=_("Track %(n)s", n=tracks[i.track][0]),
            type=names["type"].get(i.type, i.type), months=i.months,
            timeframe=labels.timeframe(i.months), effect=names["effect"].get(i.effect, i.effect),
            influence=names["influence"].get(i.influence, i.influence),
            influence_key=i.influence, estimated=estimated(i),
            reasons=tuple(reason_sentence(q, x, locale) for x in r.reasons)))
    return out


def views(q: Questionnaire, recs: list[Recommendation], locale: str) -> dict[str, list[Group]]:
    """The three views of SPEC section 4: by priority (one group), by track, by influence."""
    rows = initiative_rows(q, recs, locale)
    row_of = {row.id: row for row in rows}
    return {
        "priority": [Group("", rows)],
        "track": [Group(track_heading(q, tid, locale), [row_of[r.initiative.id] for r in rs])
                  for tid, rs in by_track(q, recs)],
        "influence": [Group(labels.label(labels.INFLUENCES, k),
                            [row_of[r.initiative.id] for r in rs])
                      for k, rs in by_influence(recs)],
    }


def priority_rows(q: Questionnaire, recs: list[Recommendation], locale: str) -> list[InitiativeRow]:
    """The first five, in priority order."""
    return initiative_rows(q, priorities(recs), locale)


# -- context -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContextLine:
    """One score with the organisation's mean and the change since the previous period."""

    organisation: float | None
    previous: float | None
    change: float | None

    @property
    def arrow(self) -> str:
        """▲ for a rise, ▼ for a fall, '' for none or no change."""
        if self.change is None or round(self.change, 1) == 0:
            return ""
        return "▲" if self.change > 0 else "▼"


def change_text(change: float | None) -> str:
    """'▲ 23.7', '▼ 4.0' or '± 0.0' in the locale's notation; '' without a previous score."""
    if change is None:
        return ""
    rounded = round(change, 1)
    if rounded == 0:
        return "± " + labels.format_score(0.0)
    return ("▲ " if rounded > 0 else "▼ ") + labels.format_score(abs(change))


def change_words(change: float | None) -> str:
    """The change for screen readers: 'up 23.7', 'down 4.0', 'unchanged'."""
    if change is None:
        return ""
    rounded = round(change, 1)
    if rounded == 0:
        return _("unchanged")
    if rounded > 0:
        return _("up %(points)s", points=labels.format_score(abs(change)))
    return _("down %(points)s", points=labels.format_score(abs(change)))


def context_line(ctx: Context, current: Figures, block_id: str | None = None) -> ContextLine:
    """The organisation's mean, the previous score and the change for overall or one block."""
    return ContextLine(
        organisation=ctx.organisation.get(block_id) if ctx.organisation else None,
        previous=ctx.previous.get(block_id) if ctx.previous else None,
        change=ctx.change(current, block_id))


@dataclass(frozen=True)
class BlockRow:
    """One block's score with its context, for the results page and the PDF."""

    id: str
    title: str
    score: float | None
    stage: int | None
    answered: int
    total: int
    low_coverage: bool
    context: ContextLine


def block_rows(q: Questionnaire, results, ctx: Context, locale: str) -> list[BlockRow]:
    """Each block's score, coverage, the organisation's mean and the change since last period."""
    current = results.figures()
    return [BlockRow(b.id, localized(q.block(b.id).title, locale), b.score, b.stage, b.answered,
                     b.total, b.low_coverage, context_line(ctx, current, b.id))
            for b in results.blocks]
