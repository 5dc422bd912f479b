"""Organisation-wide answers (SPEC section 5) and answers carried across questionnaire
versions (SPEC section 2, `previous`). Pure Python: answers in, answers out."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from .questionnaire import Questionnaire

T = TypeVar("T")


def effective_answers(q: Questionnaire, department: Mapping[str, T],
                      organisation: Mapping[str, T]) -> dict[str, T]:
    """A department's answers as scores, gaps and recommendations see them.

    For every `scope: organisation` question the organisation's answer replaces the
    department's; a question the organisation has not answered is unanswered for every
    department, whatever the department stored for it.
    """
    shared = set(q.organisation_questions)
    out = {qid: a for qid, a in department.items() if qid not in shared}
    out.update({qid: a for qid, a in organisation.items() if qid in shared})
    return out


def organisation_part(q: Questionnaire, answers: Mapping[str, T]) -> dict[str, T]:
    """Only the answers to organisation-wide questions (what the organisation's assessment holds)."""
    shared = set(q.organisation_questions)
    return {qid: a for qid, a in answers.items() if qid in shared}


def carry_answers(new: Questionnaire, old: Questionnaire, answers: Mapping[str, T]) -> dict[str, T]:
    """Answers given to `old` carried into `new` through `new.previous` (maturity and strategic).

    A question of `new` takes the answer of the `old` question it maps from (its own id
    when unchanged; a split question takes its parent's answer); questions without a
    predecessor stay unanswered. Raises ValueError when `new` does not follow `old`.
    """
    if new.id != old.id or new.previous is None or new.previous.version != old.version:
        raise ValueError(f"{new.id} version {new.version} does not follow version {old.version}")
    old_ids = set(old.questions) | {s.id for s in old.strategic_questions}
    out: dict[str, T] = {}
    for qid in list(new.questions) + [s.id for s in new.strategic_questions]:
        source = new.previous.source_of(qid, old_ids)
        if source is not None and source in answers:
            out[qid] = answers[source]
    return out

