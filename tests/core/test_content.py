"""Content checks for the shipped questionnaire `digital-resilience` version 1.

These tests need no Flask app: they load the YAML file with the questionnaire loader
and check what a content reviewer would check by hand (see
questionnaires/digital-resilience/README.md).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.core.questionnaire import load_questionnaire

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "questionnaires" / "digital-resilience"
PATH = FOLDER / "1.yaml"
README = FOLDER / "README.md"
LOCALES = ("da", "en", "fr")

BLOCK_IDS = ["strategy", "architecture", "governance", "ecosystems", "competences"]
STRATEGIC_IDS = [
    "strategy-approach",
    "strategy-architecture-ambition",
    "strategy-ecosystem-role",
    "strategy-capacity",
    "strategy-notes",
]
TRACK_IDS = [
    "architecture-interoperability",
    "technology-stack",
    "competences",
    "ecosystems",
    "security",
]

# Every initiative the report names, in the report's own (shortened) Danish words,
# mapped to the catalogue id that covers it. Duplicates in the report map to the same id.
# The README's table must name every one of these ids (checked below).
REPORT_INITIATIVES: dict[str, str] = {
    # Oplæg til fokus og initiativer – 1. Styrket arbejde med arkitektur og interoperabilitet
    "1: Fokus på åbne standarder, interoperabilitet og modulære løsninger":
        "modular-architecture-principles",
    "1: Analyse af organisationens interoperabilitet og teknologiske afhængigheder":
        "dependency-analysis",
    "1: Udarbejdelse af roadmap for åbne standarder": "open-standards-roadmap",
    "1: Arkitektur som langsigtet redskab til at reducere afhængigheder":
        "modular-architecture-principles",
    "1: Pilotprojekter med gradvis udskiftning af infrastrukturelle komponenter til open source":
        "open-source-infrastructure-pilots",
    # 2. Teknologisk handlefrihed ift. lagene i teknologistakken
    "2: Ved udskiftninger vurdere muligheder for at styrke handlefriheden i de enkelte lag":
        "stack-layer-review",
    "2: Udarbejdelse af roadmap for åbne standarder (dublet)": "open-standards-roadmap",
    "2: Pilotprojekter med udskiftning af infrastrukturelle komponenter (dublet)":
        "open-source-infrastructure-pilots",
    "2: Analyse af muligheder for open source-alternativer i udvalgte fagsystemer":
        "open-source-line-of-business-analysis",
    "2: Aktiv deltagelse i fælleskommunale udviklingsfællesskaber og open source-initiativer":
        "joint-municipal-participation",
    "2: Dialog i KL og andre nationale fora om fællesoffentlige open source-platforme":
        "national-open-source-platforms-dialogue",
    "2: Styrket deltagelse i fælleskommunale open source-initiativer (fx OS2)":
        "joint-municipal-participation",
    # 3. Kompetencer og teknologiforståelse
    "3: Sikring af tekniske kompetencer og forståelse af teknologiens strategiske betydning":
        "strategic-technical-competences",
    "3: Styrket intern videndeling om teknologisk arkitektur og leverandøruafhængighed":
        "knowledge-sharing-architecture",
    "3: Digitale løsninger som en del af drøftelserne om resiliens og beredskab":
        "resilience-in-preparedness",
    "3: Kompetenceudvikling inden for digital arkitektur, open source og kunstig intelligens":
        "open-source-competence-programme",
    "3: Kortlægning af kompetencebehov inden for digital arkitektur, AI og open source":
        "competence-mapping",
    "3: Kompetenceprogram for IT- og digitaliseringsmedarbejdere med fokus på open source":
        "open-source-competence-programme",
    # 4. Samarbejde og teknologiske økosystemer
    "4: Indarbejdelse af hensyn til resiliens og handlefrihed i udbud": "resilience-in-tenders",
    "4: Strategisk brug af offentlige indkøb til at understøtte europæiske teknologivirksomheder":
        "european-open-source-tenders",
    "4: Samarbejder og partnerskaber, der kan bidrage til innovation": "innovation-partnerships",
    "4: Kortlægning af muligheder for samarbejde med europæiske open source- og techmiljøer":
        "european-collaboration-mapping",
    "4: Dialog med lokale innovationsmiljøer og forskningsmiljøer": "local-research-dialogue",
    # 5. Cybersikkerhed og digital robusthed
    "5: Videreudvikling af arbejdet med digital sikkerhed og robusthed":
        "security-robustness-development",
    "5: Cybersikkerhed indtænkes aktivt i arbejdet med at øge handlefriheden":
        "security-in-freedom-of-action",
    "5: Samarbejde med nationale aktører om cybersikkerhed": "national-cyber-cooperation",
    "5: Samlingspunkt for myndigheder, kommuner, virksomheder, startups og forskningsmiljøer":
        "cyber-hub",
    "5: Fastholdelse af engagementet i lokale, stærke cybersikkerhedskompetencer":
        "local-cyber-competences",
    "5: Tværgående sparringsnetværk om viden og konkrete redskaber på sikkerhedsområdet":
        "security-sparring-network",
    # Mulig opfølgning – Briefing på den danske ambassade
    "Ambassade: Belysning af, hvordan geo- og teknologipolitik sætter en ramme":
        "geopolitical-framing",
    "Ambassade: Afsøgning af fælles danske og fælles europæiske samarbejder":
        "european-collaboration-mapping",
    "Ambassade: Indarbejdelse af resiliens som parameter i digitaliseringsstrategier":
        "resilience-in-digital-strategy",
    "Ambassade: Dialog på tværs af sektorer om fælles governance og ansvar":
        "cross-sector-governance-dialogue",
    # Mulig opfølgning – DINUM
    "DINUM: Brugeranalyse af brugere, der kan overgå til open source-kontorpakke":
        "office-suite-user-analysis",
    "DINUM: Indspil i KL om tværoffentlig open source-baseret kontorpakke":
        "cross-public-office-suite-dialogue",
    "DINUM: Afklaring af hovedformål med open source-kontorpakker": "office-suite-purpose",
    # Mulig opfølgning – L'École du Logiciel Libre
    "E2L: Dialog med biblioteker, civilsamfund og teknologifællesskaber":
        "library-civil-society-partnerships",
    "E2L: Kompetenceperspektivet i arbejdet med digital handlefrihed – borger og medarbejder":
        "competence-perspective",
    # Mulig opfølgning – Institut de la Souveraineté Numérique
    "ISN: Analyse af afhængigheder i centrale teknologiplatforme": "dependency-analysis",
    "ISN: Øget fokus på europæiske og open source-baserede løsninger i udbud":
        "european-open-source-tenders",
    "ISN: Dialog med europæiske tech-miljøer og open source-fællesskaber": "european-tech-dialogue",
    "ISN: Kompetenceudvikling med fokus på teknologisk arkitektur og open source (kortlæg behov)":
        "competence-mapping",
    # Mulig opfølgning – OECD
    "OECD: Sammenholde OECD AI Principles med egne AI-principper": "ai-principles-review",
    "OECD: Dele erfaringer fra AI-arbejdet i internationale fora": "share-experience-internationally",
    "OECD: Systematisk brug af OECD AI Observatory": "ai-observatory-monitoring",
    "OECD: OECD's analyser i politiske præsentationer": "international-context-briefings",
    # Lutèce (perspektivering) and the Aarhus cases
    "Lutèce: Stærkt politisk mandat, der ikke afhænger af enkeltpersoner":
        "political-mandate-programme",
    "DINUM/Lutèce: Fra indkøb til styring af udvikling (OSPO)": "product-ownership-ospo",
    "Case 10 spor 1: Exit-planer og styrket governance": "exit-plans-governance",
    "Case 10 spor 2: Tilpasning af udbudskrav og leverandørsamarbejde": "resilience-in-tenders",
    "Case 10 spor 3: Implementering af en open source-kontorpakke": "office-suite-pilot",
    "Case 10 spor 4: Revurdering af cloud-strategien (europæisk, in-house redundans)":
        "european-cloud-provider",
    "Case 10: Et samlet program binder indsatserne sammen": "political-mandate-programme",
    "Case 11: Europæisk cloud-leverandør": "european-cloud-provider",
}


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(PATH)


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(PATH.read_text(encoding="utf-8"))


def _texts(node, path="$"):
    """Yield (path, mapping) for every locale mapping in the raw YAML."""
    if isinstance(node, dict):
        if node and set(node) <= set(LOCALES) and any(k in LOCALES for k in node):
            yield path, node
            return
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _texts(value, f"{path}[{n}]")


def test_loads(q):
    assert q.id == "digital-resilience"
    assert q.version == "1"
    assert tuple(q.locales) == LOCALES


def test_blocks_and_question_counts(q):
    assert [b.id for b in q.blocks] == BLOCK_IDS
    for block in q.blocks:
        assert 4 <= len(block.questions) <= 7, block.id
        for question in block.questions:
            assert question.id.startswith(block.id + "-"), question.id
            assert question.source.strip(), question.id
            assert question.weight > 0
            assert len(question.levels) == 5


def test_strategic_questions_and_tracks(q):
    assert [s.id for s in q.strategic_questions] == STRATEGIC_IDS
    kinds = {s.id: s.kind for s in q.strategic_questions}
    assert kinds["strategy-approach"] == "scale"
    assert kinds["strategy-ecosystem-role"] == "single"
    assert kinds["strategy-capacity"] == "multi"
    assert kinds["strategy-notes"] == "text"
    approach = q.strategic("strategy-approach")
    assert len(approach.options) == 5
    assert not q.strategic("strategy-notes").options
    assert [t.id for t in q.tracks] == TRACK_IDS


def test_every_locale_complete_in_model(q):
    def check(text, where):
        assert text is not None, where
        for loc in LOCALES:
            assert isinstance(text.get(loc), str) and text[loc].strip(), f"{where}.{loc}"

    check(q.title, "title")
    for b in q.blocks:
        check(b.title, b.id)
        check(b.intro, b.id)
        for question in b.questions:
            check(question.text, question.id)
            if question.help is not None:
                check(question.help, question.id)
            for n, level in enumerate(question.levels, start=1):
                check(level, f"{question.id}.levels.{n}")
    for s in q.strategic_questions:
        check(s.text, s.id)
        for o in s.options:
            check(o.label, f"{s.id}.{o.id}")
    for t in q.tracks:
        check(t.title, t.id)
    for i in q.initiatives:
        check(i.title, i.id)
        check(i.description, i.id)


def test_every_locale_complete_in_raw_yaml(raw):
    found = list(_texts(raw))
    assert len(found) > 300  # every text of the file (321 in v1), not just a few
    for path, text in found:
        assert set(text) == set(LOCALES), path
        for loc in LOCALES:
            assert isinstance(text[loc], str) and text[loc].strip(), f"{path}.{loc}"


def test_translations_are_not_copies(q):
    for question in q.questions.values():
        for level in question.levels:
            assert level["da"] != level["en"] != level["fr"] != level["da"], question.id


def test_descriptors_distinct(q):
    for question in q.questions.values():
        for loc in LOCALES:
            texts = [level[loc].strip().lower() for level in question.levels]
            assert len(set(texts)) == 5, f"{question.id} ({loc})"


def test_descriptors_are_not_bare_ratings(q):
    bare = {"poor", "fair", "good", "very good", "excellent", "dårlig", "god", "mangelfuld"}
    for question in q.questions.values():
        for level in question.levels:
            assert level["en"].strip(" .").lower() not in bare, question.id
            assert level["da"].strip(" .").lower() not in bare, question.id
            assert len(level["en"].split()) >= 6, question.id


def test_triggers_exist_and_every_question_triggers(q):
    triggered = set()
    for i in q.initiatives:
        assert i.triggers, i.id
        for t in i.triggers:
            assert t in q.questions, f"{i.id}: {t}"
        triggered.update(i.triggers)
        assert i.track in TRACK_IDS, i.id
        assert i.source.strip(), i.id
    missing = sorted(set(q.questions) - triggered)
    assert not missing, f"questions that trigger no initiative: {missing}"


def test_every_track_has_initiatives(q):
    for track in TRACK_IDS:
        assert any(i.track == track for i in q.initiatives), track


def test_report_initiatives_covered(q):
    ids = {i.id for i in q.initiatives}
    missing = {label: cid for label, cid in REPORT_INITIATIVES.items() if cid not in ids}
    assert not missing, f"report initiatives without a catalogue entry: {missing}"


def test_catalogue_has_no_orphans(q):
    """Every catalogue entry traces back to something the report names."""
    covered = set(REPORT_INITIATIVES.values())
    orphans = sorted(i.id for i in q.initiatives if i.id not in covered)
    assert not orphans, orphans


def test_readme_table_agrees_with_coverage_list():
    text = README.read_text(encoding="utf-8")
    for label, cid in REPORT_INITIATIVES.items():
        assert f"`{cid}`" in text, f"README does not name `{cid}` ({label})"
