"""Organisation-wide questions in the app (SPEC section 5, questionnaire version 2): the
coordinator answers them once per period; every department sees them read-only with who
answered; scores, comparisons and recommendations use the organisation's answer."""
from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from app import services
from app.core.answers import Answer
from app.errors import Invalid
from app.extensions import db
from app.models import AnswerChange, Department, Membership, Organisation, OrganisationAnswer, User
from app.shared_answers import save_shared_answers, shared_answers
from tests.conftest import PASSWORD, add_org, csrf_token, login

SHARED_Q = "strategy-resilience-in-strategy"      # scope: organisation
OWN_Q = "strategy-dependency-overview"            # scope: department


@pytest.fixture
def org(real_app):
    return add_org(departments=("culture", "social"), period="2026")


def dep(org, slug) -> Department:
    return db.session.scalar(select(Department).where(Department.organisation_id == org.id,
                                                      Department.slug == slug))


def user(org, email, role, department=None, name="") -> User:
    u = User(email=email, name=name, session_token=services.new_session_token(),
             password_hash=services.hash_password(PASSWORD))
    u.memberships.append(Membership(organisation_id=org.id, role=role,
                                    department_id=department.id if department else None))
    db.session.add(u)
    db.session.commit()
    return u


def test_new_assessments_use_version_2_and_version_1_keeps_working(org):
    a = services.start_assessment(dep(org, "culture"), "2026")
    assert a.questionnaire_version == "2"
    from app.registry import questionnaire
    old = services.start_assessment(dep(org, "social"), "2025", questionnaire(
        "digital-resilience", "1"))
    db.session.commit()
    services.save_answers(old, None, {"architecture-stack-layers": Answer(level=3)})
    assert services.results_of(old).blocks[1].answered == 1


def test_coordinator_answers_and_departments_see_it_read_only(real_app, org):
    coordinator = user(org, "k@demo.dk", "admin", name="Karin Koordinator")
    user(org, "leader@demo.dk", "respondent", dep(org, "culture"), name="Kai Kultur")
    a = services.start_assessment(dep(org, "culture"), "2026")
    client = real_app.test_client()
    login(client, coordinator.email)
    page = client.get("/o/demo/shared/2026")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'name="{SHARED_Q}-answer"' in html and f'name="{OWN_Q}-answer"' not in html
    token = csrf_token(client, "/o/demo/shared/2026")
    saved = client.post("/o/demo/shared/2026", data={
        "csrf_token": token, f"{SHARED_Q}-answer": "4", f"{SHARED_Q}-target": "5",
        f"{SHARED_Q}-comment": "Vedtaget i byrådet", f"{SHARED_Q}-version": "0"})
    assert saved.status_code == 303
    row = db.session.scalar(select(OrganisationAnswer))
    assert (row.question_id, row.level, row.target, row.period) == (SHARED_Q, 4, 5, "2026")
    assert row.updated_by_id == coordinator.id
    assert db.session.scalar(select(AnswerChange).where(AnswerChange.assessment_id == a.id)
                             ).source == "organisation"

    leader = real_app.test_client()
    login(leader, "leader@demo.dk")
    html = leader.get(f"/assessments/{a.id}/block/strategy").get_data(as_text=True)
    assert "Karin Koordinator" in html
    assert f'name="{SHARED_Q}-answer"' not in html and f'name="{OWN_Q}-answer"' in html
    level_4 = services.questionnaire_of(a).questions[SHARED_Q].levels[3]["da"]
    assert level_4 in html or services.questionnaire_of(a).questions[SHARED_Q].levels[3]["en"] in html


def test_a_department_cannot_answer_a_shared_question(real_app, org):
    user(org, "leader@demo.dk", "respondent", dep(org, "culture"))
    a = services.start_assessment(dep(org, "culture"), "2026")
    client = real_app.test_client()
    login(client, "leader@demo.dk")
    url = f"/assessments/{a.id}/block/strategy"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "go": "stay",
                                      f"{SHARED_Q}-answer": "1"})
    assert response.status_code == 422
    assert not a.answers


def test_only_coordinators_answer_for_the_organisation(real_app, org):
    user(org, "leader@demo.dk", "respondent", dep(org, "culture"))
    client = real_app.test_client()
    login(client, "leader@demo.dk")
    assert client.get("/o/demo/shared/2026").status_code == 403
    assert client.get("/o/demo/shared").status_code == 403


