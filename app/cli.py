"""The flask commands of SPEC section 6: thin wrappers over services."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from .bounds import MAX_INT
from .core.exchange import MAX_DEPTH, parse_exchange, too_deep
from .core.questionnaire import load_directory
from .errors import AppError
from .presenters import csv_text


def fail(message: str) -> None:
    """Print an error and exit 1 (never a traceback)."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def register(app: Flask) -> None:
    """Attach every command to the app, each run inside an app context."""
    from .demo import seed_demo
    for command in (init_db, create_user, create_token, validate_questionnaires,
                    import_assessment, export_assessment, results, compare_cmd, seed_demo,
                    report, org_report):
        command.callback = with_appcontext(command.callback)
        app.cli.add_command(command)
    from .cli_oidc import group
    app.cli.add_command(group)


@click.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema (safe to run twice)."""
    from . import services
    upgrade()
    problems = services.check_published(services.all_questionnaires())
    if problems:
        fail("\n".join(problems))
    click.echo("Database is up to date.")


@click.command("create-user")
@click.argument("email")
@click.option("--password", required=True)
@click.option("--org", "org", required=True, help="organisation slug (created if missing)")
@click.option("--role", required=True, help="admin, respondent or viewer")
@click.option("--department", default=None, help="department slug")
@click.option("--name", default="")
def create_user(email: str, password: str, org: str, role: str, department: str | None,
                name: str) -> None:
    """Add a user with a role in an organisation."""
    from . import services
    try:
        user = services.create_user(email, password, org, role, department, name)
    except AppError as exc:
        fail(exc.message)
    click.echo(f"Created {user.email} ({role} in {org}).")


@click.command("create-token")
@click.argument("email")
def create_token(email: str) -> None:
    """Print a new API token for the user."""
    from . import services
    user = services.user_by_email(email)
    if user is None:
        fail(f"no user with e-mail {email}")
    click.echo(services.create_token(user))


@click.command("validate-questionnaires")
def validate_questionnaires() -> None:
    """Check every questionnaire file; exit 1 listing every problem."""
    from . import services
    problems: list[str] = []
    found = {}
    for d in current_app.config["QUESTIONNAIRE_DIRS"]:
        qs, errs = load_directory(Path(d))
        problems += errs
        found.update(qs)
    problems += services.check_published(found.values(), if_installed=True)
    if problems:
        for p in problems:
            click.echo(p, err=True)
        sys.exit(1)
    for q in found.values():
        click.echo(f"ok {q.id}/{q.version}: {len(q.blocks)} blocks, {len(q.questions)} questions, "
                   f"{len(q.initiatives)} initiatives")


@click.command("import-assessment")
@click.argument("file")
def import_assessment(file: str) -> None:
    """Import one assessment in the exchange format; print its id on the last line."""
    from . import services
    from .registry import registry
    try:
        text = Path(file).read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"{file}: cannot read file: {exc.strerror}")
    except UnicodeDecodeError:
        fail(f"{file}: not UTF-8 text")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"{file}: malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except RecursionError:
        data = None
        fail(f"{file}: the JSON is nested too deeply (at most {MAX_DEPTH} levels)")
    if too_deep(data):
        fail(f"{file}: the JSON is nested too deeply (at most {MAX_DEPTH} levels)")
    x, errors = parse_exchange(data, registry().by_key)
    if errors:
        for line in errors.lines():
            click.echo(f"{file}: {line}", err=True)
        fail(f"{file}: {len(errors.items)} problem(s); nothing was imported")
    try:
        a = services.import_exchange(x)
    except AppError as exc:
        fail(f"{file}: {exc.message}; nothing was imported")
    click.echo(f"Imported assessment of {x.department_slug} ({x.period}).")
    click.echo(str(a.id))


def _organisation(slug: str):
    from . import services
    o = services.organisation_by_slug(slug)
    if o is None:
        fail(f"unknown organisation {slug!r}")
    return o


def _assessment(assessment_id: int):
    from . import services
    try:
        return services.get_assessment_or_404(assessment_id)
    except AppError as exc:
        fail(exc.message)


@click.command("export-assessment")
@click.argument("assessment_id", type=click.IntRange(1, MAX_INT))
def export_assessment(assessment_id: int) -> None:
    """Print an assessment in the exchange format."""
    from . import services
    a = _assessment(assessment_id)
    click.echo(json.dumps(services.export_exchange(a), ensure_ascii=False, indent=2))


@click.command("results")
@click.argument("assessment_id", type=click.IntRange(1, MAX_INT))
def results(assessment_id: int) -> None:
    """Print the results JSON of an assessment."""
    from . import services
    a = _assessment(assessment_id)
    click.echo(json.dumps(services.results_document(a), ensure_ascii=False, indent=2))


@click.command("compare")
@click.argument("org")
@click.option("--period", required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
def compare_cmd(org: str, period: str, fmt: str) -> None:
    """Print the department comparison of an organisation for a period."""
    from . import services
    o = _organisation(org)
    if period not in services.periods_of(o):
        fail(f"organisation {org!r} has no period {period!r}")
    (comparison,) = services.comparisons(o, services.trusted_membership(o), [period])
    click.echo(render_comparison(comparison, fmt), nl=False)


def render_comparison(comparison, fmt: str) -> str:
    """The comparison as JSON or CSV text."""
    if fmt == "csv":
        return csv_text(comparison.csv_rows(), newline="\n")
    return json.dumps(comparison.to_json(), ensure_ascii=False, indent=2) + "\n"


# -- PDF reports -----------------------------------------------------------------------------

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
    from .reports import assessment_pdf
    a = _assessment(assessment_id)
    try:
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
    from . import services
    from .reports import organisation_pdf
    o = _organisation(org)
    try:
        data = organisation_pdf(o, services.trusted_membership(o), period, locale)
    except AppError as exc:
        fail(exc.message)
    _write(output, data)
    click.echo(f"Wrote {output} ({len(data) // 1024} KB).")
