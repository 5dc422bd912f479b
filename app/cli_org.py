"""The commands that move a whole organisation: `export-organisation`, `import-organisation`."""
from __future__ import annotations

from pathlib import Path

import click

from .cli import fail
from .errors import AppError


@click.command("export-organisation")
@click.argument("slug")
@click.option("--output", required=True, help="the file to write (gzip when it ends in .gz)")
def export_organisation(slug: str, output: str) -> None:
    """Write everything an organisation owns to one file (no passwords or tokens)."""
    from . import services
    org = services.organisation_by_slug(slug)
    if org is None:
        fail(f"unknown organisation {slug!r}")
    data = services.write_document(services.export_organisation(org), output.endswith(".gz"))
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        fail(f"{output}: cannot write file: {exc.strerror}")
    click.echo(f"Wrote {output} ({len(data) // 1024} KB).")


@click.command("import-organisation")
@click.argument("file")
@click.option("--as", "new_slug", default=None, help="store it under this slug instead")
def import_organisation(file: str, new_slug: str | None) -> None:
    """Read an organisation file into this installation: all of it, or nothing."""
    from . import services
    from .core.exchange import SLUG_RE
    from .core.org_exchange import parse_document
    from .registry import registry
    if new_slug is not None and not SLUG_RE.match(new_slug):
        fail(f"invalid slug {new_slug!r} (lowercase letters, digits and '-')")
    try:
        data = services.read_document(Path(file).read_bytes())
    except OSError as exc:
        fail(f"{file}: cannot read file: {exc.strerror}")
    except services.DocumentError as exc:
        fail(f"{file}: {exc}; nothing was imported")
    doc, errors = parse_document(data, registry().by_key)
    if errors:
        for line in errors.lines():
            click.echo(f"{file}: {line}", err=True)
        fail(f"{file}: {len(errors.items)} problem(s); nothing was imported")
    try:
        org = services.import_organisation(doc, new_slug)
    except AppError as exc:
        fail(f"{file}: {exc.message}; nothing was imported")
    click.echo(f"Imported organisation '{org.slug}' ({org.name}): "
               f"{len(doc.rows('departments'))} departments, {len(doc.rows('users'))} people, "
               f"{len(doc.rows('assessments'))} assessments, "
               f"{len(doc.rows('register'))} register entries.")
    click.echo("Members have no password here yet: invite them or let them reset it, "
               "or they sign in through the identity provider.")
