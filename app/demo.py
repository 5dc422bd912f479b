"""The demo municipality (seed-demo): Demo Kommune, seven departments, two periods that tell a story.

Answers are generated from whatever the default questionnaire is, deterministically, so the
same command always gives the same figures. When the default questionnaire follows an
installed earlier version (`previous`), the first period is answered in that version and the
second in the new one, its answers carried over through the mapping, and the coordinator
answers the organisation-wide questions of the second period. Each step skips what already
exists: a second run changes nothing.
"""
from __future__ import annotations

import random
from typing import Any

import click

from . import services
from .core.answers import Answer, StrategicAnswer
from .core.exchange import ExchangeAssessment
from .core.questionnaire import Questionnaire, StrategicQuestion
from .core.shared import carry_answers
from .extensions import db
from .registry import default_questionnaire, registry
from .shared_answers import save_shared_answers, shared_answers

ORG_SLUG, ORG_NAME = "demo", "Demo Kommune"
PASSWORD = "demo-resilience-2026"
PERIODS = ("2025", "2026")
SEED = 2026
ADMIN = ("koordinator@demo.dk", "Karin Koordinator")
VIEWER = ("laeser@demo.dk", "Lars Læser")
# slug, name, respondent e-mail, leader's name, base maturity level (1-5), improvement per year
DEPARTMENTS = (
    ("borgmesterens-afdeling", "Borgmesterens Afdeling", "borgmester@demo.dk",
     "Birgitte Borg", 2.6, 0.5),
    ("boern-og-unge", "Børn og Unge", "boernogunge@demo.dk", "Bo Ungdal", 2.2, 0.7),
    ("kultur-og-borgerservice", "Kultur og Borgerservice", "kultur@demo.dk",
     "Katrine Kulturhus", 2.0, 0.9),
    ("sociale-forhold-og-beskaeftigelse", "Sociale Forhold og Beskæftigelse",
     "socialforhold@demo.dk", "Søren Social", 1.7, 0.6),
    ("sundhed-og-omsorg", "Sundhed og Omsorg", "sundhed@demo.dk", "Sara Sundby", 2.1, 0.4),
    ("teknik-og-miljoe", "Teknik og Miljø", "teknik@demo.dk", "Tobias Teknik", 3.0, 0.6),
    ("oekonomi-og-administration", "Økonomi og Administration", "oekonomi@demo.dk",
     "Ølse Økonomi", 3.3, 0.5),
)
COMMENTS = (
    "Vi har taget de første skridt, men mangler en fælles plan.",
    "Afhænger af leverandørens køreplan – drøftes i styregruppen.",
    "Pilotprojekt i gang i én enhed; resultater ventes efter sommer.",
    "Kræver samarbejde med central IT og KL.",
    "Ingen samlet oversigt endnu; data ligger spredt i fagsystemerne.",
    "Exit-plan er beskrevet for de to største systemer.",
)
NOTES = (
    "Vi prioriterer kontrol over data og en realistisk exit-plan for vores fagsystemer.",
    "Det vigtigste for os er at styrke kompetencerne, før vi vælger nye løsninger.",
    "Vi vil gerne være med i fælleskommunale piloter med åbne standarder.",
)


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _maturity(q: Questionnaire, rng: random.Random, base: float, gain: float
              ) -> tuple[dict[str, Answer], dict[str, Answer]]:
    """Answers for both periods: the second improves on the first by about `gain` levels."""
    first: dict[str, Answer] = {}
    second: dict[str, Answer] = {}
    for block in q.blocks:
        bias = rng.uniform(-0.8, 0.8)
        for question in block.questions:
            roll = rng.random()
            level = _clamp(base + bias + rng.gauss(0, 0.6))
            later = _clamp(level + gain + rng.uniform(-0.4, 0.6))
            target = min(5, level + rng.choice((1, 1, 2))) if rng.random() < 0.6 else None
            comment = rng.choice(COMMENTS) if rng.random() < 0.1 else ""
            if roll < 0.05:
                first[question.id] = Answer(status="not_applicable")
                second[question.id] = Answer(status="not_applicable")
                continue
            if roll < 0.13:  # did not know last time, found out this time
                first[question.id] = Answer(status="dont_know", comment=comment)
            else:
                first[question.id] = Answer(level=level, target=target, comment=comment)
            if roll < 0.16:
                second[question.id] = Answer(status="dont_know")
            else:
                second[question.id] = Answer(level=later, target=max(target, later) if target else None)
    return first, second


def _strategic(q: Questionnaire, rng: random.Random, base: float, year: int
               ) -> dict[str, StrategicAnswer]:
    out = {}
    for sq in q.strategic_questions:
        out[sq.id] = _strategic_answer(sq, rng, base, year)
    return out


def _strategic_answer(sq: StrategicQuestion, rng: random.Random, base: float,
                      year: int) -> StrategicAnswer:
    ids = sq.option_ids
    if sq.kind == "scale":  # the more mature, the further along the scale
        return StrategicAnswer(choice=ids[min(len(ids) - 1, max(0, round(base - 1.5) + year))])
    if sq.kind == "single":
        return StrategicAnswer(choice=rng.choice(ids))
    if sq.kind == "multi":
        picked = set(rng.sample(ids, k=min(len(ids), rng.randint(1, 3))))
        return StrategicAnswer(choices=tuple(i for i in ids if i in picked))
    return StrategicAnswer(text=rng.choice(NOTES))


