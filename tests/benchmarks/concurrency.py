"""Concurrent saving on the real server: no error, no lost write, conflicts never silent."""
from __future__ import annotations

import threading
import time

from sqlalchemy import select

from app import services
from app.extensions import db
from app.models import Answer as AnswerRow
from app.registry import default_questionnaire

from . import data
from .client import Session, versions

CLIENTS = 20
ORG = "conc"
EMAIL = "conc-admin@bench.example"
CONFLICT_TEXT = "409"


def build(app) -> dict:
    """An organisation with one draft per client, a coordinator and an API token."""
    with app.app_context():
        org = data.build_org(ORG, CLIENTS, periods=("2026",), drafts=CLIENTS, seed=7)
        u = data.user(EMAIL, org, "admin")
        db.session.commit()
        out = {"drafts": [a.id for a in data.drafts_of(org)], "token": services.create_token(u)}
        q = default_questionnaire()
        out["block"] = q.blocks[0].id
        out["questions"] = [x.id for x in q.blocks[0].questions if not x.organisation_wide]
        out["api"] = "api.put_answers" in app.view_functions or any(
            r.rule.endswith("/answers") and "PUT" in r.methods for r in app.url_map.iter_rules())
        db.session.remove()
    return out


def _api_writer(base, token, aid, questions, stop, log):
    s = Session(base, token)
    n, last, errors = 0, None, []
    while time.monotonic() < stop:
        body = {q: {"level": (n + i) % 5 + 1, "target": 5, "comment": f"a{aid} n{n}"}
                for i, q in enumerate(questions)}
        r = s.request("PUT", f"/api/v1/assessments/{aid}/answers", json_body=body)
        if r.status == 200:
            last = body
        else:
            errors.append(f"PUT {aid} #{n}: HTTP {r.status} {r.text[:200]}")
        n += 1
    log[aid] = (n, last, errors)


def _form_writer(base, email, aid, block, questions, stop, log):
    s = Session(base)
    s.login(email, data.PASSWORD)
    path = f"/assessments/{aid}/block/{block}"
    page = s.get(path).text
    csrf = s.csrf(path)
    seen = versions(page)
    n, last, errors = 0, None, []
    while time.monotonic() < stop:
        form = {"csrf_token": csrf, "go": "stay"}
        body = {}
        for i, q in enumerate(questions):
            body[q] = {"level": (n + i) % 5 + 1, "target": 5, "comment": f"a{aid} n{n}"}
            form.update({f"{q}-answer": str(body[q]["level"]), f"{q}-target": "5",
                         f"{q}-comment": body[q]["comment"], f"{q}-version": str(seen[q])})
        r = s.post(path, form)
        if r.status == 303:
            last = body
            seen = {q: v + 1 for q, v in seen.items()}  # every question changed: one version each
        else:
            errors.append(f"POST {aid} #{n}: HTTP {r.status}")
            seen = versions(s.get(path).text)
        n += 1
    log[aid] = (n, last, errors)


def lost_writes(app, base: str, ids: dict, seconds: float) -> dict:
    """CLIENTS clients save their own assessment for `seconds`; compare the database with each last write."""
    stop = time.monotonic() + seconds
    log: dict[int, tuple] = {}
    threads = []
    for aid in ids["drafts"][:CLIENTS]:
        if ids["api"]:
            args = (base, ids["token"], aid, ids["questions"], stop, log)
            threads.append(threading.Thread(target=_api_writer, args=args))
        else:
            args = (base, EMAIL, aid, ids["block"], ids["questions"], stop, log)
            threads.append(threading.Thread(target=_form_writer, args=args))
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    errors = [e for _, _, errs in log.values() for e in errs]
    lost = []
    with app.app_context():
        for aid, (_, last, _) in log.items():
            rows = {r.question_id: r for r in db.session.scalars(
                select(AnswerRow).where(AnswerRow.assessment_id == aid))}
            for q, want in (last or {}).items():
                got = rows.get(q)
                if got is None or (got.level, got.target, got.comment) != (
                        want["level"], want["target"], want["comment"]):
                    lost.append(f"assessment {aid} {q}: wrote {want}, stored "
                                f"{None if got is None else (got.level, got.target, got.comment)}")
        db.session.remove()
    writes = sum(n for n, _, _ in log.values())
    return {"via": "API PUT" if ids["api"] else "web form", "clients": len(threads),
            "seconds": elapsed, "writes": writes, "errors": errors, "lost": lost,
            "missing_clients": CLIENTS - len(log)}


def conflicts(app, base: str, ids: dict, trials: int = 10) -> dict:
    """Two signed-in clients save the same page from the same versions at the same moment.

    Exactly one save may win each time; the other must get the conflict page (409), and the
    stored answers must be the winner's. Then a stale form posted later also gets 409.
    """
    aid, block, questions = ids["drafts"][-1], ids["block"], ids["questions"]
    path = f"/assessments/{aid}/block/{block}"
    a, b = Session(base), Session(base)
    a.login(EMAIL, data.PASSWORD)
    b.login(EMAIL, data.PASSWORD)
    outcomes, silent, wrong = [], 0, []
    for trial in range(trials):
        forms = []
        for who, s in (("A", a), ("B", b)):
            html = s.get(path).text
            seen = versions(html)
            form = {"csrf_token": s.csrf(path), "go": "stay"}
            for i, q in enumerate(questions):
                form.update({f"{q}-answer": str((trial + i + (who == "B")) % 5 + 1),
                             f"{q}-target": "5", f"{q}-comment": f"{who} trial {trial}",
                             f"{q}-version": str(seen[q])})
            forms.append((who, s, form))
        barrier = threading.Barrier(2)
        result = {}

        def post(who, s, form, barrier=barrier, result=result):
            barrier.wait()
            result[who] = s.post(path, form)
        threads = [threading.Thread(target=post, args=f) for f in forms]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = (result["A"].status, result["B"].status)
        outcomes.append(statuses)
        winners = [w for w in "AB" if result[w].status == 303]
        if len(winners) != 1:
            silent += len(winners) > 1
            wrong.append(f"trial {trial}: statuses {statuses}")
            continue
        loser = "B" if winners == ["A"] else "A"
        if result[loser].status != 409:
            wrong.append(f"trial {trial}: loser got {result[loser].status}")
        with app.app_context():
            comments = set(db.session.scalars(select(AnswerRow.comment).where(
                AnswerRow.assessment_id == aid, AnswerRow.question_id.in_(questions))))
            db.session.remove()
        if comments != {f"{winners[0]} trial {trial}"}:
            wrong.append(f"trial {trial}: stored {comments}, winner {winners[0]}")
    return {"trials": trials, "outcomes": outcomes, "both_saved": silent, "problems": wrong}
