"""The respondent's pages: home, questionnaire blocks, strategic questions, review, submit."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import MultiDict

from .. import access, pending, presenters, rounds, services
from ..core.answers import STATUSES
from ..core.progress import (
    is_answered,
    numbered,
    pages_progress,
)
from ..core.questionnaire import localized
from ..core.scoring import answered_count
from ..errors import Conflict, Invalid, Locked
from ..extensions import csrf
from ..models import Assessment
from ..shared_answers import effective_of, shared_of
from .assess_forms import LEVEL_CHOICES, block_form, form_errors, strategic_form
from .shared import shared_context

bp = Blueprint("assess", __name__)
STRATEGIC = "strategic"


def _locale() -> str:
    return str(get_locale() or "da")


# -- home and start ------------------------------------------------------------------------------

def _next_draft(user, assessments: list[tuple[Assessment, int, int]]):
    """The draft the user would continue: the newest one they may change, or None."""
    memberships = {m.organisation_id: m for m in user.memberships}
    for a, answered, total in assessments:  # newest period first
        m = memberships.get(a.organisation_id)
        if a.status == "draft" and m is not None and access.can_write(m, a):
            return a, answered, total
    return None


def intro_facts(q, share_all: bool) -> dict:
    """What the introduction tells a leader: time, structure, and who sees the results."""
    # About a minute and a half per maturity question (five levels to read), one per strategic one.
    minutes = 5 * round((len(q.questions) * 1.5 + len(q.strategic_questions)) / 5) or 5
    return {"minutes": minutes, "questions": len(q.questions), "blocks": len(q.blocks),
            "strategic": len(q.strategic_questions), "share_all": share_all}


def _home_intro(user) -> dict | None:
    """The introduction's facts for a user who answers; None for one who only reads results."""
    from ..registry import default_questionnaire
    writers = [m for m in user.memberships if m.role != "viewer"]
    if not writers:
        return None
    return intro_facts(default_questionnaire(),
                       any(m.organisation.share_results == "all" for m in writers))


def home_view():
    """The user's next action first (continue a draft or start), the introduction, and the list."""
    assessments = services.my_assessments(current_user)
    starts = services.start_pairs(current_user)
    # Starts that may begin from the department's answers of an earlier period (SPEC 13).
    carryable = {(d.id, p) for _m, d, p in starts
                 if any(a.department_id == d.id and a.period < p for a, *_r in assessments)}
    return render_template("home.html", assessments=assessments, starts=starts,
                           carryable=carryable,
                           next_draft=_next_draft(current_user, assessments),
                           intro=_home_intro(current_user))


@bp.post("/assessments/start")
@login_required
def start():
    """Start (or reopen the draft of) the assessment of a department and period."""
    dep_id, period = request.form.get("department", ""), request.form.get("period", "")
    for _m, deps, periods in services.start_options(current_user):
        dep = next((d for d in deps if str(d.id) == dep_id), None)
        if dep is not None and period in periods:
            existing = services.find_assessment(dep, period)
            if existing is not None and existing.status == "submitted":
                flash(_("The assessment of %(department)s for %(period)s is already submitted.",
                        department=dep.name, period=period), "error")
                return redirect(url_for("results.show", aid=existing.id), 303)
            carry = rounds.previous_assessment(dep, period) if request.form.get("carry") else None
            a = services.start_assessment(dep, period, user=current_user, carry_from=carry)
            return redirect(url_for(".resume", aid=a.id), 303)
    flash(_("Choose one of your departments and one of the open periods."), "error")
    return redirect(url_for("main.home"), 303)


@bp.get("/assessments/<int:aid>")
@login_required
def resume(aid: int):
    """Go to the page the user last saved (the first block for a new assessment)."""
    a, _m = access.assessment_for(current_user, aid)
    return redirect(_page_url(a, a.last_block or services.questionnaire_of(a).blocks[0].id))


# -- questionnaire pages ---------------------------------------------------------------------------

def _pages(a: Assessment) -> list[str]:
    return [b.id for b in services.questionnaire_of(a).blocks] + [STRATEGIC]


def _page_url(a: Assessment, page: str) -> str:
    if page == "review":
        return url_for(".review", aid=a.id)
    if page == STRATEGIC:
        return url_for(".strategic", aid=a.id)
    if page not in _pages(a):
        page = _pages(a)[0]
    return url_for(".block", aid=a.id, block_id=page)


