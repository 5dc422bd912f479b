"""The questionnaires this app serves, loaded once at start-up."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from .core.questionnaire import Questionnaire, QuestionnaireError, load_directory
from .core.versions import version_key


class Registry:
    """All loaded questionnaires by (id, version)."""

    def __init__(self, dirs: list[Path]):
        self.by_key: dict[tuple[str, str], Questionnaire] = {}
        problems: list[str] = []
        for d in dirs:
            found, errs = load_directory(Path(d))
            problems.extend(errs)
            for key, q in found.items():
                if key in self.by_key:
                    problems.append(f"{d}: {key[0]}/{key[1]} is defined twice")
                self.by_key[key] = q
        if problems:
            raise QuestionnaireError(problems)

    def get(self, qid: str, version: str) -> Questionnaire | None:
        """The questionnaire with this id and version, or None."""
        return self.by_key.get((qid, str(version)))

    def latest(self, qid: str) -> Questionnaire | None:
        """The highest version of a questionnaire (versions compare as numbers when they are)."""
        versions = [q for (i, _), q in self.by_key.items() if i == qid]
        return max(versions, key=lambda q: version_key(q.version), default=None)

    def all(self) -> list[Questionnaire]:
        """Every questionnaire, sorted by id and version."""
        return [self.by_key[k] for k in sorted(self.by_key)]


def registry() -> Registry:
    """The current app's registry."""
    return current_app.extensions["questionnaires"]


def questionnaire(qid: str, version: str) -> Questionnaire:
    """A questionnaire that must exist (assessments pin theirs)."""
    q = registry().get(qid, version)
    if q is None:
        raise LookupError(f"questionnaire {qid}/{version} is not installed")
    return q


def default_questionnaire() -> Questionnaire:
    """The latest version of the configured default questionnaire."""
    q = registry().latest(current_app.config["DEFAULT_QUESTIONNAIRE"])
    if q is None:
        raise LookupError("the default questionnaire is not installed")
    return q
