"""Settings from environment variables."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent
INSECURE_KEYS = {"", "dev", "change-me", "changeme", "secret"}


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe or unusable."""


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def _timezone(name: str) -> str:
    """The IANA time zone name if it exists; ConfigError otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"TIMEZONE {name!r} is not a known time zone "
                          "(use an IANA name such as Europe/Copenhagen)") from exc
    return name


def translation_directory() -> str:
    """The compiled catalogues: in the package when installed from a wheel, else the source tree."""
    packaged = Path(__file__).resolve().parent / "translations"
    return str(packaged if packaged.is_dir() else ROOT / "translations")


def _fernet_keys(name: str) -> list[str]:
    """Comma-separated Fernet keys (the first encrypts, all decrypt); ConfigError if malformed."""
    from cryptography.fernet import Fernet
    keys = [k.strip() for k in os.environ.get(name, "").split(",") if k.strip()]
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise ConfigError(
                f"{name} must hold Fernet keys (32 url-safe base64-encoded bytes), e.g. "
                "python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'") from None
    return keys


def from_env(instance_path: str) -> dict:
    """The configuration the environment asks for, with development defaults."""
    env = os.environ.get("APP_ENV", "development")
    secret = os.environ.get("SECRET_KEY", "")
    if env == "production" and (secret in INSECURE_KEYS or len(secret) < 32):
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')")
    https = _bool("HTTPS", env == "production")
    base_url = os.environ.get("BASE_URL", "").strip().rstrip("/")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ConfigError("BASE_URL must start with https:// (or http:// without HTTPS)")
    if base_url.startswith("http://") and https:
        raise ConfigError("BASE_URL must be an https:// address when HTTPS is on")
    return {
        "APP_ENV": env,
        "SECRET_KEY": secret or secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(instance_path) / 'app.db'}"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "QUESTIONNAIRE_DIRS": [Path(p) for p in os.environ.get(
            "QUESTIONNAIRE_DIRS", str(ROOT / "questionnaires")).split(os.pathsep) if p],
        "DEFAULT_QUESTIONNAIRE": os.environ.get("DEFAULT_QUESTIONNAIRE", "digital-resilience"),
        "BABEL_DEFAULT_LOCALE": "da",
        # Dates on pages and in reports are shown in the organisation's time zone.
        "TIMEZONE": _timezone(os.environ.get("TIMEZONE", "Europe/Copenhagen")),
        "BABEL_TRANSLATION_DIRECTORIES": translation_directory(),
        "LANGUAGES": ("da", "en", "fr"),
        "HTTPS": https,
        # The address in every link sent by e-mail; without it, only LINK_HOSTS are used.
        "BASE_URL": base_url,
        "LINK_HOSTS": [h for h in os.environ.get("LINK_HOSTS", "").split(",") if h.strip()],
        "SESSION_COOKIE_NAME": "__Host-session" if https else "session",
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": https,
        # Idle limit (renewed by every request), and the absolute limit from sign-in.
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("SESSION_LIFETIME", 8 * 3600)),
        "SESSION_ABSOLUTE_LIFETIME": int(os.environ.get("SESSION_ABSOLUTE_LIFETIME", 12 * 3600)),
        # The CSRF token lives as long as the session, so a long pause never loses a page.
        "WTF_CSRF_TIME_LIMIT": None,
        # Larger bodies get 413: no form or API call of this app comes near 2 MB.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)),
        # Proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
        # Without it, behind a load balancer every client shares one login rate limit.
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", 0)),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Failed sign-ins per (address, e-mail), and per account from any address.
        "RATELIMIT_LOGIN": os.environ.get("RATELIMIT_LOGIN", "10 per minute;50 per hour"),
        "RATELIMIT_LOGIN_ACCOUNT": os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "50 per hour"),
        # PDF reports per signed-in user (each costs up to a few seconds of CPU).
        "RATELIMIT_PDF": os.environ.get("RATELIMIT_PDF", "20 per minute;200 per hour"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "INVITATION_DAYS": int(os.environ.get("INVITATION_DAYS", 14)),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", 587)),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "no-reply@localhost"),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        # OpenID Connect sign-in: keys that encrypt the providers' client secrets at rest,
        # the clock skew allowed on ID tokens, and how long a sign-in at the provider may take.
        "OIDC_ENCRYPTION_KEYS": _fernet_keys("OIDC_ENCRYPTION_KEYS"),
        "OIDC_CLOCK_SKEW": int(os.environ.get("OIDC_CLOCK_SKEW", 60)),
        "OIDC_MAX_SIGN_IN_SECONDS": int(os.environ.get("OIDC_MAX_SIGN_IN_SECONDS", 600)),
    }