def test_the_shared_page_refuses_department_questions_and_unknown_periods(real_app, org):
    user(org, "k@demo.dk", "admin")
    client = real_app.test_client()
    login(client, "k@demo.dk")
    assert client.get("/o/demo/shared/1999").status_code == 404
    response = client.post("/o/demo/shared/2026", data={
        "csrf_token": csrf_token(client, "/o/demo/shared/2026"), f"{OWN_Q}-answer": "3"})
    assert response.status_code == 422
    assert db.session.scalar(select(OrganisationAnswer)) is None
    with pytest.raises(Exception, match="organisation-wide"):
        save_shared_answers(org, "2026", None, {OWN_Q: Answer(level=3)})


def test_scores_and_comparison_use_the_organisation_answer(org):
    culture = services.start_assessment(dep(org, "culture"), "2026")
    social = services.start_assessment(dep(org, "social"), "2026")
    # A department cannot answer a shared question (web, API and import all go through this)
    with pytest.raises(Invalid) as refused:
        services.save_answers(culture, None, {SHARED_Q: Answer(level=5)})
    assert "organisation-wide question" in refused.value.errors[0][1]
    # A row stored anyway (say, by an older client) does not count.
    from app.models import Answer as AnswerRow
    db.session.add(AnswerRow(assessment_id=culture.id, question_id=SHARED_Q, level=5))
    services.save_answers(culture, None, {OWN_Q: Answer(level=3)})
    services.save_answers(social, None, {OWN_Q: Answer(level=1)})
    # No organisation answer yet: strategy = culture 100*2/4 = 50.0, social 0.0
    assert services.results_of(culture).blocks[0].score == pytest.approx(50.0)
    save_shared_answers(org, "2026", None, {SHARED_Q: Answer(level=2)})
    # strategy block: culture 100*((2-1)+(3-1))/8 = 37.5; social 100*((2-1)+0)/8 = 12.5
    assert services.results_of(culture).blocks[0].score == pytest.approx(37.5)
    assert services.results_of(social).blocks[0].score == pytest.approx(12.5)
    for a in (culture, social):
        services.submit(a, None)
    admin = Membership(organisation_id=org.id, role="admin")
    (c,) = services.comparisons(org, admin, ["2026"])
    assert {r.department: r.blocks["strategy"] for r in c.rows} == {
        "culture": pytest.approx(37.5), "social": pytest.approx(12.5)}
    assert shared_answers(org.id, "2026")[SHARED_Q].answer == Answer(level=2)


def test_demo_answers_2025_in_version_1_and_2026_in_version_2_with_organisation_answers(
        real_app):
    from app.models import Assessment
    assert real_app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "demo"))
    versions = {(a.period, a.questionnaire_version) for a in db.session.scalars(select(Assessment))}
    assert versions == {("2025", "1"), ("2026", "2")}
    shared = shared_answers(org.id, "2026")
    q2 = services.questionnaire_of(db.session.scalar(select(Assessment).where(
        Assessment.period == "2026")))
    assert set(shared) == set(q2.organisation_questions)
    assert {s.by for s in shared.values()} == {"Karin Koordinator"}
    for a in db.session.scalars(select(Assessment).where(Assessment.period == "2026")):
        assert not set(q2.organisation_questions) & {r.question_id for r in a.answers}
    admin = Membership(organisation_id=org.id, role="admin")
    c2025, c2026 = services.comparisons(org, admin, ["2025", "2026"])
    # One trend line through both versions: the same five blocks in both periods.
    assert set(c2025.organisation.blocks) == set(c2026.organisation.blocks)
    assert c2026.organisation.overall > c2025.organisation.overall


def test_the_comparison_says_which_questions_are_shared(real_app, org):
    coordinator = user(org, "k@demo.dk", "admin")
    services.start_assessment(dep(org, "culture"), "2026")
    save_shared_answers(org, "2026", coordinator, {SHARED_Q: Answer(level=3)})
    client = real_app.test_client()
    login(client, "k@demo.dk")
    html = unescape(client.get("/o/demo/compare?period=2026").get_data(as_text=True))
    assert "Questions answered once for the whole organisation" in html or \
        "Spørgsmål, der besvares én gang for hele organisationen" in html
    q = services.questionnaire_of(services.find_assessment(dep(org, "culture"), "2026"))
    texts = [q.questions[x].text for x in q.organisation_questions]
    assert all(t["da"] in html or t["en"] in html for t in texts)


