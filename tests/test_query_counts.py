"""SQL statements per request do not grow with the number of departments (no N+1)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from app import services
from app.core.answers import Answer as CoreAnswer
from app.extensions import db
from app.models import Answer, Assessment, Membership, Organisation
from app.registry import default_questionnaire
from tests.conftest import csrf_token, department, login

PERIODS = ("2023", "2024", "2025", "2026")
LEVELS = {"alpha-one": 2, "alpha-two": 4, "beta-one": 3, "beta-two": 1, "gamma-one": 5}


@pytest.fixture
def orgs(app, make_org, make_user, make_assessment):
    """Organisations of 3 and 30 departments x 4 periods, one coordinator of both, a token."""
    small = make_org("small", "Small", [f"d{n:02d}" for n in range(3)])
    big = make_org("big", "Big", [f"d{n:02d}" for n in range(30)])
    ids = {}
    q = default_questionnaire()
    for org, n in ((small, 3), (big, 30)):
        for i in range(n):  # rows written directly: 132 assessments through the services is slow
            dep = department(org, f"d{i:02d}")
            for p in PERIODS:
                services.ensure_period(org, p)
                last = Assessment(organisation_id=org.id, department_id=dep.id, period=p,
                                  questionnaire_id=q.id, questionnaire_version=q.version,
                                  content_hash=q.content_hash, status="submitted")
                db.session.add(last)
                db.session.flush()
                db.session.add_all(Answer(assessment_id=last.id, question_id=k, level=v)
                                   for k, v in LEVELS.items())
        db.session.commit()
        draft = make_assessment(department(org, "d00"), "2027", {"alpha-one": 1, "alpha-two": 1})
        ids[org.slug] = {"submitted": last.id, "draft": draft.id}
    user = make_user("coordinator@example.org", org=small, role="admin")
    user.memberships.append(Membership(organisation_id=big.id, role="admin"))
    db.session.commit()
    ids["token"] = services.create_token(user)
    return ids


def statements(app, send) -> tuple[int, int]:
    """(SQL statements, HTTP status) of one request made by send()."""
    count = [0]

    def before(*_args):
        count[0] += 1
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        status = send().status_code
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return count[0], status


def save_form(client, path: str, level: int) -> dict:
    """The alpha page's form as the user would post it, with every level changed."""
    html = client.get(path).get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, path), "go": "stay"}
    for qid in ("alpha-one", "alpha-two"):
        version = re.search(rf'name="{qid}-version"[^>]*value="(\d*)"', html) or re.search(
            rf'value="(\d*)"[^>]*name="{qid}-version"', html)
        form.update({f"{qid}-answer": str(level), f"{qid}-target": "5",
                     f"{qid}-comment": f"level {level}", f"{qid}-version": version.group(1)})
    return form


REQUESTS = {
    "questionnaire page": lambda c, ids, s: c.get(f"/assessments/{ids[s]['draft']}/block/alpha"),
    "results page": lambda c, ids, s: c.get(f"/assessments/{ids[s]['submitted']}/results"),
    "comparison page": lambda c, ids, s: c.get(f"/o/{s}/compare?period=2026"),
    "comparison API": lambda c, ids, s: c.get(
        f"/api/v1/organisations/{s}/comparison?period=2026",
        headers={"Authorization": f"Bearer {ids['token']}"}),
    "comparison API, every period": lambda c, ids, s: c.get(
        f"/api/v1/organisations/{s}/comparison",
        headers={"Authorization": f"Bearer {ids['token']}"}),
}


@pytest.mark.parametrize("name", REQUESTS)
def test_statement_count_does_not_grow_with_departments(app, client, orgs, name):
    login(client, "coordinator@example.org")
    send = REQUESTS[name]
    counts = {}
    for slug in ("small", "big"):
        send(client, orgs, slug)  # warm-up: first-use queries (e.g. published questionnaires)
        counts[slug] = statements(app, lambda slug=slug: send(client, orgs, slug))
    assert counts["small"][1] == counts["big"][1] == 200
    assert counts["small"][0] == counts["big"][0], counts


def test_saving_a_page_costs_the_same_statements_in_a_big_organisation(app, client, orgs):
    login(client, "coordinator@example.org")
    counts = {}
    for slug in ("small", "big"):
        path = f"/assessments/{orgs[slug]['draft']}/block/alpha"
        for level in (3, 4):  # the first save warms up; the second is counted
            form = save_form(client, path, level)
            counts[slug] = statements(app, lambda p=path, f=form: client.post(p, data=f))
        assert counts[slug][1] == 303
    assert counts["small"][0] == counts["big"][0], counts
    a = services.get_assessment_or_404(orgs["big"]["draft"])
    assert {r.question_id: r.level for r in a.answers} == {"alpha-one": 4, "alpha-two": 4}


