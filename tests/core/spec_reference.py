"""An independent re-implementation of SPEC sections 3-5, in exact arithmetic, for the tests.

It reads the raw questionnaire dict (as parsed from YAML) and raw answer dicts of the exchange
format, shares no code with app.core, and uses Fractions so that equalities are exact.
"""
from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import strategies as st

EFFECT = {"high": 3, "medium": 2, "low": 1}
LOCALES = ("da", "en", "fr")


def half_up(x: Fraction | None, places: int = 1) -> float | None:
    """Round an exact value to `places` decimals, halves away from zero (values are >= 0)."""
    if x is None:
        return None
    scale = 10 ** places
    return math.floor(x * scale + Fraction(1, 2)) / scale


def stage(x: Fraction | None) -> int | None:
    """SPEC: 1 if S < 20, 2 if S < 40, 3 if S < 60, 4 if S < 80, else 5."""
    if x is None:
        return None
    return 1 if x < 20 else 2 if x < 40 else 3 if x < 60 else 4 if x < 80 else 5


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values, Fraction(0)) / len(values) if values else None


def weight(q: dict) -> Fraction:
    return Fraction(q.get("weight", 1))


def exact_blocks(data: dict, answers: dict) -> list[tuple[str, Fraction | None, int, int]]:
    """(block id, exact score, answered, total) for each block."""
    out = []
    for b in data["blocks"]:
        scored = [(weight(q), answers[q["id"]]["level"]) for q in b["questions"]
                  if answers.get(q["id"], {}).get("level") is not None]
        den = sum((w for w, _ in scored), Fraction(0))
        num = sum((w * (lv - 1) for w, lv in scored), Fraction(0))
        score = 100 * num / (4 * den) if scored else None
        out.append((b["id"], score, len(scored), len(b["questions"])))
    return out


def exact_overall(data: dict, answers: dict) -> Fraction | None:
    """The plain mean of the non-null block scores."""
    return _mean(s for _, s, _, _ in exact_blocks(data, answers))


def expected_recommendations(data: dict, answers: dict) -> list[dict]:
    """SPEC section 4 in exact arithmetic, sorted by priority desc, ties in catalogue order."""
    weights = {q["id"]: weight(q) for b in data["blocks"] for q in b["questions"]}
    found = []
    for n, i in enumerate(data.get("initiatives", [])):
        triggers = list(dict.fromkeys(i["triggers"]))
        levelled = [(t, answers[t]["level"]) for t in triggers
                    if answers.get(t, {}).get("level") is not None]
        if not levelled:
            continue
        m = (sum((weights[t] * lv for t, lv in levelled), Fraction(0))
             / sum((weights[t] for t, _ in levelled), Fraction(0)))
        targets = [answers[t]["target"] for t in triggers
                   if answers.get(t, {}).get("target") is not None]
        t_mean = _mean(Fraction(x) for x in targets) if targets else Fraction(4)
        big_gap = any(answers[t].get("target") is not None and answers[t]["target"] - lv >= 2
                      for t, lv in levelled)
        if not (m < Fraction(i.get("threshold", 3)) or big_gap):
            continue
        p = EFFECT[i["effect"]] * max(Fraction(0), t_mean - m)
        found.append((-p, n, i, p, [r["question"] for r in expected_reasons(data, i, answers)]))
    found.sort(key=lambda x: (x[0], x[1]))
    return [{"initiative": i["id"], "track": i["track"], "priority": half_up(p, 2),
             "type": i["type"], "months": i["months"], "effect": i["effect"],
             "influence": i["influence"], "triggered_by": why, "is_priority": rank < 5}
            for rank, (_, _, i, p, why) in enumerate(found)]


def expected_reasons(data: dict, initiative: dict, answers: dict) -> list[dict]:
    """SPEC section 4's reasons: triggers with level < threshold (low_level) or
    target - level >= 2 (gap), in questionnaire order; low_level wins when both hold."""
    theta = Fraction(initiative.get("threshold", 3))
    triggers = set(initiative["triggers"])
    out = []
    for qid in question_ids(data):
        a = answers.get(qid, {})
        if qid not in triggers or a.get("level") is None:
            continue
        level, target = a["level"], a.get("target")
        if level < theta:
            kind = "low_level"
        elif target is not None and target - level >= 2:
            kind = "gap"
        else:
            continue
        out.append({"question": qid, "kind": kind, "level": level, "target": target})
    return out


