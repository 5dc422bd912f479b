"""Context on one result (SPEC section 5): the organisation's mean, last period's score. Pure Python."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from .scoring import round1


@dataclass(frozen=True)
class Figures:
    """An overall score and block scores (None where there is none)."""

    overall: float | None
    blocks: Mapping[str, float | None] = field(default_factory=dict)

    def get(self, block_id: str | None) -> float | None:
        """The overall score (block_id None) or the block's score."""
        return self.overall if block_id is None else self.blocks.get(block_id)


@dataclass(frozen=True)
class Context:
    """The organisation's means for the period and the department's previous period, if any."""

    organisation: Figures | None = None
    departments: int = 0  # submitted departments behind the organisation's means
    previous: Figures | None = None
    previous_period: str | None = None

    def change(self, current: Figures, block_id: str | None = None) -> float | None:
        """Current minus previous score (overall or one block), None where either is missing."""
        if self.previous is None:
            return None
        now, before = current.get(block_id), self.previous.get(block_id)
        return None if now is None or before is None else now - before

    @property
    def empty(self) -> bool:
        """True when there is neither an organisation mean nor a previous period."""
        return self.organisation is None and self.previous is None


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return fmean(present) if present else None


def build_context(block_ids: Sequence[str], peers: Sequence[Figures],
                  previous: tuple[str, Figures] | None = None) -> Context:
    """The context from the period's submitted departments and the department's previous period.

    peers: the figures of every submitted department of the organisation for the period (each
    department counts the same, nulls left out); previous: (period, figures) of the
    department's latest earlier submitted assessment.
    """
    organisation = None
    if peers:
        organisation = Figures(_mean(p.overall for p in peers),
                               {b: _mean(p.blocks.get(b) for p in peers) for b in block_ids})
    period, figures = previous if previous is not None else (None, None)
    return Context(organisation, len(peers), figures, period)


def context_json(ctx: Context, block_ids: Sequence[str]) -> dict[str, Any]:
    """`{organisation: {overall, blocks, departments}, previous: {period, overall, blocks}}`,
    each left out where it does not exist."""
    out: dict[str, Any] = {}
    if ctx.organisation is not None:
        out["organisation"] = {
            "overall": round1(ctx.organisation.overall),
            "blocks": {b: round1(ctx.organisation.blocks.get(b)) for b in block_ids},
            "departments": ctx.departments}
    if ctx.previous is not None:
        out["previous"] = {
            "period": ctx.previous_period, "overall": round1(ctx.previous.overall),
            "blocks": {b: round1(ctx.previous.blocks.get(b)) for b in block_ids}}
    return out
