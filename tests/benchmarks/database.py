"""The benchmark database: a fresh PostgreSQL database `bench`, or SQLite when PostgreSQL is down."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")


def _admin_conninfo(url: str) -> tuple[str, str]:
    """(libpq conninfo of the maintenance database, name of the bench database)."""
    from sqlalchemy.engine import make_url
    u = make_url(url)
    info = f"host={u.host or '127.0.0.1'} port={u.port or 5432} user={u.username or 'postgres'} dbname=postgres"
    if u.password:
        info += f" password={u.password}"
    return info, u.database


def fresh_database() -> tuple[str, str]:
    """(SQLAlchemy URL, engine name) of an empty database created for this run."""
    try:
        import psycopg
        info, name = _admin_conninfo(PG_URL)
        if name in ("test", "postgres", "template0", "template1"):
            raise SystemExit(f"refusing to use database {name!r} for benchmarks")
        with psycopg.connect(info, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return PG_URL, "postgresql"
    except Exception as exc:  # any failure means: no PostgreSQL here
        if isinstance(exc, SystemExit):
            raise
        path = Path(tempfile.mkdtemp(prefix="bench-")) / "bench.db"
        print(f"PostgreSQL unavailable ({type(exc).__name__}: {exc}); using SQLite {path}")
        return f"sqlite:///{path}", "sqlite"


def create_schema(app) -> None:
    """Create every table in the app's (empty) database."""
    from app.extensions import db
    with app.app_context():
        db.create_all()
