"""Organisation administration: departments, periods, users, invitations."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("admin", __name__)


@bp.get("/o/<slug>/admin")
@login_required
def index(slug: str):
    """Administration overview (placeholder until issue 6)."""
    return render_template("home.html")
