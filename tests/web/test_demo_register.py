"""The demo register: every condition holds, and it drives register-triggered recommendations."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask_babel import force_locale
from sqlalchemy import select

from app import register_text, services, services_register
from app.core.questionnaire import Initiative
from app.core.register import CONDITIONS, LAYER_IDS
from app.core.results import compute
from app.extensions import db
from app.models import Assessment, Department, Membership, Organisation

# What version 2 of the questionnaire gives `register_triggers` (used here while v1 has none).
PROPOSED_TRIGGERS = {
    "exit-plans-governance": ("red_entry", "contract_window"),
    "dependency-analysis": ("red_entry", "non_eu_critical", "supplier_concentration"),
    "european-cloud-provider": ("non_eu_critical",),
    "resilience-in-tenders": ("contract_window", "supplier_concentration"),
}


@dataclass(frozen=True)
class V2Initiative(Initiative):
    register_triggers: tuple[str, ...] = ()


def with_register_triggers(q):
    """The questionnaire as is when it has register triggers, else with the proposed ones."""
    if any(getattr(i, "register_triggers", ()) for i in q.initiatives):
        return q
    inits = tuple(V2Initiative(**{**i.__dict__, "register_triggers": PROPOSED_TRIGGERS[i.id]})
                  if i.id in PROPOSED_TRIGGERS else i for i in q.initiatives)
    assert len([i for i in inits if isinstance(i, V2Initiative)]) == len(PROPOSED_TRIGGERS)
    return replace(q, initiatives=inits, questions={})


def demo(real_app):
    assert real_app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "demo"))
    return org


def test_demo_register_covers_every_layer_and_condition(real_app):
    org = demo(real_app)
    entries, found = services_register.findings_of(org)
    assert 25 <= len(entries) <= 30
    assert {e.layer for e in entries} == set(LAYER_IDS)
    assert all(found.holds(c) for c in CONDITIONS), {c: found.holds(c) for c in CONDITIONS}
    # a second run adds nothing
    assert real_app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert len(services_register.entries(org)) == len(entries)


def test_demo_recommendations_name_register_entries_until_the_red_ones_go(real_app):
    org = demo(real_app)
    dep = db.session.scalar(select(Department).where(Department.slug == "teknik-og-miljoe"))
    a = db.session.scalar(select(Assessment).where(Assessment.department_id == dep.id,
                                                   Assessment.period == "2026"))
    q = with_register_triggers(services.questionnaire_of(a))

    def register_reasons():
        results = compute(q, services.answers_of(a), services_register.findings_for_assessment(a))
        return {(r.initiative.id, x.condition): x for r in results.recommendations
                for x in r.register_reasons}

    reasons = register_reasons()
    red = reasons[("exit-plans-governance", "red_entry")]
    assert "ESDH – sags- og dokumenthåndtering" in [e.name for e in red.entries]
    with real_app.test_request_context(), force_locale("da"):
        lines = register_text.reason_lines(red, "da")
    assert any(line.startswith("Kritisk system «ESDH – sags- og dokumenthåndtering» hos "
                               "«Fagsystemhuset A/S»: indlåsning 5, ingen exitplan")
               for line in lines), lines
    assert ("dependency-analysis", "red_entry") in reasons
    coordinator = db.session.scalar(select(Membership).where(
        Membership.organisation_id == org.id, Membership.role == "admin"))
    _entries, found = services_register.findings_of(org)
    for e in found["red_entry"].entries:
        services_register.delete_entry(org, coordinator, coordinator.user, e.id)
    after = register_reasons()
    assert not [k for k in after if k[1] == "red_entry"]
    assert ("european-cloud-provider", "non_eu_critical") in after  # the others remain
    assert services_register.today_for(org) == date.today()
