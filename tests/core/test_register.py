"""The register's validation, four conditions and heat map, checked against hand-computed tables."""
from __future__ import annotations

from datetime import date

import pytest

from app.core.register import (
    EU_EEA,
    ISO_COUNTRIES,
    LAYER_IDS,
    LAYERS,
    Entry,
    add_months,
    findings,
    heat_map,
    matching,
    parse_entry,
    totals,
)

TODAY = date(2026, 6, 30)


def entry(name, layer="business-systems", supplier="Leverandør A", sc="DK", hc="DK",
          crit="medium", lock=2, export="yes", plan="none", end=None, seal=None, dep=None):
    return Entry(name=name, layer=layer, supplier=supplier, supplier_country=sc,
                 hosting_country=hc, criticality=crit, lock_in=lock, data_export=export,
                 exit_plan=plan, contract_end=end, seal=seal, department=dep)


def names(entries):
    return [e.name for e in entries]


# -- validation -------------------------------------------------------------------------------

GOOD = {"name": " ESDH ", "layer": "business-systems", "supplier": "Leverandør A",
        "supplier_country": "dk", "hosting_country": "on_premises", "criticality": "high",
        "lock_in": "5", "data_export": "partial", "exit_plan": "none",
        "contract_end": "2027-03-31", "seal": "", "department": ""}


def test_a_good_entry_is_parsed_and_normalised():
    e, errors = parse_entry(GOOD, departments=["kultur"])
    assert errors == []
    assert (e.name, e.supplier_country, e.hosting_country, e.lock_in, e.contract_end,
            e.seal, e.department) == ("ESDH", "DK", "on_premises", 5, date(2027, 3, 31), None, None)


@pytest.mark.parametrize(("field", "value", "code"), [
    ("name", "", "required"),
    ("name", "x" * 201, "too_long"),
    ("layer", "mainframes", "choice"),
    ("supplier", "   ", "required"),
    ("supplier_country", "XX", "country"),
    ("supplier_country", "on_premises", "country"),   # only hosting may be on premises
    ("supplier_country", "DNK", "country"),           # alpha-3 is not alpha-2
    ("hosting_country", "EU", "country"),             # not an ISO 3166 country
    ("criticality", "critical", "choice"),
    ("lock_in", "6", "range"),
    ("lock_in", "0", "range"),
    ("lock_in", "2.5", "range"),
    ("lock_in", True, "range"),
    ("lock_in", "", "required"),
    ("data_export", "maybe", "choice"),
    ("exit_plan", "planned", "choice"),
    ("contract_end", "31-03-2027", "date"),
    ("contract_end", "2027-02-30", "date"),
    ("seal", "5", "range"),
    ("department", "nowhere", "department"),
    ("colour", "blue", "unknown"),
])
def test_each_bad_field_is_named(field, value, code):
    e, errors = parse_entry({**GOOD, field: value}, departments=["kultur"])
    assert e is None
    assert [(x.field, x.code) for x in errors] == [(field, code)]


def test_every_problem_is_reported_at_once():
    _e, errors = parse_entry({"name": "", "layer": "x", "lock_in": 9})
    assert [x.field for x in errors] == [
        "name", "layer", "supplier", "supplier_country", "hosting_country", "criticality",
        "lock_in", "data_export", "exit_plan"]


def test_json_numbers_and_spreadsheet_floats_are_accepted():
    e, errors = parse_entry({**GOOD, "lock_in": 4.0, "seal": 2, "contract_end": date(2027, 1, 1)})
    assert errors == [] and (e.lock_in, e.seal, e.contract_end) == (4, 2, date(2027, 1, 1))


def test_country_lists():
    assert len(ISO_COUNTRIES) == 249
    assert len(EU_EEA - {"AX", "GF", "GP", "MF", "MQ", "RE", "YT"}) == 30  # EU 27 + IS LI NO
    assert {"DK", "DE", "NO", "IS", "LI"} <= EU_EEA
    assert not {"GB", "US", "CH", "GL", "FO"} & EU_EEA
    assert EU_EEA <= ISO_COUNTRIES


