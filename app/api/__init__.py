"""The JSON API, /api/v1: token or session auth, problem+json errors, an OpenAPI document."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import auth, openapi, plans, problems, register, views  # noqa: E402,F401 - views register on bp

bp.before_request(auth.before_request)
problems.register_handlers(bp)
