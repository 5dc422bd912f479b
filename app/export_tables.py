"""Tables people open (SPEC 16): the comparison and the initiatives across departments, with
readable headers in the current locale and ids in columns of their own. Data in, Table out."""
from __future__ import annotations

from flask_babel import gettext as _

from . import presenters as labels
from .core.compare import Comparison
from .core.questionnaire import Questionnaire, localized
from .core.scoring import round1, stage
from .exports import Table

STATUS_WORDS = {"draft": labels.ASSESSMENT_STATUSES["draft"],
                "submitted": labels.ASSESSMENT_STATUSES["submitted"]}


def comparison_table(c: Comparison, q: Questionnaire, locale: str, org_name: str) -> Table:
    """Departments x blocks of a period, the organisation's mean last."""
    blocks = [localized(q.block(b).title, locale) if b in {x.id for x in q.blocks} else b
              for b in c.block_ids]
    headers = [_("Department id"), _("Department"), _("Status"), _("Overall score"),
               _("Stage"), *blocks]
    rows = []
    for r in c.rows:
        rows.append([r.department, r.name, str(STATUS_WORDS.get(r.status, r.status)),
                     round1(r.overall), labels.stage_name(stage(r.overall)) if r.overall is not None
                     else "", *[round1(r.blocks.get(b)) for b in c.block_ids]])
    o = c.organisation
    rows.append([o.department, _("%(name)s (organisation)", name=org_name),
                 _("Mean of the submitted departments"), round1(o.overall),
                 labels.stage_name(stage(o.overall)) if o.overall is not None else "",
                 *[round1(o.blocks.get(b)) for b in c.block_ids]])
    return Table(_("Comparison %(period)s", period=c.period), headers, rows)


def initiatives_table(counts: list[tuple[str, int]], counted: int, q: Questionnaire,
                      locale: str, period: str) -> Table:
    """Each initiative recommended in the period with how many submitted departments got it."""
    headers = [_("Initiative id"), _("Initiative"), _("Track"), _("Type"), _("Months"),
               _("Effect"), _("Influence"), _("Departments recommended"),
               _("Submitted departments")]
    by_id = {i.id: i for i in q.initiatives}
    rows = []
    for iid, n in counts:
        i = by_id.get(iid)
        if i is None:
            continue
        rows.append([iid, localized(i.title, locale), localized(q.track(i.track).title, locale),
                     labels.label(labels.TYPES, i.type), i.months,
                     labels.label(labels.EFFECTS, i.effect),
                     labels.label(labels.INFLUENCES, i.influence), n, counted])
    return Table(_("Initiatives %(period)s", period=period), headers, rows)
