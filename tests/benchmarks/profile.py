"""Profile one request in-process: `python -m tests.benchmarks.profile PATH [N]` (needs pyinstrument).

Runs against the database left by the last benchmark run (DATABASE_URL, default the `bench`
PostgreSQL database), signed in as the demo coordinator.
"""
from __future__ import annotations

import os
import re
import sys

from .database import PG_URL


def main(argv: list[str]) -> None:
    """Request PATH N times (after one warm-up) under pyinstrument and print the profile."""
    from pyinstrument import Profiler
    os.environ.setdefault("DATABASE_URL", PG_URL)
    from app import create_app
    app = create_app({"RATELIMIT_ENABLED": False})
    path, n = argv[0], int(argv[1]) if len(argv) > 1 else 20
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    client.post("/login", data={"email": os.environ.get("BENCH_USER", "koordinator@demo.dk"),
                                "password": os.environ.get("BENCH_PASSWORD", "demo-resilience-2026"),
                                "csrf_token": token})
    status = client.get(path).status_code
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(n):
        client.get(path)
    profiler.stop()
    print(f"HTTP {status}; {n} requests")
    print(profiler.output_text(unicode=True, color=False, show_all=os.environ.get("PROFILE_ALL") == "1"))


if __name__ == "__main__":
    main(sys.argv[1:])
