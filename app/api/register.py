"""The register's endpoints: GET/POST /organisations/<slug>/register, PUT/DELETE …/<id>."""
from __future__ import annotations

from typing import Any

from flask import jsonify

from .. import services_register as reg
from ..access import organisation_for
from ..core.register import CONDITIONS, Entry, Findings
from . import bp
from .auth import caller
from .views import json_body


def register_json(entries: list[Entry], found: Findings) -> dict[str, Any]:
    """The entries the caller may read and the four conditions with the ids behind each."""
    return {
        "today": found.today.isoformat(),
        "entries": [e.to_dict() for e in entries],
        "conditions": {c: {"holds": found.holds(c), "entries": [e.id for e in found[c].entries]}
                       for c in CONDITIONS},
    }


@bp.get("/organisations/<slug>/register")
def register_list(slug: str):
    """The register as the caller may read it, with its conditions."""
    org, m = organisation_for(caller(), slug)
    entries, found = reg.findings_of(org, m)
    return jsonify(register_json(entries, found))


@bp.post("/organisations/<slug>/register")
def register_create(slug: str):
    """Add an entry; the whole body is validated first."""
    org, m = organisation_for(caller(), slug)
    e = reg.create_entry(org, m, caller(), _body(), source="api")
    return jsonify(e.to_dict()), 201


@bp.put("/organisations/<slug>/register/<int:entry_id>")
def register_update(slug: str, entry_id: int):
    """Replace an entry's fields; the whole body is validated first."""
    org, m = organisation_for(caller(), slug)
    return jsonify(reg.update_entry(org, m, caller(), entry_id, _body(), source="api").to_dict())


@bp.delete("/organisations/<slug>/register/<int:entry_id>")
def register_delete(slug: str, entry_id: int):
    """Delete an entry."""
    org, m = organisation_for(caller(), slug)
    reg.delete_entry(org, m, caller(), entry_id, source="api")
    return "", 204


def _body() -> dict:
    body = json_body()
    if not isinstance(body, dict):
        raise reg.RegisterInvalid("the body must be a JSON object", [
            (None, reg.FieldError("$", "object", "expected an object with the entry's fields"))])
    body.pop("id", None)  # the id is in the path
    return body
