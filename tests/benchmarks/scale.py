"""SPEC 11 at scale: 1,000 departments x 4 periods (comparison API and page, organisation PDF
with its peak memory), and the floor the database sets for the same data.

The rows are bulk-inserted (building them is not what is measured); they look like the
assessments the services save: every question answered, strategic answers, submitted.
"""
from __future__ import annotations

import gc
import json
import random
import statistics
import time
import tracemalloc

from sqlalchemy import bindparam, insert, text

from app import services
from app.extensions import db
from app.models import Answer as AnswerRow
from app.models import Assessment, Department, Membership, Organisation
from app.models import StrategicAnswer as StrategicRow
from app.registry import default_questionnaire

from . import data

SLUG = "s1000"
ADMIN = "bench-scale@bench.example"


def build(app, departments: int = 1000, periods=data.PERIODS) -> dict:
    """The organisation of `departments` x `periods` submitted assessments; ids for measuring."""
    rng = random.Random(1000)
    t0 = time.monotonic()
    with app.app_context():
        q = default_questionnaire()
        services.publish(q)
        org = services.get_or_create_org(SLUG, f"Bench {departments}")
        for p in periods:
            services.ensure_period(org, p)
        db.session.add_all(Department(organisation_id=org.id, slug=f"dep-{n:04d}",
                                      name=f"Afdeling {n:04d}") for n in range(departments))
        db.session.flush()
        deps = list(db.session.scalars(db.select(Department.id).where(
            Department.organisation_id == org.id).order_by(Department.id)))
        now = db.func.now()
        assessments = [Assessment(organisation_id=org.id, department_id=d, period=p,
                                  questionnaire_id=q.id, questionnaire_version=q.version,
                                  content_hash=q.content_hash, status="submitted")
                       for d in deps for p in periods]
        db.session.add_all(assessments)
        db.session.flush()
        db.session.execute(db.update(Assessment).where(Assessment.organisation_id == org.id)
                           .values(submitted_at=now))
        strategic = {k: json.dumps(v.to_json(), ensure_ascii=False)
                     for k, v in data.strategic_for(q).items()}
        answers, strategic_rows = [], []
        for a in assessments:
            for qid, ans in data.levels_for(q, rng).items():
                answers.append({"assessment_id": a.id, "question_id": qid, "level": ans.level,
                                "status": ans.status, "target": ans.target, "comment": ans.comment})
            strategic_rows += [{"assessment_id": a.id, "question_id": k, "value": v}
                               for k, v in strategic.items()]
        for chunk in range(0, len(answers), 20000):
            db.session.execute(insert(AnswerRow), answers[chunk:chunk + 20000])
        db.session.execute(insert(StrategicRow), strategic_rows)
        data.user(ADMIN, org, "admin")
        db.session.commit()
        token = services.create_token(data.user(ADMIN, org, "admin"))
        db.session.remove()
    return {"slug": SLUG, "token": token, "departments": departments, "periods": len(periods),
            "answers": len(answers), "build_seconds": time.monotonic() - t0}


def _median(fn, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def _floor_query(org_id: int, periods: list[str]):
    """What a comparison of these periods must read at least, with plain SQL and no ORM: each
    assessment with its department, and its kept figures (services.figures)."""
    def run():
        with db.engine.connect() as conn:
            conn.execute(text(
                "SELECT a.id, a.department_id, a.period, a.status, a.updated_at, d.name, d.slug, "
                "f.stamp, f.payload FROM assessments a "
                "JOIN departments d ON d.id = a.department_id "
                "LEFT JOIN assessment_figures f ON f.assessment_id = a.id "
                "WHERE a.organisation_id = :o AND a.period IN :p").bindparams(
                    bindparam("p", expanding=True)), {"o": org_id, "p": periods}).all()
    return run


def _answers_query(org_id: int, period: str):
    """The period's answers with plain SQL: what a comparison read before figures were kept."""
    def run():
        with db.engine.connect() as conn:
            conn.execute(text(
                "SELECT n.assessment_id, n.question_id, n.level, n.status, n.target "
                "FROM answers n JOIN assessments a ON a.id = n.assessment_id "
                "WHERE a.organisation_id = :o AND a.period = :p"), {"o": org_id, "p": period}).all()
    return run


def measure(app, ids: dict, repeats: int = 5, pdf_repeats: int = 1) -> dict:
    """Median times of the comparison API and page (first page) at scale, the organisation PDF
    (time, then peak Python memory with tracemalloc in a separate run), and the floors."""
    from .queries import counting
    client = app.test_client()
    login(client)
    slug, period = ids["slug"], data.PERIODS[-1]
    api = f"/api/v1/organisations/{slug}/comparison?period={period}"
    page = f"/o/{slug}/compare?period={period}"
    headers = {"Authorization": f"Bearer {ids['token']}"}
    out: dict = {"departments": ids["departments"], "periods": ids["periods"],
                 "answers": ids["answers"] // ids["periods"]}
    for name, send in (("comparison API", lambda: client.get(api, headers=headers)),
                       ("comparison page", lambda: client.get(page))):
        t0 = time.perf_counter()
        r = send()  # the first request computes the figures not kept yet, and keeps them
        out[f"{name}, first request"] = time.perf_counter() - t0
        assert r.status_code == 200, (name, r.status_code)
        with app.app_context(), counting(db.engine) as box:
            send()
        out[name] = {"seconds": _median(send, repeats), "bytes": len(r.get_data()),
                     "statements": box[0]}
    with app.app_context():
        org = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
        out["floor: the comparison API's rows in plain SQL"] = _median(
            _floor_query(org.id, [period]), repeats)
        out["floor: the comparison page's rows in plain SQL"] = _median(
            _floor_query(org.id, list(data.PERIODS)), repeats)
        out["the period's answers in plain SQL"] = _median(
            _answers_query(org.id, period), repeats)
        m = Membership(organisation_id=org.id, role="admin")
        out["services.comparisons (4 periods)"] = _median(
            lambda: (services.comparisons(org, m, list(data.PERIODS)), db.session.expire_all()),
            repeats)
    from app.reports import organisation_pdf
    with app.app_context(), app.test_request_context():
        org = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
        m = Membership(organisation_id=org.id, role="admin")
        times, size = [], 0
        for _ in range(pdf_repeats):
            db.session.expire_all()
            gc.collect()
            t0 = time.perf_counter()
            pdf = organisation_pdf(org, m, period, "da")
            times.append(time.perf_counter() - t0)
            size = len(pdf)
        db.session.expire_all()
        gc.collect()
        tracemalloc.start()
        try:
            pdf = organisation_pdf(org, m, period, "da")
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        from .pdfs import pages
        out["organisation PDF"] = {"seconds": statistics.median(times), "peak": peak,
                                   "pages": pages(pdf), "bytes": size}
        db.session.remove()
    return out


def login(client) -> None:
    """Sign the scale organisation's coordinator in on the test client."""
    import re
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"email": ADMIN, "password": data.PASSWORD,
                                    "csrf_token": token})
    assert r.status_code in (302, 303), r.status_code
