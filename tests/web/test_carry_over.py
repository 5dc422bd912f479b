"""Starting from last period (SPEC 13): carried, not yet confirmed, confirmed on review."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from app import rounds, services
from app.core.answers import Answer
from app.extensions import db
from app.models import Assessment
from tests.conftest import csrf_token, department, login


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English; Danish is the default."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def leader_2027(client, make_org, make_user, make_assessment):
    org = make_org("demo", "Demo Kommune", ("culture",))
    culture = department(org, "culture")
    make_user("leader@demo.dk", org, "respondent", culture)
    make_assessment(culture, "2026", {
        "alpha-one": Answer(level=2, target=4, comment="secret note"),
        "alpha-two": Answer(status="dont_know"), "beta-one": 3}, status="submitted")
    services.ensure_period(org, "2027")
    db.session.commit()
    login(client, "leader@demo.dk")
    r = client.post("/assessments/start", data={
        "csrf_token": csrf_token(client, "/"), "department": str(culture.id),
        "period": "2027", "carry": "1"})
    assert r.status_code == 303
    return db.session.query(Assessment).filter_by(period="2027").one()


def submit(client, a):
    url = f"/assessments/{a.id}/review"
    return client.post(f"/assessments/{a.id}/submit", data={"csrf_token": csrf_token(client, url)})


def confirm(client, a, **data):
    url = f"/assessments/{a.id}/review"
    return client.post(f"/assessments/{a.id}/confirm-carried",
                       data={"csrf_token": csrf_token(client, url), **data})


def test_levels_targets_statuses_carried_comments_not(leader_2027):
    rows = {r.question_id: r for r in leader_2027.answers}
    assert (rows["alpha-one"].level, rows["alpha-one"].target, rows["alpha-one"].comment) == (
        2, 4, "")
    assert rows["alpha-two"].status == "dont_know" and rows["beta-one"].level == 3
    assert all(r.carried for r in rows.values())
    assert set(rounds.carried_unconfirmed(leader_2027)) == {"alpha-one", "alpha-two", "beta-one"}


def test_submit_needs_each_carried_answer_confirmed_or_changed(client, leader_2027):
    a = leader_2027
    review = client.get(f"/assessments/{a.id}/review", headers={"Accept-Language": "en"})
    html = review.get_data(as_text=True)
    assert "Carried over, not yet confirmed" in html and html.count('name="question"') == 3
    assert submit(client, a).status_code == 303
    db.session.refresh(a)
    assert a.status == "draft"  # refused: nothing carried counts as confirmed without a click
    confirm(client, a, question="alpha-one")
    # Changing an answer on its page confirms it too.
    services.save_answers(a, None, {"beta-one": Answer(level=4)})
    assert rounds.carried_unconfirmed(a) == ["alpha-two"]
    submit(client, a)
    db.session.refresh(a)
    assert a.status == "draft"
    confirm(client, a, question="alpha-two")
    submit(client, a)
    db.session.refresh(a)
    assert a.status == "submitted"


def test_one_explicit_confirm_all(client, leader_2027):
    a = leader_2027
    confirm(client, a, all="1")
    assert rounds.carried_unconfirmed(a) == []
    submit(client, a)
    db.session.refresh(a)
    assert a.status == "submitted"


def test_block_page_marks_carried_answers(client, leader_2027):
    html = client.get(f"/assessments/{leader_2027.id}/block/alpha",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html.count("Carried over, not yet confirmed") == 2


def test_starting_without_carry_starts_empty(client, make_org, make_user, make_assessment):
    org = make_org("demo", "Demo Kommune", ("culture",))
    culture = department(org, "culture")
    make_user("leader@demo.dk", org, "respondent", culture)
    make_assessment(culture, "2026", {"alpha-one": 2}, status="submitted")
    services.ensure_period(org, "2027")
    db.session.commit()
    login(client, "leader@demo.dk")
    client.post("/assessments/start", data={"csrf_token": csrf_token(client, "/"),
                                            "department": str(culture.id), "period": "2027"})
    assert db.session.query(Assessment).filter_by(period="2027").one().answers == []


def test_mapping_across_versions_through_previous():
    q2 = SimpleNamespace(id="dr", version="2", questions={"new-a": 0, "same-b": 0},
                         previous=SimpleNamespace(version="1", questions={"new-a": "old-a"}))
    assert rounds.question_mapping(("dr", "1"), q2) == {"new-a": "old-a", "same-b": "same-b"}
    as_dict = SimpleNamespace(id="dr", version="2", questions={"new-a": 0},
                              previous={"version": 1, "questions": {"new-a": "old-a"}})
    assert rounds.question_mapping(("dr", "1"), as_dict) == {"new-a": "old-a"}
    q1 = SimpleNamespace(id="dr", version="1", questions={"a": 0})
    assert rounds.question_mapping(("dr", "1"), q1) == {"a": "a"}
