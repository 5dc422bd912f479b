"""Locale selection: the user's choice, else the browser's Accept-Language, else Danish."""
from __future__ import annotations

from functools import lru_cache

from flask import current_app, request, session
from flask_login import current_user
from markupsafe import Markup


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



@lru_cache(maxsize=8192)
def _plain(catalogue, string: str, autoescape: bool) -> str:
    """A template string without placeholders, translated, as Jinja's `gettext` returns it."""
    rv = catalogue.ugettext(string)
    return (Markup(rv) if autoescape else rv) % {}


def _template_gettext(catalogue):
    """Jinja's `gettext` for templates (jinja2.ext), with the strings that have no
    placeholders (most of a page's) translated once per catalogue instead of per call."""
    from jinja2 import pass_context
    from jinja2.ext import _make_new_gettext
    general = _make_new_gettext(catalogue.ugettext)

    @pass_context
    def gettext(context, string, **variables):
        if variables:
            return general(context, string, **variables)
        return _plain(catalogue, string, context.eval_ctx.autoescape)
    return gettext


def install_template_gettext(app) -> None:
    """`_()`, `gettext` and `ngettext` in templates bound to the catalogue once per render.

    Flask-Babel's own callables look up the domain, the locale and the catalogue again for
    every string a template translates (a fifth of the results page's time); here a context
    processor finds the catalogue when a template starts rendering (inside any
    `force_locale`) and hands the template Jinja's own wrappers around it (`_` too, which
    would otherwise look `gettext` up on every call). Templates rendered without the context
    (imported macros) keep Flask-Babel's callables.
    """
    from flask_babel import get_translations
    try:  # private helpers of Jinja's i18n extension (jinja2 3.x); without them, Flask-Babel's
        from jinja2.ext import _make_new_gettext, _make_new_ngettext  # noqa: F401
    except ImportError:  # pragma: no cover - a later Jinja; slower, same text
        return

    @app.context_processor
    def bound_gettext() -> dict:
        catalogue = get_translations()
        gettext = _template_gettext(catalogue)
        return {"gettext": gettext, "_": gettext,
                "ngettext": _make_new_ngettext(catalogue.ungettext)}
