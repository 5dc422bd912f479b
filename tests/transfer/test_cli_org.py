"""export-organisation and import-organisation: good files in, bad files of every kind out
with every problem named by its path, exit 1 and nothing stored."""
from __future__ import annotations

import copy
import gzip
import json

import pytest
from sqlalchemy import func, select

from app import services, services_register
from app.core.answers import Answer
from app.core.org_exchange import normalise
from app.extensions import db
from tests.conftest import department

ENTRY = {"name": "ESDH", "layer": "case-management", "supplier": "Fagsystemhuset A/S",
         "supplier_country": "DK", "hosting_country": "DK", "criticality": "high",
         "lock_in": 4, "data_export": "partial", "exit_plan": "outline"}


@pytest.fixture
def small_org(app, make_org, make_user, make_assessment):
    """An organisation with two departments, three people, an assessment and a register."""
    from app.core.register import LAYER_IDS
    org = make_org(slug="aarhus", name="Aarhus Kommune", departments=("culture", "tech"))
    from datetime import date
    period = services.ensure_period(org, "2026")
    period.opens_on, period.closes_on = date(2026, 3, 1), date(2026, 4, 30)
    admin = make_user("chef@aarhus.dk", org, "admin")
    make_user("leder@aarhus.dk", org, "respondent", department(org, "culture"))
    db.session.commit()
    make_assessment(department(org, "culture"), "2026",
                    {"alpha-one": Answer(level=2, target=4, comment="Kommentar æøå"),
                     "beta-one": 5}, status="submitted")
    m = services.trusted_membership(org)
    entry = dict(ENTRY, layer=LAYER_IDS[0])
    services_register.create_entry(org, m, admin, entry)
    gone = services_register.create_entry(org, m, admin, dict(entry, name="Old system"))
    services_register.delete_entry(org, m, admin, gone.id)
    return org


def _tables() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in db.metadata.sorted_tables}


