"""Translation catalogue chores: fill the English catalogue from its msgids, check completeness."""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("da", "en", "fr")


def catalogue(locale: str) -> Path:
    return ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"


def fill_english() -> None:
    """English is the source language: every msgstr equals its msgid."""
    path = catalogue("en")
    with path.open("rb") as f:
        cat = read_po(f, locale="en")
    for msg in cat:
        if not msg.id:
            continue
        msg.string = msg.id
        msg.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, cat, width=100)


def problems() -> list[str]:
    """Untranslated and fuzzy entries in every catalogue."""
    out = []
    for loc in LOCALES:
        with catalogue(loc).open("rb") as f:
            cat = read_po(f, locale=loc)
        for msg in cat:
            if not msg.id:
                continue
            strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
            if not all(strings):
                out.append(f"{loc}: untranslated: {msg.id!r}")
            if msg.fuzzy:
                out.append(f"{loc}: fuzzy: {msg.id!r}")
    return out


if __name__ == "__main__":
    if sys.argv[1:] == ["fill-en"]:
        fill_english()
    elif sys.argv[1:] == ["check"]:
        found = problems()
        print("\n".join(found) or "catalogues complete")
        sys.exit(1 if found else 0)
    else:
        sys.exit("usage: i18n.py fill-en|check")
