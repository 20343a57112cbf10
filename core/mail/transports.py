"""The ways a message leaves: SMTP, GOV.UK Notify, or an outbox folder of ``.eml`` files.

Each transport sends one :class:`~core.mail.messages.Message` and raises
:class:`MailError` with the server's own reason when it cannot; nothing here retries (the
callers log the failure and try again on their next run).
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from typing import Protocol

from core.mail.messages import Message
from core.mail.settings import MailSettings


class MailError(Exception):
    """A message was not accepted for delivery; ``str()`` gives the reason."""


class Transport(Protocol):
    """Sends one message or raises :class:`MailError`."""

    def send(self, message: Message) -> None: ...


class SmtpTransport:
    """An SMTP server, with STARTTLS or TLS and a login when configured."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        assert settings.smtp_host
        if settings.smtp_security == "tls":
            return smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port,
                                    timeout=settings.smtp_timeout,
                                    context=ssl.create_default_context())
        connection = smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                                  timeout=settings.smtp_timeout)
        if settings.smtp_security == "starttls":
            connection.starttls(context=ssl.create_default_context())
        return connection

    def send(self, message: Message) -> None:
        settings = self.settings
        try:
            with self._connect() as connection:
                if settings.smtp_username and settings.smtp_password:
                    connection.login(settings.smtp_username, settings.smtp_password)
                connection.send_message(message.mime(settings.sender, settings.reply_to))
        except smtplib.SMTPRecipientsRefused as error:
            reasons = "; ".join(f"{address}: {code} {reply.decode(errors='replace')}"
                                for address, (code, reply) in error.recipients.items())
            raise MailError(f"the mail server refused the address ({reasons})") from error
        except smtplib.SMTPResponseException as error:
            reply = error.smtp_error
            text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
            raise MailError(f"the mail server answered {error.smtp_code} {text}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(f"could not reach the mail server {settings.smtp_host}:"
                            f"{settings.smtp_port} ({error})") from error


class NotifyTransport:
    """GOV.UK Notify, through one email template with ``((subject))`` and ``((body))``.

    Notify sends no attachments this way: messages that carry one also link to it in their
    text (the toolkit's documents are all on its pages), so the Notify copy is complete.
    """

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def send(self, message: Message) -> None:
        from notifications_python_client.errors import APIError
        from notifications_python_client.notifications import NotificationsAPIClient

        settings = self.settings
        assert settings.notify_api_key and settings.notify_template_id
        options = {"base_url": settings.notify_base_url} if settings.notify_base_url else {}
        try:
            client = NotificationsAPIClient(settings.notify_api_key,
                                            timeout=settings.smtp_timeout, **options)
            client.send_email_notification(
                email_address=message.to, template_id=settings.notify_template_id,
                personalisation={"subject": message.subject, "body": message.text})
        except APIError as error:
            raise MailError(f"GOV.UK Notify answered {error.status_code}: "
                            f"{error.message}") from error
        except Exception as error:  # requests' connection errors, a malformed key
            raise MailError(f"could not send through GOV.UK Notify ({error})") from error


class OutboxTransport:
    """Writes each message as an ``.eml`` file to a folder (a developer's machine)."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def send(self, message: Message) -> None:
        assert self.settings.outbox is not None
        try:
            self.settings.outbox.mkdir(parents=True, exist_ok=True)
            path = self.settings.outbox / f"{uuid.uuid4().hex}.eml"
            path.write_bytes(bytes(message.mime(self.settings.sender,
                                                self.settings.reply_to)))
        except OSError as error:
            raise MailError(f"could not write to the outbox {self.settings.outbox} "
                            f"({error})") from error


def transport_for(settings: MailSettings) -> Transport:
    """The transport the settings name."""
    kinds: dict[str, type[Transport]] = {
        "smtp": SmtpTransport, "notify": NotifyTransport, "outbox": OutboxTransport}
    return kinds[settings.transport](settings)  # type: ignore[call-arg]
