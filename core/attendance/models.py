"""People in attendance at a meeting who are not members: officers and guests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.modelbase import CouncilOwned, utcnow


class InAttendance(CouncilOwned, db.Model):
    """An officer or guest recorded as in attendance at a meeting, by name and role or
    organisation. Not a member: never counted towards quorum, never in the statistics."""

    __tablename__ = "in_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
