"""The comparison dashboard and its CSV: numbers, stages, drafts, sorting, access, constant queries."""
from __future__ import annotations

import csv
import io
import re

import pytest
from reportlab.lib.colors import HexColor
from sqlalchemy import event

from app import services
from app.extensions import db
from app.models import Membership
from tests.conftest import department, login

QUESTIONS = ("alpha-one", "alpha-two", "alpha-three", "beta-one", "beta-two", "gamma-one",
             "gamma-two")


def levels(n: int) -> dict[str, int]:
    return {q: n for q in QUESTIONS}


@pytest.fixture
def org(make_org, make_assessment):
    """culture 50 and social 100 submitted, drafty 0 as a draft; 2025 for culture only."""
    o = make_org(departments=("culture", "social", "drafty"))
    make_assessment(department(o, "culture"), "2025", levels(2), status="submitted")
    make_assessment(department(o, "culture"), "2026", levels(3), status="submitted")
    make_assessment(department(o, "social"), "2026", levels(5), status="submitted")
    make_assessment(department(o, "drafty"), "2026", levels(1), status="draft")
    return o


def sign_in(client, make_user, org, role, email=None):
    user = make_user(email or f"{role}@example.org", org=org, role=role)
    user.locale = "en"
    db.session.commit()
    login(client, user.email)
    return user