def test_the_nine_layers_of_case_10_in_order():
    assert LAYER_IDS == (
        "ai-digital-services", "business-systems", "digital-workplace", "security-solutions",
        "data-sharing-base-software", "devices-endpoint-management", "cloud-services",
        "datacenter-infrastructure", "network-infrastructure")
    assert [la.title["da"] for la in LAYERS][:2] == ["AI og digitale services",
                                                     "Koncern- og fagsystemer"]
    assert [la.group for la in LAYERS].count("digital-solutions") == 4
    assert all(set(la.title) == {"da", "en", "fr"} for la in LAYERS)


# -- conditions -------------------------------------------------------------------------------

def test_red_entry_needs_high_criticality_lock_in_4_and_no_documented_plan():
    es = [
        entry("ESDH", crit="high", lock=5, plan="none"),            # red
        entry("Løn", crit="high", lock=4, plan="outline"),          # red
        entry("Økonomi", crit="high", lock=4, plan="documented"),   # plan documented
        entry("Booking", crit="high", lock=3, plan="none"),         # lock-in 3
        entry("Intranet", crit="medium", lock=5, plan="none"),      # not critical
    ]
    f = findings(es, TODAY)
    assert f.holds("red_entry")
    assert names(f["red_entry"].entries) == ["ESDH", "Løn"]
    assert not findings(es[2:], TODAY).holds("red_entry")


def test_non_eu_critical_by_supplier_hosting_or_seal():
    es = [
        entry("Mail", crit="high", sc="US", hc="IE"),              # supplier outside
        entry("Backup", crit="high", sc="DK", hc="GB"),            # hosting outside
        entry("Portal", crit="high", sc="DK", hc="DK", seal=1),    # SEAL 1
        entry("Skole", crit="high", sc="NO", hc="on_premises", seal=2),  # EEA, on premises
        entry("Kort", crit="medium", sc="US", hc="US"),            # not critical
        entry("Print", crit="high", sc="DE", hc="DE", seal=0),     # SEAL 0
    ]
    f = findings(es, TODAY)
    assert names(f["non_eu_critical"].entries) == ["Backup", "Mail", "Portal", "Print"]
    assert not findings([es[3], es[4]], TODAY).holds("non_eu_critical")


def test_supplier_concentration_by_share():
    # 5 entries, supplier A has 2 = 40 %: holds; with a sixth entry 2/6 = 33 %: does not.
    es = [entry("a1", supplier="Leverandør A", layer="business-systems"),
          entry("a2", supplier="leverandør  a ", layer="business-systems"),
          entry("b", supplier="B"), entry("c", supplier="C"), entry("d", supplier="D")]
    f = findings(es, TODAY)
    assert names(f["supplier_concentration"].entries) == ["a1", "a2"]
    (c,) = f["supplier_concentration"].suppliers
    assert (c.supplier, len(c.entries), c.total, c.share) == ("Leverandør A", 2, 5, 0.4)
    assert not findings([*es, entry("e", supplier="E")], TODAY).holds("supplier_concentration")


def test_supplier_concentration_by_layers_and_the_five_entry_floor():
    three_layers = [entry("x1", supplier="X", layer="cloud-services"),
                    entry("x2", supplier="X", layer="digital-workplace"),
                    entry("x3", supplier="X", layer="network-infrastructure")]
    others = [entry(n, supplier=n) for n in "bcdefgh"]
    f = findings(three_layers + others, TODAY)  # 3 of 10 = 30 %, but 3 layers
    (c,) = f["supplier_concentration"].suppliers
    assert c.layers == ("digital-workplace", "cloud-services", "network-infrastructure")
    # four entries: too few for the condition, however concentrated
    assert not findings(three_layers + others[:1], TODAY).holds("supplier_concentration")
    # two layers, 2 of 9 = 22 %: no
    assert not findings(three_layers[:2] + others, TODAY).holds("supplier_concentration")


