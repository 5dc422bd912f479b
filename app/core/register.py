"""The technology-stack register (SPEC section 14): entries, validation, conditions, heat map.

Pure Python. The conditions and the heat map are computed here from plain entries; the
services load the rows, the pages and PDFs present the result.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# -- vocabulary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    id: str
    group: str
    title: dict[str, str]


# The nine layers of the report's Case 10 ("Teknologistak"), in the report's order. Version 2 of
# the questionnaire lists them as `stack_layers`; a test checks that the two agree.
LAYERS: tuple[Layer, ...] = (
    Layer("ai-digital-services", "digital-solutions",
          {"da": "AI og digitale services", "en": "AI and digital services",
           "fr": "IA et services numériques"}),
    Layer("business-systems", "digital-solutions",
          {"da": "Koncern- og fagsystemer", "en": "Corporate and line-of-business systems",
           "fr": "Systèmes transverses et métiers"}),
    Layer("digital-workplace", "digital-solutions",
          {"da": "Digital arbejdsplads", "en": "Digital workplace",
           "fr": "Environnement de travail numérique"}),
    Layer("security-solutions", "digital-solutions",
          {"da": "Sikkerhedsløsninger", "en": "Security solutions",
           "fr": "Solutions de sécurité"}),
    Layer("data-sharing-base-software", "it-infrastructure",
          {"da": "Datadeling og basis-software", "en": "Data sharing and base software",
           "fr": "Partage de données et logiciels de base"}),
    Layer("devices-endpoint-management", "it-infrastructure",
          {"da": "Devices og slutbrugerstyring", "en": "Devices and endpoint management",
           "fr": "Terminaux et gestion des postes"}),
    Layer("cloud-services", "it-infrastructure",
          {"da": "Cloud services", "en": "Cloud services", "fr": "Services cloud"}),
    Layer("datacenter-infrastructure", "it-infrastructure",
          {"da": "Datacenterinfrastruktur", "en": "Data centre infrastructure",
           "fr": "Infrastructure de centre de données"}),
    Layer("network-infrastructure", "it-infrastructure",
          {"da": "Netværksinfrastruktur", "en": "Network infrastructure",
           "fr": "Infrastructure réseau"}),
)
LAYER_IDS: tuple[str, ...] = tuple(layer.id for layer in LAYERS)
LAYER_GROUPS = ("digital-solutions", "it-infrastructure")

CRITICALITIES = ("low", "medium", "high")
DATA_EXPORTS = ("yes", "partial", "no")
EXIT_PLANS = ("none", "outline", "documented", "tested")
LOCK_IN = (1, 2, 3, 4, 5)
SEALS = (0, 1, 2, 3, 4)
ON_PREMISES = "on_premises"

CONDITIONS = ("red_entry", "non_eu_critical", "supplier_concentration", "contract_window")

# ISO 3166-1 alpha-2, all 249 officially assigned codes (Debian iso-codes 4.15, which follows
# the ISO 3166 Maintenance Agency's list).
ISO_COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

# The EU/EEA, kept here rather than fetched. Sources: the 27 member states as listed by the EU
# ("EU countries", european-union.europa.eu, membership since Croatia 2013 and without the UK
# since 2020); the outermost regions and Åland that have ISO codes of their own and are part of
# the Union under Article 355(1) and (4) TFEU (GF GP MQ RE YT MF, AX); the three EFTA states of
# the Agreement on the European Economic Area (IS LI NO). Greenland and the Faroe Islands are
# not in the EU. `on_premises` hosting counts as inside: the organisation's own premises.
EU_MEMBER_STATES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
EU_TERRITORIES = frozenset("AX GF GP MF MQ RE YT".split())
EEA_EFTA_STATES = frozenset("IS LI NO".split())
EU_EEA = EU_MEMBER_STATES | EU_TERRITORIES | EEA_EFTA_STATES

TEXT_MAX = {"name": 200, "supplier": 200, "seal_source": 500, "alternative": 2000,
            "notes": 4000}
# The order of the fields in forms, exports and imports.
FIELDS = ("name", "layer", "department", "supplier", "supplier_country", "hosting_country",
          "criticality", "lock_in", "data_export", "exit_plan", "contract_end", "seal",
          "seal_source", "alternative", "notes")
CONTRACT_WINDOW_MONTHS = 24
CONCENTRATION_MIN_ENTRIES = 5
CONCENTRATION_SHARE = 0.4
CONCENTRATION_LAYERS = 3


def in_eu_eea(country: str) -> bool:
    """True for an EU/EEA country code, and for hosting on the organisation's own premises."""
    return country == ON_PREMISES or country in EU_EEA


