"""Meetings, agenda items, attendance and actions arising."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.modelbase import CouncilOwned

if TYPE_CHECKING:
    from core.panels.models import Membership, Panel, Person


class AttendanceStatus(StrEnum):
    """How a member was recorded at a meeting."""

    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"
    SUBSTITUTE = "substitute"


class MinutesState(StrEnum):
    """Draft (staff only), approved, then published on the public meeting page."""

    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"


class AgendaItemKind(StrEnum):
    """Where an agenda item came from: the plugin's standing items, the carried-forward
    actions arising, or an item an administrator added."""

    STANDING = "standing"
    ACTIONS_ARISING = "actions_arising"
    ADDED = "added"


class ActionArisingStatus(StrEnum):
    """Where an action arising from a meeting stands."""

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class Meeting(CouncilOwned, db.Model):
    """One meeting of a panel, with its minutes."""

    __tablename__ = "meeting"
    #: A panel's meetings in time order: a panel's page, its attendance and its year's
    #: statistics seek the panel's meetings of a span of time (the meetings to come and
    #: the last few, a municipal year) rather than walking every meeting of the council,
    #: which grows with its history.
    __table_args__ = (Index("ix_meeting_panel_starts", "panel_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    location: Mapped[str | None] = mapped_column(String(300))
    cancelled: Mapped[bool] = mapped_column(default=False)
    minutes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    #: Where the minutes stand, and how they were approved (see core/meetings/minutes.py).
    minutes_state: Mapped[str] = mapped_column(String(16), default=MinutesState.DRAFT,
                                               server_default=MinutesState.DRAFT.value)
    approved_how: Mapped[str | None] = mapped_column(String(16))
    approved_at_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"),
                                                                index=True)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    corrected_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: The agenda as the API gives it: the JSON array of its items, derived from them and
    #: kept by :mod:`core.meetings.kept_agendas`; loaded only when asked for.
    agenda_json: Mapped[str] = mapped_column(Text, default="[]", server_default="[]",
                                             deferred=True)

    panel: Mapped[Panel] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AgendaItemKinds:
    """Where an agenda item came from, for the model and for rows of its columns
    (:class:`core.meetings.services.AgendaItemRow`): anything with ``kind``."""

    __slots__ = ()

    @property
    def standing(self) -> bool:
        """From the plugin's standing items (migration 0004 set ``kind`` on older rows)."""
        return self.kind == AgendaItemKind.STANDING

    @property
    def added(self) -> bool:
        """Added by an administrator: the only items that may be moved or removed."""
        return self.kind == AgendaItemKind.ADDED

    @property
    def actions_arising(self) -> bool:
        """The item under which the actions carried forward are reviewed."""
        return self.kind == AgendaItemKind.ACTIONS_ARISING


class AgendaItem(AgendaItemKinds, CouncilOwned, db.Model):
    """An item of a meeting's agenda; ``standing_item_id`` is set for standing items."""

    __tablename__ = "agenda_item"
    #: A meeting's items in order, read from the index (the API's meetings read a page's
    #: agendas by their meetings' ids; a meeting's page its own): no sort.
    __table_args__ = (Index("ix_agenda_item_meeting_order", "meeting_id", "position", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    standing_item_id: Mapped[int | None] = mapped_column(ForeignKey("standing_item.id"),
                                                          index=True)
    kind: Mapped[str] = mapped_column(String(16), default=AgendaItemKind.ADDED,
                                      server_default=AgendaItemKind.ADDED.value)
    presenter: Mapped[str | None] = mapped_column(String(200))
    #: The time the item is expected to take, in minutes.
    duration_minutes: Mapped[int | None]
    #: What the meeting resolved on the item, recorded with the minutes.
    decision: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Attendance(CouncilOwned, db.Model):
    """Who came to a meeting, for which membership, and who substituted for whom."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)

    membership: Mapped[Membership] = relationship()
    substitute: Mapped[Person | None] = relationship()


class ArisingState:
    """Where an action arising stands, for the model and for rows of its columns
    (:func:`core.meetings.services.carried_forward`): anything with ``status`` and
    ``due``."""

    __slots__ = ()

    @property
    def is_open(self) -> bool:
        """Whether the action is still open."""
        return self.status == ActionArisingStatus.OPEN

    def overdue_on(self, today: dt.date) -> bool:
        """Whether the action is still open with its due date passed on ``today``."""
        return self.is_open and self.due is not None and self.due < today


class ActionArising(ArisingState, CouncilOwned, db.Model):
    """An action a meeting agreed; it is carried to each later meeting until closed."""

    __tablename__ = "action_arising"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    #: Who will do it, as the pages show it: free text, or the name of ``owner_person``
    #: when the owner is someone recorded in the council (kept in step by
    #: :mod:`core.meetings.arising`).
    owner: Mapped[str] = mapped_column(String(200))
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    due: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(16), default=ActionArisingStatus.OPEN)
    closed_at_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"),
                                                              index=True)
    version: Mapped[int] = mapped_column(default=1)

    meeting: Mapped[Meeting] = relationship(foreign_keys=[meeting_id])
    closed_at_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[closed_at_meeting_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
