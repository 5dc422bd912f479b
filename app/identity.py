"""Sign-in through an organisation's own identity provider: its settings and account linking.

Settings: one OpenID Connect provider per organisation; the client secret is stored encrypted
(Fernet, keys from OIDC_ENCRYPTION_KEYS). Linking: an account is reached through a provider
only by a verified e-mail address of a member of, or an invitee to, that provider's
organisation; nobody unknown is ever created. Each use case commits once.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from . import oidc, services
from .errors import Invalid
from .extensions import db
from .models import (
    ROLES,
    Invitation,
    Membership,
    OidcIdentity,
    OidcProvider,
    OidcUsedCode,
    Organisation,
    User,
    utcnow,
)

ROLE_RANK = {"admin": 3, "respondent": 2, "viewer": 1}
CLAIM_NAME = re.compile(r"^[A-Za-z0-9_:/.\-]{1,100}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class Refused(Exception):
    """A provider sign-in this application will not accept; `code` names the rule, in English."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


# -- the client secret at rest ---------------------------------------------------------------

def _fernet() -> MultiFernet:
    keys = current_app.config.get("OIDC_ENCRYPTION_KEYS") or []
    if not keys:
        raise Invalid("no encryption key", [("client_secret", _(
            "The server has no key to encrypt client secrets with: set the environment "
            "variable OIDC_ENCRYPTION_KEYS first (see the README)."))])
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(secret: str) -> str:
    """The secret encrypted with the first key of OIDC_ENCRYPTION_KEYS."""
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    """The secret, decrypted with any key of OIDC_ENCRYPTION_KEYS (so keys can be rotated)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, Invalid):
        raise Refused("misconfigured") from None


# -- settings --------------------------------------------------------------------------------

@dataclass
class Settings:
    """The form's view of an organisation's provider settings (never the secret itself)."""

    issuer: str = ""
    client_id: str = ""
    has_secret: bool = False
    email_claim: str = "email"
    role_claim: str = ""
    role_map: str = ""
    authoritative_domains: str = ""
    enabled: bool = True
    password_sign_in: bool = True
    exists: bool = False


def provider_of(org: Organisation) -> OidcProvider | None:
    """The organisation's provider settings row, or None."""
    return db.session.scalar(select(OidcProvider).where(OidcProvider.organisation_id == org.id))


def settings_of(org: Organisation) -> Settings:
    """The organisation's settings for the form (defaults when there is no provider)."""
    p = provider_of(org)
    if p is None:
        return Settings()
    return Settings(p.issuer, p.client_id, bool(p.client_secret_encrypted), p.email_claim,
                    p.role_claim, format_role_map(json.loads(p.role_map or "{}")),
                    p.authoritative_domains, p.enabled, p.password_sign_in, True)


def own_login(org: Organisation) -> OidcProvider | None:
    """The organisation's provider if it is switched on (invitees may use it), else None."""
    p = provider_of(org)
    return p if p is not None and p.enabled else None


def sign_in_options() -> list[Organisation]:
    """The organisations whose own provider is switched on, by name (buttons on the sign-in page)."""
    rows = db.session.scalars(select(Organisation).join(
        OidcProvider, OidcProvider.organisation_id == Organisation.id).where(OidcProvider.enabled))
    return sorted(rows, key=lambda o: o.name.casefold())


def format_role_map(mapping: dict[str, str]) -> str:
    """The role mapping as the form shows it: one 'claim value = role' per line."""
    return "\n".join(f"{k} = {v}" for k, v in mapping.items())


def parse_role_map(text: str) -> dict[str, str]:
    """'claim value = role' lines as a dict; Invalid naming the first bad line."""
    mapping: dict[str, str] = {}
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        value, sep, role = line.rpartition("=")
        value, role = value.strip(), role.strip()
        if not sep or not value or role not in ROLES:
            raise Invalid("bad role map", [("role_map", _(
                "Line %(n)s of the role mapping must read “group or role in the token = "
                "admin, respondent or viewer”, for example “Resilience coordinators = admin”.",
                n=n))])
        mapping[value] = role
    return mapping


