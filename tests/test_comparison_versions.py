"""A comparison over assessments of two questionnaire versions, through the services and pages."""
from __future__ import annotations

import pytest
import yaml

from app import services
from app.core.answers import Answer
from app.extensions import db
from app.models import Department, Organisation
from app.registry import questionnaire
from tests.conftest import _clean, _dispose, _make_app, base_config
from tests.core.test_versions import MINI, version_2


@pytest.fixture(scope="module")
def _two_versions_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("questionnaires")
    (root / "mini").mkdir()
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    (root / "mini" / "1.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "mini" / "2.yaml").write_text(yaml.safe_dump(version_2(data), allow_unicode=True),
                                          encoding="utf-8")
    app = _make_app(base_config(tmp_path_factory, [root], "mini"))
    yield app
    _dispose(app)


@pytest.fixture
def two(_two_versions_app):
    with _two_versions_app.app_context():
        org = Organisation(slug="two", name="Two Versions")
        db.session.add(org)
        db.session.flush()
        for slug in ("old", "new"):
            db.session.add(Department(organisation_id=org.id, slug=slug, name=slug.title()))
        db.session.commit()
        yield org
    _clean(_two_versions_app)


def _assessment(org, slug, period, version, levels):
    dep = services.find_department(org, slug)
    a = services.start_assessment(dep, period, questionnaire("mini", version))
    services.save_answers(a, None, {k: Answer(level=v) for k, v in levels.items()})
    services.submit(a, None)
    return a


def test_only_version_1_in_use_compares_by_version_1_blocks(two):
    _assessment(two, "old", "2025", "1", {"alpha-one": 5})
    assert services.comparison_questionnaire(two).key == ("mini", "1")
    (c,) = services.comparisons(two, services.trusted_membership(two))
    assert c.block_ids == ("alpha", "beta", "gamma")


def test_mixed_versions_compare_by_the_newest_blocks_with_answers_carried(two):
    _assessment(two, "old", "2025", "1", {"alpha-one": 5, "gamma-two": 1})
    _assessment(two, "new", "2026", "2", {"alpha-first": 1, "delta-one": 5})
    m = services.trusted_membership(two)
    assert services.comparison_questionnaire(two).key == ("mini", "2")
    by_period = {c.period: c for c in services.comparisons(two, m)}
    assert by_period["2025"].block_ids == by_period["2026"].block_ids == (
        "alpha", "beta", "gamma", "delta")
    (old,) = by_period["2025"].rows
    (new,) = by_period["2026"].rows
    # alpha-one (v1) carried into alpha-first (v2): not a blank column
    assert old.blocks["alpha"] == 100.0 and old.blocks["delta"] is None
    assert old.blocks["gamma"] is None  # gamma-two is gone in version 2
    assert new.blocks["alpha"] == 0.0 and new.blocks["delta"] == 100.0
    # one period alone still shows the version its assessments use
    assert services.comparison_questionnaire(two, ["2025"]).key == ("mini", "1")
    (only_2025,) = services.comparisons(two, m, ["2025"])
    assert only_2025.block_ids == ("alpha", "beta", "gamma") and only_2025.rows[0].blocks[
        "gamma"] == 0.0


def _coordinator_client(app, org):
    from app.models import Membership, User
    from tests.conftest import PASSWORD, login
    u = User(email="coord@example.org", name="Coord", session_token=services.new_session_token(),
             password_hash=services.hash_password(PASSWORD))
    u.memberships.append(Membership(organisation_id=org.id, role="admin"))
    db.session.add(u)
    db.session.commit()
    client = app.test_client()
    assert login(client, "coord@example.org").status_code == 302

    def page(period: str, lang: str = "en") -> str:
        u.locale = lang  # the signed-in user's language chooses the page's locale
        db.session.commit()
        return client.get(f"/o/two/compare?period={period}").get_data(as_text=True)
    return page


def _note(html: str) -> str | None:
    import re
    from html import unescape
    m = re.search(r'<p class="hint" id="versions-note">(.*?)</p>', html, re.S)
    return re.sub(r"[ \n]+", " ", unescape(m.group(1))).strip() if m else None


def test_the_comparison_page_says_when_a_period_mixes_versions(two, _two_versions_app):
    _assessment(two, "old", "2026", "1", {"alpha-one": 5})
    _assessment(two, "new", "2026", "2", {"alpha-first": 1})
    page = _coordinator_client(_two_versions_app, two)
    html = page("2026", "en")
    assert _note(html) == (
        "This period mixes questionnaire versions 1 and 2: departments are compared by the "
        "blocks of version 2, and answers given in version 1 are carried over through the "
        "version mapping.")
    for lang, words in (("da", "blander spørgeskemaets version 1 og 2"),
                        ("fr", "mêle les versions 1 et 2 du questionnaire\u202f:")):
        html = page("2026", lang)
        assert words in _note(html)


def test_the_comparison_page_says_when_an_older_period_is_compared_by_newer_blocks(
        two, _two_versions_app):
    _assessment(two, "old", "2025", "1", {"alpha-one": 5})
    _assessment(two, "new", "2026", "2", {"alpha-first": 1})
    page = _coordinator_client(_two_versions_app, two)
    old = page("2025", "en")
    assert _note(old) == (
        "The assessments of this period use questionnaire version 1: they are compared by the "
        "blocks of version 2, their answers carried over through the version mapping.")
    # a period all of the compared version says nothing
    assert _note(page("2026", "en")) is None


def test_one_version_only_has_no_note(two, _two_versions_app):
    _assessment(two, "old", "2025", "1", {"alpha-one": 5})
    page = _coordinator_client(_two_versions_app, two)
    assert _note(page("2025", "en")) is None


def test_the_organisation_report_says_when_the_period_mixes_versions(two):
    from app.models import Membership
    from app.reports import organisation_pdf
    from tests.pdf.conftest import pdf_text
    _assessment(two, "old", "2026", "1", {"alpha-one": 5})
    _assessment(two, "new", "2026", "2", {"alpha-first": 1})
    text = pdf_text(organisation_pdf(two, Membership(organisation_id=two.id, role="admin"),
                                     "2026", "en"))
    assert ("This period mixes questionnaire versions 1 and 2: departments are compared by the "
            "blocks of version 2") in text
