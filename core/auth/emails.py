"""The messages accounts send (invitations, password resets): text and HTML from the
templates ``auth/email/<name>.txt`` and ``.html``, in the page's language, sent and logged
through :func:`core.mail.service.send`."""

from __future__ import annotations

from typing import Any

from flask import render_template

from core.mail.messages import Message
from core.mail.models import SentMail
from core.mail.service import send


def send_email(name: str, *, to: str, subject: str, kind: str, council_id: int | None = None,
               **context: Any) -> SentMail:
    """Render the message ``name`` with ``context`` and send it to ``to``; the log row
    (``.sent``, ``.error``: a failure is recorded, never raised)."""
    context = {"subject": subject, **context}
    message = Message(to=to, subject=subject,
                      text=render_template(f"auth/email/{name}.txt", **context),
                      html=render_template(f"auth/email/{name}.html", **context))
    return send(message, kind=kind, council_id=council_id)
