"""A technology-stack register of any size for the benchmarks (SPEC 11: 2,000 entries)."""
from __future__ import annotations

import random
from datetime import date, timedelta

from app.core.register import CRITICALITIES, DATA_EXPORTS, EXIT_PLANS, LAYER_IDS
from app.extensions import db
from app.models import Department, RegisterEntry

COUNTRIES = ("DK", "DK", "DK", "SE", "DE", "NL", "FI", "US", "US", "GB")


def build_register(org, n: int, seed: int = 11) -> None:
    """n entries over every layer, some departments, 60 suppliers; bulk-inserted (flushes)."""
    rng = random.Random(seed)
    deps = [None] + [d.id for d in db.session.scalars(
        db.select(Department).where(Department.organisation_id == org.id))][:20]
    today = date.today()
    db.session.add_all(RegisterEntry(
        organisation_id=org.id, department_id=rng.choice(deps), name=f"System {k:05d}",
        layer=LAYER_IDS[k % len(LAYER_IDS)], supplier=f"Leverandør {rng.randrange(60):02d}",
        supplier_country=rng.choice(COUNTRIES),
        hosting_country=rng.choice((*COUNTRIES, "on_premises")),
        criticality=rng.choice(CRITICALITIES), lock_in=rng.randint(1, 5),
        data_export=rng.choice(DATA_EXPORTS), exit_plan=rng.choice(EXIT_PLANS),
        contract_end=today + timedelta(days=rng.randrange(-200, 1500)) if rng.random() < 0.7
        else None, seal=rng.choice((None, 0, 1, 2, 3, 4))) for k in range(n))
    db.session.flush()