def expected_results(data: dict, answers: dict) -> dict:
    """The results JSON of SPEC section 6, less the 'assessment' header and the 'why' lists."""
    blocks = exact_blocks(data, answers)
    overall = _mean(s for _, s, _, _ in blocks)
    order = [q["id"] for b in data["blocks"] for q in b["questions"]]
    return {
        "overall": {"score": half_up(overall), "stage": stage(overall)},
        "blocks": [{"id": bid, "score": half_up(s), "stage": stage(s), "answered": n,
                    "total": total, "low_coverage": Fraction(n, total) < Fraction(1, 2)}
                   for bid, s, n, total in blocks],
        "gaps": [{"question": qid, "level": answers[qid]["level"],
                  "target": answers[qid]["target"],
                  "gap": answers[qid]["target"] - answers[qid]["level"]}
                 for qid in order
                 if answers.get(qid, {}).get("level") is not None
                 and answers[qid].get("target") is not None],
        "recommendations": expected_recommendations(data, answers),
    }


# -- hypothesis strategies -------------------------------------------------------------------

def text(label: str) -> dict:
    return {loc: f"{label} ({loc})" for loc in LOCALES}


def raw_answer():
    """One answer in the exchange format: a level or a status, with or without a target."""
    target = st.one_of(st.none(), st.integers(1, 5))
    level = st.builds(lambda lv, t: {"level": lv, **({"target": t} if t else {})},
                      st.integers(1, 5), target)
    status = st.builds(lambda s, t: {"status": s, **({"target": t} if t else {})},
                       st.sampled_from(["dont_know", "not_applicable"]), target)
    return st.one_of(level, level, level, status)


def answer_sets(question_ids: list[str]):
    """Random answer maps over these questions; any question may be left unanswered."""
    return st.fixed_dictionaries({}, optional={qid: raw_answer() for qid in question_ids})


@st.composite
def questionnaire_dicts(draw) -> dict:
    """A random valid questionnaire: 1-5 blocks of 1-7 weighted questions, 1-8 initiatives."""
    weights = st.sampled_from([0.5, 1, 1, 1, 1.5, 2, 3])
    blocks, qids = [], []
    for bn in range(draw(st.integers(1, 5))):
        questions = []
        for qn in range(draw(st.integers(1, 7))):
            qid = f"b{bn}-q{qn}"
            qids.append(qid)
            questions.append({"id": qid, "text": text(qid), "weight": draw(weights),
                              "levels": {n: text(f"{qid} level {n}") for n in range(1, 6)}})
        blocks.append({"id": f"b{bn}", "title": text(f"b{bn}"), "intro": text("intro"),
                       "questions": questions})
    tracks = [{"id": f"t{n}", "title": text(f"t{n}")} for n in range(2)]
    initiatives = []
    for n in range(draw(st.integers(1, 8))):
        i = {"id": f"i{n}", "track": draw(st.sampled_from(["t0", "t1"])),
             "title": text(f"i{n}"), "description": text("d"),
             "type": draw(st.sampled_from(["pilot", "analysis", "dialogue", "policy"])),
             "months": draw(st.integers(1, 24)),
             "effect": draw(st.sampled_from(["high", "medium", "low"])),
             "influence": draw(st.sampled_from(["own", "collaboration", "external"])),
             "triggers": draw(st.lists(st.sampled_from(qids), min_size=1, max_size=4,
                                       unique=True))}
        threshold = draw(st.sampled_from([None, 2, 2.5, 3, 4, 5]))
        if threshold is not None:
            i["threshold"] = threshold
        initiatives.append(i)
    return {"id": "random", "version": 1, "locales": list(LOCALES), "title": text("random"),
            "blocks": blocks, "strategic_questions": [], "tracks": tracks,
            "initiatives": initiatives}


def question_ids(data: dict) -> list[str]:
    """Every maturity question id of a raw questionnaire, in order."""
    return [q["id"] for b in data["blocks"] for q in b["questions"]]
