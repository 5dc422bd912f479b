"""Build hook: compile the message catalogues into the package, so a wheel speaks Danish and
French without `make` (pyproject.toml holds everything else)."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    """build_py, plus translations/<locale>/LC_MESSAGES/messages.po -> app/translations/…/.mo."""

    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
        source = Path(__file__).resolve().parent / "translations"
        for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
            target = Path(self.build_lib, "app", "translations", po.relative_to(source)
                          ).with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as f:
                catalog = read_po(f)
            with target.open("wb") as f:
                write_mo(f, catalog)


setup(cmdclass={"build_py": BuildWithCatalogues})
