"""WTForms forms built from the questionnaire definition (one class per page, made on demand).

Like Indico's make_survey_form: the fields of a block page or of the strategic page come
from the questionnaire, never from a form class written per block.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional, Regexp, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

try:
    from wtforms import SelectChoice
except ImportError:  # WTForms < 3.3 takes (value, label) tuples
    def SelectChoice(value, label=None):
        """A (value, label) choice for older WTForms."""
        return (value, label if label is not None else value)

from ..core.answers import MAX_COMMENT, MAX_NOTE, STATUSES, Answer, StrategicAnswer
from ..core.questionnaire import Block, Questionnaire, localized

LEVEL_CHOICES = ("1", "2", "3", "4", "5")
ANSWER_CHOICES = LEVEL_CHOICES + STATUSES
CONTROL_FIELDS = ("csrf_token", "go", "page", "owner")


class OneOf:
    """Refuse any value outside the offered ones, naming the question (forged values)."""

    def __init__(self, values, message):
        self.values = {str(v) for v in values}
        self.message = message

    def __call__(self, form, field):
        values = field.data if isinstance(field.data, list) else [field.data]
        for v in values:
            if v not in (None, "") and str(v) not in self.values:
                raise StopValidation(str(self.message))


class PageForm(FlaskForm):
    """Base of the generated forms; CSRF is checked by the view so a lost session keeps answers."""

    class Meta:
        csrf = False

    def unknown_fields(self, formdata) -> list[str]:
        """Names posted that this page does not have (forged or stale forms)."""
        if formdata is None:
            return []
        return [k for k in formdata if k not in self._fields and k not in CONTROL_FIELDS]


def _answer_field(question, locale: str) -> RadioField:
    text = localized(question.text, locale)
    return RadioField(text, choices=[SelectChoice(c) for c in ANSWER_CHOICES], validate_choice=False,
                      validators=[Optional(), OneOf(ANSWER_CHOICES, _l(
                          "“%(question)s”: choose one of the offered answers.", question=text))])


def _target_field(question, locale: str) -> SelectField:
    text = localized(question.text, locale)
    return SelectField(_l("Target level (optional)"), validate_choice=False,
                       choices=[SelectChoice("", _l("No target"))] + [SelectChoice(c) for c in LEVEL_CHOICES],
                       validators=[OneOf(LEVEL_CHOICES, _l(
                           "“%(question)s”: the target must be a level from 1 to 5.",
                           question=text))])


def _version_field() -> HiddenField:
    return HiddenField(default="0", validators=[Regexp(r"^\d{1,9}$", message=_l(
        "The page was out of date. Reload it and try again."))])


class BlockFormBase(PageForm):
    """A block page: per question an answer, a target, a comment and the version seen."""

    questions: tuple = ()

    def validate(self, extra_validators=None) -> bool:
        """Field checks, plus: a target or comment needs an answer to be saved with."""
        ok = super().validate(extra_validators)
        for q in self.questions:
            answer = self[f"{q.id}-answer"]
            if answer.errors:
                continue
            has_extra = self[f"{q.id}-target"].data or (self[f"{q.id}-comment"].data or "").strip()
            if not answer.data and has_extra:
                answer.errors.append(str(_l(
                    "“%(question)s”: choose a level, “Don't know” or “Not applicable” "
                    "to save the target and comment.", question=answer.label.text)))
                ok = False
        return ok

    def changes(self) -> tuple[dict[str, Answer], dict[str, int]]:
        """The answers on the page (unanswered ones left out) and the versions the user saw."""
        changes, expected = {}, {}
        for q in self.questions:
            value = self[f"{q.id}-answer"].data
            expected[q.id] = int(self[f"{q.id}-version"].data or 0)
            if not value:
                continue
            target = self[f"{q.id}-target"].data
            comment = (self[f"{q.id}-comment"].data or "").strip()
            status = value if value in STATUSES else None
            changes[q.id] = Answer(level=None if status else int(value), status=status,
                                   target=int(target) if target else None, comment=comment)
        return changes, expected


# Compiled form classes per questionnaire page and locale (SPEC 11: building the fields
# of a page costs about as much as rendering it). The key holds the id() of the block or
# questionnaire; the value keeps that object alive, so the id cannot be reused while cached.
_FORM_CLASSES: OrderedDict[tuple, tuple[object, type]] = OrderedDict()
_FORM_CLASSES_MAX = 256
_FORM_CLASSES_LOCK = threading.Lock()


def _cached_class(key: tuple, owner: object, build):
    """The form class cached under key (built by build() on first use), least recently used out."""
    with _FORM_CLASSES_LOCK:
        hit = _FORM_CLASSES.get(key)
        if hit is not None and hit[0] is owner:
            _FORM_CLASSES.move_to_end(key)
            return hit[1]
    form_class = build()
    with _FORM_CLASSES_LOCK:
        _FORM_CLASSES[key] = (owner, form_class)
        while len(_FORM_CLASSES) > _FORM_CLASSES_MAX:
            _FORM_CLASSES.popitem(last=False)
    return form_class


def _block_form_class(block: Block, locale: str, questions: tuple) -> type[BlockFormBase]:
    def build():
        attrs: dict = {"questions": questions}
        for q in questions:
            attrs[f"{q.id}-answer"] = _answer_field(q, locale)
            attrs[f"{q.id}-target"] = _target_field(q, locale)
            attrs[f"{q.id}-comment"] = TextAreaField(_l("Comment (optional)"), validators=[
                Length(max=MAX_COMMENT, message=_l(
                    "The comment is longer than %(max)d characters.", max=MAX_COMMENT))])
            attrs[f"{q.id}-version"] = _version_field()
        return type("BlockForm", (BlockFormBase,), attrs)
    key = ("block", id(block), locale, tuple(q.id for q in questions))
    return _cached_class(key, block, build)


def block_form(block: Block, locale: str, answers: Mapping[str, Answer],
               versions: Mapping[str, int], formdata=None, questions=None) -> BlockFormBase:
    """The form of one block page, filled from the stored answers (and the posted data, if any).

    `questions` limits the fields to some of the block's questions (a department page has
    none for the organisation-wide ones, which it shows read-only). The form class is
    compiled once per block, locale and question set, and reused.
    """
    questions = tuple(block.questions if questions is None else questions)
    data: dict = {}
    for q in questions:
        a = answers.get(q.id)
        data[f"{q.id}-version"] = str(versions.get(q.id, 0))
        if a is not None:
            data[f"{q.id}-answer"] = a.status or (str(a.level) if a.level else None)
            data[f"{q.id}-target"] = str(a.target) if a.target else ""
            data[f"{q.id}-comment"] = a.comment
    return _block_form_class(block, locale, questions)(formdata=formdata, data=data)


class StrategicFormBase(PageForm):
    """The strategic page: one field per question by its kind, and the version seen."""

    strategic_questions: tuple = ()

    def changes(self) -> tuple[dict[str, StrategicAnswer | None], dict[str, int]]:
        """The strategic answers on the page (None clears one) and the versions the user saw."""
        changes: dict[str, StrategicAnswer | None] = {}
        expected = {}
        for sq in self.strategic_questions:
            expected[sq.id] = int(self[f"{sq.id}-version"].data or 0)
            value = self[f"{sq.id}-value"].data
            if sq.kind in ("scale", "single"):
                if value:
                    changes[sq.id] = StrategicAnswer(choice=value)
            elif sq.kind == "multi":
                changes[sq.id] = StrategicAnswer(
                    choices=tuple(o for o in sq.option_ids if o in (value or []))) if value else None
            else:
                text = (value or "").strip()
                changes[sq.id] = StrategicAnswer(text=text) if text else None
        return changes, expected


def _strategic_field(sq, locale: str):
    text = localized(sq.text, locale)
    choices = [SelectChoice(o.id, localized(o.label, locale)) for o in sq.options]
    wrong = _l("“%(question)s”: choose one of the offered options.", question=text)
    if sq.kind in ("scale", "single"):
        return RadioField(text, choices=choices, validate_choice=False,
                          validators=[Optional(), OneOf(sq.option_ids, wrong)])
    if sq.kind == "multi":
        return SelectMultipleField(text, choices=choices, validate_choice=False,
                                   widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput(),
                                   validators=[OneOf(sq.option_ids, wrong)])
    return TextAreaField(text, validators=[Length(max=MAX_NOTE, message=_l(
        "The text is longer than %(max)d characters.", max=MAX_NOTE))])


def strategic_form(q: Questionnaire, locale: str, answers: Mapping[str, StrategicAnswer],
                   versions: Mapping[str, int], formdata=None) -> StrategicFormBase:
    """The form of the strategic page, filled from the stored answers (and posted data, if any).

    The form class is compiled once per questionnaire and locale, and reused."""
    def build():
        attrs: dict = {"strategic_questions": q.strategic_questions}
        for sq in q.strategic_questions:
            attrs[f"{sq.id}-value"] = _strategic_field(sq, locale)
            attrs[f"{sq.id}-version"] = _version_field()
        return type("StrategicForm", (StrategicFormBase,), attrs)
    form_class = _cached_class(("strategic", id(q), locale), q, build)
    data: dict = {}
    for sq in q.strategic_questions:
        data[f"{sq.id}-version"] = str(versions.get(sq.id, 0))
        a = answers.get(sq.id)
        if a is not None:
            data[f"{sq.id}-value"] = (list(a.choices) if sq.kind == "multi"
                                      else a.choice if sq.kind in ("scale", "single") else a.text)
    return form_class(formdata=formdata, data=data)


def form_errors(form: PageForm) -> list[tuple[str, str]]:
    """(element id, message) pairs for the error summary; radios link to their first option."""
    out = []
    for field in form:
        for message in field.errors:
            target = f"{field.id}-0" if isinstance(field, (RadioField, SelectMultipleField)) else field.id
            out.append((target, str(message)))
    return out

