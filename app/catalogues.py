"""A configured language without a compiled catalogue is dropped loudly, never served silently.

Without its messages.mo, Flask-Babel would show English text under <html lang="da">: the
wrong language for every screen reader, and no error anywhere. Instead the locale is removed
from LANGUAGES with an error in the log, and pages come out in the source language (English)
with lang="en".
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask

SOURCE_LANGUAGE = "en"


def missing_catalogues(app: Flask) -> list[str]:
    """The configured locales (other than the source language) with no compiled catalogue."""
    dirs = [Path(d) for d in str(app.config["BABEL_TRANSLATION_DIRECTORIES"]).split(";") if d]
    return [loc for loc in app.config["LANGUAGES"] if loc != SOURCE_LANGUAGE and not any(
        (d / loc / "LC_MESSAGES" / "messages.mo").is_file() for d in dirs)]


def check_catalogues(app: Flask) -> None:
    """Drop locales without a compiled catalogue (logging an error); fall back to English."""
    missing = missing_catalogues(app)
    if not missing:
        return
    app.logger.error(
        "No compiled message catalogue (messages.mo) for %s in %s: serving %s instead. "
        "Run `make compile` (pybabel compile -d translations) or install the built wheel.",
        ", ".join(missing), app.config["BABEL_TRANSLATION_DIRECTORIES"], SOURCE_LANGUAGE)
    app.config["LANGUAGES"] = tuple(x for x in app.config["LANGUAGES"] if x not in missing)
    if app.config["BABEL_DEFAULT_LOCALE"] in missing:
        app.config["BABEL_DEFAULT_LOCALE"] = SOURCE_LANGUAGE