def _valid_issuer(issuer: str) -> bool:
    parts = urlsplit(issuer)
    local = parts.hostname in LOCAL_HOSTS
    return bool(parts.hostname) and (parts.scheme == "https" or (
        parts.scheme == "http" and local)) and not parts.query and not parts.fragment


def save_provider(org: Organisation, *, issuer: str, client_id: str, client_secret: str = "",
                  email_claim: str = "email", role_claim: str = "", role_map: str = "",
                  authoritative_domains: str = "", enabled: bool = True,
                  password_sign_in: bool = True) -> OidcProvider:
    """Create or change the organisation's provider; a blank secret keeps the stored one. Commits."""
    p = provider_of(org)
    errors: list[tuple[str, str]] = []
    issuer, client_id = (issuer or "").strip(), (client_id or "").strip()
    email_claim, role_claim = (email_claim or "").strip() or "email", (role_claim or "").strip()
    if not _valid_issuer(issuer) or len(issuer) > 500:
        errors.append(("issuer", _("Enter the provider's issuer URL, starting with https://, "
                                   "for example https://login.microsoftonline.com/<tenant>/v2.0.")))
    if not client_id or len(client_id) > 255:
        errors.append(("client_id", _("Enter the client ID that the provider gave this "
                                      "application (at most 255 characters).")))
    if not client_secret and (p is None or not p.client_secret_encrypted):
        errors.append(("client_secret", _("Enter the client secret.")))
    for name, value in (("email_claim", email_claim), ("role_claim", role_claim)):
        if value and not CLAIM_NAME.match(value):
            errors.append((name, _("A claim name may contain only letters, digits and _ : / . -")))
    domains = sorted({d.strip().lower() for d in re.split(r"[\s,;]+", authoritative_domains or "")
                      if d.strip()})
    bad = [d for d in domains if not DOMAIN.match(d)]
    if bad:
        errors.append(("authoritative_domains", _(
            "“%(domain)s” is not a domain name such as aarhus.dk.", domain=bad[0])))
    try:
        mapping = parse_role_map(role_map)
    except Invalid as exc:
        errors += exc.errors
        mapping = {}
    if mapping and not role_claim:
        errors.append(("role_claim", _("Name the claim that carries the groups or roles, or "
                                       "leave the role mapping empty.")))
    if not password_sign_in and not enabled:
        errors.append(("password_sign_in", _("Members need a way to sign in: switch the "
                                             "provider on before switching passwords off.")))
    secret = encrypt(client_secret) if client_secret and not errors else None
    if errors:
        raise Invalid(errors[0][1], errors)
    if p is None:
        p = OidcProvider(organisation_id=org.id, client_secret_encrypted="")
        db.session.add(p)
    if p.issuer and p.issuer != issuer:
        oidc.forget(p.issuer)
    p.issuer, p.client_id, p.email_claim, p.role_claim = issuer, client_id, email_claim, role_claim
    p.role_map = json.dumps(mapping, ensure_ascii=False)
    p.authoritative_domains = " ".join(domains)
    p.enabled, p.password_sign_in, p.updated_at = enabled, password_sign_in, utcnow()
    if secret:
        p.client_secret_encrypted = secret
    db.session.commit()
    return p


def remove_provider(org: Organisation) -> bool:
    """Remove the organisation's provider and its account links; passwords work again. Commits."""
    p = provider_of(org)
    if p is None:
        return False
    db.session.execute(delete(OidcIdentity).where(OidcIdentity.provider_id == p.id))
    db.session.delete(p)
    db.session.commit()
    return True


def check_provider(org: Organisation) -> dict:
    """The provider's discovery document, fetched afresh (raises oidc.OidcError if unusable)."""
    p = provider_of(org)
    if p is None:
        raise oidc.OidcError("not_configured")
    oidc.forget(p.issuer)
    return oidc.metadata(p.issuer)


def password_blocked_by(user: User) -> Organisation | None:
    """An organisation of the user that has switched password sign-in off, or None."""
    org_ids = [m.organisation_id for m in user.memberships]
    if not org_ids:
        return None
    return db.session.scalar(select(Organisation).join(
        OidcProvider, OidcProvider.organisation_id == Organisation.id).where(
        Organisation.id.in_(org_ids), OidcProvider.enabled.is_(True),
        OidcProvider.password_sign_in.is_(False)).order_by(Organisation.name).limit(1))


