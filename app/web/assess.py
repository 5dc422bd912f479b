"""The respondent's pages: home, questionnaire blocks, strategic questions, review, submit."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

bp = Blueprint("assess", __name__)


def home_view():
    """The user's assessments with status and progress (placeholder until issue 5)."""
    return render_template("home.html", memberships=current_user.memberships)
