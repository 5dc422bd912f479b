"""The baseline: a bare Flask app rendering a template of a chosen size (no database, no login).

`/page?bytes=N` renders a layout with a form of fieldsets and radio buttons (the shape of a
questionnaire page) repeated until the output is about N bytes; `/json?bytes=N` returns a
JSON document of about N bytes. Served by gunicorn with the same settings as the app.
"""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request

app = Flask(__name__)
ITEM_BYTES = 1150  # output of one item of baseline.html, measured
LEVELS = [f"Niveau {n}: en beskrivelse af modenheden på dette trin" for n in range(1, 6)]


def _count(default: int = 30000, per_item: int = ITEM_BYTES) -> int:
    size = request.args.get("bytes", default, type=int)
    return max(1, min(size, 5_000_000) // per_item)


@app.get("/page")
def page():
    """A page of about `bytes` bytes."""
    items = [{"id": f"q-{n}", "title": f"Spørgsmål {n} om åbne standarder & exit <planer>",
              "levels": LEVELS, "comment": "Kommentar <b>med</b> & tegn"}
             for n in range(_count())]
    return render_template("baseline.html", items=items, title="Baseline")


@app.get("/json")
def json_document():
    """A JSON document of about `bytes` bytes."""
    rows = [{"department": f"dep-{n:03d}", "name": f"Afdeling {n:03d}", "overall": 47.5,
             "blocks": {"a": 37.5, "b": 50.0, "c": None, "d": 62.5, "e": 25.0},
             "status": "submitted"} for n in range(_count(per_item=139))]
    return jsonify(period="2026", rows=rows)


@app.get("/healthz")
def healthz():
    """Liveness."""
    return "ok"