def rows_of(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [n.strip() for n in re.findall(r'<th scope="row">([^<]+)', body)]


def test_admin_sees_numbers_stages_drafts_marked_and_organisation_row(client, make_user, org):
    sign_in(client, make_user, org, "admin")
    r = client.get("/o/demo/compare?period=2026")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert rows_of(page) == ["Culture", "Drafty", "Social"]
    assert 'class="badge badge-draft">Draft' in page
    # A compact stage box; the stage's name in the accessible text, not repeated in every cell.
    assert ('<span class="score-cell">50.0 <span class="stage-badge stage-3" aria-hidden="true">3'
            '</span><span class="visually-hidden">, stage 3, Established</span></span>') in page
    assert '100.0 <span class="stage-badge stage-5" aria-hidden="true">5</span>' in page
    assert page.count(">Established<") == 0  # the legend says "Established" once, as list text
    footer = page.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    assert "75.0" in footer and "mean of 2 submitted departments" in footer
    assert "<svg" in page and 'role="img"' in page
    assert "Trend over periods" in page


def test_viewer_reads_without_drafts_or_actions(client, make_user, org):
    sign_in(client, make_user, org, "viewer")
    page = client.get("/o/demo/compare").get_data(as_text=True)
    assert rows_of(page) == ["Culture", "Social"]
    assert "Drafty" not in page and "/admin" not in page
    assert "read-only" in page
    forms = re.findall(r'<form method="post" action="([^"]+)"', page)
    assert set(forms) <= {"/logout", "/language"}


def test_respondent_sees_own_draft_only(client, make_user, org):
    user = make_user("r@example.org", org=org, role="respondent",
                     department=department(org, "drafty"))
    user.locale = "en"
    org.share_results = "all"  # with "own" (the default) only Drafty would be listed
    db.session.commit()
    login(client, user.email)
    page = client.get("/o/demo/compare").get_data(as_text=True)
    assert rows_of(page) == ["Culture", "Drafty", "Social"]


def test_other_organisation_gets_404(client, make_user, make_org, org):
    other = make_org("other", "Other", departments=())
    sign_in(client, make_user, other, "admin")
    assert client.get("/o/demo/compare").status_code == 404
    assert client.get("/o/demo/compare.csv?period=2026").status_code == 404


def test_sorting_by_overall_descending(client, make_user, org):
    sign_in(client, make_user, org, "admin")
    page = client.get("/o/demo/compare?period=2026&sort=overall&dir=desc").get_data(as_text=True)
    assert rows_of(page) == ["Social", "Culture", "Drafty"]
    assert 'aria-sort="descending"' in page
    page = client.get("/o/demo/compare?period=2026&sort=alpha&dir=asc").get_data(as_text=True)
    assert rows_of(page) == ["Drafty", "Culture", "Social"]
    page = client.get("/o/demo/compare?period=2026&sort=bogus").get_data(as_text=True)
    assert rows_of(page) == ["Culture", "Drafty", "Social"]


def test_chart_shows_the_chosen_departments(client, make_user, org):
    sign_in(client, make_user, org, "admin")
    page = client.get("/o/demo/compare?period=2026&show=social").get_data(as_text=True)
    chart = page.split('<figure class="chart">', 1)[1].split("</figure>", 1)[0]
    assert "Social" in chart and "Culture" not in chart and "Demo Kommune (organisation)" in chart
    assert 'id="show-social" name="show" value="social" checked' in page
    assert 'style="' not in page


def test_period_selector_and_trend(client, make_user, org):
    sign_in(client, make_user, org, "admin")
    page = client.get("/o/demo/compare?period=2025").get_data(as_text=True)
    assert rows_of(page) == ["Culture"]
    assert '<option value="2025" selected>' in page
    trend = page.split('<table class="trend">', 1)[1].split("</table>", 1)[0]
    assert "25.0" in trend and "50.0" in trend  # culture 2025 and 2026
    fallback = client.get("/o/demo/compare?period=<script>").get_data(as_text=True)
    assert '<option value="2026" selected>' in fallback and "<script>" not in fallback


def test_common_recommendations_listed(client, make_user, org):
    sign_in(client, make_user, org, "admin")
    page = client.get("/o/demo/compare?period=2025").get_data(as_text=True)
    assert "Initiatives recommended to most departments" in page
    assert "1 of 1" in page


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_csv_marks_drafts_and_matches_the_json_comparison(client, make_user, org):
    admin = sign_in(client, make_user, org, "admin")
    r = client.get("/o/demo/compare.csv?period=2026")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == 'attachment; filename="comparison-demo-2026.csv"'
    rows = csv_rows(r)
    assert rows[0][:5] == ["Department id", "Department", "Status", "Overall score", "Stage"]
    assert len(rows[0]) == 8  # and the three blocks by title
    by_slug = {row[0]: row for row in rows[1:]}
    assert by_slug["drafty"][2] == "Draft"
    assert by_slug["demo"][2] == "Mean of the submitted departments"
    assert by_slug["demo"][3] == "75.0"
    membership = db.session.query(Membership).filter_by(user_id=admin.id).one()
    (comparison,) = services.comparisons(org, membership, ["2026"])
    doc = comparison.to_json()
    for d in doc["departments"]:
        row = by_slug[d["department"]]
        assert float(row[3]) == d["overall"]["score"]
        assert [float(v) if v else None for v in row[5:]] == [
            d["blocks"][b] for b in doc["blocks"]]
    assert float(by_slug["demo"][3]) == doc["organisation"]["overall"]["score"]


def test_viewer_csv_leaves_drafts_out(client, make_user, org):
    sign_in(client, make_user, org, "viewer")
    rows = csv_rows(client.get("/o/demo/compare.csv?period=2026"))
    assert [r[0] for r in rows[1:]] == ["culture", "social", "demo"]


def test_csv_with_an_invalid_period_is_404(client, make_user, org):
    sign_in(client, make_user, org, "admin")
    assert client.get("/o/demo/compare.csv?period=../../etc").status_code == 404


def test_name_markup_is_literal_in_page_and_csv_is_formula_safe(client, make_user, make_org,
                                                                make_assessment):
    o = make_org(departments=("evil",))
    d = department(o, "evil")
    d.name = "=HYPERLINK(\"x\")<b>"
    db.session.commit()
    make_assessment(d, "2026", levels(2), status="submitted")
    sign_in(client, make_user, o, "admin")
    page = client.get("/o/demo/compare").get_data(as_text=True)
    assert "&lt;b&gt;" in page and "<b>" not in page
    rows = csv_rows(client.get("/o/demo/compare.csv?period=2026"))
    assert rows[1][1].startswith("'=")


def count_statements(client, url) -> int:
    statements = []

    def listener(*args):
        statements.append(args[2])
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_dashboard_queries_do_not_grow_with_departments(client, make_user, make_org,
                                                        make_assessment):
    o = make_org(departments=("d1", "d2"))
    for slug in ("d1", "d2"):
        for period in ("2025", "2026"):
            make_assessment(department(o, slug), period, levels(3), status="submitted")
    sign_in(client, make_user, o, "admin")
    small = count_statements(client, "/o/demo/compare")
    from app.models import Department
    for n in range(3, 9):
        dep = Department(organisation_id=o.id, slug=f"d{n}", name=f"D{n}")
        db.session.add(dep)
        db.session.commit()
        for period in ("2024", "2025", "2026"):
            make_assessment(dep, period, levels(n % 5 + 1), status="submitted")
    assert count_statements(client, "/o/demo/compare") == small


def test_both_charts_give_a_department_the_same_colour_and_say_why_it_is_shown(
        client, make_user, org):
    sign_in(client, make_user, org, "admin")
    page = client.get("/o/demo/compare?period=2026&show=social&show=culture"
                      ).get_data(as_text=True)
    figures = [f.split("</figure>", 1)[0] for f in page.split('<figure class="chart">')[1:]]
    assert len(figures) == 2  # the block comparison and the trend
    swatch = re.search(r'<label for="show-social"><svg[^>]*><rect[^>]*fill="#([0-9a-f]{6})"', page)
    c = HexColor("#" + swatch.group(1))
    colour = f"rgb({int(c.red * 100)}%,{int(c.green * 100)}%,{int(c.blue * 100)}%)"  # as renderSVG
    for figure in figures:  # the social department's bars and line in its swatch's colour
        for variant in figure.split('<div class="chart-narrow">'):
            assert f'fill="{colour}"' in variant
    assert "The chart shows the departments you chose and the organisation." in page
    page = client.get("/o/demo/compare?period=2026").get_data(as_text=True)
    assert "The chart shows every department and the organisation." in page


def test_a_large_organisation_is_compared_page_by_page(app, client, make_org, make_user):
    """SPEC 11: 1,000 departments stay readable: the table, the chart's choices and the trend
    table show 50 departments per page, with page links that keep the period and the sort."""
    from app import services as svc
    from app.models import Answer, Assessment
    from app.registry import default_questionnaire
    from app.web.compare import PAGE_SIZE
    from tests.conftest import department
    slugs = [f"d{n:03d}" for n in range(PAGE_SIZE + 7)]
    org = make_org("many", "Many", slugs)
    q = default_questionnaire()
    svc.ensure_period(org, "2026")
    for slug in slugs:
        a = Assessment(organisation_id=org.id, department_id=department(org, slug).id,
                       period="2026", questionnaire_id=q.id, questionnaire_version=q.version,
                       content_hash=q.content_hash, status="submitted")
        db.session.add(a)
        db.session.flush()
        db.session.add(Answer(assessment_id=a.id, question_id=next(iter(q.questions)), level=3))
    db.session.commit()
    make_user("boss@example.org", org=org, role="admin")
    login(client, "boss@example.org")
    first = client.get("/o/many/compare?period=2026&sort=name&dir=asc").get_data(as_text=True)
    table = first.split('<table class="comparison')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == PAGE_SIZE + 1  # and the organisation row
    assert ">D000<" in table and ">D049<" in table and ">D050<" not in table
    assert 'aria-label="Sider med afdelinger"' in first and 'aria-current="page">1<' in first
    assert "page=2" in first and "sort=name" in first
    second = client.get("/o/many/compare?period=2026&sort=name&dir=asc&page=2").get_data(as_text=True)
    table = second.split('<table class="comparison')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 7 + 1
    assert ">D056<" in table and ">D000<" not in table
    trend = second.split('<table class="trend">')[1].split("</table>")[0]
    assert trend.count('<th scope="row">') == 7 + 1
    for bad in ("0", "-3", "99999999999999999999", "x"):  # out of range: the nearest page
        assert client.get(f"/o/many/compare?period=2026&page={bad}").status_code == 200
