"""The layering of the app, enforced for every import form.

Absolute, relative (`from ..models import X`, `from .. import services`) and imports inside
functions all count: each is resolved to the full module name before the rules apply.

- the core (`app/core/`) imports no Flask, SQLAlchemy, ReportLab and no app module outside it;
- the renderers (`app/pdf/`, `app/charts/`) and the presenters import no models, services,
  access rules or db;
- the models and the services import nothing of the web or API adapters.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

FRAMEWORKS = ("flask", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy",
              "flask_migrate", "sqlalchemy", "reportlab", "werkzeug", "jinja2", "argon2")
DATA_LAYER = ("app.models", "app.services", "app.extensions",
              "app.access", "app.reports", "app.demo", "app.cli", "sqlalchemy",
              "flask_sqlalchemy")
ADAPTERS = ("app.web", "app.api", "app.cli")


def module_name(path: Path) -> str:
    """The dotted module name of a file below the repository root."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it, relative imports resolved.

    `from pkg import name` yields both `pkg` and `pkg.name` (the name may be a submodule).
    """
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names if a.name != "*")
    return found


def violations(paths, forbidden, allowed=()) -> list[str]:
    """'file imports module' for each import that starts with a forbidden prefix."""
    def hits(mod: str, prefixes) -> bool:
        return any(mod == p or mod.startswith(p + ".") for p in prefixes)
    return sorted(f"{p.relative_to(ROOT)} imports {mod}"
                  for p in paths for mod in imported_modules(p)
                  if hits(mod, forbidden) and not hits(mod, allowed))


def files(package: str) -> list[Path]:
    """The Python files of a package below app/."""
    return sorted((APP / package).rglob("*.py"))


def core_violations() -> list[str]:
    return violations(files("core"), FRAMEWORKS + ("app",), allowed=("app.core",))


def renderer_violations() -> list[str]:
    return violations(files("pdf") + files("charts") + [APP / "presenters.py"], DATA_LAYER)


def data_layer_violations() -> list[str]:
    paths = [APP / f for f in ("models.py", "reports.py", "mail.py", "identity.py", "oidc.py")]
    paths += sorted((APP / "services").rglob("*.py"))
    return violations([p for p in paths if p.exists()], ADAPTERS)


def test_the_core_is_plain_python():
    assert core_violations() == []


def test_renderers_take_data_and_touch_no_data_layer():
    assert renderer_violations() == []


def test_models_and_services_know_no_adapter():
    assert data_layer_violations() == []


# -- the checker itself -------------------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("from ..models import User", "app.models"),
    ("from .. import services", "app.services"),
    ("from . import scoring", "app.core.scoring"),
    ("def f():\n    import flask\n", "flask"),
    ("def f():\n    from sqlalchemy import select\n", "sqlalchemy"),
    ("import app.models as m", "app.models"),
])
def test_every_import_form_is_resolved(tmp_path, monkeypatch, source, expected):
    fake = APP / "core" / "planted_for_test.py"
    monkeypatch.setattr(Path, "read_text", lambda self, **kw: source)
    assert expected in imported_modules(fake)


def test_a_planted_relative_import_into_the_core_is_caught(monkeypatch):
    planted = APP / "core" / "scoring.py"
    real = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, **kw: (
        "def late():\n    from ..models import Answer\n" if self == planted else real(self, **kw)))
    assert "app/core/scoring.py imports app.models" in core_violations()


def test_a_planted_models_import_in_the_renderers_is_caught(monkeypatch):
    planted = APP / "pdf" / "layout.py"
    real = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, **kw: (
        real(self, **kw) + "\nfrom ..models import Assessment\n" if self == planted
        else real(self, **kw)))
    assert "app/pdf/layout.py imports app.models" in renderer_violations()