def _destination(a: Assessment, page: str, go: str) -> str:
    """Where a navigation button leads: previous, next, review, or a named page."""
    pages = _pages(a)
    n = pages.index(page)
    if go == "prev" and n > 0:
        return _page_url(a, pages[n - 1])
    if go == "next":
        return _page_url(a, pages[n + 1] if n + 1 < len(pages) else "review")
    if go == "review" or go.startswith("page:") and go[5:] in pages:
        return _page_url(a, go[5:] if go.startswith("page:") else "review")
    return _page_url(a, page)


def _form(a: Assessment, page: str, formdata=None):
    q = services.questionnaire_of(a)
    versions = services.answer_versions(a)
    if page == STRATEGIC:
        return strategic_form(q, _locale(), services.strategic_of(a), versions, formdata)
    block = q.block(page)
    own = [x for x in block.questions if not x.organisation_wide]
    return block_form(block, _locale(), services.answers_of(a), versions, formdata, own)


def _save(a: Assessment, page: str, form, formdata) -> tuple[list, list]:
    """Validate and store a posted page: (errors, conflicts); nothing is stored if either is set."""
    unknown = form.unknown_fields(formdata)
    if unknown:
        return [("", _("The form contained an unknown field “%(name)s”; nothing was saved.",
                       name=unknown[0]))], []
    if not form.validate():
        return form_errors(form), []
    changes, expected = form.changes()
    try:
        if page == STRATEGIC:
            services.save_answers(a, current_user, {}, changes, expected=expected, last_block=page)
        else:
            services.save_answers(a, current_user, changes, expected=expected, last_block=page)
    except Conflict as exc:
        versions = services.answer_versions(a)
        for c in exc.conflicts:  # the user has now seen the other change; a new save wins
            form[f"{c['question']}-version"].data = str(versions.get(c["question"], 0))
        return [], exc.conflicts
    return [], []


def _cross_site() -> bool:
    """True when the browser says another site sent this request (Sec-Fetch-Site, else Origin)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.host


def _keep_if_signed_out(aid: int, page: str):
    """Keep a page posted after the session ended and ask to sign in; None when signed in.

    The answers are stored server-side (the cookie only carries their random id): a page of
    long comments would not fit into a cookie, and the browser would drop it silently.
    """
    if current_user.is_authenticated:
        return None
    if _cross_site():
        abort(403)  # another site's form must not plant answers for the next sign-in
    data = {k: request.form.getlist(k) for k in request.form}
    pid = pending.keep(aid, page, data)
    if pid is None:
        abort(413)
    ids = session.get("pending")
    session["pending"] = ([*ids] if isinstance(ids, list) else [])[-(pending.MAX_KEPT - 1):] + [pid]
    flash(_("Your session had ended. Sign in again to save your answers: they have been kept."),
          "error")
    return redirect(url_for("auth.login", next=request.path), 303)


def _pending(aid: int, page: str):
    """Answers kept from before the last sign-in for this page, as (formdata, trusted) or None."""
    ids = session.get("pending")
    if not ids or not isinstance(ids, list):
        return None
    found = pending.take(ids, aid, page, current_user.id)
    if found is None:
        return None
    kept, pid = found
    session["pending"] = [i for i in ids if i != pid]
    return MultiDict([(k, v) for k, vs in kept.form.items() for v in vs]), kept.trusted


def _stale_token() -> bool:
    """True when a signed-in user's post carries a token of an earlier session (CSRF failed)."""
    try:
        csrf.protect()
    except CSRFError:
        if _cross_site():
            abort(403)
        return True
    return False


def _questionnaire_page(aid: int, page: str):
    """GET or POST of a block or the strategic page."""
    if request.method == "POST":
        kept = _keep_if_signed_out(aid, page)
        if kept is not None:
            return kept
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    a, m = access.assessment_for(current_user, aid, write=request.method == "POST")
    if page not in _pages(a):
        abort(404)
    writable = a.status == "draft" and access.can_write(m, a)
    errors, conflicts, notice, status = [], [], None, 200
    if request.method == "POST":
        if a.status == "submitted":
            csrf.protect()
            errors, status = [("", _("This assessment is submitted and can no longer be changed. "
                                     "Nothing was saved."))], 409
            form = _form(a, page)
        elif _stale_token():
            # Signed in again elsewhere: show what was posted, with this session's token.
            form = _form(a, page, request.form)
            errors, status = [("", _("This page was opened before you last signed in, so nothing "
                                     "was saved yet. Your answers are shown below: check them "
                                     "and save again."))], 400
        else:
            form = _form(a, page, request.form)
            # Where to go next, found before the save: its commit expires `a`, and reading it
            # again would cost a round trip.
            destination = _destination(a, page, request.form.get("go", ""))
            errors, conflicts = _save(a, page, form, request.form)
            if not errors and not conflicts:
                return redirect(destination, 303)
            status = 409 if conflicts else 422
    elif (kept := _pending(aid, page)) is not None and writable:
        form = _form(a, page, kept[0])
        if kept[1]:
            errors, conflicts = _save(a, page, form, kept[0])
            notice = None if errors or conflicts else _(
                "The answers you sent before signing in again have been saved.")
        else:
            notice = _("These are the answers you sent before signing in again. "
                       "They are not saved yet: check them and save.")
    else:
        form = _form(a, page)
    return render_template("assess/page.html", **_page_context(a, page, form, writable),
                           errors=errors, conflicts=conflicts, notice=notice), status


