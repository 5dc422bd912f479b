"""The baselines: a bare Flask app rendering a template of a chosen size, and the database floor.

`/page?bytes=N` renders a layout with a form of fieldsets and radio buttons (the shape of a
questionnaire page) repeated until the output is about N bytes; `/json?bytes=N` returns a
JSON document of about N bytes. No database, no login.

The floor is what a signed-in page minimally must do on the same database (DATABASE_URL),
in plain SQL through SQLAlchemy Core, and nothing else: `/floor/page?bytes=N&user=U&assessment=A`
reads the user with its memberships and organisations (one statement, the session check)
and the assessment with its answers (one statement), then renders the same page as
`/page?bytes=N`; `POST /floor/save?user=U&assessment=A` does the same two reads, then writes
the posted answers (`<question>-answer`, `-version`) in one transaction as the app's save
does (an UPDATE per answer with its version check, the audit rows, the assessment's time
stamp), commits and answers 303. No cookie or CSRF token is checked.
Served by gunicorn with the same settings as the app.
"""
from __future__ import annotations

import datetime
import json
import os

from flask import Flask, abort, jsonify, redirect, render_template, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
ITEM_BYTES = 1150  # output of one item of baseline.html, measured
LEVELS = [f"Niveau {n}: en beskrivelse af modenheden på dette trin" for n in range(1, 6)]

SESSION_CHECK = text(
    "SELECT u.id, u.active, u.session_token, m.organisation_id, m.role, m.department_id, "
    "o.slug, o.name FROM users u LEFT JOIN memberships m ON m.user_id = u.id "
    "LEFT JOIN organisations o ON o.id = m.organisation_id WHERE u.id = :user")
ASSESSMENT = text(
    "SELECT a.id, a.organisation_id, a.department_id, a.period, a.status, a.questionnaire_id, "
    "a.questionnaire_version, r.question_id, r.level, r.status, r.target, r.comment, "
    "r.version FROM assessments a LEFT JOIN answers r ON r.assessment_id = a.id "
    "WHERE a.id = :assessment")
UPDATE_ANSWER = text(
    "UPDATE answers SET level = :level, target = :target, comment = :comment, carried = false, "
    "updated_by_id = :user, updated_at = :now, version = version + 1 "
    "WHERE assessment_id = :assessment AND question_id = :question AND version = :version")
AUDIT = text(
    "INSERT INTO answer_changes (assessment_id, question_id, user_id, at, old, new, source) "
    "VALUES (:assessment, :question, :user, :now, :old, :new, 'web')")
TOUCH = text("UPDATE assessments SET updated_at = :now WHERE id = :assessment")
_engine = None


def engine():
    """The engine of the benchmark database, made in the worker on first use (after the fork)."""
    global _engine
    if _engine is None:
        _engine = create_engine(os.environ["DATABASE_URL"], pool_size=2)
    return _engine


def _count(default: int = 30000, per_item: int = ITEM_BYTES) -> int:
    size = request.args.get("bytes", default, type=int)
    return max(1, min(size, 5_000_000) // per_item)


def _items() -> list[dict]:
    return [{"id": f"q-{n}", "title": f"Spørgsmål {n} om åbne standarder & exit <planer>",
             "levels": LEVELS, "comment": "Kommentar <b>med</b> & tegn"}
            for n in range(_count())]


@app.get("/page")
def page():
    """A page of about `bytes` bytes."""
    return render_template("baseline.html", items=_items(), title="Baseline")


def _signed_in_reads(conn) -> tuple[list, dict]:
    """The two statements of a signed-in page: (membership rows, {question: answer row})."""
    members = conn.execute(SESSION_CHECK, {"user": request.args.get("user", type=int)}).all()
    if not members or not members[0].active:
        abort(403)
    rows = conn.execute(ASSESSMENT, {"assessment": request.args.get("assessment", type=int)}).all()
    if not rows or rows[0].organisation_id not in {m.organisation_id for m in members}:
        abort(404)
    return members, {r.question_id: r for r in rows if r.question_id is not None}


@app.get("/floor/page")
def floor_page():
    """The session check and the assessment with its answers, then the page of `/page`."""
    with engine().connect() as conn:
        _members, answers = _signed_in_reads(conn)
    return render_template("baseline.html", items=_items(), title=f"Floor {len(answers)}")


@app.post("/floor/save")
def floor_save():
    """The two reads, then the posted answers written in one transaction; 303."""
    form, now = request.form, datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    user, aid = request.args.get("user", type=int), request.args.get("assessment", type=int)
    with engine().begin() as conn:
        _members, answers = _signed_in_reads(conn)
        audit = []
        for key in form:
            if not key.endswith("-answer"):
                continue
            qid = key[:-len("-answer")]
            old, new = answers.get(qid), {"level": form.get(key, type=int),
                                          "target": form.get(f"{qid}-target", type=int)}
            if old is None or (old.level, old.target) == (new["level"], new["target"]):
                continue  # the benchmark's drafts have every row; unchanged answers are skipped
            done = conn.execute(UPDATE_ANSWER, {
                "level": new["level"], "target": new["target"], "comment": "", "user": user,
                "now": now, "assessment": aid, "question": qid,
                "version": form.get(f"{qid}-version", type=int)})
            if done.rowcount != 1:
                conn.rollback()
                return "conflict", 409
            audit.append({"assessment": aid, "question": qid, "user": user, "now": now,
                          "old": json.dumps({"level": old.level, "target": old.target}),
                          "new": json.dumps(new)})
        if audit:
            conn.execute(AUDIT, audit)
            conn.execute(TOUCH, {"now": now, "assessment": aid})
    return redirect(request.full_path, 303)


@app.get("/json")
def json_document():
    """A JSON document of about `bytes` bytes."""
    rows = [{"department": f"dep-{n:03d}", "name": f"Afdeling {n:03d}", "overall": 47.5,
             "blocks": {"a": 37.5, "b": 50.0, "c": None, "d": 62.5, "e": 25.0},
             "status": "submitted"} for n in range(_count(per_item=139))]
    return jsonify(period="2026", rows=rows)


@app.get("/healthz")
def healthz():
    """Liveness."""
    return "ok"
