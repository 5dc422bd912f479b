"""Display text of the technology-stack register, shared by pages, PDFs and exports.

Every rule that turns a register value into words lives here once: field names, the words
for criticality, data export, exit plan and SEAL, country names, and the sentences that say
why a condition holds ("Critical system «ESDH» at «Supplier A»: lock-in 5, no exit plan").
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel import Locale
from flask_babel import format_date, format_datetime, format_percent, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .core.questionnaire import localized
from .core.recommend import RegisterReason
from .core.register import (
    EU_EEA,
    ISO_COUNTRIES,
    LAYERS,
    ON_PREMISES,
    Concentration,
    Entry,
    FieldError,
    HeatRow,
    in_eu_eea,
)

FIELD_NAMES = {
    "id": _l("Id"),
    "name": _l("System or service"),
    "layer": _l("Layer"),
    "department": _l("Department"),
    "supplier": _l("Supplier"),
    "supplier_country": _l("Supplier's country"),
    "hosting_country": _l("Hosting country"),
    "criticality": _l("Criticality"),
    "lock_in": _l("Lock-in"),
    "data_export": _l("Data export"),
    "exit_plan": _l("Exit plan"),
    "contract_end": _l("Contract ends"),
    "seal": _l("SEAL level"),
    "seal_source": _l("Source of the SEAL level"),
    "alternative": _l("Alternative"),
    "notes": _l("Notes"),
}
CRITICALITIES = {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High")}
DATA_EXPORTS = {"yes": _l("Yes, complete"), "partial": _l("Partial"), "no": _l("No")}
EXIT_PLANS = {"none": _l("None"), "outline": _l("Outline"), "documented": _l("Documented"),
              "tested": _l("Tested")}
LOCK_IN = {
    1: _l("1 – open standards, data exportable, several interchangeable suppliers"),
    2: _l("2 – between 1 and 3"),
    3: _l("3 – data exportable but proprietary interfaces; switching is a project"),
    4: _l("4 – between 3 and 5"),
    5: _l("5 – proprietary formats, no practical export, one supplier"),
}
SEALS = {
    0: _l("SEAL-0 – no sovereignty"),
    1: _l("SEAL-1 – jurisdictional sovereignty"),
    2: _l("SEAL-2 – data sovereignty"),
    3: _l("SEAL-3 – digital resilience"),
    4: _l("SEAL-4 – full digital sovereignty"),
}
CONDITIONS = {
    "red_entry": _l("Critical and locked in without an exit plan"),
    "non_eu_critical": _l("Critical and outside the EU/EEA"),
    "supplier_concentration": _l("Supplier concentration"),
    "contract_window": _l("Contract ends within 24 months"),
}
CONDITION_RULES = {
    "red_entry": _l("Criticality high, lock-in 4 or 5, and no exit plan or only an outline."),
    "non_eu_critical": _l("Criticality high, and the supplier or the hosting outside the "
                          "EU/EEA, or a SEAL level of 0 or 1."),
    "supplier_concentration": _l("With at least 5 entries: one supplier holds two entries in "
                                 "five or more, or appears in 3 or more layers."),
    "contract_window": _l("Lock-in 3 or more and a contract that ends within 24 months: the "
                          "moment to negotiate an exit or to tender with exit requirements."),
}
EXIT_CHECKLIST = (
    _l("Data export in open, documented formats, including the metadata"),
    _l("The switching period: notice and transition agreed in the contract"),
    _l("Switching costs and the costs of running two systems side by side"),
    _l("A test export done and read back into another system"),
)
DATA_ACT_NOTE = _l(
    "The EU Data Act (Regulation (EU) 2023/2854, Chapter VI, Articles 23–31, applicable since "
    "12 September 2025) gives customers of data processing services the right to switch: a "
    "notice period of at most two months, a transition of at most 30 days (longer only when "
    "technically unfeasible), export of their data and digital assets, and no switching "
    "charges from 12 January 2027.")
SHARED = _l("Shared")
ON_PREMISES_NAME = _l("On premises (own data centre)")


def label(table: dict, key) -> str:
    """The translated label of a key, or the key itself when it has none."""
    value = table.get(key)
    return str(value) if value is not None else ("" if key is None else str(key))


def layer_title(layer_id: str, locale: str) -> str:
    """The layer's title in the locale (from Case 10), the id for an unknown layer."""
    for layer in LAYERS:
        if layer.id == layer_id:
            return localized(layer.title, locale)
    return layer_id