def step_list(a: Assessment, answers=None) -> list[dict]:
    """The questionnaire's pages for the step list: id, numbered title, counts and status."""
    q = services.questionnaire_of(a)
    answers = effective_of(a, services.answers_of(a)) if answers is None else answers
    out = []
    for p in pages_progress(q, answers, services.strategic_of(a), STRATEGIC):
        title = (_("Strategic questions") if p.id == STRATEGIC
                 else localized(q.block(p.id).title, _locale()))
        out.append({"id": p.id, "title": numbered(title, p.number), "answered": p.answered,
                    "total": p.total, "status": p.status, "status_text": presenters.label(presenters.PAGE_STATUSES, p.status)})
    return out


def progress_text(a: Assessment, page: str, steps: list[dict]) -> str:
    """The progress line of a questionnaire page, in the one meaning of answered."""
    blocks = [s for s in steps if s["id"] != STRATEGIC]
    answered, total = sum(s["answered"] for s in blocks), sum(s["total"] for s in blocks)
    if page == STRATEGIC:
        here = next(s for s in steps if s["id"] == STRATEGIC)
        return _("Strategic questions: %(n)s of %(count)s answered. Maturity questions of the "
                 "blocks: %(answered)s of %(total)s answered.", n=here["answered"],
                 count=here["total"], answered=answered, total=total)
    n = next(i for i, s in enumerate(blocks, start=1) if s["id"] == page)
    return _("Block %(n)s of %(blocks)s. %(answered)s of %(total)s maturity questions answered "
             "in all blocks.", n=n, blocks=len(blocks), answered=answered, total=total)


def _page_context(a: Assessment, page: str, form, writable: bool) -> dict:
    q = services.questionnaire_of(a)
    pages = _pages(a)
    carried = set(rounds.carried_unconfirmed(a))
    own = services.answers_of(a)
    # The organisation's answers, read once: they count for shared questions and are shown.
    current = shared_of(a) if q.organisation_questions else {}
    answers = effective_of(a, own, current)
    steps = step_list(a, answers)
    return {"a": a, "q": q, "page": page, "form": form, "writable": writable, "pages": pages,
            "carried": carried,
            "page_number": pages.index(page) + 1, "block": None if page == STRATEGIC else q.block(page),
            "answered": answered_count(q, answers), "total": len(q.questions),
            "steps": steps, "progress_text": progress_text(a, page, steps),
            "intro": intro_facts(q, a.organisation.share_results == "all")
            if writable and page == pages[0] and not own else None, **shared_context(a, q, current),
            "locale": _locale(), "localized": localized,
            "status_labels": {k: str(v) for k, v in presenters.STATUSES.items()},
            "question_text": presenters.question_text, "value_text": presenters.value_text,
            "level_choices": LEVEL_CHOICES, "status_choices": STATUSES,
            "level_labels": [_("Level %(level)s:", level=n) for n in range(1, 6)],
            "target_label": _("Target level (optional)"),
            "target_below": _("This target is below the level you chose. That is allowed; "
                              "check that it is what you mean."), "no_target": _("No target"),
            "comment_label": _("Comment (optional)"),
            "owner": pending.owner_proof(current_user.id, a.id) if writable else ""}


@bp.route("/assessments/<int:aid>/block/<block_id>", methods=["GET", "POST"])
@csrf.exempt
def block(aid: int, block_id: str):
    """One block of the questionnaire; every page move saves it."""
    return _questionnaire_page(aid, block_id)


