"""The questionnaire's glossary (SPEC section 2, `glossary`): one page of definitions, linked
from every questionnaire page, that works without JavaScript."""
from __future__ import annotations

import re

from flask import Blueprint, abort, render_template
from flask_babel import get_locale

from ..core.questionnaire import localized
from ..registry import registry

bp = Blueprint("glossary", __name__)


def term_anchor(term: str) -> str:
    """A stable fragment id for a term: 'punkt-til-punkt-integration' -> 'term-punkt-til-...'."""
    return "term-" + (re.sub(r"[^a-z0-9]+", "-", term.casefold()).strip("-") or "x")


@bp.get("/questionnaires/<qid>/<version>/glossary")
def show(qid: str, version: str):
    """The terms of one questionnaire version, explained in the current language."""
    q = registry().get(qid, version)
    if q is None or not q.glossary:
        abort(404)
    locale = str(get_locale() or "da")
    entries = sorted(((localized(g.term, locale), localized(g.text, locale)) for g in q.glossary),
                     key=lambda e: e[0].casefold())
    return render_template("glossary.html", q=q, locale=locale, localized=localized,
                           entries=[(term_anchor(t), t, x) for t, x in entries])
