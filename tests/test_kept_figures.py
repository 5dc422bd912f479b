"""Figures kept per assessment (services.figures): a comparison reads them when they are
current and recomputes them whenever what they were computed from has moved, so a kept
figure can make a comparison faster but never wrong."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app import services
from app.core.answers import Answer
from app.extensions import db
from app.models import Answer as AnswerRow
from app.models import AssessmentFigures, Department, Membership, Organisation
from app.services import figures
from app.shared_answers import save_shared_answers
from tests.conftest import add_org

SHARED_Q = "strategy-resilience-in-strategy"      # scope: organisation (version 2)
OWN_Q = "strategy-dependency-overview"            # scope: department


def admin_of(org) -> Membership:
    return Membership(organisation_id=org.id, role="admin")


def overall(org, period="2026", name="Culture"):
    [c] = services.comparisons(org, admin_of(org), [period])
    return next(r.overall for r in c.rows if r.name == name)


def kept_rows(assessment_id):
    return db.session.execute(select(AssessmentFigures.kind, AssessmentFigures.stamp,
                                      AssessmentFigures.payload)
                              .where(AssessmentFigures.assessment_id == assessment_id)).all()


@pytest.fixture
def org(make_org):
    return make_org("demo", "Demo Kommune", ("culture", "social"))


def dep(org, slug) -> Department:
    return db.session.scalar(select(Department).where(Department.organisation_id == org.id,
                                                      Department.slug == slug))


def test_a_comparison_keeps_figures_and_reads_them_back(org, make_assessment):
    a = make_assessment(dep(org, "culture"), levels={"alpha-one": 5, "beta-one": 1})
    first = overall(org)
    [(kind, stamp, payload)] = kept_rows(a.id)
    assert kind.startswith("blocks:")
    assert json.loads(payload)[0] == first  # the overall score, then each block's
    # The kept row is what the next comparison reads: a planted figure with the current stamp
    # shows (which is how we know the answers were not read again) ...
    planted = json.dumps([12.5, *json.loads(payload)[1:]])
    db.session.execute(db.update(AssessmentFigures).where(
        AssessmentFigures.assessment_id == a.id).values(payload=planted))
    db.session.commit()
    assert overall(org) == 12.5
    # ... and one whose stamp is not the current one is ignored and replaced.
    db.session.execute(db.update(AssessmentFigures).where(
        AssessmentFigures.assessment_id == a.id).values(stamp="stale"))
    db.session.commit()
    assert overall(org) == first
    assert kept_rows(a.id)[0][1] == stamp


def test_a_saved_answer_moves_the_stamp_and_the_figure(org, make_assessment):
    a = make_assessment(dep(org, "culture"), levels={"alpha-one": 1, "beta-one": 1})
    before = overall(org)
    old_stamp = kept_rows(a.id)[0][1]
    services.save_answers(a, None, {"alpha-one": Answer(level=5)})
    after = overall(org)
    assert after > before
    assert kept_rows(a.id)[0][1] != old_stamp


def test_an_answer_changed_without_the_service_still_moves_updated_at(org, make_assessment):
    a = make_assessment(dep(org, "culture"), levels={"alpha-one": 1})
    before_at, before = a.updated_at, overall(org)
    row = db.session.scalar(select(AnswerRow).where(AnswerRow.assessment_id == a.id))
    row.level = 5  # as an import or a future code path might: no explicit updated_at
    db.session.commit()
    db.session.refresh(a)
    assert a.updated_at != before_at
    assert overall(org) > before


def test_a_late_writer_cannot_store_old_figures_under_the_new_stamp(org, make_assessment):
    """A reader that computed before a save stores under the stamp it read: nobody expects it."""
    a = make_assessment(dep(org, "culture"), levels={"alpha-one": 1})
    overall(org)
    [(kind, old_stamp, old_payload)] = kept_rows(a.id)
    services.save_answers(a, None, {"alpha-one": Answer(level=5)})
    fresh = overall(org)
    figures._store(kind, [(a.id, old_stamp, json.loads(old_payload))])  # the late write
    db.session.expire_all()
    assert overall(org) == fresh


def test_nothing_is_stored_while_the_session_holds_unsaved_writes(org, make_assessment):
    a = make_assessment(dep(org, "culture"), levels={"alpha-one": 2})
    db.session.add(Organisation(slug="other", name="Other"))
    db.session.flush()
    assert db.session.info.get("writes")
    overall(org)
    assert kept_rows(a.id) == []
    db.session.rollback()
    overall(org)
    assert len(kept_rows(a.id)) == 1


def test_recommendation_counts_use_kept_figures_and_follow_changes(org, make_assessment):
    a = make_assessment(dep(org, "culture"), levels={"alpha-one": 1, "beta-one": 1})
    services.submit(a, None)
    counts, n = services.recommendation_counts(org, "2026")
    assert n == 1 and counts
    kinds = {k for k, _s, _p in kept_rows(a.id)}
    assert figures.RECOMMENDED in kinds
    # Planted with the current stamp: read back as it is.
    db.session.execute(db.update(AssessmentFigures).where(
        AssessmentFigures.assessment_id == a.id, AssessmentFigures.kind == figures.RECOMMENDED)
        .values(payload=json.dumps([counts[0][0]])))
    db.session.commit()
    assert services.recommendation_counts(org, "2026")[0] == [(counts[0][0], 1)]
    # An answer changes (a submitted assessment only changes after a reopen; here directly):
    # the stamp moves, the planted figure is ignored and the counts are recomputed.
    row = db.session.scalar(select(AnswerRow).where(AnswerRow.assessment_id == a.id,
                                                    AnswerRow.question_id == "alpha-one"))
    row.level = 5
    db.session.commit()
    assert services.recommendation_counts(org, "2026")[0] != [(counts[0][0], 1)]


def test_an_organisation_answer_changes_every_departments_figures(real_app):
    org = add_org(period="2026")
    a = services.start_assessment(dep(org, "culture"), "2026")
    services.save_answers(a, None, {OWN_Q: Answer(level=3)})
    save_shared_answers(org, "2026", None, {SHARED_Q: Answer(level=1)})
    low = overall(org)
    save_shared_answers(org, "2026", None, {SHARED_Q: Answer(level=5)})
    assert overall(org) > low


def test_the_comparison_and_the_results_context_expect_the_same_stamp(real_app):
    """A version-1 assessment (no organisation-wide questions) in a period where the
    organisation has answered version 2's shared questions: both readers keep one row."""
    from app.registry import questionnaire
    from app.services.context import context_of
    org = add_org(period="2026")
    a = services.start_assessment(dep(org, "culture"), "2026",
                                  questionnaire("digital-resilience", "1"))
    services.save_answers(a, None, {"architecture-stack-layers": Answer(level=3)})
    services.submit(a, None)
    save_shared_answers(org, "2026", None, {SHARED_Q: Answer(level=2)})
    overall(org)
    [(kind, stamp, _payload)] = kept_rows(a.id)
    assert kind == figures.blocks_kind(questionnaire("digital-resilience", "1"))
    context_of(a)
    assert kept_rows(a.id) == [(kind, stamp, _payload)]


