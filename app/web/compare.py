"""The coordinator's comparison dashboard."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("compare", __name__)


@bp.get("/o/<slug>/compare")
@login_required
def dashboard(slug: str):
    """Departments x blocks for a period (placeholder until issue 6)."""
    return render_template("home.html")
