"""Content checks for `digital-resilience` version 2 (issue 13): it validates, carries every
version-1 question over, is complete in every locale, follows the French typography rule,
and holds each correction of the content review. No Flask app needed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from app.core.questionnaire import load_directory, load_questionnaire

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "questionnaires" / "digital-resilience"
V1, V2 = FOLDER / "1.yaml", FOLDER / "2.yaml"
README = FOLDER / "README.md"
LOCALES = ("da", "en", "fr")

ORGANISATION_WIDE = [
    "strategy-management-decisions", "strategy-resilience-in-strategy",
    "strategy-geopolitical-context", "strategy-ai-governance", "architecture-cloud-alternatives",
    "governance-political-mandate", "governance-programme", "governance-external-security-check",
    "ecosystems-joint-municipal", "ecosystems-european", "ecosystems-procurement-lever",
    "ecosystems-security-cooperation", "competences-citizens",
]
SPLITS = {
    "architecture-data-location-cloud": {"architecture-data-location",
                                         "architecture-cloud-alternatives"},
    "architecture-stack-layers": {"architecture-layer-assessment", "architecture-open-source-use"},
    "governance-user-centred-change": {"governance-user-needs", "governance-gradual-change"},
    "competences-staff": {"competences-staff-understanding", "competences-staff-training"},
}
NEW_QUESTIONS = {"architecture-data-reuse-consent", "governance-code-reuse",
                 "governance-switching-economics", "governance-external-security-check"}
STACK_LAYERS = [
    ("ai-digital-services", "digital-solutions"), ("business-systems", "digital-solutions"),
    ("digital-workplace", "digital-solutions"), ("security-solutions", "digital-solutions"),
    ("data-sharing-base-software", "it-infrastructure"),
    ("devices-endpoint-management", "it-infrastructure"), ("cloud-services", "it-infrastructure"),
    ("datacenter-infrastructure", "it-infrastructure"), ("network-infrastructure", "it-infrastructure"),
]
REGISTER_TRIGGERS = {
    "exit-plans-governance": ("red_entry", "contract_window"),
    "dependency-analysis": ("red_entry", "non_eu_critical", "supplier_concentration"),
    "european-cloud-provider": ("non_eu_critical",),
    "resilience-in-tenders": ("contract_window", "supplier_concentration"),
}
# Initiatives whose type, timeframe and effect come from a "Mulig opfølgning" table.
REPORT_GIVEN = {
    "geopolitical-framing", "european-collaboration-mapping", "resilience-in-digital-strategy",
    "cross-sector-governance-dialogue", "office-suite-user-analysis",
    "cross-public-office-suite-dialogue", "office-suite-purpose",
    "library-civil-society-partnerships", "competence-perspective", "dependency-analysis",
    "european-open-source-tenders", "european-tech-dialogue", "competence-mapping",
    "ai-principles-review", "share-experience-internationally", "ai-observatory-monitoring",
    "international-context-briefings",
}
# Only decisions by the political level are "Politisk initiativ".
POLICY = {"office-suite-purpose", "political-mandate-programme", "geopolitical-framing",
          "international-context-briefings", "cross-sector-governance-dialogue"}
GLOSSARY_TERMS = {"OSPO", "OS2", "OS2ai", "EuropAI", "Lutèce", "DINUM", "La Suite", "KL",
                  "monolitisk system", "punkt-til-punkt-integration", "containerbaseret drift",
                  "SEAL", "exitplan", "interoperabilitet", "teknologistak", "jurisdiktion",
                  "Campus Cyber", "compute"}


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(V2)


@pytest.fixture(scope="module")
def q1():
    return load_questionnaire(V1)


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(V2.read_text(encoding="utf-8"))


def shown_texts(node, path="$"):
    """Every localized text of the file with its path; `source` fields are not shown to users."""
    if isinstance(node, dict):
        if set(node) & set(LOCALES) and all(isinstance(v, str) for v in node.values()):
            yield path, node
            return
        for key, value in node.items():
            if key != "source":
                yield from shown_texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from shown_texts(value, f"{path}[{n}]")


def test_version_2_validates_next_to_version_1():
    found, problems = load_directory(FOLDER.parent)
    assert problems == []
    assert {("digital-resilience", "1"), ("digital-resilience", "2")} <= set(found)


def test_every_version_1_question_is_carried_over(q, q1):
    old_ids = set(q1.questions) | {s.id for s in q1.strategic_questions}
    carried = {q.previous.source_of(new, old_ids) for new in
               list(q.questions) + [s.id for s in q.strategic_questions]}
    assert q.previous.version == "1"
    assert old_ids - carried == set()
    assert set(q.previous.questions.values()) <= old_ids


def test_split_questions_map_from_their_parent_and_new_ones_from_nothing(q, q1):
    for parent, children in SPLITS.items():
        assert parent not in q.questions
        assert {k for k, v in q.previous.questions.items() if v == parent} == children
    old_ids = set(q1.questions)
    for new in NEW_QUESTIONS:
        assert new in q.questions and q.previous.source_of(new, old_ids) is None


def test_scope_is_explicit_on_every_question(raw, q):
    for block in raw["blocks"]:
        for question in block["questions"]:
            assert question.get("scope") in ("organisation", "department"), question["id"]
    assert list(q.organisation_questions) == ORGANISATION_WIDE


def test_readme_gives_every_question_its_scope(q):
    text = README.read_text(encoding="utf-8")
    for question in q.questions.values():
        assert re.search(rf"`{question.id}` \| {question.scope}\b", text), question.id


def test_every_locale_complete(raw):
    found = list(shown_texts(raw))
    assert len(found) > 400
    for path, text in found:
        assert set(text) == set(LOCALES), path
        for loc in LOCALES:
            assert isinstance(text[loc], str) and text[loc].strip(), f"{path}.{loc}"


def test_descriptors_distinct_and_translated(q):
    for question in q.questions.values():
        for loc in LOCALES:
            assert len({level[loc].strip().lower() for level in question.levels}) == 5, question.id
        for level in question.levels:
            assert level["da"] != level["en"] != level["fr"] != level["da"], question.id


def test_every_question_triggers_an_initiative(q):
    triggered = {t for i in q.initiatives for t in i.triggers}
    assert sorted(set(q.questions) - triggered) == []


def test_stack_layers_are_the_nine_of_case_10(q):
    assert [(s.id, s.group) for s in q.stack_layers] == STACK_LAYERS


def test_glossary_explains_the_terms_of_the_review(q):
    assert GLOSSARY_TERMS <= {g.term["da"] for g in q.glossary}


def test_register_triggers(q):
    assert {i.id: i.register_triggers for i in q.initiatives if i.register_triggers} == \
        REGISTER_TRIGGERS


@pytest.mark.parametrize("path", [V1, V2], ids=["v1", "v2"])
def test_estimates_influence_and_type(path):
    q = load_questionnaire(path)
    for i in q.initiatives:
        if i.id in REPORT_GIVEN:
            assert not {"type", "effect"} & set(i.estimated), i.id
        else:
            assert {"type", "months", "effect"} <= set(i.estimated), i.id
        assert (i.type == "policy") == (i.id in POLICY), i.id
    for own in ("geopolitical-framing", "international-context-briefings",
                "ai-observatory-monitoring"):
        assert q.initiative(own).influence == "own"


def test_version_1_display_fixes_keep_its_fingerprint(q1):
    """The fingerprint assessments pinned before version 2 existed (ids, weights, triggers)."""
    blocks = q1.fingerprint()["blocks"]
    assert [b for b, _ in blocks] == ["strategy", "architecture", "governance", "ecosystems",
                                      "competences"]
    assert sum(len(qs) for _, qs in blocks) == 30
    assert "organisation_questions" not in q1.fingerprint()


REVIEW_WORDING = {
    "da": ["vurderes for afhængighed", "implementerer ikke sig selv", "lettest at vælge",
           "reelt kan byde,", "Sammenholdelse", "efterfølgende tjek", "forvaltning", "Case 1"],
    "en": ["sparring", "Skills and technology understanding", "Case 1"],
    "fr": ["a posteriori", "responsabilité produit", "autonomie numérique", "cas 1", "Case 1"],
}


def test_review_wording_is_gone(raw):
    for path, text in shown_texts(raw):
        for loc, phrases in REVIEW_WORDING.items():
            for phrase in phrases:
                assert phrase not in text[loc], f"{path}.{loc}: {phrase!r}"


def test_no_either_or_question_on_a_scale(q):
    for question in q.questions.values():
        assert " – eller " not in question.text["da"], question.id


def test_missing_content_is_there(q):
    assert "fire forhold" in q.questions["strategy-geopolitical-context"].help["da"]
    assert "dobbelte licenser" in q.questions["governance-switching-economics"].help["da"]
    assert "deepfakes" in q.questions["strategy-ai-governance"].help["da"]
    assert "samtykke" in q.questions["architecture-data-reuse-consent"].text["da"]
    assert "Lutèce" in q.questions["governance-code-reuse"].help["da"]
    assert "Campus Cyber" in q.questions["governance-external-security-check"].help["da"]
    caveat = "Udbudsretten"
    assert caveat in q.questions["ecosystems-procurement-lever"].help["da"]
    assert caveat in q.questions["architecture-cloud-alternatives"].help["da"]
    assert caveat in q.strategic("strategy-ecosystem-role").help["da"]
    for iid in ("european-open-source-tenders", "european-cloud-provider"):
        assert caveat in q.initiative(iid).description["da"], iid


# French typography: a narrow no-break space (U+202F), never a plain or ordinary no-break
# space, before : ; ? ! and inside « »; and the typographic apostrophe (’) inside words, as
# in the rest of the text, never the typewriter one.
BAD_FRENCH_SPACE = re.compile(r"[ \u00a0][:;?!]|«[ \u00a0]|[ \u00a0]»|(?<=\w)'(?=\w)")


@pytest.mark.parametrize("path", [V1, V2], ids=["v1", "v2"])
def test_french_typography_in_the_questionnaire(path):
    checked = 0
    for where, text in shown_texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
        assert not BAD_FRENCH_SPACE.search(text["fr"]), f"{where}: {text['fr']}"
        checked += "\u202f" in text["fr"]
    assert checked > 80


def test_version_1_takes_the_wording_fixes_that_keep_its_meaning():
    raw = yaml.safe_load(V1.read_text(encoding="utf-8"))
    for where, text in shown_texts(raw):
        for loc, phrases in REVIEW_WORDING.items():
            for phrase in phrases:
                if phrase in ("forvaltning", "Case 1", "cas 1", "lettest at vælge"):
                    continue  # changed in version 2 only: they change what a question asks
                assert phrase not in text[loc], f"{where}.{loc}: {phrase!r}"


def test_french_typography_in_the_interface_catalogue():
    with (ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    checked = 0
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for s in strings:
            assert not BAD_FRENCH_SPACE.search(s), f"{message.id!r}: {s!r}"
            checked += "\u202f" in s
    assert checked > 10


def test_interface_catalogue_uses_the_reviewed_danish_words():
    with (ROOT / "translations" / "da" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for s in strings:
            assert "Log ind mislykkedes" not in s
            assert "forvaltning" not in s.lower(), s