# -- entries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One system or service of the organisation's stack. `department` None means shared."""

    name: str
    layer: str
    supplier: str
    supplier_country: str
    hosting_country: str
    criticality: str
    lock_in: int
    data_export: str
    exit_plan: str
    department: str | None = None
    contract_end: date | None = None
    seal: int | None = None
    seal_source: str = ""
    alternative: str = ""
    notes: str = ""
    id: int | None = None

    @property
    def supplier_key(self) -> str:
        """The supplier's name folded for comparison ("Leverandør A " = "leverandør a")."""
        return supplier_key(self.supplier)

    @property
    def non_eu(self) -> bool:
        """True when the supplier or the hosting is outside the EU/EEA."""
        return not (in_eu_eea(self.supplier_country) and in_eu_eea(self.hosting_country))

    @property
    def is_red(self) -> bool:
        """Critical, locked in (lock-in 4 or 5) and without a documented exit plan."""
        return (self.criticality == "high" and self.lock_in >= 4
                and self.exit_plan in ("none", "outline"))

    @property
    def is_non_eu_critical(self) -> bool:
        """Critical and outside the EU/EEA (supplier or hosting), or with SEAL 0 or 1."""
        return self.criticality == "high" and (self.non_eu or self.seal in (0, 1))

    def to_dict(self) -> dict[str, Any]:
        """The entry as plain JSON values (dates ISO, `id` first when known)."""
        out: dict[str, Any] = {"id": self.id} if self.id is not None else {}
        for f in FIELDS:
            v = getattr(self, f)
            out[f] = v.isoformat() if isinstance(v, date) else v
        return out


def supplier_key(name: str) -> str:
    """A supplier name folded for comparison: case, surrounding and repeated spaces ignored."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: a code for translation and an English message."""

    field: str
    code: str
    message: str
    value: str = ""


def _text(raw: Mapping[str, Any], name: str, errors: list[FieldError], required: bool) -> str:
    value = raw.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(FieldError(name, "text", "must be text", repr(value)))
        return ""
    value = value.strip()
    if required and not value:
        errors.append(FieldError(name, "required", "is required"))
    elif len(value) > TEXT_MAX.get(name, 200):
        errors.append(FieldError(name, "too_long", f"is longer than {TEXT_MAX[name]} characters",
                                 str(TEXT_MAX[name])))
    return value


def _choice(raw: Mapping[str, Any], name: str, allowed: tuple[str, ...],
            errors: list[FieldError]) -> str:
    value = raw.get(name)
    value = value.strip() if isinstance(value, str) else value
    if value in (None, ""):
        errors.append(FieldError(name, "required", "is required"))
        return ""
    if value not in allowed:
        errors.append(FieldError(name, "choice", f"{value!r} is not one of {', '.join(allowed)}",
                                 str(value)))
        return ""
    return value


def _country(raw: Mapping[str, Any], name: str, errors: list[FieldError],
             on_premises: bool) -> str:
    value = raw.get(name)
    if isinstance(value, str):
        value = value.strip()
        value = value if value == ON_PREMISES else value.upper()
    if value in (None, ""):
        errors.append(FieldError(name, "required", "is required"))
        return ""
    if not isinstance(value, str) or not (value in ISO_COUNTRIES or (on_premises and value == ON_PREMISES)):
        hint = " or on_premises" if on_premises else ""
        errors.append(FieldError(name, "country",
                                 f"{value!r} is not an ISO 3166 alpha-2 country code{hint}",
                                 str(value)))
        return ""
    return value


def _integer(raw: Mapping[str, Any], name: str, allowed: tuple[int, ...],
             errors: list[FieldError], required: bool) -> int | None:
    value = raw.get(name)
    if isinstance(value, str):
        value = value.strip()
    if value in (None, ""):
        if required:
            errors.append(FieldError(name, "required", "is required"))
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)  # spreadsheets store whole numbers as floats
    elif isinstance(value, str) and re.fullmatch(r"[0-9]+", value):
        number = int(value)
    if number not in allowed:
        errors.append(FieldError(name, "range",
                                 f"{value!r} is not a whole number from {allowed[0]} to {allowed[-1]}",
                                 f"{allowed[0]}–{allowed[-1]}"))
        return None
    return number