def plan(q: Questionnaire, previous: Questionnaire | None = None) -> list[dict[str, Any]]:
    """Every demo assessment: department, period, questionnaire, maturity and strategic answers
    (deterministic). With `previous`, the first period is answered in that version and the
    second in `q`: answers carried through `q.previous`, new questions answered afresh, and
    the organisation-wide questions left to the organisation (organisation_plan)."""
    out = []
    for slug, name, email, _leader, base, gain in DEPARTMENTS:
        rng = random.Random(f"{SEED}:{slug}")
        first_q = previous or q
        answers = _maturity(first_q, rng, base, gain)
        if previous is not None:
            fresh = _maturity(q, random.Random(f"{SEED}:{slug}:{q.version}"), base, gain)[1]
            carried = carry_answers(q, previous, answers[1])
            answers = (answers[0], {
                qid: carried.get(qid, fresh.get(qid)) for qid, x in q.questions.items()
                if not x.organisation_wide and (qid in carried or qid in fresh)})
        for year, period in enumerate(PERIODS):
            pq = first_q if year == 0 else q
            out.append({"slug": slug, "name": name, "email": email, "period": period,
                        "questionnaire": pq, "answers": answers[year],
                        "strategic": _strategic(pq, rng, base, year)})
    return out


def organisation_plan(q: Questionnaire) -> dict[str, Answer]:
    """The coordinator's answers to the organisation-wide questions of the last period."""
    rng = random.Random(f"{SEED}:organisation")
    out = {}
    for qid in q.organisation_questions:
        level = _clamp(2.9 + rng.gauss(0, 0.8))
        out[qid] = Answer(level=level, target=min(5, level + 1) if rng.random() < 0.5 else None)
    return out


def _previous_of(q: Questionnaire) -> Questionnaire | None:
    """The installed version `q` follows, if any."""
    return registry().get(q.id, q.previous.version) if q.previous else None


def _user(email: str, role: str, department: str | None, name: str) -> bool:
    if services.user_by_email(email) is not None:
        return False
    services.create_user(email, PASSWORD, ORG_SLUG, role, department, name)
    return True


def seed() -> int:
    """Create whatever of the demo is missing; return how many things were created."""
    q = default_questionnaire()
    created = 0
    org = services.get_or_create_org(ORG_SLUG, ORG_NAME)
    for slug, name, *_rest in DEPARTMENTS:
        if services.find_department(org, slug) is None:
            services.get_or_create_department(org, slug, name)
            created += 1
    for label in PERIODS:
        if label not in services.periods_of(org):
            # Earlier periods are closed: leaders are offered the current one only.
            services.ensure_period(org, label).open = label == PERIODS[-1]
            created += 1
    db.session.commit()
    created += _user(*ADMIN[:1], "admin", None, ADMIN[1])
    created += _user(VIEWER[0], "viewer", None, VIEWER[1])
    for slug, _name, email, leader, *_rest in DEPARTMENTS:
        created += _user(email, "respondent", slug, leader)
    from .demo_register import seed_register
    created += seed_register(org, services.user_by_email(ADMIN[0]))
    for item in plan(q, _previous_of(q)):
        dep = services.get_or_create_department(org, item["slug"], item["name"])
        if services.find_assessment(dep, item["period"]) is not None:
            continue
        respondent = services.user_by_email(item["email"])
        pq = item["questionnaire"]
        services.import_exchange(ExchangeAssessment(
            pq.id, pq.version, ORG_SLUG, ORG_NAME, item["slug"], item["name"], item["period"],
            "submitted", item["answers"], item["strategic"]), respondent)
        created += 1
    if q.organisation_questions and not shared_answers(org.id, PERIODS[-1]):
        coordinator = services.user_by_email(ADMIN[0])
        save_shared_answers(org, PERIODS[-1], coordinator, organisation_plan(q), q=q)
        created += 1
    return created + _seed_plans(org)


def _seed_plans(org) -> int:
    from .demo_plans import seed_plans
    leaders = {slug: services.user_by_email(email) for slug, _name, email, *_rest in DEPARTMENTS}
    return seed_plans(org, services.user_by_email(ADMIN[0]), leaders)


@click.command("seed-demo")
def seed_demo() -> None:
    """Create Demo Kommune with departments, periods, users and answers (safe to run twice)."""
    created = seed()
    if created:
        click.echo(f"Created the demo organisation '{ORG_NAME}' ({created} new items).")
    else:
        click.echo(f"The demo organisation '{ORG_NAME}' is already complete; nothing changed.")
    click.echo(f"\nDemo sign-ins (password for all: {PASSWORD}):")
    click.echo(f"  coordinator (admin):  {ADMIN[0]}")
    click.echo(f"  viewer (read-only):   {VIEWER[0]}")
    for _slug, name, email, *_rest in DEPARTMENTS:
        click.echo(f"  department leader:    {email}  ({name})")
