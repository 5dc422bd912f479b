"""A whole questionnaire answered with the keyboard alone (Tab, Space, Enter, arrow keys)."""
from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

ACTIVE = """() => { const e = document.activeElement;
  return {tag: e.tagName, type: e.type || '', name: e.name || '', value: e.value || '',
          checked: !!e.checked}; }"""


def test_answer_everything_by_keyboard(page, live):
    base, app, (_aid, aid) = live
    sign_in(page, base, "keyboard@example.org")
    page.goto(f"{base}/assessments/{aid}")
    page.wait_for_url(f"{base}/assessments/{aid}/block/alpha")
    visited = set()
    for _ in range(2000):
        if page.url.endswith("/review"):
            break
        page.keyboard.press("Tab")
        el = page.evaluate(ACTIVE)
        if el["type"] == "radio" and not el["checked"]:
            page.keyboard.press("Space")
            page.keyboard.press("ArrowDown")  # moves to, and selects, the next option
        elif el["type"] == "checkbox" and not el["checked"] and el["name"] not in visited:
            visited.add(el["name"])
            page.keyboard.press("Space")
        elif el["tag"] == "BUTTON" and el["name"] == "go" and el["value"] == "next":
            url = page.url
            page.keyboard.press("Enter")
            page.wait_for_url(lambda u, before=url: u != before)
    assert page.url.endswith(f"/assessments/{aid}/review")
    assert "7 of 7 maturity questions answered" in page.content()  # only the free-text note is left
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Submit the assessment":
            page.keyboard.press("Enter")
            break
    page.wait_for_url(f"{base}/assessments/{aid}/results")
    with app.app_context():
        from app import services
        from app.extensions import db
        from app.models import Assessment
        a = db.session.get(Assessment, aid)
        assert a.status == "submitted"
        assert all(b.answered == b.total for b in services.results_of(a).blocks)
        assert {r.level for r in a.answers} == {2}  # Space took level 1, ArrowDown level 2
        assert len(a.strategic_answers) == 3
        db.session.remove()