def _export(app, tmp_path, name="org.json"):
    out = tmp_path / name
    result = app.test_cli_runner().invoke(args=["export-organisation", "aarhus",
                                                "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _import(app, path, *extra):
    return app.test_cli_runner().invoke(args=["import-organisation", str(path), *extra])


def test_export_then_import_under_a_new_slug(app, small_org, tmp_path):
    path = _export(app, tmp_path, "org.json.gz")
    doc = json.loads(gzip.decompress(path.read_bytes()))
    assert doc["format"] == "digital-resilience-organisation/1"
    assert [q["id"] for q in doc["questionnaires"]] == ["mini"]
    assert doc["periods"][0]["closes_on"] == "2026-04-30"
    assert {e["kind"] for e in doc["audit_events"]} >= {"submitted"}
    result = _import(app, path, "--as", "aarhus-copy")
    assert result.exit_code == 0, result.output
    assert "Imported organisation 'aarhus-copy'" in result.output
    copy_doc = services.export_organisation(services.organisation_by_slug("aarhus-copy"))
    copy_doc["organisation"]["slug"] = "aarhus"
    assert normalise(copy_doc) == normalise(doc)
    # the deleted entry's history keeps an id of its own, no live entry's
    ids = {c["entry"] for c in copy_doc["register_changes"]}
    assert len(ids) == 2 and min(ids) < 0


def test_an_existing_slug_is_refused_without_as(app, small_org, tmp_path):
    path = _export(app, tmp_path)
    before = _tables()
    result = _import(app, path)
    assert result.exit_code == 1
    assert "an organisation with slug 'aarhus' already exists" in result.output
    assert "--as NEW-SLUG" in result.output
    assert _tables() == before


def test_an_invalid_new_slug_is_refused(app, small_org, tmp_path):
    result = _import(app, _export(app, tmp_path), "--as", "Not A Slug")
    assert result.exit_code == 1 and "invalid slug" in result.output


def _bad(doc: dict, case: str) -> dict:
    doc = copy.deepcopy(doc)
    if case == "wrong version":
        doc["format"] = "digital-resilience-organisation/2"
    elif case == "unknown questionnaire":
        doc["questionnaires"][0]["id"] = "nowhere"
    elif case == "changed questionnaire":
        doc["questionnaires"][0]["content_hash"] = "0" * 64
    elif case == "duplicate ids":
        doc["departments"][1]["id"] = doc["departments"][0]["id"]
    elif case == "bad layer":
        doc["register"][0]["layer"] = "x"
    elif case == "dangling reference":
        doc["answer_changes"][0]["assessment"] = 999999
    elif case == "bad answer":
        doc["assessments"][0]["answers"][0]["answer"] = {"level": 9}
    elif case == "twice the same slug":
        doc["departments"][1]["slug"] = doc["departments"][0]["slug"]
    elif case == "plan item for an unknown initiative":
        doc["plan_items"] = [{"id": 1, "department": doc["departments"][0]["id"],
                              "initiative": "init-nowhere", "questionnaire":
                              {"id": "mini", "version": "1"}, "period": "2026",
                              "status": "planned", "created_at": "2026-03-01T00:00:00Z",
                              "updated_at": "2026-03-01T00:00:00Z", "participants": []}]
    elif case == "password smuggled in":
        doc["users"][0]["password_hash"] = "$argon2id$..."
    return doc


BAD = {
    "wrong version": "format: expected 'digital-resilience-organisation/1', got "
                     "'digital-resilience-organisation/2'",
    "unknown questionnaire": "questionnaires[0]: questionnaire nowhere/1 is not installed here",
    "changed questionnaire": "questionnaires[0].content_hash: questionnaire mini/1 differs "
                             "from the one installed here",
    "duplicate ids": "departments[1].id: duplicate id",
    "bad layer": "register[0].layer: 'x' is not one of",
    "dangling reference": "answer_changes[0].assessment: refers to no row of 'assessments' "
                          "(got 999999)",
    "bad answer": "assessments[0].answers[0].answer.level: must be a whole number from 1 to 5",
    "twice the same slug": "departments[1].slug: 'culture' appears twice",
    "password smuggled in": "users[0].password_hash: unknown field",
    "plan item for an unknown initiative": "plan_items[0].initiative: unknown initiative "
                                           "'init-nowhere' in mini/1",
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_names_the_problem_and_stores_nothing(app, small_org, tmp_path, case):
    doc = json.loads(_export(app, tmp_path).read_text())
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_bad(doc, case)))
    before = _tables()
    result = _import(app, path, "--as", "elsewhere")
    assert result.exit_code == 1
    assert BAD[case] in result.output
    assert "nothing was imported" in result.output
    assert _tables() == before


@pytest.mark.parametrize("content, message", [
    (None, "malformed JSON"),  # truncated
    (b"\x1f\x8b\x08\x00garbage", "damaged or truncated gzip file"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("{\"a\": " + "[" * 40 + "1" + "]" * 40 + "}",
     "$: nested more than 32 levels deep"),
    (b"\xff\xfe not utf-8", "not UTF-8 text"),
    ("[]", "$: must be a JSON object"),
])
def test_unreadable_files_are_refused(app, small_org, tmp_path, content, message):
    full = _export(app, tmp_path).read_bytes()
    if content is None:
        content = full[: len(full) // 2]
    path = tmp_path / "bad.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = _tables()
    result = _import(app, path)
    assert result.exit_code == 1
    assert message in result.output
    assert _tables() == before


def test_a_truncated_gzip_file_is_refused(app, small_org, tmp_path):
    full = _export(app, tmp_path, "org.json.gz").read_bytes()
    path = tmp_path / "cut.json.gz"
    path.write_bytes(full[: len(full) // 2])
    result = _import(app, path, "--as", "x")
    assert result.exit_code == 1 and "damaged or truncated gzip file" in result.output


def test_every_problem_is_named_at_once(app, small_org, tmp_path):
    doc = json.loads(_export(app, tmp_path).read_text())
    doc = _bad(_bad(doc, "bad layer"), "duplicate ids")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = _import(app, path, "--as", "x")
    assert BAD["bad layer"] in result.output and BAD["duplicate ids"] in result.output


def test_an_unknown_organisation_is_not_exported(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["export-organisation", "nowhere", "--output",
                                                str(tmp_path / "x.json")])
    assert result.exit_code == 1 and "unknown organisation 'nowhere'" in result.output
