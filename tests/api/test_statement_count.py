"""The comparison and trend issue a constant number of SQL statements, whatever the size."""
from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event

from app import services
from app.extensions import db
from app.models import Answer, Assessment, Department, Membership, Period
from app.registry import default_questionnaire

PERIODS = ("2025", "2026")


def build(make_org, make_user, slug: str, departments: int):
    """An organisation with departments x 2 periods of answers (one draft per period)."""
    org = make_org(slug, slug.title(), ())
    q = default_questionnaire()
    qids = list(q.questions)
    for p in PERIODS:
        db.session.add(Period(organisation_id=org.id, label=p))
    for n in range(departments):
        d = Department(organisation_id=org.id, slug=f"d{n}", name=f"Department {n:02d}")
        db.session.add(d)
        db.session.flush()
        for p in PERIODS:
            a = Assessment(organisation_id=org.id, department_id=d.id, period=p,
                           questionnaire_id=q.id, questionnaire_version=q.version,
                           content_hash=q.content_hash,
                           status="draft" if n == 0 else "submitted")
            db.session.add(a)
            db.session.flush()
            for k, qid in enumerate(qids):
                db.session.add(Answer(assessment_id=a.id, question_id=qid,
                                      level=(n + k) % 5 + 1, target=(n * k) % 5 + 1))
    db.session.commit()
    admin = make_user(f"admin@{slug}.dk", org, "admin")
    viewer = make_user(f"viewer@{slug}.dk", org, "viewer")
    return org, {"admin": services.create_token(admin), "viewer": services.create_token(viewer)}


@contextlib.contextmanager
def counting():
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def api_statements(client, slug, token, query) -> int:
    with counting() as statements:
        response = client.get(f"/api/v1/organisations/{slug}/comparison{query}",
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return len(statements)


@pytest.mark.parametrize("who", ["admin", "viewer"])
@pytest.mark.parametrize("query", ["?period=2026", "?period=2026&format=csv", "",
                                   "?format=csv"])
def test_api_comparison_and_trend_statements_are_constant(client, make_org, make_user,
                                                          who, query):
    _small, small_tokens = build(make_org, make_user, "small", 3)
    _large, large_tokens = build(make_org, make_user, "large", 30)
    # The first request computes every assessment's figures from its answers and keeps them
    # (one statement reads the answers, one stores the figures); the next one reads neither.
    n_small = api_statements(client, "small", small_tokens[who], query)
    n_large = api_statements(client, "large", large_tokens[who], query)
    assert n_small == n_large
    assert n_small <= 10
    warm_small = api_statements(client, "small", small_tokens[who], query)
    warm_large = api_statements(client, "large", large_tokens[who], query)
    assert warm_small == warm_large == n_small - 2
    # and the large one did list its 30 departments (so the count is not trivially equal)
    if not query.endswith("csv"):
        doc = client.get(f"/api/v1/organisations/large/comparison{query}",
                         headers={"Authorization": f"Bearer {large_tokens[who]}"}).get_json()
        comps = doc.get("periods", [doc])
        assert {len(c["departments"]) for c in comps} == {30 if who == "admin" else 29}


def test_services_comparisons_and_recommendation_counts_are_constant(app, make_org, make_user):
    counts = []
    for slug, size in (("small", 3), ("large", 30)):
        org, _ = build(make_org, make_user, slug, size)
        m = Membership(organisation_id=org.id, role="admin")
        db.session.expire_all()
        with counting() as all_periods:
            comps = services.comparisons(org, m, None)
        with counting() as one_period:
            services.comparisons(org, m, ["2026"])
        with counting() as recs:
            top, n = services.recommendation_counts(org, "2026")
        assert [len(c.rows) for c in comps] == [size, size] and n == size - 1 and top
        counts.append((len(all_periods), len(one_period), len(recs)))
    assert counts[0] == counts[1]