RED = {"name": "ESDH", "layer": "business-systems", "supplier": "Leverandør A",
       "supplier_country": "DK", "hosting_country": "DK", "criticality": "high",
       "lock_in": 5, "data_export": "partial", "exit_plan": "none"}


def test_recommendation_counts_listen_to_each_departments_register(real_app):
    """An initiative the register recommends (SPEC 14) is counted for the departments whose
    own or shared entries make it so, exactly as their own results recommend it, and the
    counts follow a change to the register."""
    from app import services_register as reg
    from app.core.recommend import register_triggers
    from app.registry import questionnaire
    org = add_org(departments=("culture", "social"), period="2026")
    found = {}
    for slug in ("culture", "social"):
        a = services.start_assessment(dep(org, slug), "2026")
        services.save_answers(a, None, {OWN_Q: Answer(level=5)})
        services.submit(a, None)
        found[slug] = a
    boss = admin_of(org)
    listening = {i.id for i in questionnaire("digital-resilience", "2").initiatives
                 if "red_entry" in register_triggers(i)}

    def counted():
        return dict(services.recommendation_counts(org, "2026")[0])

    def recommended(slug):
        return {r.initiative.id for r in services.results_of(found[slug]).recommendations}

    before = counted()
    assert not listening & set(before)
    own = reg.create_entry(org, boss, None, {**RED, "department": "culture"})
    after = counted()
    assert listening <= recommended("culture") and not listening & recommended("social")
    assert {i: after[i] for i in listening} == dict.fromkeys(listening, 1)
    reg.create_entry(org, boss, None, {**RED, "name": "Intranet"})  # shared: both departments
    assert {i: counted()[i] for i in listening} == dict.fromkeys(listening, 2)
    assert listening <= recommended("social")
    from app.services import plans  # the coordinator's joint candidates count the same way
    joint = {c.initiative.id: [d.slug for d in c.departments]
             for c in plans.joint_candidates(org, "2026")}
    assert {i: joint[i] for i in listening} == dict.fromkeys(listening, ["culture", "social"])
    reg.delete_entry(org, boss, None, own.id)
    assert {i: counted()[i] for i in listening} == dict.fromkeys(listening, 2)  # shared holds
    for slug in ("culture", "social"):  # the counts are the departments' own recommendations
        assert all(counted().get(i, 0) == sum(i in recommended(s) for s in found)
                   for i in recommended(slug))
