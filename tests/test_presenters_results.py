"""Results in words by the presenters: reasons, track headings, estimate marks, views (issue 12)."""
from __future__ import annotations

import dataclasses

import pytest
from flask_babel import force_locale

from app import presenters
from app.core.answers import Answer
from app.core.recommend import recommend
from app.core.results import compute
from app.registry import default_questionnaire


def _recs(q, answers):
    return recommend(q, {k: v for k, v in answers.items()})


@pytest.mark.parametrize("locale, low, gap", [
    ("da", "Niveau 1 på «Alpha one? (da)» – under tærsklen 3",
     "Mål 5 mod niveau 3 på «Alpha one? (da)»"),
    ("en", "Level 1 on “Alpha one?” – below the threshold 3",
     "Target 5 against level 3 on “Alpha one?”"),
    ("fr", "Niveau 1 pour «\u202fAlpha one? (fr)\u202f» – sous le seuil 3",
     "Objectif 5 pour un niveau 3 sur «\u202fAlpha one? (fr)\u202f»"),
])
def test_reason_sentences_in_each_language(app, locale, low, gap):
    q = default_questionnaire()
    with force_locale(locale):
        rec = next(r for r in _recs(q, {"alpha-one": Answer(level=1)})
                   if r.initiative.id == "init-alpha-2")
        assert presenters.reason_sentence(q, rec.reasons[0], locale) == low
        rec = next(r for r in _recs(q, {"alpha-one": Answer(level=3, target=5)})
                   if r.initiative.id == "init-alpha-2")
        assert rec.reasons[0].kind == "gap"
        assert presenters.reason_sentence(q, rec.reasons[0], locale) == gap


def test_a_low_level_with_a_big_gap_names_the_target_and_thresholds_keep_decimals(app):
    q = default_questionnaire()
    with force_locale("da"):
        rec = next(r for r in _recs(q, {"alpha-one": Answer(level=1, target=4)})
                   if r.initiative.id == "init-alpha-2")
        assert presenters.reason_sentence(q, rec.reasons[0], "da").endswith(
            "– under tærsklen 3, mål 4")
        assert presenters.number(2.5) == "2,5" and presenters.number(3.0) == "3"


def test_track_headings_are_numbered_once(app):
    q = default_questionnaire()
    with force_locale("da"):
        assert presenters.track_heading(q, "track-b", "da").startswith("Spor 2: ")
    swapped = dataclasses.replace(q, tracks=tuple(
        dataclasses.replace(t, title={k: "2. " + v for k, v in t.title.items()})
        for t in q.tracks))
    with force_locale("en"):
        assert presenters.track_heading(swapped, "track-b", "en") == "Track 2: Track B"


def test_estimated_attributes_are_read_from_the_initiative_when_present(app):
    q = default_questionnaire()

    first = q.initiatives[0]
    marked = dataclasses.replace(first, estimated=("type", "months"))
    q2 = dataclasses.replace(q, initiatives=(marked, *q.initiatives[1:]))
    with force_locale("en"):
        rows = presenters.initiative_lines(
            q2, compute(q2, {qid: Answer(level=1) for qid in q.questions}), "en")
    by_id = {r.id: r for r in rows}
    assert by_id[first.id].estimated == frozenset({"type", "months"})
    assert all(not r.estimated for r in rows if r.id != first.id)  # version 1: none


def test_the_three_views_hold_every_recommendation_once(app):
    q = default_questionnaire()
    results = compute(q, {qid: Answer(level=1) for qid in q.questions})
    recs = results.recommendations
    with force_locale("en"):
        views = presenters.views(q, results, "en")
    for name in presenters.VIEWS:
        ids = [row.id for g in views[name] for row in g.rows]
        assert sorted(ids) == sorted(r.initiative.id for r in recs), name
    assert [g.heading for g in views["influence"]] == [
        "Within our own control", "Requires collaboration", "Outside our influence"]
    ranks = [row.rank for row in views["priority"][0].rows]
    assert ranks == sorted(ranks)
    track_order = [t.id for t in q.tracks if any(r.initiative.track == t.id for r in recs)]
    with force_locale("en"):
        assert [g.heading for g in views["track"]] == [
            presenters.track_heading(q, tid, "en") for tid in track_order]


def test_a_priority_has_a_one_line_why_naming_how_many_more(app):
    q = default_questionnaire()
    results = compute(q, {qid: Answer(level=1) for qid in q.questions})
    with force_locale("en"):
        lines = presenters.initiative_lines(q, results, "en")
    assert any(len(line.why) > 1 for line in lines)
    for line in lines:
        assert line.why_line.startswith(line.why[0])
        assert line.why_line.endswith(f"(and {len(line.why) - 1} more)") == (len(line.why) > 1)
