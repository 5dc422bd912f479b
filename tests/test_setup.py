"""Configuration safety and the migrations."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app import create_app
from app.config import ConfigError
from app.extensions import db
from tests.conftest import FIXTURES


@pytest.mark.parametrize("key", ["", "dev", "short-key"])
def test_production_refuses_a_weak_secret_key(monkeypatch, key):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"QUESTIONNAIRE_DIRS": [FIXTURES / "questionnaires"]})


def test_production_with_a_real_key_uses_host_prefixed_secure_cookies(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app({"QUESTIONNAIRE_DIRS": [FIXTURES / "questionnaires"]})
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_generates_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("APP_ENV", raising=False)
    a = create_app({"QUESTIONNAIRE_DIRS": [FIXTURES / "questionnaires"]})
    assert len(a.config["SECRET_KEY"]) >= 32


def test_init_db_runs_twice_and_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url,
                      "QUESTIONNAIRE_DIRS": [FIXTURES / "questionnaires"]})
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
    engine = create_engine(url)
    assert "assessments" in inspect(engine).get_table_names()
    with app.app_context(), engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    engine.dispose()
    with app.app_context():
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"
