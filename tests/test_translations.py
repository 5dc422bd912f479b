"""The interface catalogues are current and complete in Danish, English and French."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import i18n  # noqa: E402


def ids(path: Path) -> set[str]:
    with path.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


def test_pot_is_not_stale(tmp_path):
    """Every string marked in the code is in messages.pot, and nothing else."""
    out = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", "babel.cfg", "-k", "_l", "-k", "Text", "-o", str(out), "--no-location", "."],
                   cwd=ROOT, check=True)
    fresh, committed = ids(out), ids(ROOT / "translations" / "messages.pot")
    assert fresh - committed == set(), "run `make translations`: new strings are not in the catalogue"
    assert committed - fresh == set(), "run `make translations`: the catalogue has stale strings"


def test_every_catalogue_is_complete():
    assert i18n.problems() == []


def test_catalogues_hold_every_string_of_the_template():
    template = ids(ROOT / "translations" / "messages.pot")
    for loc in i18n.LOCALES:
        assert template <= ids(i18n.catalogue(loc)), f"{loc} lacks strings: run `make translations`"
