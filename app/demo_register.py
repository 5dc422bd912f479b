"""Demo Kommune's technology-stack register: 27 entries in all nine layers, every condition met.

Suppliers and systems are invented; no real company is named. Contract dates are set relative
to the day the demo is seeded, so that the contract-window condition holds whenever it runs.
"""
from __future__ import annotations

from datetime import date

from . import services_register as reg
from .access import membership_for
from .core.register import add_months
from .models import Organisation, User

ATLAS = "Atlas Hyperscale Corp."        # the big foreign platform, in many layers
FAGSYS = "Fagsystemhuset A/S"
NORDLYS = "Nordlys Software ApS"
EUROPA = "Europa Hosting GmbH"
OPEN = "Åbent Kontor Fællesskab"

# name, layer, department (None: shared), supplier, supplier country, hosting country,
# criticality, lock-in, data export, exit plan, contract end (months from today), SEAL, alternative
ENTRIES = (
    ("Chatbot til borgerservice", "ai-digital-services", "kultur-og-borgerservice",
     "Andean AI Labs Inc.", "US", "US", "medium", 3, "partial", "none", 10, 0, ""),
    ("Selvbetjeningsplatform", "ai-digital-services", None, NORDLYS, "DK", "DK", "high", 3,
     "yes", "documented", None, 3, ""),
    ("Tale-til-tekst i journalføring", "ai-digital-services", "sundhed-og-omsorg", ATLAS, "US",
     "IE", "medium", 4, "no", "none", None, None, "Dansk talegenkendelse fra et fællesskab"),
    ("ESDH – sags- og dokumenthåndtering", "business-systems", None, FAGSYS, "DK", "DK", "high",
     5, "partial", "none", 14, None, "Fællesoffentligt udbud med krav om åbne formater"),
    ("Økonomi- og lønsystem", "business-systems", "oekonomi-og-administration", FAGSYS, "DK",
     "DK", "high", 4, "partial", "outline", 30, None, ""),
    ("Omsorgsjournal", "business-systems", "sundhed-og-omsorg", "Care Systems Norden AB", "SE",
     "SE", "high", 4, "partial", "documented", 20, None, ""),
    ("Skoleadministration", "business-systems", "boern-og-unge", FAGSYS, "DK", "DK", "medium", 3,
     "yes", "outline", None, None, ""),
    ("Bibliotekssystem", "business-systems", "kultur-og-borgerservice", OPEN, "DK", "DE",
     "medium", 2, "yes", "tested", None, 3, ""),
    ("Kontorpakke og e-mail", "digital-workplace", None, ATLAS, "US", "IE", "high", 4, "partial",
     "outline", 6, 1, "Open source-kontorpakke i egen drift (pilot i én forvaltning)"),
    ("Intranet", "digital-workplace", None, NORDLYS, "DK", "DK", "low", 2, "yes", "documented",
     None, None, ""),
    ("Videomøder", "digital-workplace", None, ATLAS, "US", "IE", "medium", 3, "partial", "none",
     None, 1, "Europæisk videomødeløsning"),
    ("Identitets- og adgangsstyring", "security-solutions", None, ATLAS, "US", "NL", "high", 4,
     "partial", "documented", None, 1, ""),
    ("Logovervågning (SIEM)", "security-solutions", None, "Helix Security Ltd", "GB", "GB",
     "high", 3, "yes", "outline", 18, None, ""),
    ("Endpoint-beskyttelse", "security-solutions", None, "Vagttårn Sikkerhed ApS", "DK", "DE",
     "medium", 2, "yes", "documented", None, 2, ""),
    ("Integrationsplatform", "data-sharing-base-software", None, "Fællesdata (kommunalt "
     "fællesskab)", "DK", "DK", "high", 2, "yes", "tested", None, 4, ""),
    ("Databaser (licenser)", "data-sharing-base-software", None, "Orion Database Corp.", "US",
     "on_premises", "high", 4, "no", "none", None, None, "Open source-database"),
    ("Dataplatform og BI", "data-sharing-base-software", None, NORDLYS, "DK", "DE", "medium", 3,
     "yes", "outline", 22, 3, ""),
    ("Elevcomputere og skolekonti", "devices-endpoint-management", "boern-og-unge",
     "Skyline Cloud Inc.", "US", "US", "high", 4, "partial", "none", 9, 0,
     "Kommunal skoleplatform fra et fællesskab"),
    ("Mobil enhedsstyring (MDM)", "devices-endpoint-management", None, ATLAS, "US", "IE",
     "medium", 3, "partial", "outline", None, None, ""),
    ("Borger-pc'er på biblioteker", "devices-endpoint-management", "kultur-og-borgerservice",
     OPEN, "DK", "on_premises", "low", 1, "yes", "tested", None, 4, ""),
    ("Cloud-platform til egne løsninger", "cloud-services", "kultur-og-borgerservice", EUROPA,
     "DE", "DE", "medium", 2, "yes", "tested", None, 3, ""),
    ("Hyperscale cloud-abonnement", "cloud-services", None, ATLAS, "US", "NL", "high", 4,
     "partial", "outline", 16, 1, "Europæisk cloud-leverandør (jf. Case 11)"),
    ("Backup som service", "cloud-services", None, EUROPA, "DE", "DE", "medium", 2, "yes",
     "documented", None, 3, ""),
    ("Eget datacenter – drift", "datacenter-infrastructure", None, "Datacenter Midt A/S", "DK",
     "on_premises", "high", 3, "yes", "documented", 12, 4, ""),
    ("Storage og virtualisering", "datacenter-infrastructure", None, "Vertex Virtual Inc.", "US",
     "on_premises", "high", 4, "no", "none", None, None, "Open source-virtualisering"),
    ("Kommunenet (WAN)", "network-infrastructure", None, "Baltisk Netværk Oy", "FI", "FI",
     "high", 3, "yes", "outline", 30, None, ""),
    ("Trådløst net i skoler og institutioner", "network-infrastructure", "boern-og-unge",
     "Kystnet A/S", "DK", "DK", "medium", 2, "yes", "documented", None, None, ""),
)
FIELDS = ("name", "layer", "department", "supplier", "supplier_country", "hosting_country",
          "criticality", "lock_in", "data_export", "exit_plan", "contract_end", "seal",
          "alternative")


def rows(today: date) -> list[dict]:
    """The demo entries as raw fields, contract dates counted from `today`."""
    out = []
    for values in ENTRIES:
        raw = dict(zip(FIELDS, values, strict=True))
        months = raw["contract_end"]
        raw["contract_end"] = add_months(today, months) if months is not None else None
        raw["seal_source"] = "Leverandørens erklæring" if raw["seal"] is not None else ""
        out.append(raw)
    return out


def seed_register(org: Organisation, admin: User) -> int:
    """Demo Kommune's register, unless it has entries already; returns how many were added."""
    if reg.entries(org):
        return 0
    created, _updated = reg.import_entries(
        org, membership_for(admin, org.id), admin, list(enumerate(rows(date.today()), start=2)),
        source="demo")
    return created
