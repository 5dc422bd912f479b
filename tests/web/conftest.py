"""Fixtures shared by the coordinator's page tests."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests.conftest import login


@pytest.fixture
def org(make_org):
    """Demo Kommune with two departments."""
    return make_org(departments=("culture", "social"))


@pytest.fixture
def coordinator(client, org, make_user):
    """A signed-in admin of the organisation."""
    user = make_user("boss@example.org", org=org, role="admin")
    user.locale = "en"  # messages are checked in English; Danish is the default
    db.session.commit()
    login(client, user.email)
    return user
