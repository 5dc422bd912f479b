"""The recommendation rule, priorities and ordering (SPEC section 4). Pure Python."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from .answers import Answer
from .questionnaire import Initiative, Questionnaire
from .register import Concentration, Entry, Findings
from .scoring import EPSILON

EFFECT_WEIGHT = {"high": 3, "medium": 2, "low": 1}
DEFAULT_TARGET = 4
PRIORITY_COUNT = 5


LOW_LEVEL = "low_level"
GAP = "gap"
GAP_REASON = 2  # a target at least this far above the level is a reason (SPEC section 4)


@dataclass(frozen=True)
class Reason:
    """One trigger question that pulled the initiative in (SPEC section 4).

    kind is `low_level` when the level is below the threshold (whatever the target), else
    `gap` (the target is at least two levels above the level).
    """

    question: str
    level: int
    target: int | None
    kind: str
    threshold: float

    @property
    def gap(self) -> int | None:
        """target - level, or None without a target."""
        return None if self.target is None else self.target - self.level


@dataclass(frozen=True)
class RegisterReason:
    """A register condition behind a recommendation (SPEC section 14) and the entries behind it."""

    condition: str
    entries: tuple[Entry, ...]
    suppliers: tuple[Concentration, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    initiative: Initiative
    priority: float
    mean_level: float | None  # None when no trigger question has a level (register only)
    mean_target: float
    reasons: tuple[Reason, ...]
    rank: int = 0
    register_reasons: tuple[RegisterReason, ...] = ()

    @property
    def is_priority(self) -> bool:
        """True for the first five recommendations."""
        return self.rank < PRIORITY_COUNT

    @property
    def triggered_by(self) -> list[str]:
        """The ids of the reasons' questions, in questionnaire order."""
        return [r.question for r in self.reasons]


def register_triggers(initiative: Initiative) -> tuple[str, ...]:
    """The register conditions an initiative listens to (questionnaire version 2; none in v1)."""
    return tuple(getattr(initiative, "register_triggers", None) or ())


def evaluate(q: Questionnaire, initiative: Initiative, answers: Mapping[str, Answer],
             register: Findings | None = None) -> Recommendation | None:
    """The recommendation for one initiative, or None when its rule does not fire.

    With `register` (the findings of the technology-stack register), an initiative with
    `register_triggers` is also recommended when R_i ≥ 1 of its conditions hold, and its
    priority is effect_weight × (max(0, t_i − m_i) + R_i) (SPEC section 14).
    """
    num = den = 0.0
    targets = []
    big_gap = False
    levelled = []
    for qid in initiative.triggers:
        a = answers.get(qid)
        if a is None:
            continue
        if a.target is not None:
            targets.append(a.target)
        if a.level is not None:
            w = q.questions[qid].weight
            num += w * a.level
            den += w
            levelled.append((qid, a))
            if a.target is not None and a.target - a.level >= GAP_REASON:
                big_gap = True
    held = tuple(RegisterReason(c, register[c].entries, register[c].suppliers)
                 for c in register_triggers(initiative)
                 if register is not None and register.holds(c))
    m = num / den if den else None
    t = sum(targets) / len(targets) if targets else DEFAULT_TARGET
    answer_rule = m is not None and (m < initiative.threshold - EPSILON or big_gap)
    if not (answer_rule or held):
        return None
    answer_part = max(0.0, t - m) if m is not None else 0.0
    priority = EFFECT_WEIGHT[initiative.effect] * (answer_part + len(held))
    return Recommendation(initiative, priority, m, t, reasons(q, initiative, levelled),
                          register_reasons=held)


def reasons(q: Questionnaire, initiative: Initiative,
            levelled: list[tuple[str, Answer]]) -> tuple[Reason, ...]:
    """The triggers below the threshold or with a gap of two or more, in questionnaire order."""
    out = []
    if len(levelled) > 1:  # q.questions is in questionnaire order; triggers may not be
        position = {qid: n for n, qid in enumerate(q.questions)}
        levelled = sorted(levelled, key=lambda x: position[x[0]])
    for qid, a in levelled:
        if a.level < initiative.threshold:
            kind = LOW_LEVEL
        elif a.target is not None and a.target - a.level >= GAP_REASON:
            kind = GAP
        else:
            continue
        out.append(Reason(qid, a.level, a.target, kind, initiative.threshold))
    return tuple(out)


def recommended_ids(q: Questionnaire, answers: Mapping[str, Answer],
                    register: Findings | None = None) -> list[str]:
    """The ids of the recommended initiatives, in catalogue order (for counting, not ranking)."""
    return [i.id for i in q.initiatives if evaluate(q, i, answers, register) is not None]


def recommend(q: Questionnaire, answers: Mapping[str, Answer],
              register: Findings | None = None) -> list[Recommendation]:
    """All recommended initiatives, by priority descending, ties in catalogue order."""
    found = [r for i in q.initiatives if (r := evaluate(q, i, answers, register)) is not None]
    # Stable sort: ties keep catalogue order. Rounding the key keeps priorities that are equal
    # in exact arithmetic (but differ by float noise, e.g. via weights) as ties.
    found.sort(key=lambda r: -round(r.priority, 9))
    return [replace(r, rank=n) for n, r in enumerate(found)]


def by_track(q: Questionnaire, recs: list[Recommendation],
             ) -> list[tuple[str, list[Recommendation]]]:
    """Recommendations grouped by track, tracks in catalogue order, empty tracks left out."""
    groups = [(t.id, [r for r in recs if r.initiative.track == t.id]) for t in q.tracks]
    return [(tid, rs) for tid, rs in groups if rs]


INFLUENCE_ORDER = ("own", "collaboration", "external")


def by_influence(recs: list[Recommendation]) -> list[tuple[str, list[Recommendation]]]:
    """Recommendations grouped by the report's three levels of influence, empty ones left out."""
    groups = [(k, [r for r in recs if r.initiative.influence == k]) for k in INFLUENCE_ORDER]
    return [(k, rs) for k, rs in groups if rs]


def priorities(recs: list[Recommendation]) -> list[Recommendation]:
    """The first five recommendations, in priority order."""
    return [r for r in recs if r.is_priority]


def estimated(initiative: Initiative) -> frozenset[str]:
    """The attributes (type, months, effect, influence) the report does not give.

    Questionnaire version 2 lists them per initiative; version 1 has no such list.
    """
    return frozenset(getattr(initiative, "estimated", ()) or ())
