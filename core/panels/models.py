"""Panels, seats (Popolo's Post), standing agenda items, people and memberships."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.content import MeetingCycle, Quorum
from core.extensions import db
from core.modelbase import CouncilOwned, Definition, utcnow


class PanelTerms:
    """A panel's meeting cycle and quorum rule made from its columns: shared by the model
    and by the narrow rows the public pages read (:mod:`core.panels.reads`)."""

    cycle_text: str | None
    cycle_every_months: int | None
    cycle_meetings_per_year: int | None
    quorum_text: str | None
    quorum_count: int | None
    quorum_young_people_count: bool | None

    @property
    def cycle(self) -> MeetingCycle | None:
        """The meeting cycle, or ``None`` where the source does not state one."""
        if self.cycle_text is None:
            return None
        return MeetingCycle(text=self.cycle_text, every_months=self.cycle_every_months,
                            meetings_per_year=self.cycle_meetings_per_year)

    def counts_towards_quorum(self, seat: Seat) -> bool:
        """Whether whoever sits in ``seat`` counts towards this panel's quorum.

        Only voting seats count: ``voting = true`` or not stated (``voting = false`` never
        counts). Young people's seats count only when the quorum rule says they do
        (``quorum_young_people_count = true``); when it says they do not, or says nothing,
        they do not, so a panel is never called quorate on a guess.
        """
        if seat.voting is False:
            return False
        return not seat.young_people or self.quorum_young_people_count is True

    @property
    def quorum(self) -> Quorum | None:
        """The quorum rule, or ``None`` where the source gives none."""
        if self.quorum_text is None:
            return None
        return Quorum(text=self.quorum_text, count=self.quorum_count,
                      young_people_count=self.quorum_young_people_count)


class Panel(PanelTerms, Definition, db.Model):
    """A corporate parenting panel or board: purpose, meeting cycle and quorum rule."""

    __tablename__ = "panel"
    __table_args__ = (UniqueConstraint("council_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[list[str]] = mapped_column(JSON, default=list)
    responsibilities_intro: Mapped[str | None] = mapped_column(Text)
    responsibilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    cycle_text: Mapped[str | None] = mapped_column(Text)
    cycle_every_months: Mapped[int | None]
    cycle_meetings_per_year: Mapped[int | None]
    quorum_text: Mapped[str | None] = mapped_column(Text)
    quorum_count: Mapped[int | None]
    quorum_young_people_count: Mapped[bool | None]
    seats_intro: Mapped[str | None] = mapped_column(Text)

    seats: Mapped[list[Seat]] = relationship(back_populates="panel", order_by="Seat.position")
    standing_items: Mapped[list[StandingItem]] = relationship(
        back_populates="panel", order_by="StandingItem.position")


class Seat(Definition, db.Model):
    """A seat on a panel, by the role that fills it (Popolo's Post)."""

    __tablename__ = "seat"
    __table_args__ = (UniqueConstraint("panel_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id"), index=True)
    role: Mapped[str] = mapped_column(Text)
    count: Mapped[int | None]
    voting: Mapped[bool | None]
    chair: Mapped[bool] = mapped_column(default=False)
    young_people: Mapped[bool] = mapped_column(default=False)
    partner: Mapped[str | None] = mapped_column(String(300))

    panel: Mapped[Panel] = relationship(back_populates="seats")


class StandingItem(Definition, db.Model):
    """An item on every agenda of a panel."""

    __tablename__ = "standing_item"
    __table_args__ = (UniqueConstraint("panel_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)

    panel: Mapped[Panel] = relationship(back_populates="standing_items")


class Person(CouncilOwned, db.Model):
    """Someone who sits on a panel. Young people appear by first name or initials only."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Membership(CouncilOwned, db.Model):
    """A person holding a seat from ``start`` to ``end`` (Popolo's Membership)."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("seat.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    start: Mapped[dt.date]
    end: Mapped[dt.date | None]
    on_behalf_of: Mapped[str | None] = mapped_column(String(300))
    ended_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    seat: Mapped[Seat] = relationship()
    person: Mapped[Person] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
