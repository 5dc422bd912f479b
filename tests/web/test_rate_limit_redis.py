"""With RATELIMIT_STORAGE_URI pointing at Redis, app servers share the sign-in limit."""
from __future__ import annotations

import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)

# One "app server": a fresh process with its own app, failing to sign in N times.
SERVER = """
import re, sys
from app import create_app
from app.extensions import db
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "RATELIMIT_STORAGE_URI": sys.argv[2],
                  "RATELIMIT_KEY_PREFIX": sys.argv[3], "RATELIMIT_LOGIN": "3 per minute",
                  "QUESTIONNAIRE_DIRS": [sys.argv[4]], "DEFAULT_QUESTIONNAIRE": "mini"})
with app.app_context():
    db.create_all()
client = app.test_client()
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                  client.get("/login").get_data(as_text=True)).group(1)
codes = [client.post("/login", data={"email": "x@example.org", "password": "wrong",
                                     "csrf_token": token}).status_code
         for _ in range(int(sys.argv[5]))]
print(" ".join(map(str, codes)))
"""


def redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_up(), reason="no Redis server on 127.0.0.1:6379")
def test_failed_sign_ins_count_across_app_servers(tmp_path):
    prefix = f"test-{uuid.uuid4().hex}"
    fixtures = ROOT / "tests" / "fixtures" / "questionnaires"

    def server(n: int, name: str) -> list[int]:
        out = subprocess.run(
            [sys.executable, "-c", SERVER, f"sqlite:///{tmp_path / name}.db",
             "redis://127.0.0.1:6379/15", prefix, str(fixtures), str(n)],
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
        return [int(c) for c in out.stdout.split()]

    assert server(3, "a") == [200, 200, 200]
    # Another server process, same Redis: the limit is already spent for this address.
    assert server(1, "b") == [429]