def _date(raw: Mapping[str, Any], name: str, errors: list[FieldError]) -> date | None:
    value = raw.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.date() if hasattr(value, "date") and callable(value.date) else value
    if isinstance(value, str):
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                return date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.append(FieldError(name, "date", f"{value!r} is not a date (YYYY-MM-DD)", str(value)))
    return None


def parse_entry(raw: Mapping[str, Any], departments: Iterable[str] | None = None,
                ) -> tuple[Entry | None, list[FieldError]]:
    """An entry from raw field values (form, JSON or file row), or None and every problem.

    Text values are stripped; countries upper-cased; `department` is a department slug, empty
    or missing for a shared entry, and must be one of `departments` when that is given.
    """
    if not isinstance(raw, Mapping):
        return None, [FieldError("$", "object", "expected an object with the entry's fields")]
    errors: list[FieldError] = []
    unknown = sorted(str(k) for k in raw if k not in FIELDS and k != "id")
    errors += [FieldError(k, "unknown", "is not a field of a register entry") for k in unknown]
    name = _text(raw, "name", errors, True)
    layer = _choice(raw, "layer", LAYER_IDS, errors)
    department = raw.get("department")
    if isinstance(department, str):
        department = department.strip() or None
    if department is not None:
        if not isinstance(department, str):
            errors.append(FieldError("department", "text", "must be text", repr(department)))
            department = None
        elif departments is not None and department not in set(departments):
            errors.append(FieldError("department", "department", f"unknown department {department!r}",
                                     department))
            department = None
    supplier = _text(raw, "supplier", errors, True)
    supplier_country = _country(raw, "supplier_country", errors, on_premises=False)
    hosting_country = _country(raw, "hosting_country", errors, on_premises=True)
    criticality = _choice(raw, "criticality", CRITICALITIES, errors)
    lock_in = _integer(raw, "lock_in", LOCK_IN, errors, required=True)
    data_export = _choice(raw, "data_export", DATA_EXPORTS, errors)
    exit_plan = _choice(raw, "exit_plan", EXIT_PLANS, errors)
    contract_end = _date(raw, "contract_end", errors)
    seal = _integer(raw, "seal", SEALS, errors, required=False)
    seal_source = _text(raw, "seal_source", errors, False)
    alternative = _text(raw, "alternative", errors, False)
    notes = _text(raw, "notes", errors, False)
    if errors:
        return None, errors
    assert lock_in is not None
    return Entry(name=name, layer=layer, department=department, supplier=supplier,
                 supplier_country=supplier_country, hosting_country=hosting_country,
                 criticality=criticality, lock_in=lock_in, data_export=data_export,
                 exit_plan=exit_plan, contract_end=contract_end, seal=seal,
                 seal_source=seal_source, alternative=alternative, notes=notes), []


# -- conditions ----------------------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """The same day `months` later, the month's last day when it has no such day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise ValueError(d)  # pragma: no cover - day 28 exists in every month


@dataclass(frozen=True)
class Concentration:
    """A supplier behind the supplier_concentration condition and why."""

    supplier: str            # as first written in the register
    entries: tuple[Entry, ...]
    total: int               # entries in the register
    layers: tuple[str, ...]  # layer ids in layer order

    @property
    def share(self) -> float:
        """The supplier's share of the register's entries, 0..1."""
        return len(self.entries) / self.total if self.total else 0.0


@dataclass(frozen=True)
class Condition:
    """One of the four register conditions: whether it holds and the entries behind it."""

    id: str
    entries: tuple[Entry, ...] = ()
    suppliers: tuple[Concentration, ...] = ()

    @property
    def holds(self) -> bool:
        """True when some entry (or supplier) meets the condition."""
        return bool(self.entries)


@dataclass(frozen=True)
class Findings:
    """The four conditions of a register on a given day."""

    today: date
    conditions: dict[str, Condition] = field(default_factory=dict)

    def holds(self, condition: str) -> bool:
        """True when the condition holds."""
        c = self.conditions.get(condition)
        return c is not None and c.holds

    def __getitem__(self, condition: str) -> Condition:
        return self.conditions[condition]


def concentrations(entries: list[Entry]) -> list[Concentration]:
    """Suppliers with ≥ 40% of the entries or in ≥ 3 layers (only with ≥ 5 entries), by size."""
    if len(entries) < CONCENTRATION_MIN_ENTRIES:
        return []
    groups: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        groups[e.supplier_key].append(e)
    out = []
    for group in groups.values():
        layers = tuple(lid for lid in LAYER_IDS if any(e.layer == lid for e in group))
        # share ≥ 40% in exact arithmetic: 5 × count ≥ 2 × total
        if 5 * len(group) >= 2 * len(entries) or len(layers) >= CONCENTRATION_LAYERS:
            out.append(Concentration(group[0].supplier, tuple(group), len(entries), layers))
    out.sort(key=lambda c: (-len(c.entries), supplier_key(c.supplier)))
    return out


