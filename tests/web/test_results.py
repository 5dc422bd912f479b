"""The results page, and the block chart it shares with the PDF."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from app import services
from app.charts import to_svg
from app.charts.blocks import block_chart
from app.core.answers import Answer
from tests.conftest import department, login

EN = {"Accept-Language": "en"}
SVG = "{http://www.w3.org/2000/svg}"


def test_svg_is_accessible_scalable_and_escaped():
    svg = to_svg(block_chart(["Arkitektur & <b>", "B"], [37.5, None]), "Title <x>", "Desc & more")
    root = ET.fromstring(svg)  # well-formed, no prolog
    assert not svg.lstrip().startswith("<?xml")
    assert root.get("role") == "img" and root.get("width") is None and root.get("height") is None
    assert root.get("viewBox")
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Title <x>"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == "Desc & more"
    assert "style=" not in svg  # a strict CSP would block inline styles
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "37.5" in texts and "–" in texts and "Arkitektur & <b>" in texts


def test_two_charts_on_one_page_have_distinct_ids():
    one = to_svg(block_chart(["A"], [10]), "t", "d")
    two = to_svg(block_chart(["A"], [10]), "t", "d")
    def ids(s):
        return set(re.findall(r'\sid="([^"]+)"', s))
    assert ids(one) and not ids(one) & ids(two)


def test_block_chart_draws_bars_in_proportion():
    from reportlab.graphics.shapes import Rect, String

    from app.charts import BAR
    d = block_chart(["a", "b", "c", "d", "e"], [25, 50, 100, None, 130], width=500)
    assert d.width == 500 and d.height > 0
    bars = sorted((r for r in d.contents if isinstance(r, Rect) and r.fillColor == BAR),
                  key=lambda r: -r.y)  # top to bottom, as the labels are listed
    assert len(bars) == 4  # no bar for the block without a score
    full = bars[2].width  # the score of 100
    assert full > d.width / 2  # the scale takes most of the width
    assert [round(b.width / full, 6) for b in bars] == [0.25, 0.5, 1.0, 1.0]  # 130 is capped
    assert len({b.x for b in bars}) == 1  # every bar starts on the same axis
    assert "–" in [s.text for s in d.contents if isinstance(s, String)]  # the missing score says so
    with pytest.raises(ValueError):
        block_chart(["a"], [1, 2])


@pytest.fixture
def results_page(client, make_org, make_user, make_assessment):
    org = make_org()
    dep = department(org, "culture")
    make_user(org=org, department=dep)
    a = make_assessment(dep, levels={
        "alpha-one": Answer(level=2, target=4, comment="<i>ours</i>"), "alpha-two": 3,
        "alpha-three": 1, "beta-one": 5},
        strategic={})
    login(client, "leader@example.org")
    return a


def test_results_page_shows_scores_table_chart_and_recommendations(client, results_page):
    a = results_page
    r = client.get(f"/assessments/{a.id}/results", headers=EN)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    # alpha: (1*1 + 2*2 + 1*0) / (4*4) = 31.25 -> 31.3; beta: one of two answered, 100.
    assert "31.3" in html and "100.0" in html
    assert "uncertain" in html  # beta has only half... gamma has none
    assert 'role="img"' in html and "<svg" in html
    assert "<caption>Scores per block</caption>" in html
    assert "Stage" in html and "Developing" in html
    assert f'href="/assessments/{a.id}/report.pdf?locale=en"' in html
    assert "<th scope=\"col\">Level of influence</th>" in html
    assert "Priority 1" in html
    assert "&lt;i&gt;ours&lt;/i&gt;" in html
    # Gaps: alpha-one level 2, target 4.
    assert re.search(r'Alpha one\?</th>\s*<td class="num" data-label="Level">2</td>'
                     r'<td class="num" data-label="Target">4</td>'
                     r'<td class="num" data-label="Gap">2</td>', html)


def test_open_gaps_come_largest_first_and_met_targets_are_folded(client, make_org, make_user,
                                                                   make_assessment):
    """A long list of every question with a target made the page tens of screens long on a
    phone: the gaps still open come first, largest first; the questions at or above their
    target are folded into a <details> that works without JavaScript."""
    org = make_org()
    dep = department(org, "culture")
    make_user(org=org, department=dep)
    a = make_assessment(dep, levels={
        "alpha-one": Answer(level=3, target=4), "alpha-two": Answer(level=1, target=4),
        "beta-one": Answer(level=4, target=4), "gamma-one": Answer(level=5, target=3)})
    login(client, "leader@example.org")
    html = client.get(f"/assessments/{a.id}/results", headers=EN).get_data(as_text=True)
    shown, folded = html.split('<details class="met-gaps">')
    shown = shown[shown.index("Gaps to target"):]
    folded = folded[:folded.index("</details>")]
    assert "Questions below their target level, largest gap first" in shown
    assert shown.index("Alpha two?") < shown.index("Alpha one?")  # gap 3 before gap 1
    assert "Beta one?" not in shown and "Gamma one?" not in shown
    assert "<summary>2 questions are at or above their target level</summary>" in folded
    assert folded.index("Beta one?") < folded.index("Gamma one?")  # questionnaire order
    assert 'data-label="Gap">-2</td>' in folded
    everything_met = make_assessment(department(make_org("other", "Other"), "culture"),
                                     levels={"alpha-one": Answer(level=4, target=4)})
    from app import presenters
    assert presenters.gaps_to_close(services.results_of(everything_met).gaps)[0] == []


def test_the_why_label_keeps_the_french_space_before_its_colon(client, results_page):
    """The label and its colon are one message: French puts a narrow no-break space before
    the colon, which a colon added after the translation cannot."""
    html = client.get(f"/assessments/{results_page.id}/results",
                      headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<span class="why-heading">Justification\u202f:</span>' in html


def test_results_page_in_danish_uses_danish_stage_names_and_decimal_comma(client, results_page):
    html = client.get(f"/assessments/{results_page.id}/results",
                      headers={"Accept-Language": "da"}).get_data(as_text=True)
    assert "31,3" in html
    assert "report.pdf?locale=da" in html
    chart = html[html.index("<svg"):html.index("</svg>")]
    labels = re.findall(r">(\d+[.,]\d)<", chart)
    assert labels and all("," in v for v in labels), labels  # the chart speaks Danish too
    assert 'font-family="Helvetica"' not in chart  # a CSS font stack, not a PDF font name
    assert "Resultater: " in html


def test_results_without_answers(client, make_org, make_user, make_assessment):
    org = make_org()
    make_user(org=org)
    a = make_assessment(department(org, "culture"))
    login(client, "leader@example.org")
    html = client.get(f"/assessments/{a.id}/results", headers=EN).get_data(as_text=True)
    assert "there is no score" in html and "No initiative is recommended" in html


def _html(client, a, query="", lang="en"):
    r = client.get(f"/assessments/{a.id}/results{query}", headers={"Accept-Language": lang})
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_a_draft_opens_with_a_provisional_note_then_headline_and_priorities(client, results_page):
    html = _html(client, results_page)
    note = html.index("Provisional results")
    assert html.index("<h1>") < note < html.index('class="big-score"')
    priorities = html[html.index('id="priorities-heading"'):html.index("</ol>")]
    assert html.index('class="big-score"') < html.index('id="priorities-heading"') \
        < html.index("Scores per block")
    items = re.findall(r'<li><a class="title" href="#initiative-([a-z0-9-]+)">', priorities)
    # init-mixed (high, alpha-three 1: 3 x 3), init-alpha (high, mean 8/3 against target 4:
    # 3 x 4/3), init-alpha-2 (medium, alpha-one 2 against target 4: 2 x 2)
    assert items == ["init-mixed", "init-alpha", "init-alpha-2"]
    # each with its reasons as a sentence: level, question, threshold; never the level-3 answer
    assert "Level 2 on “Alpha one?” – below the threshold 3" in priorities
    assert "Alpha two?" not in priorities
    assert "no target" not in html and "?:" not in priorities
    for iid in items:  # every priority links to its row in the table below
        assert f'<tr id="initiative-{iid}"' in html


def test_a_submitted_assessment_has_no_provisional_note(client, results_page, app):
    from app.extensions import db
    results_page.status = "submitted"
    db.session.commit()
    assert "Provisional" not in _html(client, results_page)


@pytest.mark.parametrize("view, headings", [
    ("", []),
    ("?view=priority", []),
    ("?view=nonsense", []),
    ("?view=track", ["Track 1: Track A", "Track 2: Track B"]),
    ("?view=influence", ["Within our own control"]),
])
def test_three_views_are_links_with_the_current_one_marked(client, results_page, view, headings):
    html = _html(client, results_page, view)
    nav = html[html.index('class="view-switch"'):html.index("</nav>", html.index("view-switch"))]
    current = re.findall(r'view=(\w+)#recommendations" aria-current="page"', nav)
    assert current == [view.removeprefix("?view=") if view in ("?view=track", "?view=influence")
                       else "priority"]
    assert len(re.findall(r"<a href=", nav)) == 3
    recs = html[html.index('id="recommendations"'):html.index("Strategic questions")]
    assert re.findall(r'<h3 id="group-\d+">([^<]+)</h3>', recs) == headings
    # every view lists every recommendation once
    assert sorted(re.findall(r'<tr id="initiative-([a-z0-9-]+)"', recs)) == [
        "init-alpha", "init-alpha-2", "init-mixed"]


def test_the_page_shows_the_organisation_mean_and_the_change_since_last_period(
        client, make_org, make_user, make_assessment):
    org = make_org(departments=("culture", "it"))
    dep = department(org, "culture")
    make_user(org=org, department=dep)
    make_assessment(dep, "2025", {"alpha-one": 1, "alpha-two": 1, "alpha-three": 1},
                    status="submitted")
    a = make_assessment(dep, "2026", {"alpha-one": 3, "alpha-two": 3, "alpha-three": 3},
                        status="submitted")
    make_assessment(department(org, "it"), "2026", {"alpha-one": 5, "alpha-two": 5,
                                                    "alpha-three": 5}, status="submitted")
    make_assessment(department(org, "it"), "2025", {"alpha-one": 1})  # a draft: not counted
    login(client, "leader@example.org")
    html = _html(client, a)
    headline = html[html.index('class="headline"'):html.index("</section>")]
    # overall: 50.0 now (alpha only), 0.0 in 2025; organisation mean (50 + 100) / 2 = 75
    assert "Since 2025:" in headline and "▲ 50.0" in headline and "was 0.0" in headline
    assert "up 50.0" in headline  # the arrow has words for screen readers
    assert "Organisation mean 2026:" in headline and "<strong>75.0</strong>" in headline
    assert "2 submitted departments" in headline
    table = html[html.index("<caption>Scores per block</caption>"):]
    table = table[:table.index("</table>")]
    assert "Organisation mean" in table and "Score 2025" in table and "Change" in table
    assert re.search(r"Alpha block</th>\s*<td class=\"num\"[^>]*>50.0</td>.*?"
                     r"<td class=\"num\"[^>]*>75.0</td>\s*<td class=\"num\"[^>]*>0.0</td>",
                     table, re.S)


def test_without_context_the_page_says_nothing_about_it(client, results_page):
    html = _html(client, results_page)
    assert "Since " not in html and "Score 2025" not in html
    # the draft itself is not a submitted department: no organisation mean either
    assert "Organisation mean" not in html