def test_the_glossary_is_one_linked_page(real_app, org):
    user(org, "leader@demo.dk", "respondent", dep(org, "culture"))
    a = services.start_assessment(dep(org, "culture"), "2026")
    client = real_app.test_client()
    login(client, "leader@demo.dk")
    page = client.get(f"/assessments/{a.id}/block/architecture").get_data(as_text=True)
    assert "/questionnaires/digital-resilience/2/glossary" in page
    html = unescape(client.get("/questionnaires/digital-resilience/2/glossary").get_data(
        as_text=True))
    for term in ("OSPO", "Lutèce", "DINUM", "SEAL"):
        assert f"<dfn>{term}</dfn>" in html
    assert 'id="term-punkt-til-punkt-integration"' in html or \
        'id="term-point-to-point-integration"' in html
    assert client.get("/questionnaires/digital-resilience/1/glossary").status_code == 404


def test_the_exchange_format_carries_the_organisation_answers(real_app, org):
    from app.core.exchange import parse_exchange
    from app.registry import registry
    coordinator = user(org, "k@demo.dk", "admin")
    a = services.start_assessment(dep(org, "culture"), "2026")
    services.save_answers(a, None, {OWN_Q: Answer(level=3)})
    save_shared_answers(org, "2026", coordinator, {SHARED_Q: Answer(level=4, target=5)})
    doc = services.export_exchange(a)
    assert doc["answers"] == {OWN_Q: {"level": 3}}
    assert doc["organisation_answers"] == {SHARED_Q: {"level": 4, "target": 5}}
    qs = registry().by_key

    # Into another organisation: the department and the organisation's answers arrive together.
    doc2 = dict(doc, organisation={"slug": "other", "name": "Anden Kommune"})
    x, errors = parse_exchange(doc2, qs)
    assert not errors
    imported = services.import_exchange(x)
    assert services.results_of(imported).blocks[0].answered == 2
    other = db.session.scalar(select(Organisation).where(Organisation.slug == "other"))
    assert shared_answers(other.id, "2026")[SHARED_Q].answer == Answer(level=4, target=5)

    # A shared question among the department's answers, or a department question among the
    # organisation's, is refused with the field named.
    bad = dict(doc2, answers={SHARED_Q: {"level": 2}}, organisation_answers={OWN_Q: {"level": 2}})
    x, errors = parse_exchange(bad, qs)
    assert x is None
    fields = {f for f, _m in errors.items}
    assert {f"answers.{SHARED_Q}", f"organisation_answers.{OWN_Q}"} <= fields

    # A different stored organisation answer refuses the whole import; nothing is stored.
    doc3 = dict(doc, department={"slug": "social", "name": "Social"},
                organisation_answers={SHARED_Q: {"level": 1}})
    x, errors = parse_exchange(doc3, qs)
    with pytest.raises(Invalid, match="differ"):
        services.import_exchange(x)
    assert services.find_assessment(dep(org, "social"), "2026") is None


def test_the_results_context_scores_peers_with_the_organisation_answer(org):
    """The organisation's mean beside a result scores every department as its page does."""
    culture = services.start_assessment(dep(org, "culture"), "2026")
    social = services.start_assessment(dep(org, "social"), "2026")
    services.save_answers(culture, None, {OWN_Q: Answer(level=3)})
    services.save_answers(social, None, {OWN_Q: Answer(level=1)})
    save_shared_answers(org, "2026", None, {SHARED_Q: Answer(level=5)})
    for a in (culture, social):
        services.submit(a, None)
    ctx = services.context_of(culture)
    # strategy block with the organisation's level 5: culture 100*((5-1)+(3-1))/8 = 75.0,
    # social 100*((5-1)+0)/8 = 50.0 (without it: 50.0 and 0.0, mean 25.0)
    assert ctx.departments == 2
    assert ctx.organisation.get("strategy") == pytest.approx(62.5)
    doc = services.results_document(culture)
    assert doc["context"]["organisation"]["blocks"]["strategy"] == pytest.approx(62.5)


def test_shared_answers_read_with_an_assessment_are_forgotten_when_it_expires(real_app, org):
    """The organisation's answers read with an assessment serve the rest of the request, but
    a commit (which expires the row) makes the next use read them again, never a snapshot."""
    from app.access import _load_assessment
    from app.shared_answers import shared_of
    a = services.start_assessment(dep(org, "culture"), "2026")
    save_shared_answers(org, "2026", None, {SHARED_Q: Answer(level=2)})
    a = _load_assessment(a.id)
    assert shared_of(a)[SHARED_Q].answer.level == 2
    save_shared_answers(org, "2026", None, {SHARED_Q: Answer(level=4)})  # commits
    assert a.loaded_shared is None
    assert shared_of(a)[SHARED_Q].answer.level == 4
