"""seed-demo: Demo Kommune with seven departments, two improving periods, every role; idempotent."""
from __future__ import annotations

from sqlalchemy import func, select

from app import services
from app.extensions import db
from app.models import (
    Answer,
    AnswerChange,
    Assessment,
    Department,
    Membership,
    Organisation,
    Period,
    StrategicAnswer,
    User,
)

TABLES = (Organisation, Department, Period, User, Membership, Assessment, Answer,
          StrategicAnswer, AnswerChange)


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def overall(org, period) -> float:
    admin = Membership(organisation_id=org.id, role="admin")
    (c,) = services.comparisons(org, admin, [period])
    return c.organisation.overall


def test_seed_demo_creates_a_story_and_is_safe_to_run_twice(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Created" in first.output and "koordinator@demo.dk" in first.output
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "demo"))
    assert org.name == "Demo Kommune"
    deps = db.session.scalars(select(Department).where(Department.organisation_id == org.id)).all()
    assert len(deps) == 7 and all(d.slug.isascii() for d in deps)
    assert {d.name for d in deps} >= {"Kultur og Borgerservice", "Teknik og Miljø"}
    assert services.periods_of(org) == ["2025", "2026"]
    assessments = db.session.scalars(select(Assessment)).all()
    assert len(assessments) == 14 and {a.status for a in assessments} == {"submitted"}
    assert overall(org, "2026") > overall(org, "2025")
    (c2026,) = services.comparisons(org, Membership(organisation_id=org.id, role="admin"),
                                    ["2026"])
    scores = [r.overall for r in c2026.rows]
    assert max(scores) - min(scores) > 10  # departments differ
    answers = db.session.scalars(select(Answer)).all()
    assert any(a.status == "dont_know" for a in answers)
    assert any(a.status == "not_applicable" for a in answers)
    assert any(a.target for a in answers) and any(a.comment for a in answers)
    assert db.session.scalar(select(func.count()).select_from(StrategicAnswer)) > 0
    roles = {(m.user.email, m.role) for m in db.session.scalars(select(Membership))}
    assert {("koordinator@demo.dk", "admin"), ("laeser@demo.dk", "viewer"),
            ("kultur@demo.dk", "respondent")} <= roles
    user = db.session.scalar(select(User).where(User.email == "kultur@demo.dk"))
    assert services.verify_password(user, "demo-resilience-2026")
    assert user.memberships[0].department.name == "Kultur og Borgerservice"

    before = counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output and "koordinator@demo.dk" in second.output
    assert counts() == before


SEED_AND_DUMP = """
import json, sys
from app import create_app, services
from app.demo import seed
from app.extensions import db
from app.models import Assessment
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "ARGON2_TIME_COST": 1,
                  "ARGON2_MEMORY_COST": 1024})
with app.app_context():
    db.create_all()
    seed()
    docs = [services.export_exchange(a) for a in db.session.scalars(db.select(Assessment))]
    print(json.dumps(sorted(docs, key=lambda d: json.dumps(d, sort_keys=True)), sort_keys=True))
"""


def test_seed_demo_is_deterministic(tmp_path):
    """Two processes (different hash seeds) seed two fresh databases: the same answers."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT
    dumps = []
    for n in (1, 2):
        env = {**os.environ, "PYTHONHASHSEED": str(n), "APP_ENV": "development"}
        out = subprocess.run([sys.executable, "-c", SEED_AND_DUMP, f"sqlite:///{tmp_path}/{n}.db"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        dumps.append(out.stdout)
    assert dumps[0] == dumps[1]
    assert dumps[0].count('"period"') == 14  # seven departments, two periods


def test_seed_demo_on_the_shipped_questionnaire(real_app):
    result = real_app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "demo"))
    assert overall(org, "2026") > overall(org, "2025")
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 14


def test_demo_coordinator_sees_the_dashboard(app, client):
    from tests.conftest import login
    app.test_cli_runner().invoke(args=["seed-demo"])
    assert login(client, "koordinator@demo.dk", "demo-resilience-2026").status_code == 302
    page = client.get("/o/demo/compare").get_data(as_text=True)
    assert "Økonomi og Administration" in page and "2025" in page and "<svg" in page
    assert client.get("/o/demo/admin").status_code == 200


def test_demo_leaders_are_offered_the_current_period_only(app, client):
    from tests.conftest import login
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert {p.label: p.open for p in db.session.scalars(select(Period))} == {
        "2025": False, "2026": True}
    login(client, "kultur@demo.dk", "demo-resilience-2026")
    home = client.get("/").get_data(as_text=True)
    # 2025 is closed; 2026 is open but the department has submitted it: nothing to start again.
    assert 'name="period" value="2025"' not in home and 'name="period" value="2026"' not in home
    assert "Continue where you left off" not in home
    from app import services
    services.get_or_create_department(services.get_or_create_org("demo"), "ny", "Ny afdeling")
    db.session.commit()
    client.post("/logout")
    login(client, "koordinator@demo.dk", "demo-resilience-2026")  # the coordinator may start any department
    home = client.get("/").get_data(as_text=True)
    assert home.count('name="period" value="2026"') == 1  # the new department, current period
    assert 'name="period" value="2025"' not in home
