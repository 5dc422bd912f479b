"""Answers as plain data, and validation of answer payloads (exchange format and API)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .questionnaire import Questionnaire

STATUSES = ("dont_know", "not_applicable")
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MAX_COMMENT = 5000
MAX_NOTE = 5000


@dataclass(frozen=True)
class Answer:
    """A maturity answer: a level 1-5 or a status, an optional target, an optional comment."""

    level: int | None = None
    status: str | None = None
    target: int | None = None
    comment: str = ""

    @property
    def scored(self) -> bool:
        """True when this answer has a level and so counts in scores."""
        return self.level is not None

    def to_json(self) -> dict[str, Any]:
        """The exchange-format representation of this answer."""
        out: dict[str, Any] = {}
        if self.level is not None:
            out["level"] = self.level
        if self.status is not None:
            out["status"] = self.status
        if self.target is not None:
            out["target"] = self.target
        if self.comment:
            out["comment"] = self.comment
        return out


@dataclass(frozen=True)
class StrategicAnswer:
    """An answer to a strategic question: one choice, several choices, or a text."""

    choice: str | None = None
    choices: tuple[str, ...] = ()
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        """The exchange-format representation of this answer."""
        if self.choice is not None:
            return {"choice": self.choice}
        if self.choices:
            return {"choices": list(self.choices)}
        return {"text": self.text}

    @property
    def empty(self) -> bool:
        """True when nothing is chosen or written."""
        return self.choice is None and not self.choices and not self.text


@dataclass
class FieldErrors:
    """Problems found while validating, each tied to a field path."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.items.append((path, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self) -> list[str]:
        """One 'path: message' line per problem."""
        return [f"{p}: {m}" for p, m in self.items]


def _level(value: Any, path: str, errors: FieldErrors) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        errors.add(path, f"must be a whole number from 1 to 5, got {value!r}")
        return None
    return value


def _text(value: Any, path: str, errors: FieldErrors, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add(path, "must be a string")
        return ""
    if len(value) > limit:
        errors.add(path, f"is longer than {limit} characters")
    if not storable(value):
        errors.add(path, "contains a NUL character or an unpaired surrogate, which cannot be stored")
    return value


def storable(text: str) -> bool:
    """False for text no database stores: NUL characters, unpaired UTF-16 surrogates."""
    return UNSTORABLE.search(text) is None


def parse_answer(value: Any, path: str, errors: FieldErrors) -> Answer | None:
    """Validate one answer object; record problems in errors; None if it is invalid."""
    if not isinstance(value, Mapping):
        errors.add(path, "must be an object with 'level' or 'status'")
        return None
    before = len(errors.items)
    for key in value:
        if key not in ("level", "status", "target", "comment"):
            errors.add(f"{path}.{key}", "unknown field")
    level = _level(value.get("level"), f"{path}.level", errors)
    target = _level(value.get("target"), f"{path}.target", errors)
    status = value.get("status")
    if status is not None and status not in STATUSES:
        errors.add(f"{path}.status", f"unknown status {status!r} (use {' or '.join(STATUSES)})")
    if value.get("level") is not None and status is not None:
        errors.add(path, "give either a level or a status, not both")
    if value.get("level") is None and status is None:
        errors.add(path, "needs a 'level' (1 to 5) or a 'status'")
    comment = _text(value.get("comment"), f"{path}.comment", errors, MAX_COMMENT)
    if len(errors.items) > before:
        return None
    return Answer(level=level, status=status, target=target, comment=comment)


def parse_strategic(q: Questionnaire, qid: str, value: Any, path: str,
                    errors: FieldErrors) -> StrategicAnswer | None:
    """Validate one strategic answer against its question's kind and options."""
    sq = q.strategic(qid)
    if sq is None:
        errors.add(path, f"unknown strategic question '{qid}'")
        return None
    if not isinstance(value, Mapping):
        errors.add(path, "must be an object")
        return None
    before = len(errors.items)
    expected = {"scale": "choice", "single": "choice", "multi": "choices", "text": "text"}[sq.kind]
    for key in value:
        if key != expected:
            errors.add(f"{path}.{key}", f"unknown field (a '{sq.kind}' question takes '{expected}')")
    raw = value.get(expected)
    answer = None
    if sq.kind in ("scale", "single"):
        if raw not in sq.option_ids:
            errors.add(f"{path}.choice", f"unknown option {raw!r}")
        else:
            answer = StrategicAnswer(choice=raw)
    elif sq.kind == "multi":
        if not isinstance(raw, list) or not raw:
            errors.add(f"{path}.choices", "must be a non-empty list of option ids")
        else:
            for n, c in enumerate(raw):
                if c not in sq.option_ids:
                    errors.add(f"{path}.choices[{n}]", f"unknown option {c!r}")
            if len(set(map(str, raw))) != len(raw):
                errors.add(f"{path}.choices", "an option is listed twice")
            answer = StrategicAnswer(choices=tuple(c for c in sq.option_ids if c in raw))
    else:
        text = _text(raw, f"{path}.text", errors, MAX_NOTE)
        answer = StrategicAnswer(text=text)
    if len(errors.items) > before:
        return None
    return answer


def parse_answer_map(q: Questionnaire, value: Any, path: str, errors: FieldErrors,
                     allow_null: bool = False) -> dict[str, Answer | None]:
    """Validate a {question_id: answer} object; null values allowed only if allow_null."""
    out: dict[str, Answer | None] = {}
    if not isinstance(value, Mapping):
        errors.add(path, "must be an object keyed by question id")
        return out
    for qid, v in value.items():
        p = f"{path}.{qid}"
        if qid not in q.questions:
            errors.add(p, f"unknown question '{qid}'")
        elif v is None and allow_null:
            out[qid] = None
        else:
            a = parse_answer(v, p, errors)
            if a is not None:
                out[qid] = a
    return out
