"""Organisation-wide questions (SPEC section 5) and answers carried across versions,
computed by hand for a small organisation: two departments, Kultur and Sociale forhold."""
from __future__ import annotations

import pytest

from app.core.answers import Answer
from app.core.questionnaire import parse_questionnaire
from app.core.recommend import recommend
from app.core.scoring import block_scores, gaps, overall_score
from app.core.shared import carry_answers, effective_answers, organisation_part


def question(qid, scope=None, weight=1):
    q = {"id": qid, "text": {"en": qid},
         "levels": {n: {"en": f"{qid} level {n}"} for n in range(1, 6)}}
    if scope:
        q["scope"] = scope
    if weight != 1:
        q["weight"] = weight
    return q


def tiny(version, blocks, initiatives=(), previous=None):
    data = {"id": "tiny", "version": version, "locales": ["en"], "title": {"en": "Tiny"},
            "blocks": [{"id": bid, "title": {"en": bid}, "intro": {"en": bid},
                        "questions": qs} for bid, qs in blocks],
            "strategic_questions": [{"id": "notes", "kind": "text", "text": {"en": "Notes"}}],
            "tracks": [{"id": "t", "title": {"en": "T"}}],
            "initiatives": [{"id": iid, "track": "t", "title": {"en": iid},
                             "description": {"en": iid}, "type": "pilot", "months": 6,
                             "effect": effect, "influence": "own", "triggers": triggers}
                            for iid, effect, triggers in initiatives]}
    if previous:
        data["previous"] = previous
    return parse_questionnaire(data, f"tiny/{version}.yaml")


Q = tiny(2, [("alpha", [question("a-org", "organisation"), question("a-dept")]),
             ("beta", [question("b-dept"), question("b-org", "organisation", weight=2)])],
         [("i-shared", "high", ["a-org"]), ("i-beta", "medium", ["b-dept", "b-org"])])

ORGANISATION = {"a-org": Answer(level=2, target=4)}          # b-org left unanswered
KULTUR = {"a-org": Answer(level=5), "a-dept": Answer(level=3), "b-dept": Answer(level=4),
          "b-org": Answer(level=5)}                           # its own a-org and b-org do not count
SOCIALE = {"a-dept": Answer(level=1), "b-dept": Answer(level=2, target=5)}


def scores(answers):
    blocks = block_scores(Q, answers)
    return [b.score for b in blocks], overall_score(blocks)


@pytest.mark.parametrize("department, alpha, beta, overall, beta_answered", [
    # Kultur: alpha = 100*((2-1)+(3-1))/(4*2) = 37.5; beta = only b-dept, 100*3/4 = 75.0
    (KULTUR, 37.5, 75.0, 56.25, 1),
    # Sociale forhold: alpha = 100*((2-1)+(1-1))/8 = 12.5; beta = 100*1/4 = 25.0
    (SOCIALE, 12.5, 25.0, 18.75, 1),
])
def test_department_scores_use_the_organisation_answers(department, alpha, beta, overall,
                                                        beta_answered):
    effective = effective_answers(Q, department, ORGANISATION)
    (a, b), total = scores(effective)
    assert (a, b, total) == (pytest.approx(alpha), pytest.approx(beta), pytest.approx(overall))
    assert block_scores(Q, effective)[1].answered == beta_answered


def test_kultur_alone_would_score_differently():
    """Without the overlay Kultur's own answers to shared questions would count."""
    (a, b), _ = scores(KULTUR)
    assert (a, b) == (pytest.approx(75.0), pytest.approx(100 * (3 + 2 * 4) / 12))


def test_unanswered_by_the_organisation_is_unanswered_for_every_department():
    for department in (KULTUR, SOCIALE):
        effective = effective_answers(Q, department, {})
        assert "a-org" not in effective and "b-org" not in effective
    assert scores(effective_answers(Q, KULTUR, {}))[0] == [pytest.approx(50.0),
                                                           pytest.approx(75.0)]


def test_organisation_answers_to_department_questions_are_ignored():
    effective = effective_answers(Q, SOCIALE, {**ORGANISATION, "a-dept": Answer(level=5)})
    assert effective["a-dept"] == Answer(level=1)


def test_gaps_and_recommendations_follow_the_shared_answer():
    kultur = effective_answers(Q, KULTUR, ORGANISATION)
    sociale = effective_answers(Q, SOCIALE, ORGANISATION)
    assert [(g.question, g.gap) for g in gaps(Q, kultur)] == [("a-org", 2)]
    assert [(g.question, g.gap) for g in gaps(Q, sociale)] == [("a-org", 2), ("b-dept", 3)]
    # i-shared: m = 2 < 3, t = 4, priority = 3 * (4 - 2) = 6, for both departments.
    # i-beta: Kultur m = 4 (b-org unanswered), no gap -> not recommended;
    #         Sociale m = 2 < 3, t = 5, priority = 2 * (5 - 2) = 6.
    k = {r.initiative.id: r.priority for r in recommend(Q, kultur)}
    s = {r.initiative.id: r.priority for r in recommend(Q, sociale)}
    assert k == {"i-shared": pytest.approx(6)}
    assert s == {"i-shared": pytest.approx(6), "i-beta": pytest.approx(6)}


def test_two_departments_cannot_differ_in_shared_answers():
    kultur = effective_answers(Q, KULTUR, ORGANISATION)
    sociale = effective_answers(Q, SOCIALE, ORGANISATION)
    assert organisation_part(Q, kultur) == organisation_part(Q, sociale) == ORGANISATION


OLD = tiny(1, [("alpha", [question("a-org"), question("a-both")]),
               ("beta", [question("b-dept"), question("b-gone")])],
           [("i", "low", ["a-org"])])
NEW = tiny(2, [("alpha", [question("a-org", "organisation"), question("a-one"),
                          question("a-two")]),
               ("beta", [question("b-dept"), question("b-new")])],
           [("i", "low", ["a-org"])],
           previous={"version": 1, "questions": {"a-one": "a-both", "a-two": "a-both"}})


def test_answers_carry_across_versions():
    old = {"a-org": Answer(level=2), "a-both": Answer(level=4, target=5),
           "b-gone": Answer(level=1), "notes": "kept"}
    assert carry_answers(NEW, OLD, old) == {
        "a-org": Answer(level=2),                 # same id
        "a-one": Answer(level=4, target=5),       # split question: both parts from the parent
        "a-two": Answer(level=4, target=5),
        "notes": "kept",                          # strategic questions carry by id too
    }                                             # b-gone retired, b-new has no predecessor


def test_block_scores_of_both_versions_line_up_by_block():
    old = {"a-org": Answer(level=2), "a-both": Answer(level=4), "b-dept": Answer(level=3)}
    before = [b.score for b in block_scores(OLD, old)]
    after = [b.score for b in block_scores(NEW, carry_answers(NEW, OLD, old))]
    # alpha: v1 100*(1+3)/8 = 50; v2 100*(1+3+3)/12 = 58.33; beta: 50 in both
    assert before == [pytest.approx(50.0), pytest.approx(50.0)]
    assert after == [pytest.approx(700 / 12), pytest.approx(50.0)]


def test_carrying_needs_the_version_it_follows():
    with pytest.raises(ValueError, match="does not follow"):
        carry_answers(OLD, NEW, {})
    with pytest.raises(ValueError, match="does not follow"):
        carry_answers(NEW, NEW, {})
