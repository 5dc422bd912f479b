"""The result table: one row per figure with its baseline, ratio, target and verdict."""
from __future__ import annotations

import datetime
import os
import platform
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class Row:
    """One figure."""

    section: str
    name: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None
    exact: bool = False  # a correctness check (not a timing): failing it fails the run


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _load(r) -> str:
    value = f"{r.rps:.1f} req/s, p95 {r.p95_ms:.0f} ms"
    if r.errors:
        value += f", {r.errors} failed of {r.requests}"
    return value


def page_rows(measured) -> list[Row]:
    """Rows of the throughput section; under a page measured against its database floor, a
    row with the floor (the ratio column: the floor against the bare page, the page against it)."""
    out = []
    for m in measured:
        size = f" ({m.bytes // 1000} kB)" if m.bytes else ""
        target = f">= {m.target:.0%}" if m.target else "(no ratio target)"
        out.append(Row("pages", m.name + size, _load(m.page),
                       f"bare Flask: {_load(m.baseline)}", f"{m.ratio:.0%}", target,
                       None if m.target is None else (m.ratio >= m.target and not m.page.errors)))
        if m.floor is not None:
            out.append(Row("pages", f"  floor: {m.floor_what}", _load(m.floor),
                           ratio=f"floor {m.floor_ratio:.0%} of bare; page {m.of_floor:.0%} of floor"))
    return out


def query_rows(result: dict) -> list[Row]:
    """Rows of the query-count section."""
    out = []
    for name, by_size in result["counts"].items():
        counts = [c for c, _ in by_size.values()]
        statuses = {s for _, s in by_size.values()}
        ok = len(set(counts)) == 1 and all(s < 400 for s in statuses)
        value = " / ".join(str(c) for c in counts) + " statements"
        if name.startswith("register"):
            name += " (20 / 200 / 2,000 entries)"
        if not all(s < 400 for s in statuses):
            value += f" (HTTP {sorted(statuses)})"
        out.append(Row("queries", f"{name}, 3 / 30 / 100 departments x 4 periods", value,
                       target="constant", met=ok, exact=True))
    for name, seconds in result["times"].items():
        out.append(Row("queries", f"{name}, 100 departments x 4 periods (median)", _ms(seconds),
                       target="< 150 ms", met=seconds < 0.150))
    for name, seconds in result.get("register_times", {}).items():
        out.append(Row("queries", f"{name}, 2,000 register entries (median)", _ms(seconds),
                       target="< 300 ms", met=seconds < 0.300))
    return out


def pdf_rows(r: dict) -> list[Row]:
    """Rows of the PDF section (SPEC 11: against plain ReportLab in the same embedded font)."""
    ratio = r["report"] / r["plain_ttf"]
    return [
        Row("pdf", f"assessment report, {r['pages']} pages (median)", _ms(r["report"]),
            f"plain ReportLab {r['pages']} pages in the report's TTF font (DejaVu Sans): "
            f"{_ms(r['plain_ttf'])}", f"{ratio:.1f}x", "<= 2x", ratio <= 2),
        Row("pdf", "  (reference: the plain document in Helvetica, a built-in font)",
            _ms(r["plain"]), ratio=f"report {r['report'] / r['plain']:.1f}x"),
        Row("pdf", f"organisation report, 100 departments, {r['org_pages']} pages (median)",
            _ms(r["org"]), target="< 3000 ms", met=r["org"] < 3),
    ]


