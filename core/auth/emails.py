"""The messages accounts send (invitations, password resets): text and HTML from the
templates ``auth/email/<name>.txt`` and ``.html``, in the page's language, sent and logged
through :func:`core.mail.service.send`."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for

from core.mail.links import absolute_url
from core.mail.messages import Message
from core.mail.models import SentMail
from core.mail.service import send


def send_email(name: str, *, to: str, subject: str, kind: str, council_id: int | None = None,
               from_name: str | None = None, **context: Any) -> SentMail:
    """Render the message ``name`` with ``context`` and send it to ``to`` (in the name
    ``from_name``, when given); the log row (``.sent``, ``.error``: a failure is recorded,
    never raised)."""
    context = {"subject": subject, **context}
    message = Message(to=to, subject=subject, from_name=from_name,
                      text=render_template(f"auth/email/{name}.txt", **context),
                      html=render_template(f"auth/email/{name}.html", **context))
    return send(message, kind=kind, council_id=council_id)


def link_to(endpoint: str, **values: Any) -> str:
    """The absolute address of ``endpoint`` for a message: under ``CPT_PUBLIC_URL`` when it
    is set, else where the request came to (:func:`core.mail.links.absolute_url`)."""
    return absolute_url(endpoint, **values) or url_for(endpoint, _external=True, **values)