# -- the flow --------------------------------------------------------------------------------

def enabled_provider(slug: str) -> tuple[Organisation, OidcProvider]:
    """The organisation and its switched-on provider; Refused('no_provider') otherwise."""
    row = db.session.execute(select(Organisation, OidcProvider).join(
        OidcProvider, OidcProvider.organisation_id == Organisation.id).where(
        Organisation.slug == slug, OidcProvider.enabled.is_(True))).first()
    if row is None:
        raise Refused("no_provider")
    return row[0], row[1]


def client_of(p: OidcProvider) -> oidc.Client:
    """The provider's client settings with the secret decrypted."""
    return oidc.Client(p.issuer, p.client_id, decrypt(p.client_secret_encrypted))


def spend_code(code: str) -> None:
    """Record an authorization code as used; Refused('replayed') if it was used before. Commits."""
    digest = hashlib.sha256(code.encode()).hexdigest()
    db.session.execute(delete(OidcUsedCode).where(
        OidcUsedCode.used_at < utcnow() - timedelta(days=1)))
    db.session.add(OidcUsedCode(code_hash=digest))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refused("replayed") from None


def _email(claims: dict, p: OidcProvider) -> str:
    value = claims.get(p.email_claim)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    email = value.strip().lower() if isinstance(value, str) else ""
    if "@" not in email or len(email) > 254:
        raise Refused("no_email", claim=p.email_claim)
    return email


def _verified(claims: dict, p: OidcProvider, email: str) -> bool:
    if claims.get("email_verified") in (True, "true"):
        return True
    domain = email.rpartition("@")[2]
    return domain in (p.authoritative_domains or "").split()


def contacts(org: Organisation) -> list[str]:
    """Whom to ask for access: the organisation's coordinators, as 'Name <e-mail>'."""
    rows = db.session.scalars(select(User).join(Membership).where(
        Membership.organisation_id == org.id, Membership.role == "admin",
        User.active.is_(True)).order_by(User.name, User.email).limit(3))
    return [f"{u.name} ({u.email})" if u.name else u.email for u in rows]


def _pending_invitation(org: Organisation, email: str) -> Invitation | None:
    rows = db.session.scalars(select(Invitation).where(
        Invitation.organisation_id == org.id, Invitation.email == email,
        Invitation.used_at.is_(None)).order_by(Invitation.created_at.desc()))
    now = utcnow()
    for inv in rows:
        expires = inv.expires_at if inv.expires_at.tzinfo else inv.expires_at.replace(
            tzinfo=now.tzinfo)
        if expires > now:
            return inv
    return None


def _mapped_role(claims: dict, p: OidcProvider) -> str | None:
    if not p.role_claim:
        return None
    mapping = json.loads(p.role_map or "{}")
    values = claims.get(p.role_claim)
    values = values if isinstance(values, list) else [values]
    roles = [mapping[v] for v in values if isinstance(v, str) and v in mapping]
    return max(roles, key=ROLE_RANK.__getitem__) if roles else None


def _apply_role(m: Membership, role: str | None, org: Organisation) -> None:
    """Set the mapped role, but never demote the organisation's last coordinator."""
    if role is None or role == m.role:
        return
    if m.role == "admin":
        admins = db.session.scalars(select(Membership.id).where(
            Membership.organisation_id == org.id, Membership.role == "admin")).all()
        if len(admins) <= 1:
            return
    m.role = role


