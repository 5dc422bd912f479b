"""The demo municipality (seed-demo)."""
from __future__ import annotations

import click


@click.command("seed-demo")
def seed_demo() -> None:
    """Create Demo Kommune with departments, periods, users and answers (safe to run twice)."""
    click.echo("seed-demo is not implemented yet")
