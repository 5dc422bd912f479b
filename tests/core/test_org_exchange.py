"""The organisation document's validation and comparison, without an app."""
from __future__ import annotations

import copy

import pytest

from app.core.org_exchange import FORMAT, depth_problem, normalise, parse_document
from app.core.questionnaire import load_directory
from tests.conftest import FIXTURES

QS, _errors = load_directory(FIXTURES / "questionnaires")
MINI = QS[("mini", "1")]
WHEN = "2026-03-01T10:00:00.000000Z"

DOC = {
    "format": FORMAT,
    "organisation": {"slug": "aarhus", "name": "Aarhus Kommune", "share_results": "own"},
    "questionnaires": [{"id": "mini", "version": "1", "content_hash": MINI.content_hash}],
    "departments": [{"id": 7, "slug": "culture", "name": "Kultur", "archived": False},
                    {"id": 9, "slug": "tech", "name": "Teknik", "archived": True}],
    "periods": [{"id": 3, "label": "2026", "open": True, "opens_on": "2026-03-01",
                 "closes_on": "2026-04-30"}],
    "users": [{"id": 40, "email": "chef@aarhus.dk", "name": "Chef", "locale": "da",
               "active": True, "role": "admin", "department": None},
              {"id": 41, "email": "old@aarhus.dk", "name": "Old", "role": None}],
    "assessments": [{"id": 100, "department": 7, "period": "2026",
                     "questionnaire": {"id": "mini", "version": "1"}, "status": "submitted",
                     "created_at": WHEN, "updated_at": WHEN, "submitted_at": WHEN,
                     "answers": [{"question": "alpha-one", "answer": {"level": 3},
                                  "updated_by": 41, "updated_at": WHEN}],
                     "strategic": []}],
    "answer_changes": [{"id": 5, "assessment": 100, "question": "alpha-one", "user": 41,
                        "at": WHEN, "old": None, "new": {"level": 3}, "source": "web"}],
    "register_changes": [{"id": 8, "entry": 555, "action": "delete", "user": 40, "at": WHEN,
                          "old": {"name": "X"}, "new": None, "source": "web"}],
    "plan_items": [{"id": 60, "department": None, "initiative": "init-alpha",
                    "questionnaire": {"id": "mini", "version": "1"}, "period": "2026",
                    "status": "planned", "created_at": WHEN, "updated_at": WHEN,
                    "participants": [7, 9]}],
    "plan_changes": [{"id": 1, "department": None, "item": 60, "initiative": "init-alpha",
                      "action": "add", "user": 40, "at": WHEN, "source": "web"}],
}


def test_a_good_document_is_read():
    doc, errors = parse_document(DOC, QS)
    assert not errors, errors.lines()
    assert doc.rows("assessments")[0]["answers"][0]["answer"].level == 3
    assert doc.rows("plan_items")[0]["participants"] == [7, 9]
    assert doc.rows("periods")[0]["closes_on"].isoformat() == "2026-04-30"


def _broken(change) -> list[str]:
    data = copy.deepcopy(DOC)
    change(data)
    doc, errors = parse_document(data, QS)
    assert doc is None
    return errors.lines()


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["plan_items"][0].update(initiative="init-nowhere"),
     "plan_items[0].initiative: unknown initiative 'init-nowhere' in mini/1"),
    (lambda d: d["plan_items"][0].update(participants=[7, 12]),
     "plan_items[0].participants[1]: refers to no row of 'departments' (got 12)"),
    (lambda d: d["plan_items"][0].update(department=7),
     "plan_items[0].participants: only a joint initiative"),
    (lambda d: d["users"][1].update(id=40), "users[1].id: duplicate id 40"),
    (lambda d: d["users"][1].update(email="chef@aarhus.dk"),
     "users[1].email: 'chef@aarhus.dk' appears twice (also users[0])"),
    (lambda d: d["users"][0].update(role="boss"), "users[0].role: unknown role 'boss'"),
    (lambda d: d["assessments"][0].update(period="2030"),
     "assessments[0].period: refers to no row of 'periods' (got '2030')"),
    (lambda d: d["assessments"][0]["answers"][0].update(question="nope"),
     "assessments[0].answers[0].question: 'nope' is not a department question of mini/1"),
    (lambda d: d["assessments"].append(copy.deepcopy(d["assessments"][0]) | {"id": 101}),
     "assessments[1]: a second assessment of department 7 for period '2026'"),
    (lambda d: d["periods"][0].update(closes_on="2026-02-01"),
     "periods[0].closes_on: the deadline is before the opening day"),
    (lambda d: d["questionnaires"][0].update(version="9"),
     "questionnaires[0]: questionnaire mini/9 is not installed here"),
    (lambda d: d.update(extra=1), "$.extra: unknown field"),
    (lambda d: d["answer_changes"][0].update(at="yesterday"),
     "answer_changes[0].at: must be an ISO 8601 timestamp, got 'yesterday'"),
])
def test_every_problem_is_named_by_its_path(change, expected):
    assert any(line.startswith(expected) for line in _broken(change)), _broken(change)


def test_depth_is_bounded_without_recursion():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert depth_problem(deep) == "nested more than 32 levels deep"
    assert depth_problem(DOC) is None


def test_normalise_ignores_ids_and_the_export_time():
    other = copy.deepcopy(DOC)
    other["exported_at"] = WHEN
    shift = {7: 1, 9: 2}
    for d in other["departments"]:
        d["id"] = shift[d["id"]]
    other["assessments"][0]["department"] = 1
    other["plan_items"][0]["participants"] = [2, 1]
    other["register_changes"][0]["entry"] = -4
    assert normalise(other) == normalise(DOC)
    other["assessments"][0]["department"] = 2
    assert normalise(other) != normalise(DOC)
