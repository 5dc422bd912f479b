"""PDF downloads for the web pages (built by app.pdf)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__)
