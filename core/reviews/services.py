"""Reading review cycles, and recording the reviews done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from flask import abort
from sqlalchemy import Row, bindparam, select

from core import row_reads
from core.concurrency import lock_for_write
from core.extensions import db
from core.forms import FieldError
from core.models import Council, Protocol, Review, ReviewCycle
from core.translations import gettext as _

#: Built once: the overview and the reviews page run it on every render.
_CYCLES_OF = (select(ReviewCycle)
              .where(ReviewCycle.council_id == bindparam("council_id"),
                     ReviewCycle.archived_at.is_(None))
              .order_by(ReviewCycle.position))


def review_cycles_of(council: Council) -> list[ReviewCycle]:
    """The council's review cycles in the plugin's order."""
    return list(db.session.scalars(_CYCLES_OF, {"council_id": council.id}))


def review_cycle_or_404(council: Council, key: str) -> ReviewCycle:
    """One review cycle of ``council``, or a 404."""
    cycle = db.session.scalar(select(ReviewCycle).where(
        ReviewCycle.council_id == council.id, ReviewCycle.key == key,
        ReviewCycle.archived_at.is_(None)))
    if cycle is None:
        abort(404)
    return cycle


def reviews_of(cycle: ReviewCycle) -> list[Review]:
    """The reviews done under ``cycle``, newest first."""
    return list(db.session.scalars(select(Review).where(
        Review.council_id == cycle.council_id, Review.review_cycle_id == cycle.id)
        .order_by(Review.done_on.desc(), Review.id.desc())))


def next_due_after(cycle: ReviewCycle, done_on: dt.date) -> dt.date | None:
    """When the next review falls due after one done on ``done_on`` (None if no interval)."""
    if cycle.every_months is None:
        return None
    return done_on + relativedelta(months=cycle.every_months)


def protocol_reviewed(cycle: ReviewCycle) -> Protocol | None:
    """The protocol whose review ``cycle`` governs, if any (one query)."""
    return db.session.scalar(
        select(Protocol).where(Protocol.council_id == cycle.council_id,
                               Protocol.review_cycle_id == cycle.id,
                               Protocol.archived_at.is_(None))
        .order_by(Protocol.position).limit(1))


#: Built once (the public reviews page runs it on every render): the columns the pages
#: show, the first protocol by position kept last.
_REVIEWED = (select(Protocol.review_cycle_id, Protocol.key, Protocol.title)
             .where(Protocol.council_id == bindparam("council_id"),
                    Protocol.review_cycle_id.is_not(None), Protocol.archived_at.is_(None))
             .order_by(Protocol.position.desc()))


def protocols_reviewed(council: Council) -> dict[int, Row[Any]]:
    """Each review cycle's protocol (its ``key`` and ``title``, as a row), by review cycle
    id (one statement)."""
    return {row.review_cycle_id: row
            for row in row_reads.rows(_REVIEWED, {"council_id": council.id})}


class ReviewError(FieldError):
    """A review that cannot be recorded as asked; ``field`` names the form field at fault."""


def record_review(cycle: ReviewCycle, *, done_on: dt.date, outcome: str, recorded_by: str,
                  next_due: dt.date | None = None) -> Review:
    """Record a review done and set the cycle's next due date: ``next_due`` where the
    person recording it gave one (only for a cycle whose interval is uncertain, see
    :attr:`ReviewCycle.interval_uncertain`), otherwise from the latest review and the
    interval, or none when no interval is stated."""
    if next_due is not None and not cycle.interval_uncertain:
        raise ReviewError("next_due", _("The interval of this cycle sets the next due date."))
    if next_due is not None and next_due < done_on:
        raise ReviewError("next_due", _("The next review must be due after this one."))
    lock_for_write(cycle)  # reviews recorded at once each count towards the next due date
    review = Review(council_id=cycle.council_id, review_cycle_id=cycle.id, done_on=done_on,
                    outcome=outcome, recorded_by=recorded_by)
    db.session.add(review)
    latest = reviews_of(cycle)[0]  # the new review is flushed first, so it counts
    cycle.next_due = next_due or next_due_after(cycle, latest.done_on)
    db.session.commit()
    return review
