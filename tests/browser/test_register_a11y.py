"""axe-core on the register's pages and states: table, filters, heat map, form, errors, import."""
from __future__ import annotations

import pytest

from app.demo import PASSWORD as DEMO_PASSWORD
from tests.browser.conftest import check, serve

pytestmark = pytest.mark.browser
PASSWORD = DEMO_PASSWORD  # every demo account's password
COORDINATOR = "koordinator@demo.dk"
VIEWER = "laeser@demo.dk"


def _seed():
    from app.demo import seed
    seed()  # Demo Kommune with its register of 27 entries
    return {}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from serve(tmp_path_factory, _seed)


def sign_in(page, base, email=COORDINATOR):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
def test_register_page_in_each_language(browser, site, locale):
    base, _app, _ids = site
    context = browser.new_context(locale={"da": "da-DK", "en": "en-GB", "fr": "fr-FR"}[locale])
    page = context.new_page()
    sign_in(page, base)
    page.goto(base + "/o/demo/register")
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator("svg[role=img]:visible").count() == 1
    check(page)
    context.close()


def test_filters_form_and_errors_without_javascript(page, site):
    base, _app, _ids = site
    page.route("**/static/app.js", lambda route: route.abort())
    sign_in(page, base)
    page.goto(base + "/o/demo/register")
    page.select_option("#filter-condition", "red_entry")
    page.locator("form[method=get] button[type=submit]").click()
    page.wait_for_url("**condition=red_entry**")
    assert page.locator("#entries-caption + thead + tbody tr, table:has(#entries-caption) tbody tr").count() >= 3
    check(page)
    page.goto(base + "/o/demo/register/new")
    check(page)
    page.fill("#name", "Testsystem")
    page.locator("main form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    assert page.get_attribute("#layer", "aria-invalid") == "true"
    check(page)
    page.select_option("#layer", "cloud-services")
    page.fill("#supplier", "Testleverandør")
    page.select_option("#supplier_country", "DK")
    page.select_option("#hosting_country", "on_premises")
    page.select_option("#criticality", "high")
    page.select_option("#lock_in", "2")
    page.select_option("#data_export", "yes")
    page.select_option("#exit_plan", "tested")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/o/demo/register")
    assert "Testsystem" in page.content()
    page.locator("a", has_text="Testsystem").first.click()
    check(page)  # the edit form
    page.locator("a[href$='/delete']").click()
    check(page)  # the confirmation page
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/o/demo/register")
    assert page.locator("a", has_text="Testsystem").count() == 0


def test_import_errors_and_read_only_entry(page, site, tmp_path):
    base, _app, _ids = site
    sign_in(page, base)
    page.goto(base + "/o/demo/register/import")
    check(page)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,layer\nX,nowhere\n", encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.locator("main form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    check(page)
    page.goto(base + "/o/demo/register/changes")
    assert page.locator("table tbody tr").count() >= 27  # the demo's entries, added by import
    check(page)
    page.locator("header form[action$='/logout'] button").click()
    sign_in(page, base, VIEWER)
    page.goto(base + "/o/demo/register")
    page.locator("table:has(#entries-caption) tbody a").first.click()
    assert page.locator("main form[method=post]").count() == 0
    check(page)
