"""Charts as people read them: text never below 12 px, no cut labels, value labels, one colour
per department. The real questionnaire's French titles are the longest labels there are."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.charts import MIN_TEXT, NARROW, WIDE, department_colours, to_svg
from app.charts.blocks import block_chart
from app.charts.compare import comparison_chart, trend_chart
from app.core.questionnaire import load_questionnaire, localized
from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"
Q = load_questionnaire(ROOT / "questionnaires" / "digital-resilience" / "1.yaml")


def texts(drawing) -> list[tuple[str, float]]:
    """(text, font size) of every text of the drawing's SVG."""
    root = ET.fromstring(to_svg(drawing, "t", "d"))
    return [(t.text or "", float(t.get("font-size").removesuffix("px")))
            for t in root.iter(f"{SVG}text")]


def svg_colour(c) -> str:
    """A colour as renderSVG writes it."""
    return f"rgb({int(c.red * 100)}%,{int(c.green * 100)}%,{int(c.blue * 100)}%)"


def fr_fmt(v: float) -> str:
    return f"{v:.1f}".replace(".", ",")


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
@pytest.mark.parametrize("width", [NARROW, WIDE])
def test_block_and_comparison_charts_keep_every_label_whole_and_readable(locale, width):
    titles = [localized(b.title, locale) for b in Q.blocks]
    scores = [41.7, None, 58.3, 100.0, 0.0]
    series = [("Sociale Forhold og Beskæftigelse", [*scores, 45.0]),
              ("Teknik og Miljø", [75.0] * 6), ("Demo Kommune (organisation)", [52.1] * 6)]
    for drawing in (block_chart(titles, scores, width=width, fmt=fr_fmt, axis_title="Score"),
                    comparison_chart([*titles, "Global"], series, width=width, fmt=fr_fmt,
                                     axis_title="Score")):
        found = texts(drawing)
        assert drawing.width == width
        assert min(size for _t, size in found) >= MIN_TEXT
        assert not [t for t, _s in found if "…" in t], locale
        words = " ".join(t for t, _s in found)
        for title in titles:  # every word of every title is drawn
            assert all(w in words for w in title.split())
        assert "41,7" in words and "100,0" in words and "Score" in words  # values and axis title


def test_trend_chart_labels_the_latest_values_and_the_axes():
    drawing = trend_chart(["2025", "2026"], [("A", [20.0, 30.0]), ("B", [21.0, 31.0]),
                                             ("Org", [None, 50.0])],
                          width=NARROW, fmt=fr_fmt, axis_title="Score global", period_title="Période")
    found = texts(drawing)
    assert min(size for _t, size in found) >= MIN_TEXT
    words = [t for t, _s in found]
    assert {"30,0", "31,0", "50,0", "Score global", "Période"} <= set(words)


def test_a_department_keeps_its_colour_whatever_else_is_drawn():
    one = department_colours(["Teknik", "Social"])
    two = department_colours(["Social", "Teknik"])
    assert one == two and one["Social"] != one["Teknik"]
    colour = one["Teknik"]
    for drawing in (comparison_chart(["a"], [("Social", [1.0]), ("Teknik", [2.0]), ("Org", [3.0])],
                                     colours=[one["Social"], colour]),
                    trend_chart(["2025"], [("Social", [1.0]), ("Teknik", [2.0]), ("Org", [3.0])],
                                colours=[one["Social"], colour])):
        assert f'fill="{svg_colour(colour)}"' in to_svg(drawing, "t", "d")
    with pytest.raises(ValueError):
        comparison_chart(["a"], [("Social", [1.0]), ("Teknik", [2.0]), ("Org", [3.0])],
                         colours=[colour])
