"""axe-core in headless Chromium: zero WCAG 2.1 A/AA violations on the coordinator's pages."""
from __future__ import annotations

import re

import pytest

from app.demo import PASSWORD as DEMO_PASSWORD
from tests.browser.conftest import check, serve, sign_in

pytestmark = pytest.mark.browser
PASSWORD = DEMO_PASSWORD  # every demo account's password
COORDINATOR = "koordinator@demo.dk"


@pytest.fixture(scope="module")
def demo_live(tmp_path_factory):
    """(base url, app) of a server holding the seeded Demo Kommune on the mini questionnaire."""
    from app.demo import seed
    for base, app, _ in serve(tmp_path_factory, seed):
        yield base, app


def submit(page):
    page.locator("main form[method=post] button[type=submit]").first.click()


def test_dashboard_and_sorting(page, demo_live):
    base, _app = demo_live
    sign_in(page, base, COORDINATOR, PASSWORD)
    page.goto(base + "/o/demo/compare")
    assert page.locator("figure.chart svg[role=img]:visible").count() == 2  # one variant each
    check(page)
    page.locator("table.comparison thead a").nth(1).click()  # sort by overall
    assert page.locator("th[aria-sort]").count() == 1
    check(page)


def test_chart_choice_and_period_work_without_javascript(browser, demo_live):
    base, _app = demo_live
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()  # axe needs JavaScript, so this test checks behaviour only
    sign_in(page, base, COORDINATOR, PASSWORD)
    page.goto(base + "/o/demo/compare")
    for box in page.locator(".checkbox-list input").all():
        box.uncheck()
    page.check("#show-teknik-og-miljoe")
    page.locator(".choose-departments button").click()
    chart = page.locator("figure.chart").first.inner_html()
    assert "Teknik og Milj" in chart and "Sundhed" not in chart
    page.select_option("#period-select", "2025")
    page.locator("main form[method=get] button").first.click()
    assert "period=2025" in page.url
    assert page.locator("#period-select option[selected]").inner_text() == "2025"
    context.close()


def test_dashboard_in_danish_for_a_viewer(browser, demo_live):
    base, _app = demo_live
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    sign_in(page, base, "laeser@demo.dk", PASSWORD)
    page.goto(base + "/o/demo/compare")
    assert page.locator("html").get_attribute("lang") == "da"
    check(page)
    context.close()


def test_administration_pages_and_their_error_states(page, demo_live):
    base, _app = demo_live
    sign_in(page, base, COORDINATOR, PASSWORD)
    for path in ("/o/demo/admin", "/o/demo/admin/departments", "/o/demo/admin/periods",
                 "/o/demo/admin/users", "/o/demo/admin/invitations"):
        page.goto(base + path)
        check(page)
    page.goto(base + "/o/demo/admin/departments")
    page.fill("#name", "Teknik og Miljø")
    submit(page)
    assert page.locator("#error-summary").is_visible()
    check(page)
    page.locator("table .row-form input[name=name]").first.fill("Sundhed og Omsorg")
    page.locator("table .row-form button").first.click()
    assert page.locator("#error-summary").is_visible()
    check(page)
    page.goto(base + "/o/demo/admin/periods")
    page.fill("#label", "")
    submit(page)
    assert page.get_attribute("#label", "aria-invalid") == "true"
    check(page)
    page.goto(base + "/o/demo/admin/users")
    page.locator("table .row-form button").first.click()  # saves unchanged: still fine
    check(page)
    page.goto(base + "/o/demo/admin")
    page.locator("a[href$='/audit']").first.click()
    assert page.locator("table").count() == 1
    check(page)


def test_invitation_pages(browser, page, demo_live):
    base, _app = demo_live
    sign_in(page, base, COORDINATOR, PASSWORD)
    page.goto(base + "/o/demo/admin/invitations")
    page.fill("#email", "ny.leder@demo.dk")
    submit(page)  # a leader's department is required: the error is shown first
    assert page.locator("#error-summary").is_visible()
    check(page)
    page.select_option("#department", index=1)
    submit(page)
    link = page.input_value("#invitation-link")
    check(page)
    context = browser.new_context(locale="en-GB")
    visitor = context.new_page()
    visitor.goto(link)
    check(visitor)
    visitor.fill("#password", "short")
    visitor.locator("main button[type=submit]").click()
    assert visitor.locator("#error-summary").is_visible()
    check(visitor)
    visitor.fill("#name", "Ny Leder")
    visitor.fill("#password", "a good password")
    visitor.fill("#confirm", "a good password")
    visitor.locator("main button[type=submit]").click()
    visitor.wait_for_url(re.compile(re.escape(base) + r"/login\?email=ny\.leder%40demo\.dk|"
                                    + re.escape(base) + r"/login\?email=ny\.leder@demo\.dk"))
    assert visitor.input_value("#email") == "ny.leder@demo.dk"
    visitor.goto(link)
    assert "already been used" in visitor.content()
    check(visitor)
    context.close()
