"""Reading review cycles, and recording the reviews done."""

from __future__ import annotations

import datetime as dt
from collections import namedtuple

from dateutil.relativedelta import relativedelta
from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from core import row_reads
from core.concurrency import lock_for_write
from core.extensions import db
from core.forms import FieldError
from core.models import Council, Protocol, Review, ReviewCycle
from core.reviews.models import CycleDates
from core.translations import gettext as _


class CycleRow(row_reads.row_class(ReviewCycle, CycleDates)):  # type: ignore[misc]
    """A review cycle as the pages read it: its columns by attribute, and what its dates
    tell (:class:`~core.reviews.models.CycleDates`), past the ORM's loading. Read only: a
    review is recorded against the model (:func:`review_cycle_or_404`)."""

    __slots__ = ()


#: A review cycle's protocol as the reviews pages link to it.
ProtocolLink = namedtuple("ProtocolLink", ("key", "title"))

_LIVE_CYCLES = (ReviewCycle.council_id == bindparam("council_id"),
                ReviewCycle.archived_at.is_(None))

#: Built once: the overview, the reviews pages, the API and the checks run it.
_CYCLES_OF = (select(*row_reads.record_columns(ReviewCycle)).where(*_LIVE_CYCLES)
              .order_by(ReviewCycle.position))

#: The first live protocol by position that each cycle governs, if any (a cycle governs
#: at most one in every plugin so far).
_GOVERNED = aliased(Protocol, name="governed")
_FIRST_PROTOCOL = (select(_GOVERNED.id)
                   .where(_GOVERNED.council_id == ReviewCycle.council_id,
                          _GOVERNED.review_cycle_id == ReviewCycle.id,
                          _GOVERNED.archived_at.is_(None))
                   .order_by(_GOVERNED.position, _GOVERNED.id).limit(1)
                   .correlate(ReviewCycle).scalar_subquery())
_CYCLES_WITH_PROTOCOLS = (select(*row_reads.record_columns(ReviewCycle), Protocol.key,
                                 Protocol.title)
                          .outerjoin(Protocol, Protocol.id == _FIRST_PROTOCOL)
                          .where(*_LIVE_CYCLES)
                          .order_by(ReviewCycle.position))
_CYCLE_WIDTH = len(row_reads.record_columns(ReviewCycle))


def review_cycles_read(council: Council) -> row_reads.Read:
    """The statement :func:`review_cycles_of` runs, for a page to send with others."""
    return row_reads.Read(_CYCLES_OF, {"council_id": council.id})


def review_cycles_of(council: Council) -> list[CycleRow]:
    """The council's review cycles in the plugin's order."""
    return list(map(CycleRow._make, row_reads.rows(*review_cycles_read(council))))


def review_cycles_with_protocols(council: Council
                                 ) -> tuple[list[CycleRow], dict[int, ProtocolLink]]:
    """The council's review cycles in the plugin's order, and the protocol each governs
    (the first by position, should it govern more) by review cycle id: one statement (the
    reviews pages show both)."""
    cycles, protocols = [], {}
    for row in row_reads.rows(_CYCLES_WITH_PROTOCOLS, {"council_id": council.id}):
        cycle = CycleRow._make(row[:_CYCLE_WIDTH])
        cycles.append(cycle)
        key, title = row[_CYCLE_WIDTH:]
        if key is not None:
            protocols[cycle.id] = ProtocolLink(key, title)
    return cycles, protocols


#: One live review cycle by ``key``.
_CYCLE_BY_KEY = select(*row_reads.record_columns(ReviewCycle)).where(*_LIVE_CYCLES,
                                                      ReviewCycle.key == bindparam("key"))


def cycle_row_or_404(council: Council, key: str) -> CycleRow:
    """One live review cycle of ``council`` as a :class:`CycleRow`, or a 404."""
    row = row_reads.rows(_CYCLE_BY_KEY, {"council_id": council.id, "key": key}).first()
    if row is None:
        abort(404)
    return CycleRow._make(row)


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
