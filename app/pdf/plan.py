"""The action plan section of both reports: PlanSection in, flowables out (no database)."""
from __future__ import annotations

from flask_babel import gettext as _
from reportlab.platypus import CondPageBreak, PageBreak, Spacer

from ..presenters import format_change
from .data import EffectLine, PlanLine, PlanSection
from .layout import FRAME_W, columns, fmt_score, grid, head, key_values
from .styles import PRIORITY, Line, para, styles

ITEM_COLUMNS = (0.34, 0.2, 0.16, 0.15, 0.15)
EFFECT_COLUMNS = (0.34, 0.18, 0.12, 0.12, 0.12, 0.12)


def _items_table(lines: list[PlanLine], who: str) -> list:
    st = styles()
    rows = [[head(_("Initiative")), head(who), head(_("Status")), head(_("Start")),
             head(_("Due date"))]]
    extra = []
    for n, i in enumerate(lines, start=1):
        status = i.status + (" · " + _("Overdue") if i.overdue else "")
        title = Line(i.title, st["cell_bold"])
        cell = [title] + ([para(i.note, st["small"])] if i.note else [])
        rows.append([cell, Line(i.department or i.owner or "–", st["cell"]),
                     Line(status, st["cell"]), Line(i.start or "–", st["cell"]),
                     Line(i.due or "–", st["cell"])])
        if i.overdue:
            extra.append(("BACKGROUND", (2, n), (2, n), PRIORITY))
    return [grid(rows, [FRAME_W * f for f in ITEM_COLUMNS], extra=extra)]


def _effects_table(lines: list[EffectLine], by_department: bool) -> list:
    st = styles()
    header = [_("Initiative"), _("Department") if by_department else _("Status"),
              _("Before"), _("After"), _("Change"), _("Still recommended")]
    rows = [[head(h) for h in header]]
    texts = [[h] for h in header]
    texts[0] = []  # the initiative's title wraps freely
    for e in lines:
        still = "–" if e.still_recommended is None else (_("Yes") if e.still_recommended
                                                          else _("No"))
        values = [e.title, e.department if by_department else e.status, fmt_score(e.before),
                  fmt_score(e.after), format_change(e.delta), still]
        for c in range(1, len(values)):
            texts[c].append(values[c])
        rows.append([Line(values[0], st["cell_bold"]), Line(values[1], st["cell"]),
                     Line(values[2], st["cell"]), Line(values[3], st["cell"]),
                     Line(values[4], st["cell_bold"]), Line(values[5], st["cell"])])
    # Widened where needed so that no header or value is split inside a word.
    return [grid(rows, columns(EFFECT_COLUMNS, texts, flex=0))]


def plan_section(p: PlanSection, organisation: bool = False) -> list:
    """The plan: status counts and overdue, the items, the joint initiatives, the effects."""
    st = styles()
    # The organisation's plan is long: it starts on a page of its own.
    out = [PageBreak() if organisation else CondPageBreak(200), para(_("Action plan"), st["h1"])]
    counts = [(name, str(n)) for name, n in p.counts] + [(_("Overdue"), str(p.overdue))]
    out += [key_values(counts, FRAME_W * 0.6), Spacer(1, 8)]
    if p.items:
        who = _("Department") if organisation else _("Owner")
        out += [para(_("Initiatives in the plan"), st["h2"]), *_items_table(p.items, who)]
    else:
        out.append(para(_("The plan has no initiatives yet."), st["body"]))
    title = (_("Joint initiatives of the organisation") if organisation
             else _("Joint initiatives the department takes part in"))
    if p.joint:
        out += [para(title, st["h2"]),
                *_items_table(p.joint, _("Participating departments"))]
    out += [para(_("Effect of the action plan"), st["h2"]), para(p.effect_intro, st["body"])]
    if p.effects:
        out += _effects_table(p.effects, organisation)
    else:
        out.append(para(_("No initiative of the plan was in progress or done in between."),
                        st["muted"]))
    return out