def link(org: Organisation, p: OidcProvider, claims: dict) -> User:
    """The account these verified claims reach in the provider's organisation. Commits.

    Known subject: its linked account. Otherwise a verified e-mail address of a member, or of
    a pending invitation to this organisation (which is then accepted). Anything else is
    Refused and nothing is stored.
    """
    subject = str(claims.get("sub") or "")
    identity = db.session.scalar(select(OidcIdentity).where(
        OidcIdentity.provider_id == p.id, OidcIdentity.subject == subject)) if subject else None
    if identity is not None:
        user = db.session.get(User, identity.user_id)
        email = user.email
    else:
        email = _email(claims, p)
        if not _verified(claims, p, email):
            raise Refused("unverified", email=email)
        user = db.session.scalar(select(User).where(User.email == email))
    if user is not None and not user.active:
        raise Refused("inactive", email=email)
    membership = next((m for m in user.memberships if m.organisation_id == org.id),
                      None) if user else None
    invitation = None
    if membership is None:
        invitation = _pending_invitation(org, email)
        if invitation is None:
            raise Refused("no_access", email=email)
    if identity is None and user is not None and db.session.scalar(select(OidcIdentity).where(
            OidcIdentity.provider_id == p.id, OidcIdentity.user_id == user.id)):
        # The address now belongs to another person at the provider (a recycled mailbox).
        raise Refused("other_subject", email=email)
    if invitation is not None:
        spent = db.session.execute(update(Invitation).where(
            Invitation.id == invitation.id, Invitation.used_at.is_(None)).values(used_at=utcnow()))
        if spent.rowcount != 1:
            db.session.rollback()
            raise Refused("no_access", email=email)
        if user is None:
            name = claims.get("name") if isinstance(claims.get("name"), str) else ""
            user = User(email=email, name=" ".join(name.split())[:200] or email.split("@")[0],
                        password_hash="", session_token=services.new_session_token())
            db.session.add(user)
        membership = Membership(organisation_id=org.id, role=invitation.role,
                                department_id=invitation.department_id)
        user.memberships.append(membership)
    _apply_role(membership, _mapped_role(claims, p), org)
    db.session.flush()
    if identity is None:
        identity = OidcIdentity(provider_id=p.id, subject=subject, user_id=user.id)
        db.session.add(identity)
    identity.last_sign_in_at = utcnow()
    try:
        db.session.commit()
    except IntegrityError:  # the same first sign-in completed in another tab at the same moment
        db.session.rollback()
        raise Refused("simultaneous", email=email) from None
    return user


def complete(org: Organisation, p: OidcProvider, pending: dict | None, args: dict,
             redirect_uri: str) -> User:
    """Finish a provider sign-in from the callback's query: every check, then the link. Commits.

    Order: the provider's error, the state (before anything is stored), the issuer named in
    the response (RFC 9207) where the provider sends one, the code spent once,
    the code exchange with the PKCE verifier, the ID token (signature, issuer, audience,
    expiry, nonce), then account linking. Raises oidc.OidcError or Refused.
    """
    cfg = current_app.config
    if args.get("error"):
        raise oidc.OidcError("provider_error", str(args.get("error"))[:100])
    oidc.check_state(pending, args.get("state"), cfg.get("OIDC_MAX_SIGN_IN_SECONDS", 600))
    if pending.get("slug") != org.slug:
        raise oidc.OidcError("state", "the sign-in was started for another organisation")
    if args.get("iss") is not None and args.get("iss") != p.issuer:  # RFC 9207: mix-up defence
        raise oidc.OidcError("issuer", f"the response names issuer {args.get('iss')!r}")
    code = args.get("code") or ""
    if not code:
        raise oidc.OidcError("token_refused", "no code in the response")
    spend_code(code)
    client = client_of(p)
    meta = oidc.metadata(p.issuer)
    token = oidc.exchange(client, meta, redirect_uri, code, pending["verifier"])
    claims = oidc.verify_id_token(client, meta, token["id_token"], pending["nonce"],
                                  token.get("access_token"), cfg.get("OIDC_CLOCK_SKEW", 60))
    if p.email_claim not in claims or (p.role_claim and p.role_claim not in claims):
        extra = oidc.userinfo(meta, token.get("access_token", ""), claims["sub"])
        claims = {**extra, **claims}
    return link(org, p, claims)


def end_session_url(slug: str, post_logout_redirect_uri: str) -> str | None:
    """Where to send a user signed in through this organisation's provider at sign-out."""
    try:
        _org, p = enabled_provider(slug)
        return oidc.end_session_url(oidc.metadata(p.issuer), p.client_id,
                                    post_logout_redirect_uri)
    except (Refused, oidc.OidcError):
        return None


def organisation(slug: str) -> Organisation:
    """The organisation with this slug; Invalid naming it otherwise (for the CLI)."""
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise Invalid(f"unknown organisation {slug!r}", [("org", f"unknown organisation {slug!r}")])
    return org
