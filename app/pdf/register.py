"""The technology-stack register's section of the PDF reports: data in, flowables out.

`RegisterSection` holds the section as plain, localised data; `register_section` draws it
(heat map chart and numbers, the four conditions' entries, every entry). The organisation
report shows the whole register, a department's report its own and the shared entries.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer

from ..charts.heatmap import heat_map_chart
from .layout import FRAME_W, columns, fit_drawing, grid, head, long_grid
from .styles import Line, para, styles


@dataclass(frozen=True)
class RegisterSection:
    scope: str                      # "all entries" / "own and shared entries"
    judged_on: str                  # the day the conditions are judged on, formatted
    layers: list[str]               # layer titles, in the report's order
    columns: list[str]              # heat map column titles
    cells: list[list[tuple[str, float | None]]]  # per layer: (text, severity 0..1 or None)
    conditions: list[tuple[str, str, list[str]]] = field(default_factory=list)
    # (condition title, its rule, one sentence per entry or supplier behind it)
    entries: list[list[str]] = field(default_factory=list)  # name, layer, supplier, countries,
    # criticality, lock-in, exit plan, contract end
    total: int = 0


def register_section(r: RegisterSection | None) -> list:
    """The register's pages: heat map, conditions with their entries, the entries' table."""
    if r is None:
        return []
    st = styles()
    out = [PageBreak(), para(_("Technology-stack register"), st["h1"]),
           para(_("%(scope)s; %(n)s entries. Conditions judged on %(date)s.", scope=r.scope,
                  n=r.total, date=r.judged_on), st["muted"]), Spacer(1, 6)]
    if not r.total:
        return out + [para(_("The register has no entries yet."), st["body"])]
    # Drawn at the frame's width, so its text keeps its size (a wider drawing is scaled down).
    out += [fit_drawing(heat_map_chart(r.layers, r.columns, r.cells, width=FRAME_W, size=8)),
            Spacer(1, 6)]
    rows = [[head(_("Layer"))] + [head(c) for c in r.columns]]
    for title, cells in zip(r.layers, r.cells, strict=True):
        rows.append([Line(title, st["cell"])] + [Line(t, st["cell"]) for t, _s in cells])
    rest = 0.7 / len(r.columns)
    texts = [[]] + [[c, *(cells[n][0] for cells in r.cells)] for n, c in enumerate(r.columns)]
    # Widened where needed so that no header word is split (French "Verrouillage").
    out += [grid(rows, columns([0.3] + [rest] * len(r.columns), texts, flex=0)),
            Spacer(1, 10)]
    for title, rule, lines in r.conditions:
        out += [CondPageBreak(60), para(title, st["h2"]), para(rule, st["muted"])]
        if lines:
            out += [para("• " + line, st["body"]) for line in lines]
        else:
            out.append(para(_("Does not hold."), st["body"]))
    return out + [CondPageBreak(140), para(_("Entries"), st["h2_free"]), entries_table(r.entries)]


def entries_table(entries: list[list[str]]) -> Flowable:
    """Every entry in one row of two lines: the system over its layer, the supplier over its
    countries, then the short values. Their columns are as wide as their longest word, and the
    two text columns share what is left, so no word is split in any of the three languages."""
    st = styles()
    labels = [_("System or service"), _("Supplier"), _("Criticality"), _("Lock-in"),
              _("Exit plan"), _("Contract ends")]
    under = {0: _("Layer"), 1: _("Countries")}
    rows = [[[Line(name, st["small"]), Line(layer, st["small_muted"])],
             [Line(supplier, st["small"]), Line(countries, st["small_muted"])],
             *(Line(v, st["small"]) for v in rest)]
            for name, layer, supplier, countries, *rest in entries]
    texts = [[labels[0], under[0], *(e[0] for e in entries), *(e[1] for e in entries)],
             [labels[1], under[1], *(e[2] for e in entries), *(e[3] for e in entries)],
             *([labels[n], *(e[n + 2] for e in entries)] for n in range(2, 6))]
    widths = columns((0.31, 0.27, 0.1, 0.1, 0.11, 0.11), texts, flex=0)
    # No keep-with-next: it would lay out the whole (2,000-row) table to keep the heading
    # with it. Room for the heading, the header and two rows keeps them together instead.
    header = [[head(t), head(under[n])] if n in under else head(t) for n, t in enumerate(labels)]
    return long_grid([header], rows, widths)


def section_data(entries: list, today, scope: str, locale: str) -> RegisterSection:
    """The section's data from core register entries (no database): conditions, heat map."""
    from .. import register_text as text
    from ..core import register as core
    found = core.findings(entries, today)
    rows = core.heat_map(entries)
    conditions = []
    for cid in core.CONDITIONS:
        c = found[cid]
        if cid == "supplier_concentration":
            lines = [text.concentration_reason(s, locale) for s in c.suppliers]
        else:
            lines = [text.entry_reason(cid, e, locale) for e in c.entries]
        conditions.append((text.label(text.CONDITIONS, cid), text.label(text.CONDITION_RULES, cid),
                           lines))
    listed = [[e.name, text.layer_title(e.layer, locale), e.supplier,
               f"{e.supplier_country} / {text.country_name(e.hosting_country, locale) if e.hosting_country == core.ON_PREMISES else e.hosting_country}",
               text.label(text.CRITICALITIES, e.criticality), str(e.lock_in),
               text.label(text.EXIT_PLANS, e.exit_plan), text.when(e.contract_end) or "–"]
              for e in entries]
    return RegisterSection(
        scope=scope, judged_on=text.when(today),
        layers=[text.layer_title(r.layer, locale) for r in rows], columns=text.heat_columns(),
        cells=text.heat_cells(rows), conditions=conditions, entries=listed, total=len(entries))
