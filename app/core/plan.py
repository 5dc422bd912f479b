"""Action plans and their effect (SPEC section 15). Pure Python.

A department adopts initiatives into its plan; the next period shows, for each initiative
worked on in between, how the mean level of its trigger questions moved (section 4's m_i)
and whether it is still recommended.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from .answers import Answer
from .questionnaire import Initiative, Questionnaire
from .recommend import evaluate

STATUSES = ("planned", "in_progress", "done", "dropped")
WORKED_ON = ("in_progress", "done")
CLOSED = ("done", "dropped")
OWNER_MAX = 200
NOTE_MAX = 2000


@dataclass(frozen=True)
class PlanItem:
    """One initiative in a department's (or the organisation's joint) plan."""

    initiative: str
    status: str
    period: str  # the period whose results the initiative was adopted from
    owner: str = ""
    start: date | None = None
    due: date | None = None
    note: str = ""


@dataclass(frozen=True)
class Effect:
    """The change of an initiative's trigger questions between two periods of a department."""

    initiative: str
    status: str
    before: float | None  # m_i(P1); None when no trigger question had a level
    after: float | None  # m_i(P2)
    still_recommended: bool

    @property
    def delta(self) -> float | None:
        """Δm_i = m_i(P2) − m_i(P1); None when either side has no level."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class JointEffect:
    """A joint initiative's effect across its participating departments."""

    initiative: str
    effects: Mapping[str, Effect | None]  # department -> its effect (None: not two periods)

    @property
    def mean_delta(self) -> float | None:
        """The plain mean of the departments' Δm_i (departments without one left out)."""
        deltas = [e.delta for e in self.effects.values() if e is not None and e.delta is not None]
        return fmean(deltas) if deltas else None

    @property
    def still_recommended(self) -> int:
        """How many participating departments still have the initiative recommended."""
        return sum(1 for e in self.effects.values() if e is not None and e.still_recommended)

    @property
    def measured(self) -> int:
        """How many participating departments have an effect (two periods to compare)."""
        return sum(1 for e in self.effects.values() if e is not None)


def validate(item: PlanItem, initiative_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(field, message) for every problem of a plan item; empty when it is valid."""
    errors = []
    if item.initiative not in set(initiative_ids):
        errors.append(("initiative", f"unknown initiative {item.initiative!r}"))
    if item.status not in STATUSES:
        errors.append(("status", f"unknown status {item.status!r} (use {', '.join(STATUSES)})"))
    if item.start and item.due and item.due < item.start:
        errors.append(("due", "the due date is before the start date"))
    if len(item.owner) > OWNER_MAX:
        errors.append(("owner", f"at most {OWNER_MAX} characters"))
    if len(item.note) > NOTE_MAX:
        errors.append(("note", f"at most {NOTE_MAX} characters"))
    return errors


def overdue(item: PlanItem, today: date) -> bool:
    """True when the due date has passed and the item is neither done nor dropped."""
    return item.due is not None and item.due < today and item.status not in CLOSED


def status_counts(items: Iterable[PlanItem]) -> dict[str, int]:
    """How many items have each status, every status present (0 when none)."""
    counts = dict.fromkeys(STATUSES, 0)
    for i in items:
        counts[i.status] += 1
    return counts


def overview_order(items: Sequence[PlanItem], today: date) -> list[int]:
    """Indexes of the items, overdue first, then by due date (none last), then as given."""
    return sorted(range(len(items)), key=lambda n: (
        not overdue(items[n], today), items[n].due is None, items[n].due or date.max, n))


def mean_level(q: Questionnaire, initiative: Initiative,
               answers: Mapping[str, Answer]) -> float | None:
    """m_i: the weighted mean level of the answered trigger questions; None if none answered."""
    num = den = 0.0
    for qid in initiative.triggers:
        a = answers.get(qid)
        if a is not None and a.level is not None and qid in q.questions:
            w = q.questions[qid].weight
            num += w * a.level
            den += w
    return num / den if den else None


def worked_on_between(item: PlanItem, p1: str, p2: str) -> bool:
    """True when the item counts as worked on between periods p1 < p2.

    It must be in_progress or done and adopted before p2. Adopted at or after p1, either
    status counts; adopted before p1, only in_progress does (a done item may have been
    finished before p1, so its effect would not lie between the two periods).
    """
    if item.status not in WORKED_ON or not item.period < p2:
        return False
    return item.period >= p1 or item.status == "in_progress"


def _initiative(q: Questionnaire, iid: str) -> Initiative | None:
    return next((i for i in q.initiatives if i.id == iid), None)


def effect(item: PlanItem, q1: Questionnaire, answers1: Mapping[str, Answer],
           q2: Questionnaire, answers2: Mapping[str, Answer],
           recommended: Collection[str] | None = None) -> Effect | None:
    """The item's effect between two assessments; None when P2's questionnaire lacks it.

    Each side uses its own questionnaire version's triggers for the initiative (m_i(P) is
    section 4's mean in P), so versions that keep the initiative's id compare directly.
    `recommended` (P2's recommended ids, e.g. with register conditions) decides "still
    recommended" when given; otherwise section 4's answer rule does.
    """
    i2 = _initiative(q2, item.initiative)
    if i2 is None:
        return None
    i1 = _initiative(q1, item.initiative)
    before = mean_level(q1, i1, answers1) if i1 is not None else None
    still = (item.initiative in recommended if recommended is not None
             else evaluate(q2, i2, answers2) is not None)
    return Effect(item.initiative, item.status, before, mean_level(q2, i2, answers2), still)


def effects(items: Iterable[PlanItem], p1: str, q1: Questionnaire,
            answers1: Mapping[str, Answer], p2: str, q2: Questionnaire,
            answers2: Mapping[str, Answer],
            recommended: Collection[str] | None = None) -> list[Effect]:
    """The effect of every item worked on between p1 and p2, one per initiative, in given order."""
    out, seen = [], set()
    for item in items:
        if item.initiative in seen or not worked_on_between(item, p1, p2):
            continue
        e = effect(item, q1, answers1, q2, answers2, recommended)
        if e is not None:
            seen.add(item.initiative)
            out.append(e)
    return out


def joint_candidates(per_department: Mapping[str, Iterable[str]],
                     order: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Initiatives recommended to at least half the departments, with those departments.

    `per_department` maps each department that has results to its recommended initiative
    ids; the result follows `order` (the catalogue), departments in the given order.
    """
    n = len(per_department)
    if not n:
        return []
    sets = {d: set(ids) for d, ids in per_department.items()}
    out = []
    for iid in order:
        deps = [d for d in per_department if iid in sets[d]]
        if deps and 2 * len(deps) >= n:
            out.append((iid, deps))
    return out
