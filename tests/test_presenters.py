"""The one presenter module: domain values in words, the same for pages, PDFs, audit and exports."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from app import presenters, services
from app.core.answers import Answer, StrategicAnswer
from app.core.results import compute
from app.registry import questionnaire


@pytest.fixture
def q(app):
    return questionnaire("mini", "1")


@pytest.mark.parametrize("qid, value, expected", [
    ("alpha-one", None, "(no answer)"),
    ("alpha-one", {"level": 3}, "level 3"),
    ("alpha-one", {"level": 2, "target": 4, "comment": "mine"}, "level 2; target 4; comment: “mine”"),
    ("alpha-one", {"status": "dont_know"}, "Don't know"),
    ("strategy-role", {"choice": "lead"}, "Lead"),
    ("strategy-capacity", {"choices": ["hire", "partner"]}, "Hire, Partner"),
    ("strategy-capacity", {"choices": ["gone"]}, "gone"),
    ("strategy-notes", {"text": "free text"}, "free text"),
])
def test_a_stored_answer_in_words(q, qid, value, expected):
    with force_locale("en"):
        assert presenters.value_text(q, qid, value, "en") == expected


def test_strategic_text_names_options_by_label_in_the_locale(q):
    sq = q.strategic("strategy-role")
    assert presenters.strategic_text(sq, StrategicAnswer(choice="lead"), "da") == "Lead (da)"
    assert presenters.strategic_text(sq, None, "en") == ""


@pytest.mark.parametrize("value, text", [(None, "–"), (37.5, "37.5"), (16.666, "16.7")])
def test_scores_have_one_decimal(app, value, text):
    with force_locale("en"):
        assert presenters.format_score(value) == text
    with force_locale("da"):
        assert presenters.format_score(value) == text.replace(".", ",")


def test_initiative_lines_say_why(q):
    results = compute(q, {"alpha-one": Answer(level=1, target=4),
                          "alpha-two": Answer(status="dont_know")})
    with force_locale("en"):
        lines = presenters.initiative_lines(q, results, "en")
        groups = presenters.initiatives_by_track(q, results, "en", lines)
    assert lines and [ln.rank for ln in lines] == list(range(1, len(lines) + 1))
    assert any(w.endswith("– below the threshold 3, target 4") for ln in lines for w in ln.why)
    assert sorted(ln.title for g in groups for ln in g.rows) == sorted(ln.title for ln in lines)


def test_common_initiatives_stop_at_the_limit_and_skip_unknown_ids(q):
    counts = [("no-such-initiative", 9)] + [(i.id, 3) for i in q.initiatives] * 5
    with force_locale("en"):
        common = presenters.common_initiatives(q, counts, "en")
    assert len(common) == min(presenters.COMMON_LIMIT, len(q.initiatives) * 5)
    assert common[0].title == next(iter(q.initiatives)).title["en"]


@pytest.mark.parametrize("newline, bom, expected", [
    ("\r\n", False, 'a,"b,c"\r\n1,2\r\n'),
    ("\n", True, '\ufeffa,"b,c"\n1,2\n'),
])
def test_one_csv_writer(newline, bom, expected):
    assert presenters.csv_text([["a", "b,c"], [1, 2]], newline=newline, bom=bom) == expected


def test_the_conflict_box_shows_option_labels_not_ids(app, client, make_org, make_user):
    from tests.conftest import csrf_token, department, login
    org = make_org()
    dep = department(org, "culture")
    make_user(org=org, department=dep)
    a = services.start_assessment(dep, "2026")
    login(client, "leader@example.org")
    url = f"/assessments/{a.id}/strategic"
    token = csrf_token(client, url)
    services.save_answers(a, None, {}, {"strategy-role": StrategicAnswer(choice="follow")})
    r = client.post(url, data={"csrf_token": token, "strategy-role-version": "0",
                               "strategy-role-value": "lead", "go": "stay"},
                    headers={"Accept-Language": "en"})
    html = r.get_data(as_text=True)
    assert r.status_code == 409, html
    assert 'Saved by someone else: <span class="comment">Follow</span>' in html
    assert 'Your version: <span class="comment">Lead</span>' in html