def _statements_of(app, send) -> list[str]:
    """The SQL statements one request sends."""
    seen = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert send().status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return seen


@pytest.mark.parametrize("page", ["questionnaire page", "results page"])
def test_a_signed_in_page_costs_two_round_trips(app, client, orgs, page):
    """SPEC 11: the session check (user, memberships, organisations) in one statement, the
    assessment with its answers and strategic answers in the next. The questionnaire page
    needs nothing more; the results page then reads what it compares with (the
    organisation's other assessments, the previous period, the plan), never the user again."""
    login(client, "coordinator@example.org")
    send = REQUESTS[page]
    send(client, orgs, "big")  # warm-up
    seen = _statements_of(app, lambda: send(client, orgs, "big"))
    if page == "questionnaire page":
        assert len(seen) == 2, seen
    assert "FROM users" in seen[0] and "memberships" in seen[0] and "organisations" in seen[0]
    assert "FROM assessments" in seen[1] and "answers" in seen[1] \
        and "strategic_answers" in seen[1]
    assert not any("FROM users" in x or "FROM memberships" in x for x in seen[1:]), seen



@pytest.fixture
def demo_pages(real_app):
    """The seeded demo on the shipped questionnaire (organisation-wide questions, register,
    plans with effects), signed in as its coordinator: a 2026 result and a draft of 2027."""
    assert real_app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "demo"))
    result = db.session.scalars(select(Assessment).where(
        Assessment.organisation_id == org.id, Assessment.period == "2026",
        Assessment.status == "submitted").order_by(Assessment.id)).first()
    q = default_questionnaire()
    block = q.blocks[0]
    own = [x.id for x in block.questions if not x.organisation_wide]
    draft = services.start_assessment(result.department, "2027", q)
    services.save_answers(draft, None, {qid: CoreAnswer(level=1) for qid in own})
    client = real_app.test_client()
    login(client, "koordinator@demo.dk", "demo-resilience-2026")
    return {"client": client, "results": f"/assessments/{result.id}/results",
            "page": f"/assessments/{draft.id}/block/{block.id}", "questions": own}


# What each request needs on the demo, each statement once: the session check, then the
# assessment with its department, organisation, period row (the register's day), answers,
# strategic answers and the organisation's answers of its period and the earlier ones (pages:
# nothing more); the results page adds the register's entries, the context's rows (the
# period's submitted assessments and the department's previous one, in one statement), their
# kept figures (every questionnaire version's block layout in one statement; the demo has
# two), the plan items (the department's own and its joint ones) and the previous period's
# answers for the plan's effects; the save writes the audit rows, the assessment and one
# UPDATE per answer.
MOST = {"questionnaire page": 2, "results page": 7}


@pytest.mark.parametrize("name", MOST)
def test_a_demo_page_reads_each_thing_once(real_app, demo_pages, name):
    client = demo_pages["client"]
    path = demo_pages["page" if name == "questionnaire page" else "results"]
    client.get(path)  # warm-up
    seen = []

    def before(_conn, _cursor, statement, parameters, *_args):
        seen.append((statement, repr(parameters)))
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    # The same statement with the same parameters twice is the same thing read twice.
    assert len(seen) == len(set(seen)), [x for x in seen if seen.count(x) > 1]
    assert len(seen) == MOST[name], [x for x, _p in seen]


def test_saving_a_demo_page_writes_and_reads_nothing_twice(real_app, demo_pages):
    client, path, own = demo_pages["client"], demo_pages["page"], demo_pages["questions"]
    html = client.get(path).get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, path), "go": "stay"}
    for qid in own:
        version = re.search(rf'name="{qid}-version"[^>]*value="(\d*)"', html) or re.search(
            rf'value="(\d*)"[^>]*name="{qid}-version"', html)
        form.update({f"{qid}-answer": "2", f"{qid}-target": "", f"{qid}-comment": "",
                     f"{qid}-version": version.group(1)})
    seen = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert client.post(path, data=form).status_code == 303
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    reads = [x for x in seen if x.lstrip().startswith("SELECT")]
    writes = [x for x in seen if x.lstrip().startswith("UPDATE answers")]
    # The session check and the assessment with its answers; nothing read again after the commit.
    assert len(reads) == 2, reads
    assert len(writes) == len(own)
    others = [x for x in seen if x not in reads and x not in writes]
    # The audit rows (one statement, or one per row where the engine cannot batch them) and
    # the assessment's UPDATE.
    assert {x.split("(")[0].split(" SET")[0].strip() for x in others} == {
        "INSERT INTO answer_changes", "UPDATE assessments"}, others
