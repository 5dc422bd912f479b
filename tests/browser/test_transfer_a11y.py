"""axe-core on the download and erasure pages (issue 20), in Danish, English and French."""
from __future__ import annotations

import pytest

from app.demo import PASSWORD
from tests.browser.conftest import check, serve
from tests.browser.test_all_pages_a11y import choose_language

pytestmark = pytest.mark.browser

COORDINATOR = "koordinator@demo.dk"


def _seed():
    from sqlalchemy import select

    from app.demo import seed
    from app.extensions import db
    from app.models import Membership, User
    seed()
    leader = db.session.scalar(select(User).where(User.email == "kultur@demo.dk"))
    return {"leader": db.session.scalar(select(Membership.id).where(
        Membership.user_id == leader.id))}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from serve(tmp_path_factory, _seed)


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
def test_backup_account_and_erase_pages(page, site, locale):
    base, _app, ids = site
    page.goto(base + "/login")
    page.fill("#email", COORDINATOR)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")
    choose_language(page, locale)
    for path in ("/o/demo/admin", "/o/demo/admin/users", "/account",
                 f"/o/demo/admin/users/{ids['leader']}/erase"):
        response = page.goto(base + path)
        assert response.status == 200, path
        check(page)
