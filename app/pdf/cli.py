"""The `report` and `org-report` commands of SPEC section 6."""
from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from ..cli import fail
from ..errors import AppError
from ..extensions import db

LOCALES = click.Choice(["da", "en", "fr"])


def _write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        fail(f"{path}: cannot write file: {exc.strerror}")


@click.command("report")
@click.argument("assessment_id", type=int)
@click.option("--output", required=True, help="the PDF file to write")
@click.option("--locale", type=LOCALES, default="da", show_default=True)
def report(assessment_id: int, output: str, locale: str) -> None:
    """Write an assessment's PDF report."""
    from .. import services
    from . import assessment_pdf
    try:
        a = services.get_assessment_or_404(assessment_id)
        data = assessment_pdf(a, locale)
    except AppError as exc:
        fail(exc.message)
    _write(output, data)
    click.echo(f"Wrote {output} ({len(data) // 1024} KB).")


@click.command("org-report")
@click.argument("org")
@click.option("--period", required=True)
@click.option("--output", required=True, help="the PDF file to write")
@click.option("--locale", type=LOCALES, default="da", show_default=True)
def org_report(org: str, period: str, output: str, locale: str) -> None:
    """Write an organisation's PDF report for a period."""
    from ..models import Membership, Organisation
    from . import organisation_pdf
    o = db.session.scalar(select(Organisation).where(Organisation.slug == org))
    if o is None:
        fail(f"unknown organisation {org!r}")
    # The CLI is trusted: it sees what an administrator sees.
    try:
        data = organisation_pdf(o, Membership(organisation_id=o.id, role="admin"), period, locale)
    except AppError as exc:
        fail(exc.message)
    _write(output, data)
    click.echo(f"Wrote {output} ({len(data) // 1024} KB).")
