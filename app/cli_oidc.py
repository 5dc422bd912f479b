"""`flask oidc ...`: an organisation's own identity provider, from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from . import identity, oidc
from .errors import Invalid

group = AppGroup("oidc", help="Sign-in through an organisation's own OpenID Connect provider.")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


def _org(slug: str):
    try:
        return identity.organisation(slug)
    except Invalid as exc:
        _fail(exc.message)


@group.command("set")
@click.argument("org")
@click.option("--issuer", required=True, help="issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0")
@click.option("--client-id", required=True)
@click.option("--client-secret", envvar="OIDC_CLIENT_SECRET", default="",
              help="or the environment variable OIDC_CLIENT_SECRET; empty keeps the stored one")
@click.option("--email-claim", default="email", show_default=True)
@click.option("--role-claim", default="", help="claim with groups or roles, e.g. groups")
@click.option("--role", "roles", multiple=True, metavar="VALUE=ROLE",
              help="map a group or role value to admin, respondent or viewer (repeatable)")
@click.option("--authoritative-domain", "domains", multiple=True,
              help="e-mail domain whose addresses count as verified (repeatable)")
@click.option("--enabled/--disabled", default=True, show_default=True)
@click.option("--passwords/--no-passwords", default=True, show_default=True,
              help="whether members may still sign in with a password")
def set_provider(org: str, issuer: str, client_id: str, client_secret: str, email_claim: str,
                 role_claim: str, roles: tuple[str, ...], domains: tuple[str, ...],
                 enabled: bool, passwords: bool) -> None:
    """Create or change ORG's provider (the client secret is stored encrypted)."""
    o = _org(org)
    try:
        identity.save_provider(o, issuer=issuer, client_id=client_id, client_secret=client_secret,
                               email_claim=email_claim, role_claim=role_claim,
                               role_map="\n".join(roles), authoritative_domains=" ".join(domains),
                               enabled=enabled, password_sign_in=passwords)
    except Invalid as exc:
        _fail("; ".join(f"{field}: {message}" for field, message in exc.errors))
    click.echo(f"Saved the identity provider of {o.slug} ({issuer}).")


@group.command("show")
@click.argument("org")
def show(org: str) -> None:
    """Print ORG's provider settings (never the secret)."""
    s = identity.settings_of(_org(org))
    if not s.exists:
        _fail(f"{org} has no identity provider")
    for name in ("issuer", "client_id", "email_claim", "role_claim", "authoritative_domains",
                 "enabled", "password_sign_in"):
        click.echo(f"{name}: {getattr(s, name)}")
    click.echo(f"client_secret: {'stored, encrypted' if s.has_secret else 'missing'}")
    click.echo("role_map:" + "".join(f"\n  {line}" for line in s.role_map.splitlines()))


@group.command("check")
@click.argument("org")
def check(org: str) -> None:
    """Fetch ORG's provider discovery document and print its endpoints."""
    try:
        meta = identity.check_provider(_org(org))
    except oidc.OidcError as exc:
        _fail(f"the provider cannot be used: {exc}")
    for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                 "end_session_endpoint"):
        click.echo(f"{name}: {meta.get(name, '-')}")


@group.command("remove")
@click.argument("org")
def remove(org: str) -> None:
    """Remove ORG's provider; its members sign in with passwords again."""
    if not identity.remove_provider(_org(org)):
        _fail(f"{org} has no identity provider")
    click.echo(f"Removed the identity provider of {org}.")
