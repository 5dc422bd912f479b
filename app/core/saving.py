"""What a save changes: the pure part of saving answers (diff and conflicts). Pure Python.

The service loads the stored answers and their row versions, asks `plan_save` what to do,
and then writes exactly the edits it returns, or raises for the conflicts it returns.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from .answers import Answer, StrategicAnswer
from .questionnaire import Questionnaire

Value = Answer | StrategicAnswer


@dataclass(frozen=True)
class Edit:
    """One answer that changes: kind 'answer' or 'strategic'; None is no answer."""

    kind: str
    question: str
    old: Value | None
    new: Value | None


@dataclass(frozen=True)
class SavePlan:
    """The edits to store, or the reasons to store nothing (unknown ids, conflicts)."""

    edits: list[Edit] = field(default_factory=list)
    conflicts: list[Edit] = field(default_factory=list)  # changed by someone else meanwhile
    errors: list[tuple[str, str]] = field(default_factory=list)


def as_json(value: Value | None) -> str | None:
    """The stored (and compared) form of an answer: canonical JSON, None for no answer."""
    return None if value is None else json.dumps(value.to_json(), ensure_ascii=False,
                                                 sort_keys=True)


def plan_save(q: Questionnaire, changes: Mapping[str, Answer | None],
              strategic: Mapping[str, StrategicAnswer | None],
              stored: Mapping[str, Value], versions: Mapping[str, int],
              expected: Mapping[str, int] | None = None) -> SavePlan:
    """Which answers a save changes, given what is stored and the row versions the client saw.

    An answer equal to the stored one is no edit; an empty strategic answer clears it. With
    `expected` (question id -> row version seen, 0 for none), an edit of a question whose
    version moved on is a conflict instead.
    """
    errors = [(k, f"unknown question '{k}'") for k in changes if k not in q.questions]
    errors += [(k, f"unknown strategic question '{k}'") for k in strategic
               if q.strategic(k) is None]
    if errors:
        return SavePlan(errors=errors)
    edits, conflicts = [], []
    for kind, items in (("answer", changes), ("strategic", strategic)):
        for qid, new in items.items():
            if isinstance(new, StrategicAnswer) and new.empty:
                new = None
            old = stored.get(qid)
            if as_json(old) == as_json(new):
                continue
            edit = Edit(kind, qid, old, new)
            if expected is not None and qid in expected and expected[qid] != versions.get(qid, 0):
                conflicts.append(edit)
            else:
                edits.append(edit)
    return SavePlan(edits=edits, conflicts=conflicts)
