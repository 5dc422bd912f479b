"""SPEC section 15: plan items, overdue, the joint-candidate rule and the effect, by hand."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.core import plan
from app.core.answers import Answer
from app.core.plan import Effect, JointEffect, PlanItem
from app.core.questionnaire import load_questionnaire

ROOT = Path(__file__).resolve().parents[2]
MINI = load_questionnaire(ROOT / "tests" / "fixtures" / "questionnaires" / "mini" / "1.yaml")
IDS = [i.id for i in MINI.initiatives]
ALPHA = MINI.initiatives[0]
# init-alpha     high   [alpha-one (w1), alpha-two (w2)]  threshold 3
# init-beta      medium [beta-one (w1), beta-two (w0.5)]  threshold 4
# init-gamma     low    [gamma-one]


def A(level=None, target=None, status=None) -> Answer:
    return Answer(level=level, target=target, status=status)


def item(iid="init-alpha", status="in_progress", period="2025", **kw) -> PlanItem:
    return PlanItem(iid, status, period, **kw)


@pytest.mark.parametrize("it, errors", [
    (item(), []),
    (item("no-such"), ["initiative"]),
    (item(status="finished"), ["status"]),
    (item(start=date(2026, 3, 1), due=date(2026, 2, 28)), ["due"]),
    (item(start=date(2026, 3, 1), due=date(2026, 3, 1)), []),  # due on the start day is fine
    (item(due=date(2020, 1, 1)), []),  # no start: any due date
    (item("x", status="y", owner="o" * 201), ["initiative", "status", "owner"]),
    (item(note="n" * 2001), ["note"]),
])
def test_validate_names_each_bad_field(it, errors):
    assert [f for f, _ in plan.validate(it, IDS)] == errors


@pytest.mark.parametrize("status, due, overdue", [
    ("planned", date(2026, 5, 31), True),
    ("in_progress", date(2026, 5, 31), True),
    ("in_progress", date(2026, 6, 1), False),  # due today is not yet overdue
    ("done", date(2020, 1, 1), False),
    ("dropped", date(2020, 1, 1), False),
    ("planned", None, False),
])
def test_overdue(status, due, overdue):
    assert plan.overdue(item(status=status, due=due), date(2026, 6, 1)) is overdue


def test_status_counts_and_overview_order():
    items = [item(status="done", due=date(2026, 1, 1)),      # 0: past but done: not overdue
             item(status="planned"),                           # 1: no due date: last
             item(status="planned", due=date(2026, 9, 1)),     # 2: future
             item(status="in_progress", due=date(2026, 3, 1)),  # 3: overdue
             item(status="planned", due=date(2026, 2, 1))]     # 4: overdue, earlier
    assert plan.status_counts(items) == {"planned": 3, "in_progress": 1, "done": 1, "dropped": 0}
    assert plan.overview_order(items, date(2026, 6, 1)) == [4, 3, 0, 2, 1]


@pytest.mark.parametrize("answers, m", [
    ({}, None),
    ({"alpha-one": A(status="dont_know"), "alpha-two": A(status="not_applicable")}, None),
    ({"alpha-one": A(2)}, 2.0),
    ({"alpha-two": A(4)}, 4.0),
    ({"alpha-one": A(1), "alpha-two": A(4)}, 3.0),   # (1 x 1 + 4 x 2) / 3
    ({"alpha-one": A(2), "alpha-two": A(3)}, 8 / 3),  # (2 + 6) / 3
    ({"alpha-one": A(5, target=5), "alpha-two": A(2, target=5)}, 3.0),  # targets do not count
])
def test_mean_level_is_the_weighted_mean_of_the_triggers(answers, m):
    assert plan.mean_level(MINI, ALPHA, answers) == (pytest.approx(m) if m is not None else None)


@pytest.mark.parametrize("status, adopted, worked", [
    ("in_progress", "2025", True),
    ("done", "2025", True),
    ("planned", "2025", False),
    ("dropped", "2025", False),
    ("done", "2026", False),          # adopted in P2: not between
    ("in_progress", "2025-H2", True),  # between the two labels
    ("in_progress", "2024", True),     # adopted earlier and still under way
    ("done", "2024", False),           # may have been finished before P1
])
def test_worked_on_between(status, adopted, worked):
    assert plan.worked_on_between(item(status=status, period=adopted), "2025", "2026") is worked


def test_effect_delta_and_still_recommended_by_hand():
    before = {"alpha-one": A(1), "alpha-two": A(2), "beta-one": A(2), "beta-two": A(2),
              "gamma-one": A(1)}
    after = {"alpha-one": A(2), "alpha-two": A(4), "beta-one": A(3), "beta-two": A(3),
             "gamma-one": A(1)}
    items = [item("init-alpha", "done"), item("init-beta", "in_progress"),
             item("init-gamma", "planned"), item("init-mixed", "done"),
             item("init-alpha", "in_progress", "2024")]  # same initiative again: once only
    got = plan.effects(items, "2025", MINI, before, "2026", MINI, after)
    # alpha: m1 = (1 + 2 x 2) / 3 = 5/3, m2 = (2 + 4 x 2) / 3 = 10/3, Δ = 5/3; 10/3 >= 3 and
    #        no gap: no longer recommended.
    # beta:  m1 = (2 + 0.5 x 2) / 1.5 = 2, m2 = 3, Δ = 1; 3 < threshold 4: still recommended.
    # gamma: planned, not worked on. mixed: no trigger answered in either period.
    assert [(e.initiative, e.status) for e in got] == [
        ("init-alpha", "done"), ("init-beta", "in_progress"), ("init-mixed", "done")]
    alpha, beta, mixed = got
    assert (alpha.before, alpha.after, alpha.delta) == (
        pytest.approx(5 / 3), pytest.approx(10 / 3), pytest.approx(5 / 3))
    assert alpha.still_recommended is False
    assert (beta.before, beta.after, beta.delta) == (pytest.approx(2), pytest.approx(3),
                                                     pytest.approx(1))
    assert beta.still_recommended is True
    assert (mixed.before, mixed.after, mixed.delta, mixed.still_recommended) == (
        None, None, None, False)


def test_effect_negative_and_one_sided():
    before = {"alpha-one": A(3), "alpha-two": A(3)}
    after = {"alpha-one": A(2), "alpha-two": A(2), "beta-one": A(2)}
    got = plan.effects([item("init-alpha"), item("init-beta")], "2025", MINI, before,
                       "2026", MINI, after)
    assert [(e.initiative, e.before, e.after, e.delta, e.still_recommended) for e in got] == [
        ("init-alpha", 3.0, 2.0, -1.0, True),
        ("init-beta", None, 2.0, None, True)]  # no level in P1: no change to show


def test_effect_needs_the_initiative_in_the_later_version():
    assert plan.effect(item("gone"), MINI, {}, MINI, {}) is None


@pytest.mark.parametrize("per_dep, expected", [
    ({}, []),
    # 4 departments: 2 is half (a candidate), 1 is not
    ({"a": ["init-alpha", "init-beta"], "b": ["init-alpha"], "c": ["init-beta"], "d": []},
     [("init-alpha", ["a", "b"]), ("init-beta", ["a", "c"])]),
    # 3 departments: 2 of 3 is enough, 1 of 3 is not
    ({"a": ["init-gamma", "init-alpha"], "b": ["init-gamma"], "c": ["init-beta"]},
     [("init-gamma", ["a", "b"])]),
    # 1 department: its own recommendations, in catalogue order
    ({"a": ["init-gamma", "init-alpha"]}, [("init-alpha", ["a"]), ("init-gamma", ["a"])]),
])
def test_joint_candidates_at_least_half(per_dep, expected):
    assert plan.joint_candidates(per_dep, IDS) == expected


def test_joint_effect_across_departments():
    j = JointEffect("init-alpha", {
        "a": Effect("init-alpha", "done", 2.0, 3.5, False),
        "b": Effect("init-alpha", "done", 2.0, 2.5, True),
        "c": Effect("init-alpha", "done", None, 2.0, True),
        "d": None})
    assert j.mean_delta == pytest.approx(1.0)  # (1.5 + 0.5) / 2; c and d have none
    assert (j.still_recommended, j.measured) == (2, 3)
    assert JointEffect("x", {"a": None}).mean_delta is None
