"""Action plans of the demo municipality (seed-demo): adopted from the 2025 results, so that
the 2026 results show what the initiatives did. Deterministic; skips what exists."""
from __future__ import annotations

from datetime import date

from . import services
from .models import Organisation, User
from .services import plans

ADOPTED_IN = "2025"
# status, start, due of the first three recommendations of each department's 2025 results
STEPS = (("done", date(2025, 2, 1), date(2025, 11, 30)),
         ("in_progress", date(2025, 4, 1), date(2027, 6, 30)),
         ("planned", date(2025, 9, 1), date(2027, 3, 31)))
LATE = date(2025, 12, 31)  # every other department let its planned item slip: overdue
NOTES = ("Afsluttet; effekten følges i næste runde.", "Pilot i to enheder.", "")


def seed_plans(org: Organisation, admin: User | None, leaders: dict[str, User]) -> int:
    """Plans for every department without one, and one joint initiative; how many items were made."""
    created = 0
    for n, dep in enumerate(plans.departments_of(org)):
        a = services.find_assessment(dep, ADOPTED_IN)
        if a is None or plans.department_items(dep):
            continue
        leader = leaders.get(dep.slug)
        recs = services.results_of(a).recommendations[:len(STEPS)]
        for rec, (status, start, due), note in zip(recs, STEPS, NOTES, strict=False):
            if status == "planned" and n % 2:
                due = LATE
            plans.add_item(leader, dep, rec.initiative.id, {
                "status": status, "start": start, "due": due, "note": note,
                "owner": leader.name if leader else ""}, period=ADOPTED_IN, source="demo")
            created += 1
    if admin is not None and not plans.joint_items(org):
        membership = next(m for m in admin.memberships if m.organisation_id == org.id)
        candidates = [c for c in plans.joint_candidates(org, ADOPTED_IN) if not c.adopted]
        if candidates:
            c = candidates[0]
            plans.adopt_joint(admin, org, membership, c.initiative.id,
                              [d.id for d in c.departments], ADOPTED_IN,
                              {"status": "in_progress", "owner": "Digitaliseringschef",
                               "start": date(2025, 3, 1), "due": date(2026, 12, 31)},
                              source="demo")
            created += 1
    return created
