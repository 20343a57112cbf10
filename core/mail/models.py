"""The log of every message the toolkit sent or tried to send."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.modelbase import utcnow


class MailStatus(StrEnum):
    """Whether the transport accepted the message."""

    SENT = "sent"
    FAILED = "failed"


class SentMail(db.Model):
    """One message to one recipient: to whom, when, what, and whether it went.

    ``kind`` says what it was (``agenda_pack``, ``minutes``, ``reminder``, ``invitation``,
    ``password_reset``…); ``dedupe_key`` names what a repeated message would repeat (e.g. a
    reminder of one action on one day), so the sender can tell it was sent already.
    The body is not kept: it may hold a one-time link.
    """

    __tablename__ = "sent_mail"
    #: No kept page or document shows the log: sending leaves the council's revision alone
    #: (:mod:`core.revisions`), so a circulation does not empty the page cache.
    shown_on_pages = False
    __table_args__ = (Index("ix_sent_mail_dedupe", "dedupe_key", "recipient", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("council.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The day (in the council's time zone, Europe/London) the message was sent on.
    day: Mapped[dt.date] = mapped_column(Date)

    @property
    def sent(self) -> bool:
        return self.status == MailStatus.SENT
