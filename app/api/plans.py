"""The action plan endpoints of /api/v1 (SPEC 15): read, add, change and remove plan items."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request

from ..access import organisation_for
from ..core.plan import STATUSES, overdue
from ..errors import Invalid
from ..services import plans
from . import bp
from .auth import caller
from .views import json_body

TEXT_FIELDS = ("owner", "note", "period", "initiative")
FIELDS = {"initiative", "owner", "status", "start", "due", "note", "period", "departments"}


def item_json(item, today: date | None = None) -> dict[str, Any]:
    """A plan item as JSON."""
    return {"id": item.id, "department": item.department.slug if item.department else None,
            "initiative": item.initiative_id, "owner": item.owner, "status": item.status,
            "start": item.start.isoformat() if item.start else None,
            "due": item.due.isoformat() if item.due else None, "note": item.note,
            "period": item.period,
            "questionnaire": {"id": item.questionnaire_id, "version": item.questionnaire_version},
            "overdue": overdue(plans.to_core(item), today or date.today()),
            "joint": item.department_id is None,
            "departments": sorted(p.department.slug for p in item.participants)}


def parse(body: Any, allowed: set[str], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """Typed fields of a JSON body; Invalid naming every bad field, nothing changed."""
    if not isinstance(body, dict):
        raise Invalid("the body must be a JSON object", [("$", "expected an object")])
    errors = [(k, "unknown field") for k in body if k not in allowed]
    errors += [(k, "required") for k in required if body.get(k) in (None, "")]
    out: dict[str, Any] = {}
    for k, v in body.items():
        if k not in allowed:
            continue
        if k in ("start", "due"):
            if v is None:
                out[k] = None
                continue
            try:
                out[k] = date.fromisoformat(v) if isinstance(v, str) else None
            except ValueError:
                out[k] = None
            if out[k] is None:
                errors.append((k, "expected a date YYYY-MM-DD or null"))
        elif k == "status":
            if v not in STATUSES:
                errors.append((k, f"use one of {', '.join(STATUSES)}"))
            out[k] = v
        elif k == "departments":
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                errors.append((k, "expected a list of department slugs"))
            out[k] = v
        elif not isinstance(v, str):
            errors.append((k, "expected a string"))
        else:
            out[k] = v.strip()
    if errors:
        raise Invalid("the plan item is invalid; nothing was changed", errors)
    return out


@bp.get("/departments/<int:department_id>/plan")
def department_plan(department_id: int):
    """The department's plan items and the joint initiatives it takes part in."""
    dep, _m = plans.department_for(caller(), department_id)
    return jsonify({"department": {"id": dep.id, "slug": dep.slug, "name": dep.name},
                    "items": [item_json(i) for i in plans.department_items(dep)],
                    "joint": [item_json(i) for i in plans.joint_items_of(dep)]})


@bp.post("/departments/<int:department_id>/plan")
def add_plan_item(department_id: int):
    """Adopt an initiative into the department's plan."""
    dep, _m = plans.department_for(caller(), department_id, write=True)
    fields = parse(json_body(), FIELDS - {"departments"}, ("initiative",))
    item = plans.add_item(caller(), dep, fields.pop("initiative"), fields,
                          period=fields.pop("period", None), source="api")
    return jsonify(item_json(item)), 201


@bp.put("/plan-items/<int:item_id>")
def update_plan_item(item_id: int):
    """Change an item's owner, status, dates, note (a joint one's departments too)."""
    item, m = plans.item_for(caller(), item_id, write=True)
    fields = parse(json_body(), {"owner", "status", "start", "due", "note", "departments"})
    if "departments" in fields:
        if item.department_id is not None:
            raise Invalid("only a joint initiative has participating departments",
                          [("departments", "not a joint initiative")])
        fields["departments"] = _department_ids(m, fields["departments"])
    return jsonify(item_json(plans.update_item(caller(), item, fields, source="api")))


@bp.delete("/plan-items/<int:item_id>")
def delete_plan_item(item_id: int):
    """Remove an item from the plan; the audit trail keeps it."""
    item, _m = plans.item_for(caller(), item_id, write=True)
    plans.remove_item(caller(), item, source="api")
    return "", 204


@bp.get("/organisations/<slug>/plan")
def organisation_plan(slug: str):
    """Every plan item of the organisation (?status=), overdue first, and the joint initiatives."""
    org, m = organisation_for(caller(), slug)
    if m.role not in ("admin", "viewer"):
        from ..errors import Forbidden
        raise Forbidden("only coordinators and viewers read every plan")
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        raise Invalid(f"unknown status {status!r}", [("status", f"use one of {', '.join(STATUSES)}")])
    return jsonify({"items": [item_json(r.item) for r in plans.overview(org, status)],
                    "joint": [item_json(i) for i in plans.joint_items(org)]})


@bp.post("/organisations/<slug>/plan/joint")
def adopt_joint(slug: str):
    """Adopt a joint initiative of the organisation with its participating departments."""
    org, m = organisation_for(caller(), slug)
    fields = parse(json_body(), FIELDS, ("initiative", "departments", "period"))
    item = plans.adopt_joint(caller(), org, m, fields.pop("initiative"),
                             _department_ids(m, fields.pop("departments")),
                             fields.pop("period"), fields, source="api")
    return jsonify(item_json(item)), 201


def _department_ids(m, slugs: list[str]) -> list[int]:
    known = {d.slug: d.id for d in plans.departments_of(m.organisation)}
    unknown = [s for s in slugs if s not in known]
    if unknown or not slugs:
        raise Invalid("unknown departments", [("departments", "unknown department "
                                               + ", ".join(unknown) if unknown else "none given")])
    return [known[s] for s in slugs]
