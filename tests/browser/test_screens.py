"""The real questionnaire's pages at 375 px and 1366 px in three languages, as screenshots.

The screenshots go to SCREENSHOTS_DIR (default: screenshots/ in the worktree, which git
ignores) for a person to look at. The checks a script can make are made here: no page scrolls
sideways, no visible text is smaller than 12 px (chart text included), no chart label is cut.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import check, serve
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
PASSWORD = "demo-resilience-2026"
COORDINATOR = "koordinator@demo.dk"
WIDTHS = (375, 1366)

# Rendered text size of every visible text: CSS font size, times the SVG's scale for chart text.
# Every visible word laid out on one line: a word whose characters land on two lines was
# split mid-word (a narrow grid cell, overflow-wrap). Words with a hyphen or slash may break
# there; text in an SVG is checked for cut labels instead.
SPLIT_WORDS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest('svg, .visually-hidden, option, script, style')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const text = node.textContent;
    for (const m of text.matchAll(/\\S+/g)) {
      if (/[-\\/\u00ad\u2010-\u2014]/.test(m[0])) continue;
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                           .map(r => Math.round(r.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out;
}"""

SMALL_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1 || !el.checkVisibility({visibilityProperty: true})) continue;
    if (el.closest('.visually-hidden, title, desc, option')) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest('svg');
    if (svg) {
      const box = svg.viewBox.baseVal;
      size = parseFloat(el.getAttribute('font-size') || size) * svg.getBoundingClientRect().width / box.width;
    }
    if (size < 11.95) out.push([node.textContent.trim().slice(0, 40), Math.round(size * 10) / 10]);
  }
  return out;
}"""


def _seed():
    from sqlalchemy import select

    from app import services
    from app.demo import seed
    from app.extensions import db
    from app.models import Department, User
    seed()
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
    culture = db.session.scalar(select(Department).where(Department.slug == "kultur-og-borgerservice"))
    draft = services.find_assessment(culture, "2026")
    services.reopen(draft, coordinator)
    tech = db.session.scalar(select(Department).where(Department.slug == "teknik-og-miljoe"))
    return {"draft": draft.id, "submitted": services.find_assessment(tech, "2026").id}


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    """The demo municipality on the real questionnaire."""
    yield from serve(tmp_path_factory, _seed, (ROOT / "questionnaires", "digital-resilience"))


@pytest.fixture(scope="module")
def shots():
    folder = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_and_stay_readable(browser, real_site, shots, locale, width):
    base, _app, ids = real_site
    context = browser.new_context(locale={"da": "da-DK", "en": "en-GB", "fr": "fr-FR"}[locale],
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#email", COORDINATOR)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")
    pages = {"home": "/", "questionnaire": f"/assessments/{ids['draft']}/block/strategy",
             "results": f"/assessments/{ids['submitted']}/results",
             "comparison": "/o/demo/compare?period=2026"}
    for name, path in pages.items():
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == locale
        page.screenshot(path=str(shots / f"{name}-{locale}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, locale)
        assert page.evaluate(SMALL_TEXT) == [], (name, locale, width)
        assert page.evaluate(SPLIT_WORDS) == [], (name, locale, width)
        cut = page.evaluate("() => [...document.querySelectorAll('svg text')]"
                            ".map(t => t.textContent).filter(t => t.includes('…'))")
        assert cut == [], (name, locale, width)
        if width == 1366 and name == "comparison":
            table = page.locator("table.comparison")
            assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth"), locale
        check(page)
    context.close()