def scale_rows(r: dict) -> list[Row]:
    """Rows of the scale section (1,000 departments x 4 periods on PostgreSQL)."""
    size = f"{r['departments']:,} departments x {r['periods']} periods"
    out = []
    for name, limit, periods in (("comparison API", 0.300, "1 period"),
                                 ("comparison page", 0.500, f"{r['periods']} periods")):
        m, floor = r[name], r[f"floor: the {name}'s rows in plain SQL"]
        extra = ", first page of 50" if name == "comparison page" else ""
        out.append(Row("scale", f"{name}, {size} (median{extra}; {m['bytes'] // 1000} kB, "
                       f"{m['statements']} statements)", _ms(m["seconds"]),
                       f"floor: its rows ({periods}: assessments and kept figures) in plain "
                       f"SQL {_ms(floor)}",
                       f"{m['seconds'] / floor:.1f}x floor" if floor else "",
                       f"< {limit * 1000:.0f} ms", m["seconds"] < limit))
        out.append(Row("scale", f"  {name}, first request (computes and keeps the figures)",
                       _ms(r[f"{name}, first request"])))
    out.append(Row("scale", f"  reference: the period's {r.get('answers', 0):,} answers in "
                   "plain SQL (what the comparison read before figures were kept)",
                   _ms(r["the period's answers in plain SQL"])))
    out.append(Row("scale", f"  services.comparisons (4 periods), {size} (median)",
                   _ms(r["services.comparisons (4 periods)"])))
    pdf = r["organisation PDF"]
    out.append(Row("scale", f"organisation PDF, {size} ({pdf['pages']} pages)",
                   f"{pdf['seconds']:.1f} s", target="< 15 s", met=pdf["seconds"] < 15))
    render = r.get("organisation PDF rendering")
    if render:
        out.append(Row("scale", f"  rendering alone (render_organisation, data gathered once), "
                       f"{render['pages']} pages", f"{render['seconds']:.1f} s",
                       f"floor: plain ReportLab {render['pages']} pages in the same TTF font "
                       f"{render['floor']:.1f} s",
                       f"{render['seconds'] / render['floor']:.1f}x floor"))
    out.append(Row("scale", f"organisation PDF, {size}: peak memory (tracemalloc)",
                   f"{pdf['peak'] / 2**20:.0f} MiB", target="< 1024 MiB",
                   met=pdf["peak"] < 2**30))
    return out


def concurrency_rows(lost: dict, race: dict, engine: str) -> list[Row]:
    """Rows of the concurrency section."""
    note = "" if engine == "postgresql" else " (SQLite: not the target engine)"
    return [
        Row("concurrency", f"{lost['clients']} clients x {lost['seconds']:.0f} s via "
            f"{lost['via']}{note}", f"{lost['writes']} saves, {len(lost['errors'])} errors, "
            f"{len(lost['lost'])} lost writes", target="0 errors, 0 lost",
            met=not lost["errors"] and not lost["lost"] and not lost["missing_clients"],
            exact=True),
        Row("concurrency", f"2 clients save the same page at once, {race['trials']} trials",
            f"{race['trials'] - len(race['problems'])} with one save + one conflict (409), "
            f"{race['both_saved']} silent losses", target="all: one 409",
            met=not race["problems"], exact=True),
    ] + [Row("concurrency", "problem", p, met=False, exact=True)
         for p in (lost["errors"][:5] + lost["lost"][:5] + race["problems"][:5])]


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    head = ["section", "figure", "measured", "baseline (same run)", "ratio", "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        cells = (r.section, r.name, r.value, r.baseline, r.ratio, r.target, met)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    """CPU model, core count, memory and OS of this machine."""
    cpu = platform.processor() or ""
    try:
        text = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.*)", text).group(1)
    except (OSError, AttributeError):
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, " \
           f"Python {platform.python_version()}"


def write_docs(table_text: str, engine: str, args: str, load: str = "?") -> None:
    """Replace the measured table in docs/performance.md (between the bench markers)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, cwd=DOCS.parent.parent, check=False).stdout.strip()
    except OSError:
        commit = ""
    block = "\n".join([
        START,
        f"Measured {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine()}; "
        f"database {engine}; load average {load}; commit {commit or '?'} plus working tree; "
        f"command `python -m tests.benchmarks {args}`.".replace(" `python -m tests.benchmarks `",
                                                              " `make bench`"),
        "", table_text, END])
    text = DOCS.read_text() if DOCS.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    pre, rest = text.split(START, 1)
    post = rest.split(END, 1)[1]
    DOCS.write_text(pre + block + post)
    print(f"wrote {DOCS}")
