"""The throughput section: demo data, the two gunicorn servers, the five measured requests."""
from __future__ import annotations

from sqlalchemy import select

from app import services
from app.extensions import db
from app.models import Assessment, Organisation, User
from app.registry import default_questionnaire

from . import data, load, throughput
from .client import Session
from .server import gunicorn

DEMO, COORDINATOR, DEMO_PASSWORD = "demo", "koordinator@demo.dk", "demo-resilience-2026"
DRAFT_ORG = "bench-drafts"


def demo_data(app) -> dict:
    """Seed the demo (or, while seed-demo is missing, an equivalent), plus drafts to save into."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.slug == DEMO))
        user = db.session.scalar(select(User).where(User.email == COORDINATOR))
        seeded = org is not None and user is not None
        if not seeded:
            print(f"  seed-demo did not create the demo ({result.output.strip()[:80]!r}); "
                  "building an equivalent organisation")
            org = data.build_org(DEMO, 7, periods=("2025", "2026"), drafts=0, seed=2026)
            user = data.user(COORDINATOR, org, "admin")
            user.password_hash = services.hash_password(DEMO_PASSWORD)
        # Drafts live in their own organisation so the demo's comparison stays as seeded.
        drafts = data.build_org(DRAFT_ORG, load.CONNECTIONS + 1, periods=(),
                                drafts=load.CONNECTIONS + 1, seed=5)
        data.user(COORDINATOR, drafts, "admin")
        db.session.commit()
        submitted = db.session.scalars(select(Assessment).where(
            Assessment.organisation_id == org.id, Assessment.status == "submitted",
            Assessment.period == "2026").order_by(Assessment.id)).first()
        q = default_questionnaire()
        out = {"seeded": seeded, "token": services.create_token(user), "user": user.id,
               "drafts": [a.id for a in data.drafts_of(drafts)], "submitted": submitted.id,
               "block": q.blocks[0].id, "questions": [x.id for x in q.blocks[0].questions if not x.organisation_wide]}
        db.session.remove()
    return out


def run(app, base: str, env: dict, seconds: float, rounds: int) -> list[throughput.Measured]:
    """Measure the questionnaire, results, comparison page and API, and the save."""
    ids = demo_data(app)
    session = Session(base)
    session.login(COORDINATOR, DEMO_PASSWORD)
    drafts = ids["drafts"]
    pages = {
        "questionnaire page": (f"/assessments/{drafts[-1]}/block/{ids['block']}", "page"),
        "results page": (f"/assessments/{ids['submitted']}/results", "page"),
        "comparison page": (f"/o/{DEMO}/compare?period=2026", "compare"),
        "comparison API": (f"/api/v1/organisations/{DEMO}/comparison?period=2026", "api"),
    }
    if not any(r.rule.startswith("/api/v1/organisations/") for r in app.url_map.iter_rules()):
        print("  the comparison API is not there yet; skipped")
        pages.pop("comparison API")
    with gunicorn("tests.benchmarks.baseline_app:app", env) as baseline:
        # The floor of the two signed-in pages and of the save: their minimal database work.
        floors = {"questionnaire page": drafts[-1], "results page": ids["submitted"]}
        return throughput.measure(app, base, baseline, session, ids["token"], pages,
                                  drafts[:load.CONNECTIONS], ids["block"], ids["questions"],
                                  seconds, rounds, floors, ids["user"])
