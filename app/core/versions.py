"""Questionnaire versions side by side: which version a comparison shows, and how answers
given under one version carry into another (SPEC sections 2 and 5). Pure Python."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .answers import Answer
from .questionnaire import Questionnaire


def version_key(version: str) -> tuple[int, int, str]:
    """Sort key of a version label: numbers numerically, other labels after them by text."""
    return (0, int(version), "") if version.isdigit() else (1, 0, version)


def comparison_version(in_use: Iterable[Questionnaire], default: Questionnaire) -> Questionnaire:
    """The version whose blocks a comparison shows: the newest version of the default
    questionnaire that the compared assessments use; the default itself when they use none."""
    same = [q for q in in_use if q.id == default.id]
    return max(same, key=lambda q: version_key(q.version)) if same else default


def question_map(target: Questionnaire, source: Questionnaire,
                 lookup: Callable[[str], Questionnaire | None]) -> dict[str, str] | None:
    """For each question of `target`, its id in the older `source` version, following the
    `previous` mappings back version by version; None when `source` is not an ancestor.

    An id the mappings do not rename carries over unchanged (SPEC section 2).
    """
    ids = {qid: qid for qid in target.questions}
    current = target
    while current.version != source.version:
        prev = current.previous
        if prev is None or current.id != source.id:
            return None
        ids = {new: prev.old_id(old) for new, old in ids.items()}
        older = lookup(prev.version)
        if older is None and prev.version != source.version:
            return None
        current = older if older is not None else source
    return {new: old for new, old in ids.items() if old in source.questions}


def carry_answers(target: Questionnaire, source: Questionnaire, answers: Mapping[str, Answer],
                  lookup: Callable[[str], Questionnaire | None]) -> dict[str, Answer]:
    """Answers given under `source` as answers to `target`'s questions.

    The same version: unchanged. An older version: through the `previous` mappings. Any other
    pair (a newer or unrelated version): the questions whose ids both versions share.
    """
    if target.key == source.key:
        return dict(answers)
    mapping = question_map(target, source, lookup)
    if mapping is None:
        mapping = {qid: qid for qid in target.questions if qid in source.questions}
    return {new: answers[old] for new, old in mapping.items() if old in answers}


def carried_versions(in_use: Iterable[str], target: str) -> list[str]:
    """The versions among `in_use` other than the compared `target`, oldest first: those whose
    answers a comparison carries over through the mappings."""
    return sorted({v for v in in_use if v != target}, key=version_key)
