"""SQL statements per request at 3, 30 and 100 departments x 4 periods, and comparison timing."""
from __future__ import annotations

import re
import statistics
import time
from contextlib import contextmanager

from sqlalchemy import event

from app import services
from app.extensions import db
from app.registry import default_questionnaire

from . import data
from .register_data import build_register

SIZES = (3, 30, 100)
REGISTER_SIZES = {3: 20, 30: 200, 100: 2000}  # register entries per organisation size
ADMIN = "bench-admin@bench.example"


@contextmanager
def counting(engine):
    """Count the SQL statements sent through the engine inside the block."""
    box = [0]

    def before(*_args):
        box[0] += 1
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield box
    finally:
        event.remove(engine, "before_cursor_execute", before)


def build(app) -> dict[int, dict]:
    """Organisations q3, q30, q100 (4 periods each) and a coordinator of all; ids per size."""
    out = {}
    with app.app_context():
        for n in SIZES:
            org = data.build_org(f"q{n}", n, drafts=1, seed=n)
            build_register(org, REGISTER_SIZES[n], seed=n)
            data.user(ADMIN, org, "admin")
            db.session.commit()
            out[n] = {"slug": org.slug, "draft": data.drafts_of(org)[0].id,
                      "submitted": data.submitted_of(org)[-1].id}
        out["token"] = services.create_token(data.user(ADMIN, org, "admin"))
        db.session.remove()
    return out


def _login(client) -> None:
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"email": ADMIN, "password": data.PASSWORD,
                                    "csrf_token": token})
    assert r.status_code in (302, 303), r.status_code


def requests_for(app, ids: dict, n: int) -> dict:
    """{name: (method, path, data or None, headers)} of the measured requests at size n."""
    with app.app_context():
        q = default_questionnaire()
    block = q.blocks[0]
    d = ids[n]
    return {
        "questionnaire page": ("GET", f"/assessments/{d['draft']}/block/{block.id}", None, {}),
        "results page": ("GET", f"/assessments/{d['submitted']}/results", None, {}),
        "save a page of answers": ("POST", f"/assessments/{d['draft']}/block/{block.id}",
                                   [q_.id for q_ in block.questions if not q_.organisation_wide], {}),
        "comparison page": ("GET", f"/o/{d['slug']}/compare?period=2026", None, {}),
        "comparison API": ("GET", f"/api/v1/organisations/{d['slug']}/comparison?period=2026",
                           None, {"Authorization": f"Bearer {ids['token']}"}),
        "register page": ("GET", f"/o/{d['slug']}/register", None, {}),
        "register API": ("GET", f"/api/v1/organisations/{d['slug']}/register", None,
                         {"Authorization": f"Bearer {ids['token']}"}),
    }


def _save_form(client, path: str, questions: list[str], n: int) -> dict:
    html = client.get(path).get_data(as_text=True)
    form = {"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1),
            "go": "stay"}
    for qid in questions:
        m = re.search(rf'name="{re.escape(qid)}-version"[^>]*value="(\d*)"', html) or re.search(
            rf'value="(\d*)"[^>]*name="{re.escape(qid)}-version"', html)
        form.update({f"{qid}-answer": str(n % 5 + 1), f"{qid}-target": "5",
                     f"{qid}-comment": f"run {n}", f"{qid}-version": m.group(1) or "0"})
    return form


def one(app, client, method, path, body, headers, n: int = 0) -> tuple[int, float, int]:
    """(statements, seconds, status) of one request through the test client."""
    if method == "POST":
        form = _save_form(client, path, body, n)
    with app.app_context():
        engine = db.engine
    with counting(engine) as box:
        t0 = time.perf_counter()
        r = (client.post(path, data=form, headers=headers) if method == "POST"
             else client.get(path, headers=headers))
        elapsed = time.perf_counter() - t0
    return box[0], elapsed, r.status_code


def measure(app, ids: dict, repeats: int = 15) -> dict:
    """Statement counts per request and size, and median times of the comparison at 100 x 4."""
    client = app.test_client()
    _login(client)
    counts: dict[str, dict[int, tuple[int, int]]] = {}
    for n in SIZES:
        for name, (method, path, body, headers) in requests_for(app, ids, n).items():
            one(app, client, method, path, body, headers, 1)  # warm caches
            stmts, _, status = one(app, client, method, path, body, headers, 2)
            counts.setdefault(name, {})[n] = (stmts, status)
    times = {}
    reqs = requests_for(app, ids, SIZES[-1])
    for name in ("comparison page", "comparison API"):
        method, path, body, headers = reqs[name]
        times[name] = statistics.median(
            one(app, client, method, path, body, headers)[1] for _ in range(repeats))
    register_times = {}
    for name in ("register page", "register API"):
        method, path, body, headers = reqs[name]
        register_times[name] = statistics.median(
            one(app, client, method, path, body, headers)[1] for _ in range(repeats))
    with app.app_context():
        from app.models import Membership, Organisation
        org = db.session.scalar(db.select(Organisation).where(Organisation.slug == "q100"))
        m = Membership(organisation_id=org.id, role="admin")
        samples = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            services.comparisons(org, m, data.PERIODS)
            samples.append(time.perf_counter() - t0)
            db.session.expire_all()
        times["services.comparisons (4 periods)"] = statistics.median(samples)
        db.session.remove()
    return {"counts": counts, "times": times, "register_times": register_times}
