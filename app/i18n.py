"""Locale selection: the user's choice, else the browser's Accept-Language, else Danish."""
from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user


def select_locale() -> str:
    """The locale for this request."""
    languages = current_app.config["LANGUAGES"]
    if not request:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """The organisation's time zone for every date shown (TIMEZONE, Europe/Copenhagen by default)."""
    return current_app.config["TIMEZONE"]


def translate(message: str) -> str:
    """A service's English message in the current locale (other text unchanged)."""
    from flask_babel import gettext

    from .errors import Text
    if isinstance(message, Text):
        return gettext(message.template, **message.params)
    return str(message)


def translated(errors: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(field, message) pairs with each message in the current locale."""
    return [(field, translate(message)) for field, message in errors]
