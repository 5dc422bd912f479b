"""What the reports show, as plain data: the adapters fill these, the renderers draw them.

Every text is already localised (questionnaire content and labels); scores are full
precision and formatted by the renderer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


@dataclass(frozen=True)
class Score:
    """A score 0-100 (None without answers) with its stage and the stage's name."""

    value: float | None
    stage: int | None
    stage_name: str


@dataclass(frozen=True)
class QuestionLine:
    text: str
    level: int | None
    level_text: str  # the chosen level's descriptor, or "Don't know" / "Not answered"
    target: int | None
    comment: str = ""


@dataclass(frozen=True)
class BlockSection:
    id: str
    title: str
    intro: str
    score: Score
    answered: int
    total: int
    low_coverage: bool
    questions: list[QuestionLine] = field(default_factory=list)
    context: ContextLine | None = None  # the organisation's mean, last period, the change


@dataclass(frozen=True)
class StrategicLine:
    question: str
    answer: str  # chosen option label(s) or the text typed; "" when unanswered


@dataclass(frozen=True)
class InitiativeLine:
    """One recommended initiative as text, in the current locale (results page and PDF)."""

    rank: int  # 1-based position in priority order
    title: str
    description: str
    track: str  # "Track 2: …"
    type: str
    timeframe: str
    effect: str
    influence: str
    why: list[str]  # one sentence per reason (SPEC section 4)
    priority: bool
    months: int = 0
    id: str = ""
    track_number: int = 0
    track_short: str = ""  # "Track 2"
    influence_key: str = ""  # own | collaboration | external
    estimated: frozenset[str] = frozenset()  # attributes the report does not give
    why_line: str = ""  # the first reason, with how many more: the one-line why of a priority


@dataclass(frozen=True)
class TrackGroup:
    title: str
    initiatives: list[InitiativeLine]


@dataclass(frozen=True)
class ReportMeta:
    """Identifying fields shared by both reports (cover, header, PDF metadata)."""

    locale: str
    organisation: str
    title: str  # the questionnaire's title
    questionnaire: str  # "title, version n"
    period: str
    date: str  # already formatted for the locale


@dataclass(frozen=True)
class AssessmentReport:
    meta: ReportMeta
    department: str
    status: str
    draft: bool
    overall: Score
    blocks: list[BlockSection]
    strongest: BlockSection | None
    weakest: BlockSection | None
    strategic: list[StrategicLine]
    tracks: list[TrackGroup]
    recommendations: list[InitiativeLine]  # all, in priority order
    register: Any = None  # RegisterSection of app.pdf.register: own and shared entries
    context: ContextLine | None = None  # for the overall score
    previous_period: str | None = None  # the department's previous period, if any
    departments: int = 0  # submitted departments behind the organisation's mean (0: none)
    plan: PlanSection | None = None
    glossary: list[tuple[str, str]] = field(default_factory=list)  # (term, explanation)

    @property
    def priorities(self) -> list[InitiativeLine]:
        """The first five recommendations, in priority order."""
        return [i for i in self.recommendations if i.priority]


@dataclass(frozen=True)
class DepartmentLine:
    """One department's (or the organisation's) scores for the report's period."""

    name: str
    draft: bool
    overall: Score
    blocks: list[Score]
    trend: list[float | None] = field(default_factory=list)  # overall per period of the report


@dataclass(frozen=True)
class CommonInitiative:
    title: str
    track: str
    departments: int
    type: str
    timeframe: str
    effect: str
    influence: str


@dataclass(frozen=True)
class OrganisationReport:
    meta: ReportMeta
    block_titles: list[str]
    organisation: DepartmentLine
    departments: list[DepartmentLine]
    periods: list[str]  # every period, oldest first, for the trends
    submitted: int  # departments with a submitted assessment in the period
    common: list[CommonInitiative]
    register: Any = None  # RegisterSection of app.pdf.register: every entry
    plan: PlanSection | None = None
    # the questions answered once for the whole organisation: (question, the answer as text)
    shared: list[tuple[str, str]] = field(default_factory=list)
    versions_note: str = ""  # why scores of several questionnaire versions are compared


@dataclass(frozen=True)
class PlanLine:
    """One plan item as printed: texts already localised, dates as ISO text ('' when none)."""

    title: str
    department: str  # the department, or the participants of a joint initiative
    owner: str
    status: str
    start: str
    due: str
    overdue: bool
    note: str = ""


@dataclass(frozen=True)
class EffectLine:
    """An initiative's effect: mean level of its trigger questions before and after."""

    title: str
    department: str
    status: str
    before: float | None
    after: float | None
    delta: float | None
    still_recommended: bool | None  # None: not measured (no two periods)


@dataclass(frozen=True)
class PlanSection:
    items: list[PlanLine]
    joint: list[PlanLine]
    counts: list[tuple[str, int]]  # (status name, number of items)
    overdue: int
    effects: list[EffectLine]
    effect_intro: str  # e.g. "between 2025 and 2026", or why there is nothing to compare
