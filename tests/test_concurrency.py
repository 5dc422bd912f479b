"""Concurrent saves on PostgreSQL: no error, no lost write, and conflicts are never silent."""
from __future__ import annotations

import re
import threading
import time

import pytest
from sqlalchemy import select

from app import services
from app.extensions import db
from app.models import Answer as AnswerRow
from tests.conftest import csrf_token, department, login

CLIENTS, SECONDS = 8, 3.0
QUESTIONS = ("alpha-one", "alpha-two", "beta-one")


@pytest.fixture(autouse=True)
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrency checks need PostgreSQL (set TEST_DATABASE_URL); "
                    "SQLite serialises every writer")


@pytest.fixture
def drafts(app, make_org, make_user, make_assessment):
    """CLIENTS draft assessments, a coordinator and an API token."""
    org = make_org("conc", "Conc", [f"d{n}" for n in range(CLIENTS)])
    ids = [make_assessment(department(org, f"d{n}"), "2026", {"alpha-one": 1}).id
           for n in range(CLIENTS)]
    user = make_user("coordinator@example.org", org=org, role="admin")
    return ids, services.create_token(user)


def test_concurrent_clients_lose_no_write(app, drafts):
    ids, token = drafts
    stop = time.monotonic() + SECONDS
    log: dict[int, tuple[int, dict | None, list]] = {}

    def writer(aid: int) -> None:
        with app.app_context():  # each thread its own context and session, as in a server
            _write(aid)

    def _write(aid: int) -> None:
        client, n, last, errors = app.test_client(), 0, None, []
        while time.monotonic() < stop:
            body = {q: {"level": (n + i) % 5 + 1, "target": 5, "comment": f"{aid}/{n}"}
                    for i, q in enumerate(QUESTIONS)}
            r = client.put(f"/api/v1/assessments/{aid}/answers", json=body,
                           headers={"Authorization": f"Bearer {token}"})
            if r.status_code == 200:
                last = body
            else:
                errors.append((n, r.status_code, r.get_data(as_text=True)[:200]))
            n += 1
        log[aid] = (n, last, errors)

    threads = [threading.Thread(target=writer, args=(aid,)) for aid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(log) == sorted(ids)
    assert [e for _, _, errs in log.values() for e in errs] == []
    assert all(n >= 2 for n, _, _ in log.values()), {a: n for a, (n, _, _) in log.items()}
    db.session.expire_all()
    for aid, (_, last, _) in log.items():
        stored = {r.question_id: {"level": r.level, "target": r.target, "comment": r.comment}
                  for r in db.session.scalars(select(AnswerRow).where(
                      AnswerRow.assessment_id == aid, AnswerRow.question_id.in_(QUESTIONS)))}
        assert stored == last, aid


def _form(client, path: str, level: int, who: str) -> dict:
    html = client.get(path).get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, path), "go": "stay"}
    for qid in ("alpha-one", "alpha-two"):
        version = re.search(rf'name="{qid}-version"[^>]*value="(\d*)"', html) or re.search(
            rf'value="(\d*)"[^>]*name="{qid}-version"', html)
        form.update({f"{qid}-answer": str(level), f"{qid}-target": "", f"{qid}-comment": who,
                     f"{qid}-version": version.group(1)})
    return form


def test_two_clients_saving_the_same_page_at_once_get_one_conflict(app, drafts):
    aid = drafts[0][0]
    path = f"/assessments/{aid}/block/alpha"
    a, b = app.test_client(), app.test_client()
    login(a, "coordinator@example.org")
    login(b, "coordinator@example.org")
    for trial in range(5):
        forms = {"A": (a, _form(a, path, trial % 5 + 1, f"A{trial}")),
                 "B": (b, _form(b, path, (trial + 2) % 5 + 1, f"B{trial}"))}
        barrier, result = threading.Barrier(2), {}

        def post(who: str, forms=forms, barrier=barrier, result=result) -> None:
            client, form = forms[who]
            with app.app_context():
                barrier.wait()
                result[who] = client.post(path, data=form)
        threads = [threading.Thread(target=post, args=(w,)) for w in forms]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r.status_code for r in result.values())
        assert statuses == [303, 409], (trial, statuses)
        winner = next(w for w, r in result.items() if r.status_code == 303)
        loser = result["B" if winner == "A" else "A"].get_data(as_text=True)
        assert "alpha-one" in loser or "Alpha one" in loser  # the conflict names the question
        db.session.expire_all()
        comments = set(db.session.scalars(select(AnswerRow.comment).where(
            AnswerRow.assessment_id == aid, AnswerRow.question_id.in_(("alpha-one", "alpha-two")))))
        assert comments == {f"{winner}{trial}"}
