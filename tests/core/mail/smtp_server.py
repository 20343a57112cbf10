"""A real SMTP server on loopback (aiosmtpd), for every test that sends mail.

``with SmtpServer() as server:`` listens on a free port of 127.0.0.1 in a thread of its
own; :attr:`SmtpServer.messages` holds what it accepted, parsed. It can refuse chosen
addresses (``550``), put every message off (``451``) and require a login, as real servers do.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    """One message as the server took it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        """The plain-text body."""
        body = self.message.get_body(preferencelist=("plain",))
        assert body is not None
        return str(body.get_content())

    @property
    def attachments(self) -> list[tuple[str, bytes]]:
        """(filename, content) of each attachment."""
        return [(part.get_filename() or "", part.get_content())
                for part in self.message.iter_attachments()]


@dataclass
class _Handler:
    messages: list[Received] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    put_off: bool = False

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.put_off:
            return "451 4.3.0 Mail server busy, try again later"
        message = message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 2.0.0 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """An SMTP server on 127.0.0.1; pass ``login=(user, password)`` to require one."""

    def __init__(self, login: tuple[str, str] | None = None) -> None:
        self.handler = _Handler()
        self.port = _free_port()
        self.login = login
        options: dict[str, Any] = {}
        if login:
            options = {"auth_required": True, "auth_require_tls": False,
                       "authenticator": self._authenticate}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     **options)

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        assert self.login
        ok = (isinstance(auth_data, LoginPassword)
              and (auth_data.login.decode(), auth_data.password.decode()) == self.login)
        return AuthResult(success=ok, handled=False)

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages

    def refuse(self, *addresses: str) -> None:
        """Answer 550 to these recipients."""
        self.handler.refused.update(addresses)

    def put_off(self, value: bool = True) -> None:
        """Answer 451 (try later) to every message, or stop doing so."""
        self.handler.put_off = value

    def config(self, sender: str = "Corporate parenting <cpt@council.example>") -> dict[str, Any]:
        """App config that sends through this server (plain SMTP on loopback)."""
        values: dict[str, Any] = {
            "MAIL_TRANSPORT": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.port),
            "SMTP_SECURITY": "none", "SMTP_TIMEOUT": "5", "MAIL_SENDER": sender}
        if self.login:
            values |= {"SMTP_USERNAME": self.login[0], "SMTP_PASSWORD": self.login[1]}
        return values

    def to(self, address: str) -> list[Received]:
        """The messages delivered to ``address``."""
        return [received for received in self.messages if address in received.rcpt_tos]

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
