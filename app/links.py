"""Absolute links for e-mails: from BASE_URL, never from a Host header nobody vouched for.

A link in an invitation must point at this service even when the request that created it
carried a forged Host (`Host: evil.example`) or came through a TLS proxy that the app was not
told about. BASE_URL (e.g. https://selvevaluering.kommune.dk) is the answer; without it, the
request's host is used only if it is trusted (LINK_HOSTS, SERVER_NAME, or loopback in
development), with https whenever HTTPS is on.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request, url_for

from .errors import AppError

LOOPBACK = ("localhost", "127.0.0.1", "::1")


class UntrustedHost(AppError):
    """No BASE_URL, and the request's Host is not one this service answers to."""

    status = 400


def _host_name(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1]
    if host.startswith("["):
        return host[1:host.find("]")].lower()
    return host.split(":", 1)[0].lower()


def trusted_hosts() -> set[str]:
    """Host names links may be built for when BASE_URL is not set."""
    cfg = current_app.config
    hosts = {h.strip().lower() for h in cfg.get("LINK_HOSTS") or () if h.strip()}
    if cfg.get("SERVER_NAME"):
        hosts.add(_host_name(cfg["SERVER_NAME"]))
    if cfg.get("APP_ENV", "development") != "production":
        hosts.update(LOOPBACK)
    return hosts


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint for an e-mail; UntrustedHost if it cannot be trusted."""
    path = url_for(endpoint, **values)
    base = current_app.config.get("BASE_URL")
    if base:
        parts = urlsplit(base)
        return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}{path}"
    if _host_name(request.host) not in trusted_hosts():
        raise UntrustedHost(f"refusing to build a link for the untrusted host {request.host[:100]!r}; "
                            "set BASE_URL")
    scheme = "https" if current_app.config.get("HTTPS") else request.scheme
    return f"{scheme}://{request.host}{path}"
