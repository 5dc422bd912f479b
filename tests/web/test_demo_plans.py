"""seed-demo's action plans: adopted from 2025, and the 2026 results show what they did."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from app import services
from app.core.plan import mean_level
from app.extensions import db
from app.models import Organisation, PlanChange, PlanItem
from app.services import plans
from app.shared_answers import effective_of
from tests.conftest import login

PASSWORD = "demo-resilience-2026"  # app.demo.PASSWORD


@pytest.fixture
def demo(real_app):
    result = real_app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return db.session.scalar(select(Organisation).where(Organisation.slug == "demo"))


def test_demo_plans_are_seeded_once(real_app, demo):
    items = db.session.scalars(select(PlanItem)).all()
    own = [i for i in items if i.department_id is not None]
    assert {i.status for i in own} == {"done", "in_progress", "planned"}
    assert {i.period for i in items} == {"2025"}
    assert len({i.department_id for i in own}) == 7
    joint = [i for i in items if i.department_id is None]
    assert len(joint) == 1 and len(joint[0].participants) >= 4  # at least half of seven
    assert db.session.query(PlanChange).count() == len(items)
    real_app.test_cli_runner().invoke(args=["seed-demo"])
    assert db.session.query(PlanItem).count() == len(items)


def test_demo_2026_results_show_how_the_trigger_questions_moved(real_app, demo):
    dep = next(d for d in plans.departments_of(demo) if d.slug == "kultur-og-borgerservice")
    a25, a26 = (services.find_assessment(dep, p) for p in ("2025", "2026"))
    worked = [i for i in plans.department_items(dep) + plans.joint_items_of(dep)
              if i.status in ("in_progress", "done")]
    assert worked
    q = services.questionnaire_of(a26)
    client = real_app.test_client()
    login(client, "kultur@demo.dk", PASSWORD)
    client.post("/language", data={"locale": "en", "csrf_token": re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)})
    page = html.unescape(re.sub(r"<[^>]+>", " ", client.get(
        f"/assessments/{a26.id}/results").get_data(as_text=True)))
    section = " ".join(page[page.index("Effect of the action plan"):
                            page.index("Open the action plan")].split())
    assert "between 2025 and 2026" in section
    for item in worked:
        ini = next(i for i in q.initiatives if i.id == item.initiative_id)
        q25 = services.questionnaire_of(a25)
        ini25 = next(i for i in q25.initiatives if i.id == item.initiative_id)
        # as the results see them: the organisation's answers for organisation-wide questions
        before = mean_level(q25, ini25, effective_of(a25, services.answers_of(a25)))
        after = mean_level(q, ini, effective_of(a26, services.answers_of(a26)))
        title = ini.title["en"]
        row = re.search(re.escape(title) + r"(?: [A-Za-z]+){1,4} (\d\.\d) (\d\.\d) ([+−±]\d\.\d) (Yes|No)", section)
        assert row, (title, section)
        assert abs(float(row.group(1)) - before) < 0.051
        assert abs(float(row.group(2)) - after) < 0.051
        delta = float(row.group(3).replace("−", "-").replace("±", ""))
        assert abs(delta - (after - before)) < 0.051