@lru_cache(maxsize=8)
def country_names(locale: str) -> dict[str, str]:
    """Every ISO 3166 alpha-2 code's country name in the locale (Babel's CLDR data)."""
    territories = Locale.parse(locale).territories
    return {code: territories.get(code, code) for code in ISO_COUNTRIES}


def country_name(code: str | None, locale: str) -> str:
    """A country's name in the locale; "on premises" for on_premises."""
    if not code:
        return ""
    if code == ON_PREMISES:
        return str(ON_PREMISES_NAME)
    return country_names(locale).get(code, code)


def country_choices(locale: str, on_premises: bool) -> list[tuple[str, str]]:
    """(code, name) pairs for a country picker: EU/EEA first, then the rest, each by name."""
    names = country_names(locale)
    eu = sorted((c for c in ISO_COUNTRIES if c in EU_EEA), key=lambda c: names[c].casefold())
    rest = sorted((c for c in ISO_COUNTRIES if c not in EU_EEA), key=lambda c: names[c].casefold())
    head = [(ON_PREMISES, str(ON_PREMISES_NAME))] if on_premises else []
    return head + [(c, f"{names[c]} ({c})") for c in eu + rest]


def percent(share: float | None) -> str:
    """A share as a whole percentage in the locale; an en dash for none."""
    return "–" if share is None else format_percent(share, format="#,##0 %")


def when(d: date | None) -> str:
    """A date in the locale's medium format; empty for none."""
    return format_date(d, format="medium") if d else ""


PLAN_WORDS = {"none": _l("no exit plan"), "outline": _l("exit plan only outlined"),
              "documented": _l("exit plan documented"), "tested": _l("exit plan tested")}


def plan_words(exit_plan: str) -> str:
    """'no exit plan' / 'exit plan only outlined' / 'exit plan documented' / 'exit plan tested'."""
    return str(PLAN_WORDS[exit_plan])  # one look-up, not one per exit-plan value


def entry_reason(condition: str, e: Entry, locale: str) -> str:
    """Why one entry is behind a condition, as a sentence a director can check."""
    if condition == "red_entry":
        return _("Critical system «%(name)s» at «%(supplier)s»: lock-in %(lock_in)s, %(plan)s",
                 name=e.name, supplier=e.supplier, lock_in=e.lock_in, plan=plan_words(e.exit_plan))
    if condition == "non_eu_critical":
        parts = []
        if not in_eu_eea(e.supplier_country):
            parts.append(_("supplier in %(country)s",
                           country=country_name(e.supplier_country, locale)))
        if not in_eu_eea(e.hosting_country):
            parts.append(_("hosted in %(country)s",
                           country=country_name(e.hosting_country, locale)))
        if e.seal in (0, 1):
            parts.append(_("SEAL level %(seal)s", seal=e.seal))
        return _("Critical system «%(name)s» at «%(supplier)s»: %(details)s",
                 name=e.name, supplier=e.supplier, details=", ".join(parts))
    if condition == "contract_window":
        return _("«%(name)s» at «%(supplier)s»: lock-in %(lock_in)s, the contract ends on "
                 "%(date)s", name=e.name, supplier=e.supplier, lock_in=e.lock_in,
                 date=when(e.contract_end))
    return e.name


NAMED_IN_A_REASON = 3  # entries or suppliers named in one reason; the rest are counted


def concentration_reason(c: Concentration, locale: str) -> str:
    """Why a supplier is a concentration: its share of the entries and its layers."""
    names = ", ".join(e.name for e in c.entries[:NAMED_IN_A_REASON])
    if len(c.entries) > NAMED_IN_A_REASON:
        names += " …"
    return _("«%(supplier)s» supplies %(count)s of %(total)s entries (%(share)s) in "
             "%(layers)s layers: %(names)s", supplier=c.supplier, count=len(c.entries),
             total=c.total, share=percent(c.share), layers=len(c.layers), names=names)


def reason_lines(reason: RegisterReason, locale: str) -> list[str]:
    """The sentences of one register reason: one per entry, or one per concentrated supplier,
    naming at most three and counting the rest, so that a reason stays readable (and fits a
    PDF table row) however large the register."""
    if reason.condition == "supplier_concentration":
        items = reason.suppliers
        lines = [concentration_reason(c, locale) for c in items[:NAMED_IN_A_REASON]]
    else:
        items = reason.entries
        lines = [entry_reason(reason.condition, e, locale) for e in items[:NAMED_IN_A_REASON]]
    rest = len(items) - NAMED_IN_A_REASON
    if rest > 0:
        lines.append(ngettext("… and %(num)s more in the register (“%(condition)s”)",
                              "… and %(num)s more in the register (“%(condition)s”)", rest,
                              condition=label(CONDITIONS, reason.condition)))
    return lines


