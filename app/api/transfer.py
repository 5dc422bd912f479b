"""GET /organisations/<slug>/export: the organisation document, for coordinators."""
from __future__ import annotations

from flask import jsonify

from .. import services
from ..access import organisation_for, require_admin
from . import bp
from .auth import caller


@bp.get("/organisations/<slug>/export")
def organisation_export(slug: str):
    """Everything the organisation owns (`digital-resilience-organisation/1`); admins only."""
    org, m = organisation_for(caller(), slug)
    require_admin(m)
    return jsonify(services.export_organisation(org))
