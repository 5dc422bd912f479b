"""A small world for API tests: two organisations, every role, tokens and assessments."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from app import services
from app.core.answers import Answer
from tests.conftest import department


@dataclass
class World:
    org: object
    other_org: object
    draft: object        # culture 2026, draft
    submitted: object    # schools 2026, submitted
    old: object          # culture 2025, submitted
    foreign: object      # the other organisation's assessment
    tokens: dict

    def headers(self, who: str | None) -> dict:
        """Bearer headers for a user key ('admin', 'respondent', 'viewer', 'other'), or none."""
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}


@pytest.fixture
def world(app, make_org, make_user, make_assessment) -> World:
    org = make_org("demo", "Demo Kommune", ("culture", "schools"))
    other = make_org("other", "Anden Kommune", ("x",))
    culture, schools = department(org, "culture"), department(org, "schools")
    users = {
        "admin": make_user("admin@demo.dk", org, "admin"),
        "respondent": make_user("leader@demo.dk", org, "respondent", culture),
        "respondent_schools": make_user("schools@demo.dk", org, "respondent", schools),
        "viewer": make_user("viewer@demo.dk", org, "viewer"),
        "other": make_user("admin@other.dk", other, "admin"),
    }
    draft = make_assessment(culture, "2026", {"alpha-one": Answer(level=2, target=4),
                                              "beta-one": 3})
    submitted = make_assessment(schools, "2026", {"alpha-one": 4, "alpha-two": 5, "gamma-one": 1},
                                status="submitted")
    old = make_assessment(culture, "2025", {"alpha-one": 1, "beta-two": 2}, status="submitted")
    foreign = make_assessment(department(other, "x"), "2026", {"alpha-one": 3},
                              status="submitted")
    tokens = {k: services.create_token(u) for k, u in users.items()}
    return World(org, other, draft, submitted, old, foreign, tokens)


def assert_problem(response, status: int) -> dict:
    """The problem body of a response, after checking its status and media type."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and isinstance(body["errors"], list) and body["title"]
    return body
