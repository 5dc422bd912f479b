"""Accounts: one rule for e-mail addresses and one for passwords, whatever the path."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from app import services
from app.errors import Invalid, Text
from app.i18n import translate


@pytest.mark.parametrize("email, ok", [
    ("name@example.dk", True), ("  Name@Example.DK ", True), ("name@", False), ("@example.dk", False),
    ("no-at-sign", False), ("a@" + "b" * 260, False),
])
def test_one_email_rule_for_users_and_invitations(app, make_org, make_user, email, ok):
    org = make_org()
    boss = make_user("boss@example.org", org=org, role="admin")
    assert (services.email_problem(services.normalise_email(email)) is None) is ok
    if ok:
        user = services.create_user(email, "long enough here", org.slug, "viewer")
        assert user.email == "name@example.dk" and services.user_by_email(email) == user
    else:
        with pytest.raises(Invalid):
            services.create_user(email, "long enough here", org.slug, "viewer")
        with pytest.raises(Invalid) as exc:
            services.create_invitation(boss.memberships[0], boss, email, "viewer", None)
        assert exc.value.errors[0][0] == "email"


@pytest.mark.parametrize("password, ok", [("12345678901", False), ("a good password", True),
                                          ("", False), ("password1234", False)])
def test_one_password_rule(app, make_org, password, ok):
    org = make_org()
    assert (services.password_problem(password) is None) is ok
    if not ok:
        with pytest.raises(Invalid, match="at least 12 characters|most common"):
            services.create_user("x@example.org", password, org.slug, "viewer")


def test_service_messages_are_english_and_the_adapter_translates(app):
    message = Text("The period %(label)s already exists.", label="2026")
    assert message == "The period 2026 already exists."
    with force_locale("da"):
        assert translate(message) != message and "2026" in translate(message)
    assert translate("plain text") == "plain text"