def test_contract_window_is_24_months_from_today_with_lock_in_3():
    es = [
        entry("today", lock=3, end=date(2026, 6, 30)),
        entry("edge", lock=4, end=date(2028, 6, 30)),        # exactly 24 months: in
        entry("after", lock=5, end=date(2028, 7, 1)),        # one day later: out
        entry("past", lock=5, end=date(2026, 6, 29)),        # already ended: out
        entry("loose", lock=2, end=date(2027, 1, 1)),        # lock-in 2: out
        entry("open", lock=5, end=None),                     # no end date: out
        entry("soon", lock=3, end=date(2026, 12, 31)),
    ]
    f = findings(es, TODAY)
    assert names(f["contract_window"].entries) == ["today", "soon", "edge"]  # by date


def test_today_moves_the_window():
    es = [entry("x", lock=3, end=date(2029, 1, 31))]
    assert not findings(es, date(2026, 12, 31)).holds("contract_window")
    assert findings(es, date(2027, 1, 31)).holds("contract_window")


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 2, 29 - 1), 24) == date(2028, 2, 28)
    assert add_months(date(2028, 2, 29), 24) == date(2030, 2, 28)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_an_empty_register_meets_no_condition():
    f = findings([], TODAY)
    assert [f.holds(c) for c in f.conditions] == [False] * 4


# -- heat map ---------------------------------------------------------------------------------

def test_heat_map_by_hand():
    es = [
        entry("ESDH", layer="business-systems", lock=5, sc="DK", hc="DK", seal=None, plan="none"),
        entry("Løn", layer="business-systems", lock=3, sc="US", hc="DK", seal=2, plan="tested"),
        entry("Sag", layer="business-systems", lock=1, sc="DK", hc="SE", seal=3,
              plan="documented"),
        entry("Cloud", layer="cloud-services", lock=4, sc="US", hc="US", seal=1, plan="outline"),
    ]
    rows = {r.layer: r for r in heat_map(es)}
    assert [r.layer for r in heat_map(es)] == list(LAYER_IDS)
    b = rows["business-systems"]
    assert (b.entries, b.highest_lock_in, b.non_eu, b.lowest_seal, b.exit_plans) == (3, 5, 1, 2, 2)
    assert b.non_eu_share == pytest.approx(1 / 3) and b.exit_plan_share == pytest.approx(2 / 3)
    c = rows["cloud-services"]
    assert (c.entries, c.highest_lock_in, c.non_eu, c.lowest_seal, c.exit_plans) == (1, 4, 1, 1, 0)
    empty = rows["network-infrastructure"]
    assert (empty.entries, empty.highest_lock_in, empty.non_eu_share, empty.lowest_seal) == (
        0, None, None, None)
    t = totals(list(rows.values()))
    assert (t.entries, t.highest_lock_in, t.non_eu, t.lowest_seal, t.exit_plans) == (4, 5, 2, 1, 2)


def test_filters_by_layer_department_and_condition():
    es = [entry("ESDH", crit="high", lock=5, dep="kultur"),
          entry("Mail", layer="digital-workplace", crit="high", lock=5),
          entry("Kort", layer="digital-workplace", dep="kultur")]
    f = findings(es, TODAY)
    assert names(matching(es, f, layer="digital-workplace")) == ["Mail", "Kort"]
    assert names(matching(es, f, department="kultur")) == ["ESDH", "Kort"]
    assert names(matching(es, f, department="")) == ["Mail"]
    assert names(matching(es, f, condition="red_entry")) == ["ESDH", "Mail"]
    assert names(matching(es, f, condition="red_entry", layer="digital-workplace")) == ["Mail"]


# -- register-triggered recommendations (SPEC section 14) ---------------------------------------

def _v2_catalogue():
    """The mini questionnaire with register_triggers on two initiatives, as version 2 gives them."""
    from dataclasses import dataclass, replace

    from app.core.questionnaire import Initiative
    from tests.core.test_recommend import MINI

    @dataclass(frozen=True)
    class V2Initiative(Initiative):
        register_triggers: tuple[str, ...] = ()

    def v2(i, triggers):
        return V2Initiative(**{**i.__dict__, "register_triggers": triggers})

    inits = list(MINI.initiatives)
    # init-alpha: high (3), triggers alpha-one, alpha-two; init-gamma: low (1), gamma-one
    inits[0] = v2(inits[0], ("red_entry", "contract_window"))
    inits[2] = v2(inits[2], ("supplier_concentration",))
    return replace(MINI, initiatives=tuple(inits), questions={})


