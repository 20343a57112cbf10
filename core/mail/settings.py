"""How the deployment sends email, read from the environment into the app's config.

Environment (each also settable as the config key in brackets, which tests use):

- ``CPT_MAIL_TRANSPORT`` (``MAIL_TRANSPORT``): ``smtp``, ``notify`` or ``outbox``. Default:
  ``smtp`` when ``CPT_SMTP_HOST`` is set, ``notify`` when ``CPT_NOTIFY_API_KEY`` is set,
  otherwise ``outbox``: each message is written as an ``.eml`` file to ``CPT_MAIL_OUTBOX``
  (default ``<instance>/outbox``), which is what a developer's machine wants
  (``cpt mail test ADDRESS`` says which transport is in use, and sends a message through it).
- ``CPT_SMTP_HOST``, ``CPT_SMTP_PORT`` (default 587 with STARTTLS, 465 with TLS, 25 without),
  ``CPT_SMTP_SECURITY`` (``starttls``, ``tls`` or ``none``; default ``starttls``),
  ``CPT_SMTP_USERNAME``, ``CPT_SMTP_PASSWORD``, ``CPT_SMTP_TIMEOUT`` (seconds, default 20).
- ``CPT_MAIL_SENDER``: the From address, e.g. ``Corporate parenting <cpt@council.gov.uk>``
  (required for ``smtp``); ``CPT_MAIL_REPLY_TO`` (optional).
- ``CPT_NOTIFY_API_KEY`` and ``CPT_NOTIFY_TEMPLATE_ID``: GOV.UK Notify, with one email
  template whose subject is ``((subject))`` and whose body is ``((body))``;
  ``CPT_NOTIFY_BASE_URL`` only to point at another Notify API.
- ``CPT_PUBLIC_URL`` (``PUBLIC_URL``): where the toolkit is served, e.g.
  ``https://cpt.council.gov.uk``, for the links in messages sent outside a request
  (``cpt remind``); see :mod:`core.mail.links`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TRANSPORTS = ("smtp", "notify", "outbox")
SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}

#: Config key -> environment variable.
ENVIRONMENT = {
    "MAIL_TRANSPORT": "CPT_MAIL_TRANSPORT",
    "MAIL_OUTBOX": "CPT_MAIL_OUTBOX",
    "SMTP_HOST": "CPT_SMTP_HOST",
    "SMTP_PORT": "CPT_SMTP_PORT",
    "SMTP_SECURITY": "CPT_SMTP_SECURITY",
    "SMTP_USERNAME": "CPT_SMTP_USERNAME",
    "SMTP_PASSWORD": "CPT_SMTP_PASSWORD",
    "SMTP_TIMEOUT": "CPT_SMTP_TIMEOUT",
    "MAIL_SENDER": "CPT_MAIL_SENDER",
    "MAIL_REPLY_TO": "CPT_MAIL_REPLY_TO",
    "NOTIFY_API_KEY": "CPT_NOTIFY_API_KEY",
    "NOTIFY_TEMPLATE_ID": "CPT_NOTIFY_TEMPLATE_ID",
    "NOTIFY_BASE_URL": "CPT_NOTIFY_BASE_URL",
    "PUBLIC_URL": "CPT_PUBLIC_URL",
}


class MailSettingsError(ValueError):
    """The mail settings are incomplete or contradictory; the message names the variable."""


@dataclass(frozen=True)
class MailSettings:
    """Everything a transport needs, checked."""

    transport: str
    sender: str
    reply_to: str | None = None
    outbox: Path | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout: float = 20.0
    notify_api_key: str | None = None
    notify_template_id: str | None = None
    notify_base_url: str | None = None

    @property
    def delivers(self) -> bool:
        """Whether messages leave this machine (not written to the outbox folder)."""
        return self.transport != "outbox"


def config_from_environment(instance_path: str) -> dict[str, Any]:
    """The mail config keys set in the environment, for ``app.config``."""
    values: dict[str, Any] = {key: os.environ[name] for key, name in ENVIRONMENT.items()
                              if os.environ.get(name)}
    values.setdefault("MAIL_OUTBOX", str(Path(instance_path) / "outbox"))
    return values


def _whole(config: Mapping[str, Any], key: str, default: int) -> int:
    value = config.get(key)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise MailSettingsError(
            f"{ENVIRONMENT[key]} must be a whole number, not {value!r}") from None
    if number <= 0:
        raise MailSettingsError(f"{ENVIRONMENT[key]} must be more than 0, not {value!r}")
    return number


def _choice(config: Mapping[str, Any], key: str, choices: tuple[str, ...],
            default: str) -> str:
    value = str(config.get(key) or default).strip().lower()
    if value not in choices:
        raise MailSettingsError(f"{ENVIRONMENT[key]} must be one of {', '.join(choices)}, "
                                f"not {value!r}")
    return value


def mail_settings(config: Mapping[str, Any]) -> MailSettings:
    """Read and check the mail settings from an app's config.

    Raises :class:`MailSettingsError` naming the variable that is missing or wrong.
    """
    default = ("smtp" if config.get("SMTP_HOST")
               else "notify" if config.get("NOTIFY_API_KEY") else "outbox")
    transport = _choice(config, "MAIL_TRANSPORT", TRANSPORTS, default)
    security = _choice(config, "SMTP_SECURITY", SECURITY, "starttls")
    sender = str(config.get("MAIL_SENDER") or "")
    settings = MailSettings(
        transport=transport,
        sender=sender or "Corporate parenting toolkit <noreply@localhost>",
        reply_to=config.get("MAIL_REPLY_TO") or None,
        outbox=Path(config["MAIL_OUTBOX"]) if config.get("MAIL_OUTBOX") else None,
        smtp_host=config.get("SMTP_HOST") or None,
        smtp_port=_whole(config, "SMTP_PORT", DEFAULT_PORTS[security]),
        smtp_security=security,
        smtp_username=config.get("SMTP_USERNAME") or None,
        smtp_password=config.get("SMTP_PASSWORD") or None,
        smtp_timeout=float(_whole(config, "SMTP_TIMEOUT", 20)),
        notify_api_key=config.get("NOTIFY_API_KEY") or None,
        notify_template_id=config.get("NOTIFY_TEMPLATE_ID") or None,
        notify_base_url=config.get("NOTIFY_BASE_URL") or None,
    )
    if transport == "smtp":
        if not settings.smtp_host:
            raise MailSettingsError("CPT_SMTP_HOST must be set to send mail by SMTP")
        if not sender:
            raise MailSettingsError("CPT_MAIL_SENDER must be set to send mail by SMTP")
        if bool(settings.smtp_username) != bool(settings.smtp_password):
            raise MailSettingsError(
                "CPT_SMTP_USERNAME and CPT_SMTP_PASSWORD must be set together")
    elif transport == "notify":
        if not settings.notify_api_key:
            raise MailSettingsError("CPT_NOTIFY_API_KEY must be set to send mail by Notify")
        if not settings.notify_template_id:
            raise MailSettingsError(
                "CPT_NOTIFY_TEMPLATE_ID must be set to send mail by Notify")
    elif settings.outbox is None:
        raise MailSettingsError("CPT_MAIL_OUTBOX must be set to keep mail in an outbox")
    return settings