def in_contract_window(e: Entry, today: date) -> bool:
    """Lock-in 3 or more and a contract that ends within 24 months from today (today included)."""
    return (e.lock_in >= 3 and e.contract_end is not None
            and today <= e.contract_end <= add_months(today, CONTRACT_WINDOW_MONTHS))


def findings(entries: Iterable[Entry], today: date) -> Findings:
    """The four conditions of SPEC section 14 for these entries on this day."""
    entries = list(entries)
    conc = concentrations(entries)
    window = sorted((e for e in entries if in_contract_window(e, today)),
                    key=lambda e: (e.contract_end, e.name.casefold()))
    behind_conc = tuple(e for c in conc for e in c.entries)
    return Findings(today, {
        "red_entry": Condition("red_entry", tuple(_by_layer(e for e in entries if e.is_red))),
        "non_eu_critical": Condition(
            "non_eu_critical", tuple(_by_layer(e for e in entries if e.is_non_eu_critical))),
        "supplier_concentration": Condition("supplier_concentration", behind_conc, tuple(conc)),
        "contract_window": Condition("contract_window", tuple(window)),
    })


def _by_layer(entries: Iterable[Entry]) -> list[Entry]:
    order = {lid: n for n, lid in enumerate(LAYER_IDS)}
    return sorted(entries, key=lambda e: (order.get(e.layer, 99), e.name.casefold()))


def entries_for_department(entries: Iterable[Entry], department: str | None) -> list[Entry]:
    """A department's own entries and the shared ones (all entries when department is None)."""
    return [e for e in entries if department is None or e.department in (None, department)]


def matching(entries: Iterable[Entry], found: Findings, layer: str | None = None,
             department: str | None = None, condition: str | None = None) -> list[Entry]:
    """The entries that pass the filters; department "" means the shared entries.

    The condition filter keeps the entries behind that condition in `found` (the findings
    over all the entries).
    """
    keep = list(entries)
    if condition:
        behind = {id(e) for e in found[condition].entries}
        keep = [e for e in keep if id(e) in behind]
    if layer:
        keep = [e for e in keep if e.layer == layer]
    if department is not None:
        keep = [e for e in keep if (e.department or "") == department]
    return keep


# -- heat map ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatRow:
    """One layer of the heat map."""

    layer: str
    entries: int
    highest_lock_in: int | None
    non_eu: int
    lowest_seal: int | None
    exit_plans: int  # documented or tested

    @property
    def non_eu_share(self) -> float | None:
        """The share of the layer's entries with supplier or hosting outside the EU/EEA, 0..1."""
        return self.non_eu / self.entries if self.entries else None

    @property
    def exit_plan_share(self) -> float | None:
        """The share of the layer's entries with a documented or tested exit plan, 0..1."""
        return self.exit_plans / self.entries if self.entries else None


def heat_map(entries: Iterable[Entry]) -> list[HeatRow]:
    """Per layer, in the report's order: entries, highest lock-in, non-EU share, lowest SEAL
    (the framework's minimum rule: the weakest sets the level), exit plans documented or tested.
    """
    per_layer: dict[str, list[Entry]] = {lid: [] for lid in LAYER_IDS}
    for e in entries:
        per_layer.setdefault(e.layer, []).append(e)
    rows = []
    for lid in LAYER_IDS:
        es = per_layer[lid]
        seals = [e.seal for e in es if e.seal is not None]
        rows.append(HeatRow(
            layer=lid, entries=len(es),
            highest_lock_in=max((e.lock_in for e in es), default=None),
            non_eu=sum(1 for e in es if e.non_eu),
            lowest_seal=min(seals) if seals else None,
            exit_plans=sum(1 for e in es if e.exit_plan in ("documented", "tested"))))
    return rows


def totals(rows: list[HeatRow]) -> HeatRow:
    """The heat map's total row over every layer."""
    seals = [r.lowest_seal for r in rows if r.lowest_seal is not None]
    locks = [r.highest_lock_in for r in rows if r.highest_lock_in is not None]
    return HeatRow("", sum(r.entries for r in rows), max(locks) if locks else None,
                   sum(r.non_eu for r in rows), min(seals) if seals else None,
                   sum(r.exit_plans for r in rows))