def test_register_conditions_recommend_and_raise_the_priority():
    from app.core.answers import Answer
    from app.core.recommend import recommend

    q = _v2_catalogue()
    red = entry("ESDH", crit="high", lock=5, plan="none", end=date(2027, 1, 1))
    f = findings([red], TODAY)  # red_entry and contract_window hold; concentration does not
    # nothing answered: the answer part is 0, R = 2, high 3 x (0 + 2) = 6
    (r,) = recommend(q, {}, f)
    assert (r.initiative.id, r.priority, r.mean_level) == ("init-alpha", 6, None)
    assert [(x.condition, names(x.entries)) for x in r.register_reasons] == [
        ("red_entry", ["ESDH"]), ("contract_window", ["ESDH"])]
    # answered at 4 (above the threshold, no gap): the answer rule does not fire, t = 4,
    # max(0, 4 - 4) = 0, so 3 x (0 + 2) = 6; answered at 2: 3 x (2 + 2) = 12
    assert [(x.initiative.id, x.priority) for x in recommend(
        q, {"alpha-one": Answer(level=4), "alpha-two": Answer(level=4)}, f)] == [("init-alpha", 6)]
    ranked = recommend(q, {"alpha-one": Answer(level=2), "alpha-two": Answer(level=2)}, f)
    assert [(x.initiative.id, x.priority) for x in ranked] == [
        ("init-alpha", 12), ("init-alpha-2", 4)]  # init-alpha-2 has no register triggers
    # without the register, or with a register that meets none of the conditions: v1 behaviour
    assert recommend(q, {}, None) == [] and recommend(q, {}, findings([], TODAY)) == []
    calm = entry("ESDH", crit="high", lock=5, plan="tested")
    assert recommend(q, {}, findings([calm], TODAY)) == []


def test_an_initiative_without_register_triggers_ignores_the_register():
    from app.core.recommend import recommend
    from tests.core.test_recommend import MINI

    f = findings([entry("ESDH", crit="high", lock=5)], TODAY)
    assert recommend(MINI, {}, f) == []


def test_stack_layers_of_every_questionnaire_match_the_core():
    """Version 2's `stack_layers` must be the nine layers the register knows, in order."""
    from pathlib import Path

    import yaml
    root = Path(__file__).resolve().parents[2]
    found = []
    for path in sorted((root / "questionnaires").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "stack_layers" in data:
            found.append(path)
            layers = data["stack_layers"]
            assert [la["id"] for la in layers] == list(LAYER_IDS), path
            assert [la["title"]["da"] for la in layers] == [la.title["da"] for la in LAYERS], path
            assert [la["group"] for la in layers] == [la.group for la in LAYERS], path
    assert found, "version 2 of the questionnaire lists the stack layers"


@pytest.mark.parametrize("locale", ["da", "en", "fr"])
def test_heat_map_chart_keeps_layer_names_whole_and_text_readable(locale):
    """Both variants: text at the page's minimum size, every layer's name whole (no ellipsis)."""
    import xml.etree.ElementTree as ET

    from app.charts import MIN_TEXT, NARROW, WIDE, to_svg
    from app.charts.heatmap import heat_map_chart
    titles = [la.title[locale] for la in LAYERS]
    columns = ["Entries", "Highest lock-in", "Outside the EU/EEA", "Lowest SEAL level",
               "Exit plan documented or tested"]
    cells = [[("3", None), ("5", 1.0), ("67 %", 0.67), ("1", 0.75), ("1/3", 0.67)]] * 9
    for width in (NARROW, WIDE):
        root = ET.fromstring(to_svg(heat_map_chart(titles, columns, cells, width, MIN_TEXT),
                                    "t", "d"))
        found = [(t.text or "", float(t.get("font-size").removesuffix("px")))
                 for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert min(s for _t, s in found) >= MIN_TEXT
        assert not [t for t, _s in found if "…" in t], (width, locale)
        words = " ".join(t for t, _s in found).split()
        assert all(w in words for title in titles for w in title.split()), (width, locale)