def field_name(field: str) -> str:
    """A field's name in the current language (the raw name for an unknown column)."""
    return label(FIELD_NAMES, field)


def field_error(e: FieldError) -> str:
    """One problem with one field as a translated sentence naming the field."""
    name = field_name(e.field)
    messages = {
        "required": lambda: _("%(field)s: this field is required.", field=name),
        "too_long": lambda: _("%(field)s: at most %(max)s characters.", field=name, max=e.value),
        "choice": lambda: _("%(field)s: “%(value)s” is not one of the choices.", field=name,
                            value=e.value),
        "country": lambda: _("%(field)s: “%(value)s” is not an ISO 3166 alpha-2 country code.",
                             field=name, value=e.value),
        "range": lambda: _("%(field)s: must be a whole number from %(range)s.", field=name,
                           range=e.value),
        "date": lambda: _("%(field)s: “%(value)s” is not a date (YYYY-MM-DD).", field=name,
                          value=e.value),
        "text": lambda: _("%(field)s: must be text.", field=name),
        "department": lambda: _("%(field)s: there is no department “%(value)s”.", field=name,
                                value=e.value),
        "forbidden_department": lambda: _(
            "%(field)s: you may only keep entries of your own department.", field=name),
        "unknown": lambda: _("“%(field)s” is not a column of the register.", field=e.field),
        "unknown_id": lambda: _("%(field)s: not the id of an entry of this register.",
                                field=name),
        "duplicate_id": lambda: _("%(field)s: the same id appears twice in the file.",
                                  field=name),
        "duplicate_column": lambda: _("The column “%(field)s” appears twice.", field=e.field),
        "missing_column": lambda: _("The column “%(field)s” is missing.", field=name),
        "no_header": lambda: _("The file has no header row."),
        "too_many_rows": lambda: _("The file has more than %(max)s rows.", max=e.value),
        "encoding": lambda: _("The file is not UTF-8 text."),
        "csv": lambda: _("The file is not a readable CSV file."),
        "xlsx": lambda: _("The file is not a readable XLSX workbook."),
        "object": lambda: _("Expected an object with the entry's fields."),
    }
    make = messages.get(e.code)
    return make() if make else f"{name}: {e.message}"


def line_error(line: int | None, e: FieldError) -> str:
    """A problem of an import file, with its line number when it has one."""
    if line is None:
        return field_error(e)
    return _("Line %(line)s: %(problem)s", line=line, problem=field_error(e))


def heat_cells(rows: list[HeatRow]) -> list[list[tuple[str, float | None]]]:
    """The heat map's cells: text and severity 0..1 (higher lock-in, more non-EU, lower SEAL,
    fewer exit plans are more severe; the count of entries is not shaded)."""
    out = []
    for r in rows:
        if not r.entries:
            out.append([("0", None), ("–", None), ("–", None), ("–", None), ("–", None)])
            continue
        out.append([
            (str(r.entries), None),
            (str(r.highest_lock_in), (r.highest_lock_in - 1) / 4),
            (percent(r.non_eu_share), r.non_eu_share),
            ("–" if r.lowest_seal is None else str(r.lowest_seal),
             None if r.lowest_seal is None else (4 - r.lowest_seal) / 4),
            (f"{r.exit_plans}/{r.entries}", 1 - r.exit_plan_share)])
    return out


def heat_columns() -> list[str]:
    """The heat map's column titles in the current language."""
    return [_("Entries"), _("Highest lock-in"), _("Outside the EU/EEA"), _("Lowest SEAL level"),
            _("Exit plan documented or tested")]


ACTIONS = {"create": _l("Added"), "update": _l("Changed"), "delete": _l("Deleted")}
SOURCES = {"web": _l("Form"), "api": _l("API"), "import": _l("File import"),
           "demo": _l("Demo data")}


def change_line(change) -> dict:
    """One audit record of the register as display text: when, who, what, which entry, how."""
    import json
    state = json.loads(change.new or change.old or "{}")
    before = json.loads(change.old) if change.old else {}
    after = json.loads(change.new) if change.new else {}
    fields = [field_name(f) for f in FIELD_NAMES if f != "id" and before.get(f) != after.get(f)]
    return {"at": format_datetime(change.at, format="short"),
            "who": (change.user.name or change.user.email) if change.user else "–",
            "action": label(ACTIONS, change.action), "entry": state.get("name", ""),
            "fields": ", ".join(fields) if change.action == "update" else "",
            "source": label(SOURCES, change.source)}
