"""Review cycles and reviews done."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.content.timelines import ambiguous_interval
from core.extensions import db
from core.modelbase import CouncilOwned, Definition, utcnow

#: How far ahead a review counts as due soon.
DUE_SOON = dt.timedelta(days=60)


class ReviewState(StrEnum):
    """Where a review cycle stands on a given day."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    SCHEDULED = "scheduled"
    NOT_SCHEDULED = "not_scheduled"


class CycleDates:
    """What a review cycle's dates tell, for the model and for rows of its columns
    (:class:`core.reviews.services.CycleRow`): anything with ``every_months``,
    ``interval_text`` and ``next_due``."""

    __slots__ = ()

    @property
    def interval_uncertain(self) -> bool:
        """Whether the published interval does not settle when the next review is due: none
        is stated in months, or its words read two ways (Isle of Wight's "bi-annually").
        The person recording a review may then set the next due date themselves."""
        return self.every_months is None or ambiguous_interval(self.interval_text)

    def state_on(self, today: dt.date) -> ReviewState:
        """Overdue, due within 60 days, scheduled later, or with no date set."""
        if self.next_due is None:
            return ReviewState.NOT_SCHEDULED
        if self.next_due < today:
            return ReviewState.OVERDUE
        if self.next_due <= today + DUE_SOON:
            return ReviewState.DUE_SOON
        return ReviewState.SCHEDULED


class ReviewCycle(CycleDates, Definition, db.Model):
    """Something reviewed on a cycle.

    ``defined_next_due`` is the plugin's date; ``next_due`` is when the next review is
    actually due: the plugin's date until a review is recorded, then that review's date
    plus the interval.
    """

    __tablename__ = "review_cycle"
    __table_args__ = (UniqueConstraint("council_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(Text)
    interval_text: Mapped[str | None] = mapped_column(String(200))
    every_months: Mapped[int | None]
    owner: Mapped[str | None] = mapped_column(Text)
    defined_next_due: Mapped[dt.date | None]
    next_due_text: Mapped[str | None] = mapped_column(String(200))
    next_due: Mapped[dt.date | None]


class ReviewOwner(CouncilOwned, db.Model):
    """A user who owns a review cycle: ``cpt remind`` tells them when its review is due.

    ``ReviewCycle.owner`` is the plugin's words for who reviews (an officer's title); this
    names the accounts a council administrator assigned, as action owners are.
    """

    __tablename__ = "review_owner"
    __table_args__ = (UniqueConstraint("review_cycle_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_cycle_id: Mapped[int] = mapped_column(ForeignKey("review_cycle.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)


class Review(CouncilOwned, db.Model):
    """A review done, with its outcome."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_cycle_id: Mapped[int] = mapped_column(ForeignKey("review_cycle.id"), index=True)
    done_on: Mapped[dt.date]
    outcome: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
