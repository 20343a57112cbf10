"""The records kept around a meeting: the history of its minutes, declarations of interest,
papers on its agenda items, and each panel's forward work programme."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.modelbase import CouncilOwned, utcnow

if TYPE_CHECKING:
    from core.meetings.models import AgendaItem, Meeting
    from core.panels.models import Person


class MinutesRevision(CouncilOwned, db.Model):
    """One version of a meeting's minutes once approved: the text as approved, then each
    correction, with who made it, when and why (``reason`` is empty for the approval)."""

    __tablename__ = "minutes_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[str] = mapped_column(String(320))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)


class InterestKind(StrEnum):
    """The kinds of interest councils' codes of conduct (the Localism Act 2011 and the LGA
    model code) distinguish, kept to two: a disclosable pecuniary interest (money, work,
    property, contracts: the member leaves the room for the item), and any other interest
    the member declares (other registrable or non-registrable)."""

    PECUNIARY = "pecuniary"
    OTHER = "other"


class Declaration(CouncilOwned, db.Model):
    """A declaration of interest made at a meeting, on one agenda item or on the whole
    meeting, by someone recorded in the council."""

    __tablename__ = "declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    nature: Mapped[str] = mapped_column(Text)

    person: Mapped[Person] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()


class PaperFacts:
    """What a paper's columns tell, for the model and for rows of its columns
    (:func:`core.meetings.papers.papers_by_item`)."""

    __slots__ = ()

    @property
    def exempt(self) -> bool:
        """Whether the paper is exempt from publication (shown only in the admin)."""
        return not self.public


class Paper(PaperFacts, CouncilOwned, db.Model):
    """A report on an agenda item: a file kept under ``PAPERS_PATH`` by ``stored_name``
    (generated, never the uploader's name), downloaded as ``filename``. Public papers are on
    the public meeting page; exempt ones only in the admin, with the exemption noted."""

    __tablename__ = "paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64))
    file_type: Mapped[str] = mapped_column(String(8))
    size: Mapped[int]
    public: Mapped[bool] = mapped_column(default=True)
    exemption: Mapped[str | None] = mapped_column(String(16))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlannedItem(CouncilOwned, db.Model):
    """An item of a panel's forward work programme: planned for a meeting or a month, and,
    once the clerk pulls it into an agenda, linked to that agenda item."""

    __tablename__ = "planned_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    brought_by: Mapped[str | None] = mapped_column(String(200))
    planned_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    #: The first day of the month planned, when no meeting is chosen.
    planned_month: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    planned_meeting: Mapped[Meeting | None] = relationship()

    @property
    def scheduled(self) -> bool:
        """Pulled into a meeting's agenda."""
        return self.agenda_item_id is not None

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
