"""Finding 8: compiled catalogues travel with the wheel, and a missing one is never silent."""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from tests.conftest import FIXTURES, ROOT, base_config


def test_a_locale_without_a_compiled_catalogue_is_logged_and_served_in_english(
        tmp_path_factory, caplog):
    config = base_config(tmp_path_factory, [FIXTURES / "questionnaires"], "mini")
    config["BABEL_TRANSLATION_DIRECTORIES"] = str(tmp_path_factory.mktemp("no-mo"))
    with caplog.at_level(logging.ERROR):
        app = create_app(config)
    with app.app_context():
        db.create_all()  # the sign-in page lists the organisations' own logins
    assert "No compiled message catalogue (messages.mo) for da, fr" in caplog.text
    try:
        html = app.test_client().get("/login", headers={"Accept-Language": "da"}).get_data(
            as_text=True)
    finally:
        with app.app_context():  # this app's own engine: close its connections now
            db.session.remove()
            db.engine.dispose()
    assert '<html lang="en">' in html and "Sign in" in html


CHECK = """
import sys
from app import create_app
app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "QUESTIONNAIRE_DIRS": [sys.argv[1]],
                  "DEFAULT_QUESTIONNAIRE": "mini",
                  "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[2]})
from app.extensions import db
with app.app_context():
    db.create_all()
import app as package
print(package.__file__)
for lang in ("da", "fr"):
    html = app.test_client().get("/login", headers={"Accept-Language": lang}).get_data(as_text=True)
    print(html.split("<title>")[1].split("</title>")[0] if "<title>" in html else "", "|",
          html[html.find("<html"):html.find(">", html.find("<html")) + 1])
"""


def test_the_wheel_carries_compiled_catalogues_and_speaks_danish(tmp_path):
    """Build the wheel, install it into a fresh venv, and ask it for a Danish page."""
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        capture_output=True, text=True, timeout=240)
    if built.returncode != 0:
        if "Could not find a version" in built.stderr or "NewConnectionError" in built.stderr:
            pytest.skip("cannot build the wheel offline: " + built.stderr[-200:])
        raise AssertionError(built.stderr[-2000:])
    wheel = next(dist.glob("digital_resilience-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for loc in ("da", "en", "fr"):
        assert f"app/translations/{loc}/LC_MESSAGES/messages.mo" in names
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
    ).strip())
    # The wheel itself is installed; its dependencies come from the test environment (offline).
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    out = subprocess.run(
        [python, "-c", CHECK, str(FIXTURES / "questionnaires"), str(tmp_path / "w.db")],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)})
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0].startswith(str(site))  # the installed wheel, not the source tree
    assert "Log ind" in lines[1] and 'lang="da"' in lines[1]
    assert re.search(r"Connexion|Se connecter", lines[2]) and 'lang="fr"' in lines[2]
    assert "No compiled message catalogue" not in out.stderr
