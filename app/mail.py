"""Outgoing e-mail (SMTP, standard library), used by the web adapter; the services never send mail."""
from __future__ import annotations

import smtplib
from collections.abc import Iterable
from email.message import EmailMessage

from flask import current_app


def configured() -> bool:
    """True when MAIL_SERVER is set."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to: Iterable[str], subject: str, body: str) -> bool:
    """Send one plain-text message; False when mail is not configured. Raises on SMTP failure."""
    cfg = current_app.config
    recipients = list(to)
    if not cfg.get("MAIL_SERVER") or not recipients:
        return False
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, cfg.get("MAIL_FROM"), ", ".join(recipients)
    msg.set_content(body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg.get("MAIL_PORT", 587), timeout=10) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD", ""))
        smtp.send_message(msg)
    return True


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text mail to one address when MAIL_SERVER is set; False otherwise."""
    return send([to], subject, body)

