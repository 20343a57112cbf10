"""Sending a message and logging it: the one way the toolkit sends mail.

::

    record = send(Message(to=..., subject=..., text=...), kind="agenda_pack",
                  council_id=council.id, meeting_id=meeting.id)
    if not record.sent:
        flash(record.error)

Every call adds a :class:`~core.mail.models.SentMail` row to the session (flushed, not
committed: the caller commits with its own changes; when sending many messages, commit
after each so a crash part-way keeps the log of those that went). A transport's failure is
recorded with its reason and returned, never raised, so one bad address does not stop a
circulation.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context
from flask_login import current_user
from sqlalchemy import exists, select

from core.extensions import db
from core.mail.messages import Message
from core.mail.models import MailStatus, SentMail
from core.mail.settings import MailSettings, mail_settings
from core.mail.transports import MailError, transport_for
from core.modelbase import utcnow

log = logging.getLogger(__name__)

#: Where "a day" is reckoned for the reminders' once-a-day rule.
LOCAL = ZoneInfo("Europe/London")


def settings() -> MailSettings:
    """The current app's checked mail settings (:class:`MailSettingsError` if wrong)."""
    return mail_settings(current_app.config)


def today() -> dt.date:
    """Today in England and Wales."""
    return utcnow().astimezone(LOCAL).date()


def _sender_id() -> int | None:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return int(current_user.id)
    return None


def _log_row(message: Message, kind: str, council_id: int | None, meeting_id: int | None,
             dedupe_key: str | None) -> SentMail:
    return SentMail(council_id=council_id, meeting_id=meeting_id, kind=kind,
                    recipient=message.to, subject=message.subject[:300],
                    dedupe_key=dedupe_key, sent_by_id=_sender_id(), created_at=utcnow(),
                    day=today())


def send(message: Message, *, kind: str, council_id: int | None = None,
         meeting_id: int | None = None, dedupe_key: str | None = None) -> SentMail:
    """Send ``message`` now and log it; returns the log row (``.sent``, ``.error``)."""
    record = _log_row(message, kind, council_id, meeting_id, dedupe_key)
    try:
        transport_for(settings()).send(message)
    except MailError as error:
        log.warning("Mail to %s (%s) was not sent: %s", message.to, kind, error)
        record.status, record.error = MailStatus.FAILED, str(error)
    else:
        record.status = MailStatus.SENT
    db.session.add(record)
    db.session.flush()
    return record


def record_unsent(message: Message, reason: str, *, kind: str, council_id: int | None = None,
                  meeting_id: int | None = None, dedupe_key: str | None = None) -> SentMail:
    """Log ``message`` as failed for ``reason`` without trying to send it: for a caller
    that has stopped trying a server that keeps failing, so that what it did not send is
    in the log, to be sent again, rather than lost."""
    record = _log_row(message, kind, council_id, meeting_id, dedupe_key)
    record.status, record.error = MailStatus.FAILED, reason
    db.session.add(record)
    db.session.flush()
    return record


def sent_on(day: dt.date, dedupe_prefix: str) -> set[tuple[str, str]]:
    """(recipient, dedupe_key) of every message sent on ``day`` whose key starts with
    ``dedupe_prefix`` (one query): :func:`sent_today` for a whole run at once."""
    return {(recipient, key) for recipient, key in db.session.execute(
        select(SentMail.recipient, SentMail.dedupe_key).where(
            SentMail.day == day, SentMail.status == MailStatus.SENT,
            SentMail.dedupe_key.startswith(dedupe_prefix, autoescape=True)))}


def sent_today(recipient: str, dedupe_key: str, day: dt.date | None = None) -> bool:
    """Whether a message with ``dedupe_key`` went to ``recipient`` on ``day`` (today)."""
    return bool(db.session.scalar(select(exists().where(
        SentMail.dedupe_key == dedupe_key, SentMail.recipient == recipient,
        SentMail.day == (day or today()), SentMail.status == MailStatus.SENT))))
