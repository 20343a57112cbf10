"""`cpt mail`: checking a deployment's mail settings by sending a message."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.extensions import db
from core.mail.messages import Message
from core.mail.settings import MailSettingsError


@click.group("mail", cls=AppGroup)
def mail_group() -> None:
    """Email settings."""


@mail_group.command("test")
@click.argument("address")
def test_command(address: str) -> None:
    """Send a test message to ADDRESS, saying how mail is sent (exits 1 if it was not)."""
    from core.mail.service import send, settings

    try:
        chosen = settings()
    except MailSettingsError as error:
        raise click.ClickException(str(error)) from None
    where = {"smtp": f"SMTP {chosen.smtp_host}:{chosen.smtp_port} ({chosen.smtp_security})",
             "notify": "GOV.UK Notify",
             "outbox": f"the outbox folder {chosen.outbox} (not delivered)"}[chosen.transport]
    click.echo(f"Sending through {where}, from {chosen.sender}.")
    record = send(Message(to=address, subject="Corporate parenting toolkit: test message",
                          text="This message checks the toolkit's mail settings. "
                               "Nothing needs doing."), kind="test")
    db.session.commit()
    if not record.sent:
        raise click.ClickException(f"Not sent: {record.error}")
    click.echo(f"Sent to {address}.")
