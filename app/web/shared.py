"""Organisation-wide answers (SPEC section 5): the coordinator answers the `scope:
organisation` questions once per period; department pages show them read-only."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import access, presenters, services
from .. import shared_answers as shared
from ..core.answers import STATUSES
from ..core.questionnaire import Block, Questionnaire, localized
from ..errors import Conflict, Invalid
from ..models import Assessment
from ..presenters import STATUSES as STATUS_LABELS
from ..registry import default_questionnaire
from .assess_forms import LEVEL_CHOICES, block_form, form_errors

bp = Blueprint("shared", __name__)


def shared_context(a: Assessment, q: Questionnaire, current: dict | None = None) -> dict:
    """What a department page needs to show the organisation's answers read-only (`current`:
    the organisation's answers for a's period, when the page has read them already)."""
    if not q.organisation_questions:
        return {"shared": {}, "shared_edit_url": None}
    m = access.membership_for(current_user, a.organisation_id)
    edit = (url_for("shared.period", slug=a.organisation.slug, period=a.period)
            if m is not None and m.role == "admin" else None)
    if current is None:
        current = shared.shared_answers(a.organisation_id, a.period)
    return {"shared": current, "shared_edit_url": edit}


def shared_summary(organisation_id: int, period: str, q: Questionnaire, locale: str
                   ) -> list[tuple[str, str]]:
    """The organisation-wide questions with the organisation's answer for a period, as text."""
    if not q.organisation_questions:
        return []
    answers = shared.shared_answers(organisation_id, period)
    return presenters.shared_lines(q, {k: s.answer for k, s in answers.items()}, locale)


def _locale() -> str:
    return str(get_locale() or "da")


@bp.get("/o/<slug>/shared")
@login_required
def index(slug: str):
    """The periods for which the coordinator can answer the organisation-wide questions."""
    org, m = access.organisation_for(current_user, slug)
    access.require_admin(m)
    return render_template("shared/index.html", org=org, section="shared",
                           periods=list(reversed(services.periods_of(org))),
                           questions=shared.organisation_questions(), locale=_locale(),
                           localized=localized)


@bp.route("/o/<slug>/shared/<period>", methods=["GET", "POST"])
@login_required
def period(slug: str, period: str):
    """The organisation's answers to the organisation-wide questions for one period."""
    org, m = access.organisation_for(current_user, slug)
    access.require_admin(m)
    if period not in services.periods_of(org):
        abort(404)
    q = default_questionnaire()
    questions = shared.organisation_questions(q)
    if not questions:
        abort(404)
    current = shared.shared_answers(org.id, period)
    page = Block(id="organisation", title={}, intro={}, questions=tuple(questions))

    def make_form(formdata=None):
        return block_form(page, _locale(), {k: s.answer for k, s in current.items()},
                          {k: s.version for k, s in current.items()}, formdata)

    errors, conflicts, status = [], [], 200
    if request.method == "POST":
        form = make_form(request.form)
        unknown = form.unknown_fields(request.form)
        if unknown:
            errors, status = [("", _("The form contained an unknown field “%(name)s”; nothing "
                                     "was saved.", name=unknown[0]))], 422
        elif not form.validate():
            errors, status = form_errors(form), 422
        else:
            changes, expected = form.changes()
            try:
                shared.save_shared_answers(org, period, current_user, changes, expected, q)
            except Conflict as exc:
                conflicts, status = exc.conflicts, 409
            except Invalid as exc:
                errors, status = [("", str(message)) for _f, message in exc.errors], 422
            else:
                return redirect(url_for(".period", slug=slug, period=period, saved=1), 303)
    else:
        form = make_form()
    blocks = [(b, [x for x in b.questions if x.organisation_wide]) for b in q.blocks]
    return render_template(
        "shared/period.html", org=org, section="shared", period=period, q=q, form=form,
        blocks=[(b, xs) for b, xs in blocks if xs], current=current, errors=errors,
        conflicts=conflicts, saved=request.args.get("saved") == "1", locale=_locale(),
        localized=localized, level_choices=LEVEL_CHOICES, status_choices=STATUSES,
        status_labels={k: str(v) for k, v in STATUS_LABELS.items()},
        value_text=presenters.value_text,
        level_labels=[_("Level %(level)s:", level=n) for n in range(1, 6)]), status
