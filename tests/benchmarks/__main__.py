"""`python -m tests.benchmarks`: measure SPEC section 11 and print every figure with its ratio.

Sections: queries (in-process statement counts and comparison time), pdf, scale (1,000
departments x 4 periods: comparison API and page, organisation PDF and its memory), pages (gunicorn +
wrk against the bare Flask baseline), concurrency (gunicorn on PostgreSQL). Everything runs
in one fresh database `bench` (SQLite when PostgreSQL is down).
"""
from __future__ import annotations

import argparse
import os
import secrets
import sys
import time

from . import report

SECTIONS = ("queries", "pdf", "scale", "pages", "concurrency")


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    p.add_argument("--only", action="append", choices=SECTIONS, help="run only these sections")
    p.add_argument("--seconds", type=float, default=5, help="length of one wrk run (default 5)")
    p.add_argument("--rounds", type=int, default=2, help="baseline/page alternations (default 2)")
    p.add_argument("--concurrency-seconds", type=float, default=30)
    p.add_argument("--scale-departments", type=int, default=1000,
                   help="departments of the scale organisation (SPEC 11: 1,000)")
    p.add_argument("--quick", action="store_true", help="short runs, for checking the harness")
    p.add_argument("--write-docs", action="store_true",
                   help="put the table into docs/performance.md")
    return p.parse_args(argv)


def environment(url: str) -> dict[str, str]:
    """Production settings for the app under test (plain HTTP on loopback)."""
    return {"APP_ENV": "production", "SECRET_KEY": secrets.token_hex(20), "HTTPS": "0",
            "DATABASE_URL": url, "RATELIMIT_LOGIN": "100000 per minute",
            "PYTHONWARNINGS": "ignore"}


def main(argv=None) -> int:
    """Run the chosen sections, print the table; exit 1 if an exact check failed."""
    args = parse_args(argv)
    if args.quick:
        args.seconds, args.rounds, args.concurrency_seconds = 2, 1, 5
    sections = args.only or SECTIONS
    from . import load
    from .database import create_schema, fresh_database
    if "pages" in sections and not load.have_wrk():
        load.ensure_wrk()
    url, engine = fresh_database()
    env = environment(url)
    os.environ.update(env)
    from app import create_app
    app = create_app({"RATELIMIT_ENABLED": False})
    create_schema(app)
    rows: list[report.Row] = []
    started = time.monotonic()
    load_before = os.getloadavg()
    print(f"database: {engine}; load generator: {'wrk' if load.have_wrk() else 'python'}",
          flush=True)
    if "queries" in sections or "pdf" in sections:
        from . import queries
        ids = queries.build(app)
        if "queries" in sections:
            print("queries ...", flush=True)
            rows += report.query_rows(queries.measure(app, ids))
        if "pdf" in sections:
            from . import pdfs
            print("pdf ...", flush=True)
            rows += report.pdf_rows(pdfs.measure(app, ids[3]["submitted"], "q100", "2026"))
    if "scale" in sections:
        from . import scale
        print(f"scale: building {args.scale_departments} departments x 4 periods ...", flush=True)
        built = scale.build(app, args.scale_departments)
        print(f"  built {built['answers']} answers in {built['build_seconds']:.0f} s; measuring",
              flush=True)
        rows += report.scale_rows(scale.measure(app, built, repeats=3 if args.quick else 7))
    if "pages" in sections or "concurrency" in sections:
        from .server import gunicorn
        with gunicorn("app:create_app()", env) as base:
            if "pages" in sections:
                from . import pages
                print("pages ...", flush=True)
                rows += report.page_rows(pages.run(app, base, env, args.seconds, args.rounds))
            if "concurrency" in sections:
                from . import concurrency
                print("concurrency ...", flush=True)
                ids = concurrency.build(app)
                lost = concurrency.lost_writes(app, base, ids, args.concurrency_seconds)
                race = concurrency.conflicts(app, base, ids)
                rows += report.concurrency_rows(lost, race, engine)
    table = report.table(rows)
    load_text = (f"{load_before[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
                 f"(1-minute; {os.cpu_count()} cores)")
    print(f"\nload average: {load_text}")
    print(table)
    print(f"\n{len(rows)} figures in {time.monotonic() - started:.0f} s")
    if args.write_docs:
        report.write_docs(table, engine, " ".join(sys.argv[1:]), load_text)
    return 1 if any(r.exact and r.met is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
