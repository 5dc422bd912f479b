"""Finding 5: a YAML alias bomb and deeply nested JSON are refused quickly with a short message."""
from __future__ import annotations

import time

import pytest

from app.core.exchange import too_deep
from app.core.questionnaire import QuestionnaireError, load_questionnaire

BOMB = "\n".join(["id: &a0 [x, x, x, x, x, x, x, x, x]"] + [
    f"l{n}: &a{n} [*a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, "
    f"*a{n - 1}, *a{n - 1}, *a{n - 1}]" for n in range(1, 10)]) + "\n"


def test_a_yaml_alias_bomb_is_refused_at_once_with_a_short_message(tmp_path):
    path = tmp_path / "bomb" / "1.yaml"
    path.parent.mkdir()
    path.write_text(BOMB)
    assert len(BOMB) < 700
    started = time.monotonic()
    with pytest.raises(QuestionnaireError) as exc:
        load_questionnaire(path)
    assert time.monotonic() - started < 1
    message = "\n".join(exc.value.problems)
    assert "anchors and aliases" in message and len(message) < 1000


def test_a_single_anchor_is_refused_too(tmp_path):
    path = tmp_path / "q" / "1.yaml"
    path.parent.mkdir()
    path.write_text("id: &x q\nversion: '1'\nother: *x\n")
    with pytest.raises(QuestionnaireError, match="anchors and aliases"):
        load_questionnaire(path)


def test_a_huge_bad_value_is_quoted_short(tmp_path):
    path = tmp_path / "q" / "1.yaml"
    path.parent.mkdir()
    path.write_text("id: " + "X" * 1_000_000 + "\nversion: '1'\n")
    with pytest.raises(QuestionnaireError) as exc:
        load_questionnaire(path)
    message = "\n".join(exc.value.problems)
    assert "invalid id" in message and len(message) < 5000


@pytest.mark.parametrize("data, deep", [
    ({"a": [1, {"b": 2}]}, False), ([[[]]], False), (1, False),
    (eval("[" * 40 + "]" * 40), True), ({"a": eval("[" * 40 + "]" * 40)}, True)])  # noqa: S307
def test_too_deep(data, deep):
    assert too_deep(data) is deep
