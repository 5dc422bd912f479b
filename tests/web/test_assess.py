"""The questionnaire through real forms: saving, resuming, conflicts, locking, bad input."""
from __future__ import annotations

import json
import re

import pytest

from app.extensions import db
from app.models import Answer as AnswerRow
from app.models import Assessment
from app.models import StrategicAnswer as StrategicRow
from tests.conftest import department, login

EN = {"Accept-Language": "en"}


@pytest.fixture
def setup(make_org, make_user, make_assessment):
    """An organisation with a respondent signed-in-able, and a draft assessment of their department."""
    org = make_org()
    dep = department(org, "culture")
    make_user(org=org, department=dep)
    a = make_assessment(dep)
    return org, dep, a


def page_form(client, url):
    """The hidden fields of a questionnaire page (csrf and versions), as a dict."""
    html = client.get(url, headers=EN).get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', html))
    fields.update(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    fields.update(re.findall(r'<input[^>]*id="([^"]+-version)"[^>]*value="([^"]*)"', html))
    fields.pop("next", None)
    fields.pop("locale", None)
    return fields, html


def post_page(client, url, answers, go="next"):
    """Post a questionnaire page with the hidden fields it rendered plus the given answers."""
    fields, _html = page_form(client, url)
    fields = {k: v for k, v in fields.items() if k.endswith("-version") or k in ("csrf_token", "page")}
    return client.post(url, data={**fields, **answers, "go": go}, headers=EN)


def stored(a_id):
    """{question: (level, status, target, comment)} as stored."""
    db.session.expire_all()
    return {r.question_id: (r.level, r.status, r.target, r.comment)
            for r in db.session.query(AnswerRow).filter_by(assessment_id=a_id)}


def test_block_page_shows_questions_levels_and_progress(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    r = client.get(f"/assessments/{a.id}/block/beta", headers=EN)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Block 2 of 3. 0 of 7 maturity questions answered in all blocks." in html
    assert "<legend>1. Beta one?</legend>" in html
    assert "beta-one level 5: observable practice 5" in html
    assert "Don&#39;t know" in html and "Not applicable" in html
    assert 'name="beta-one-target"' in html and 'name="beta-one-comment"' in html
    assert "Beta intro" in html


def test_saving_moves_on_and_stores_every_part_of_an_answer(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    r = post_page(client, url, {"alpha-one-answer": "2", "alpha-one-target": "4",
                                "alpha-one-comment": "we use ODF", "alpha-two-answer": "dont_know",
                                "alpha-three-answer": "not_applicable"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/assessments/{a.id}/block/beta")
    assert stored(a.id) == {"alpha-one": (2, None, 4, "we use ODF"),
                            "alpha-two": (None, "dont_know", None, ""),
                            "alpha-three": (None, "not_applicable", None, "")}
    html = client.get(f"/assessments/{a.id}/block/beta", headers=EN).get_data(as_text=True)
    assert "Block 2 of 3. 3 of 7 maturity questions answered in all blocks." in html


def test_previous_and_step_buttons_save_too(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    r = post_page(client, f"/assessments/{a.id}/block/beta", {"beta-one-answer": "5"}, go="prev")
    assert r.headers["Location"].endswith("/block/alpha")
    r = post_page(client, f"/assessments/{a.id}/block/alpha", {"alpha-one-answer": "1"},
                  go="page:strategic")
    assert r.headers["Location"].endswith("/strategic")
    assert set(stored(a.id)) == {"beta-one", "alpha-one"}


def test_resume_after_closing_the_browser(app, setup):
    _org, _dep, a = setup
    first = app.test_client()
    login(first, "leader@example.org")
    post_page(first, f"/assessments/{a.id}/block/alpha", {"alpha-one-answer": "3"})
    post_page(first, f"/assessments/{a.id}/block/beta", {"beta-one-answer": "4"}, go="stay")
    second = app.test_client()  # a new browser: no cookies at all
    assert second.get(f"/assessments/{a.id}").status_code == 302
    login(second, "leader@example.org")
    r = second.get(f"/assessments/{a.id}")
    assert r.headers["Location"].endswith(f"/assessments/{a.id}/block/beta")
    html = second.get(r.headers["Location"], headers=EN).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*id="beta-one-answer-3"|<input[^>]*id="beta-one-answer-3"[^>]*checked', html)


def test_conflicting_saves_by_two_people(app, setup, make_user):
    org, dep, a = setup
    make_user(email="colleague@example.org", org=org, department=dep)
    me, colleague = app.test_client(), app.test_client()
    login(me, "leader@example.org")
    login(colleague, "colleague@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    my_page, _ = page_form(me, url)  # both open the page before either saves
    their_page, _ = page_form(colleague, url)
    def keep(f):
        return {k: v for k, v in f.items() if k.endswith("-version") or k in ("csrf_token", "page")}
    r = colleague.post(url, data={**keep(their_page), "alpha-one-answer": "4", "go": "stay"}, headers=EN)
    assert r.status_code == 303
    r = me.post(url, data={**keep(my_page), "alpha-one-answer": "2", "alpha-one-comment": "mine",
                           "go": "next"}, headers=EN)
    html = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "Someone else changed these answers while you were editing" in html
    assert 'Saved by colleague: <span class="comment">level 4</span>' in html
    assert 'Your version: <span class="comment">level 2; comment: “mine”</span>' in html
    assert stored(a.id)["alpha-one"][0] == 4  # nothing of mine was stored silently
    # The page now carries the new version: saving again deliberately wins.
    versions = dict(re.findall(r'id="(alpha-one-version)"[^>]*value="(\d+)"', html))
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = me.post(url, data={"csrf_token": csrf, "page": "alpha", **versions,
                           "alpha-one-answer": "2", "go": "stay"}, headers=EN)
    assert r.status_code == 303 and stored(a.id)["alpha-one"][0] == 2


@pytest.mark.parametrize("answers, message", [
    ({"alpha-one-answer": "7"}, "“Alpha one?”: choose one of the offered answers."),
    ({"alpha-one-answer": "3", "alpha-one-target": "0"},
     "“Alpha one?”: the target must be a level from 1 to 5."),
    ({"alpha-one-answer": "3", "alpha-nine-answer": "2"},
     "The form contained an unknown field “alpha-nine-answer”; nothing was saved."),
    ({"alpha-one-answer": "3", "alpha-two-comment": "no answer given"},
     "“Alpha two?”: choose a level, “Don&#39;t know” or “Not applicable” to save the target"),
    ({"alpha-one-answer": "3", "alpha-one-version": "x"}, "The page was out of date."),
    ({"alpha-one-answer": "3", "alpha-one-comment": "x" * 5001},
     "The comment is longer than 5000 characters."),
])
def test_bad_values_are_refused_and_nothing_is_stored(client, setup, answers, message):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    r = post_page(client, f"/assessments/{a.id}/block/alpha", answers)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert message in html
    assert "Nothing on this page was saved." in html
    assert stored(a.id) == {}


def test_missing_csrf_is_refused_and_nothing_stored(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    r = client.post(f"/assessments/{a.id}/block/alpha",
                    data={"page": "alpha", "alpha-one-answer": "3", "go": "next"})
    assert r.status_code == 400
    assert stored(a.id) == {}
    r = client.post(f"/assessments/{a.id}/autosave", data={"page": "alpha", "alpha-one-answer": "3"})
    assert r.status_code == 400
    assert stored(a.id) == {}


def test_another_organisations_assessment_is_not_found(client, setup, make_org, make_assessment):
    other = make_org(slug="other", name="Other Kommune", departments=("finance",))
    theirs = make_assessment(department(other, "finance"), levels={"alpha-one": 2})
    login(client, "leader@example.org")
    for url in (f"/assessments/{theirs.id}", f"/assessments/{theirs.id}/block/alpha",
                f"/assessments/{theirs.id}/strategic", f"/assessments/{theirs.id}/review",
                f"/assessments/{theirs.id}/results"):
        assert client.get(url).status_code == 404, url
    token = page_form(client, f"/assessments/{a_id(setup)}/block/alpha")[0]["csrf_token"]
    for url in (f"/assessments/{theirs.id}/block/alpha", f"/assessments/{theirs.id}/submit"):
        r = client.post(url, data={"csrf_token": token, "alpha-one-answer": "5", "page": "alpha"})
        assert r.status_code == 404, url
    assert stored(theirs.id)["alpha-one"][0] == 2
    assert db.session.get(Assessment, theirs.id).status == "draft"


def a_id(setup):
    return setup[2].id


def test_viewer_reads_but_may_not_write(client, setup, make_user, make_assessment):
    org, _dep, a = setup
    make_user(email="viewer@example.org", org=org, role="viewer")
    done = make_assessment(department(org, "culture"), period="2025", levels={"alpha-one": 3},
                           status="submitted")
    login(client, "viewer@example.org")
    assert client.get(f"/assessments/{done.id}/block/alpha").status_code == 200
    token = page_form(client, f"/assessments/{done.id}/block/alpha")[0]["csrf_token"]
    r = client.post(f"/assessments/{done.id}/block/alpha",
                    data={"csrf_token": token, "alpha-one-answer": "5", "page": "alpha"})
    assert r.status_code == 403
    assert client.get(f"/assessments/{a.id}/block/alpha").status_code == 404  # drafts are hidden


def test_submitted_assessment_refuses_changes(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    post_page(client, f"/assessments/{a.id}/block/alpha", {"alpha-one-answer": "3"})
    review = client.get(f"/assessments/{a.id}/review", headers=EN).get_data(as_text=True)
    assert "Alpha two?" in review and "Unanswered questions:" in review
    token = re.search(r'name="csrf_token" value="([^"]+)"', review).group(1)
    r = client.post(f"/assessments/{a.id}/submit", data={"csrf_token": token})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/assessments/{a.id}/results")
    html = client.get(f"/assessments/{a.id}/block/alpha", headers=EN).get_data(as_text=True)
    assert "shown read-only" in html and "disabled" in html and 'name="go"' not in html
    r = client.post(f"/assessments/{a.id}/block/alpha", headers=EN, data={
        "csrf_token": token, "page": "alpha", "alpha-one-answer": "5", "go": "next"})
    assert r.status_code == 409
    assert "This assessment is submitted and can no longer be changed." in r.get_data(as_text=True)
    r = client.post(f"/assessments/{a.id}/autosave", headers={"X-CSRFToken": token},
                    data={"page": "alpha", "alpha-one-answer": "5"})
    assert r.status_code == 409
    assert stored(a.id)["alpha-one"][0] == 3


def strategic_stored(a_id):
    db.session.expire_all()
    return {r.question_id: json.loads(r.value)
            for r in db.session.query(StrategicRow).filter_by(assessment_id=a_id)}


def test_strategic_page_saves_each_kind(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    url = f"/assessments/{a.id}/strategic"
    r = post_page(client, url, {"strategy-approach-value": "p2", "strategy-role-value": "lead",
                                "strategy-capacity-value": ["train", "hire"],
                                "strategy-notes-value": "Cloud <first>"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/assessments/{a.id}/review")
    assert strategic_stored(a.id) == {"strategy-approach": {"choice": "p2"},
                                      "strategy-role": {"choice": "lead"},
                                      "strategy-capacity": {"choices": ["hire", "train"]},
                                      "strategy-notes": {"text": "Cloud <first>"}}
    # Unticking every box and emptying the text clears those answers.
    r = post_page(client, url, {"strategy-notes-value": ""}, go="stay")
    assert set(strategic_stored(a.id)) == {"strategy-approach", "strategy-role"}
    results = client.get(f"/assessments/{a.id}/results", headers=EN).get_data(as_text=True)
    assert "Pole point 2" in results


@pytest.mark.parametrize("answers", [{"strategy-approach-value": "p9"},
                                     {"strategy-capacity-value": ["hire", "bribe"]}])
def test_strategic_page_refuses_unknown_options(client, setup, answers):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    r = post_page(client, f"/assessments/{a.id}/strategic",
                  {"strategy-notes-value": "kept?", **answers})
    assert r.status_code == 422
    assert "choose one of the offered options" in r.get_data(as_text=True)
    assert strategic_stored(a.id) == {}


def test_markup_in_comments_is_shown_literally(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    evil = '<script>alert(1)</script><b>bold</b> & "quotes"'
    post_page(client, f"/assessments/{a.id}/block/alpha", {"alpha-one-answer": "2",
                                                          "alpha-one-comment": evil})
    for url in (f"/assessments/{a.id}/block/alpha", f"/assessments/{a.id}/results"):
        html = client.get(url, headers=EN).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp;" in html


def test_home_lists_assessments_and_starts_one(client, setup):
    _org, dep, a = setup
    login(client, "leader@example.org")
    html = client.get("/", headers=EN).get_data(as_text=True)
    assert "0 of 7 questions answered" in html and "Draft" in html
    # The one next action leads: continue the draft; its period is not offered to start again.
    assert html.index("Continue where you left off") < html.index("Assessments you can open")
    assert f'class="button" href="/assessments/{a.id}"' in html
    assert 'name="department"' not in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post("/assessments/start", data={"csrf_token": token, "department": str(dep.id),
                                                "period": "2026"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/assessments/{a.id}")
    r = client.post("/assessments/start", data={"csrf_token": token, "department": str(dep.id),
                                                "period": "1999"})
    assert r.headers["Location"].endswith("/")
    assert db.session.query(Assessment).count() == 1


def test_step_list_leads_each_page_with_statuses_and_enter_goes_forward(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    post_page(client, f"/assessments/{a.id}/block/alpha",
              {"alpha-one-answer": "2", "alpha-two-answer": "dont_know",
               "alpha-three-answer": "not_applicable"})
    post_page(client, f"/assessments/{a.id}/block/beta", {"beta-one-answer": "4"})
    html = client.get(f"/assessments/{a.id}/block/beta", headers=EN).get_data(as_text=True)
    nav = html.index('<nav class="page-steps"')
    assert nav < html.index("<fieldset")  # at the top, before the questions
    # The form's first submit button is the one Enter presses: forward, never back.
    first = re.search(r'<button type="submit" name="go" value="([^"]+)"', html)
    assert first.group(1) == "next"
    steps = re.findall(r'<li class="step step-([a-z_]+)" data-step="([a-z]+)"', html)
    assert steps == [("complete", "alpha"), ("partly", "beta"), ("not_started", "gamma"),
                     ("not_started", "strategic")]
    assert 'value="page:beta" class="step-link" aria-current="step"' in html
    assert "1. Alpha" in html and "1. 1." not in html
    assert "Complete" in html and "Partly answered" in html and "Not started" in html
    review = client.get(f"/assessments/{a.id}/review", headers=EN).get_data(as_text=True)
    assert "4 of 7 maturity questions answered" in review
    assert 'class="page-steps"' in review and "1. 1." not in review


def test_autosave_answers_with_the_new_progress(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    fields, _html = page_form(client, f"/assessments/{a.id}/block/alpha")
    r = client.post(f"/assessments/{a.id}/autosave",
                    headers={"X-CSRFToken": fields["csrf_token"], **EN},
                    data={"page": "alpha", "alpha-one-answer": "not_applicable"})
    body = r.get_json()
    assert r.status_code == 200 and body["progress"]["answered"] == 1
    assert body["progress"]["text"] == ("Block 1 of 3. 1 of 7 maturity questions answered in "
                                        "all blocks.")
    assert body["progress"]["steps"]["alpha"] == {"status": "partly", "text": "Partly answered",
                                                  "answered": 1, "total": 3}


def test_a_target_below_the_level_is_saved_with_a_note(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    r = post_page(client, f"/assessments/{a.id}/block/alpha",
                  {"alpha-one-answer": "4", "alpha-one-target": "2"}, go="stay")
    assert r.status_code == 303 and stored(a.id)["alpha-one"][:3] == (4, None, 2)
    html = client.get(f"/assessments/{a.id}/block/alpha", headers=EN).get_data(as_text=True)
    assert '<p class="target-note" id="alpha-one-target-note">' in html
    assert '<p class="target-note" id="alpha-two-target-note" hidden>' in html
    assert "error-summary" not in html


def test_a_new_leader_sees_the_introduction_and_one_start_button(client, make_org, make_user,
                                                                  make_assessment):
    org = make_org(departments=("culture", "it"))
    make_user(org=org, department=department(org, "culture"))
    login(client, "leader@example.org")
    html = client.get("/", headers=EN).get_data(as_text=True)
    assert "Start the self-assessment" in html and "You have no assessments" not in html
    assert "about 15 minutes" in html  # 7 maturity and 4 strategic questions
    assert "7 maturity questions in 3 blocks, then 4 strategic questions" in html
    assert "every move between pages saves" in html
    assert "Other departments see only the organisation’s averages" in html
    assert html.count('name="department"') == 1  # only the leader's own department
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post("/assessments/start", data={"csrf_token": token, "period": "2026",
                                                "department": str(department(org, "culture").id)})
    a = db.session.query(Assessment).one()
    html = client.get(f"/assessments/{a.id}/block/alpha", headers=EN).get_data(as_text=True)
    assert "Before you start" in html and "every move between pages saves" in html
    org.share_results = "all"
    db.session.commit()
    a.status = "submitted"
    db.session.commit()
    html = client.get("/", headers=EN).get_data(as_text=True)
    assert "Start the self-assessment" not in html and "Continue where you left off" not in html
    assert "every member of the organisation sees the results" in html
    r = client.post("/assessments/start", headers=EN, data={
        "csrf_token": token, "period": "2026", "department": str(department(org, "culture").id)})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/assessments/{a.id}/results")