@bp.route("/assessments/<int:aid>/strategic", methods=["GET", "POST"])
@csrf.exempt
def strategic(aid: int):
    """The strategic (unscored) questions."""
    return _questionnaire_page(aid, STRATEGIC)


@bp.post("/assessments/<int:aid>/autosave")
@csrf.exempt
def autosave(aid: int):
    """Save one page's answers as they change (app.js); JSON with the new versions.

    The session check comes before the CSRF check: a browser whose session ended has no token
    that could match, and the user must learn they are signed out, not see a status code.
    """
    if not current_user.is_authenticated:
        return jsonify(error=_("Signed out — sign in to keep your answers: press “Save”, they "
                               "are kept while you sign in.")), 401
    if _stale_token():
        return jsonify(error=_("This page was opened before you last signed in: press “Save” "
                               "to keep your answers.")), 400
    a, _m = access.assessment_for(current_user, aid, write=True)
    page = request.form.get("page", "")
    if page not in _pages(a):
        return jsonify(error=_("Unknown page.")), 404
    if a.status == "submitted":
        return jsonify(error=_("This assessment is submitted and can no longer be changed.")), 409
    form = _form(a, page, request.form)
    errors, conflicts = _save(a, page, form, request.form)
    if errors or conflicts:
        message = (_("Someone else changed answers on this page. Save the page to see what "
                     "changed.") if conflicts else errors[0][1])
        return jsonify(error=message, errors=[m for _f, m in errors]), 409 if conflicts else 422
    steps = step_list(a)
    return jsonify(saved=True, versions=services.answer_versions(a),
                   progress={"text": progress_text(a, page, steps),
                             "answered": sum(s["answered"] for s in steps if s["id"] != STRATEGIC),
                             "steps": {s["id"]: {"status": s["status"], "text": s["status_text"],
                                                 "answered": s["answered"], "total": s["total"]}
                                       for s in steps}})


# -- review and submit ------------------------------------------------------------------------------

@bp.get("/assessments/<int:aid>/review")
@login_required
def review(aid: int):
    """Every page with its unanswered questions, and the submit button."""
    a, m = access.assessment_for(current_user, aid)
    q = services.questionnaire_of(a)
    answers = effective_of(a, services.answers_of(a))
    strategic_answers = services.strategic_of(a)
    missing = [(b, [x for x in b.questions if not is_answered(answers.get(x.id))]) for b in q.blocks]
    missing_strategic = [s for s in q.strategic_questions if s.id not in strategic_answers]
    return render_template(
        "assess/review.html", a=a, q=q, missing=missing, missing_strategic=missing_strategic,
        answered=answered_count(q, answers), total=len(q.questions), locale=_locale(),
        localized=localized, numbered=numbered, steps=step_list(a, answers), page="review",
        writable=a.status == "draft" and access.can_write(m, a),
        carried=[(b, x) for b in q.blocks for x in b.questions
                 if x.id in set(rounds.carried_unconfirmed(a))])


@bp.post("/assessments/<int:aid>/submit")
@login_required
def submit(aid: int):
    """Submit the assessment: from now on it is read-only."""
    a, _m = access.assessment_for(current_user, aid, write=True)
    try:
        services.submit(a, current_user)
    except Locked:
        flash(_("This assessment is already submitted."), "error")
        return redirect(url_for(".review", aid=a.id), 303)
    except Invalid as exc:
        flash(ngettext("%(num)s answer carried over from the last period is not confirmed yet. "
                       "Confirm or change it before submitting.",
                       "%(num)s answers carried over from the last period are not confirmed yet. "
                       "Confirm or change each before submitting.", len(exc.errors)), "error")
        return redirect(url_for(".review", aid=a.id), 303)
    flash(_("The assessment is submitted. Here are your results."), "success")
    return redirect(url_for("results.show", aid=a.id), 303)


@bp.post("/assessments/<int:aid>/confirm-carried")
@login_required
def confirm_carried(aid: int):
    """Confirm one carried answer (question=...) or all of them (all=1)."""
    a, _m = access.assessment_for(current_user, aid, write=True)
    ids = None if request.form.get("all") == "1" else request.form.getlist("question")
    try:
        n = rounds.confirm_carried(a, current_user, ids)
    except Locked:
        flash(_("This assessment is submitted and can no longer be changed."), "error")
    else:
        flash(ngettext("%(num)s carried answer confirmed.", "%(num)s carried answers confirmed.",
                       n), "success")
    return redirect(url_for(".review", aid=a.id), 303)
