"""Schemathesis against /api/v1/openapi.json on the seeded demo, with a real bearer token.

Every generated request must get a documented status code and no server error. Run it with
`make fuzz` (FUZZ_SECONDS sets the time budget, shared by all operations); `make test` leaves
it out unless FUZZ_SECONDS is set.
"""
from __future__ import annotations

import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    status_code_conformance,
)

from tests.conftest import ROOT, base_config

pytestmark = pytest.mark.fuzz
BUDGET = float(os.environ.get("FUZZ_SECONDS", "60"))
# Hypothesis stops an operation after this many examples, or when its share of time is spent.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
OPERATIONS = 8  # the document's operations, sharing the budget
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(app, bearer headers) of the seeded demo: the coordinator's token, every role's data."""
    from app import create_app, services
    from app.demo import ADMIN, seed
    from app.extensions import db
    from app.models import User
    config = base_config(tmp_path_factory, [ROOT / "questionnaires"], "digital-resilience")
    config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'f.db'}"
    config.pop("SERVER_NAME")
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed()
        token = services.create_token(db.session.query(User).filter_by(email=ADMIN[0]).one())
        db.session.remove()
    yield app, {"Authorization": f"Bearer {token}"}
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def api_schema(demo):
    app, _headers = demo
    # Valid and invalid data both (NUL characters, wrong types, missing fields).
    config = schemathesis.Config.from_dict({"generation": {"mode": "all"}})
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")
_started: dict[str, float] = {}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_api_answers_every_request_with_a_documented_status(case, demo):
    _app, headers = demo
    key = f"{case.method} {case.path}"
    started = _started.setdefault(key, time.monotonic())
    if time.monotonic() - started > BUDGET / OPERATIONS:
        return  # this operation's share of the budget is spent
    case.call_and_validate(headers={**(case.headers or {}), **headers}, checks=CHECKS)
