"""Indicators a council reports, and their figures per period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.modelbase import CouncilOwned, Definition, utcnow


class Indicator(Definition, db.Model):
    """One indicator of the council's report card (see :class:`core.content.Indicator`)."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("council_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    definition: Mapped[str | None] = mapped_column(Text)
    #: ``count``, ``percentage`` or ``rate_per_10000``; ``None`` where the source does not say.
    unit: Mapped[str | None] = mapped_column(String(16))
    higher_is_better: Mapped[bool | None]
    #: ``month``, ``quarter`` or ``year``; ``None`` where the source does not say.
    period: Mapped[str | None] = mapped_column(String(8))
    #: Keys of the priorities and pledges it evidences.
    priorities: Mapped[list[str]] = mapped_column(JSON, default=list)
    pledges: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(Text)
    #: The key of the default set's measure the council adopted, if it is one.
    measure: Mapped[str | None] = mapped_column(String(64))
    #: Where the council's documents name it, for an adopted measure.
    named_in: Mapped[str | None] = mapped_column(Text)
    #: Optimistic-locking counter for edits of indicators added locally (in the admin).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class IndicatorFigure(CouncilOwned, db.Model):
    """An indicator's figure for the period ending on ``period_end``, with its target and
    comparators. Aggregates only: never a child's record.

    ``numerator`` and ``denominator`` are given for a percentage (the children counted and
    the children it is a share of), so that a percentage of a small base can be withheld.
    """

    __tablename__ = "indicator_figure"
    __table_args__ = (UniqueConstraint("indicator_id", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[int | None]
    denominator: Mapped[int | None]
    target: Mapped[float | None] = mapped_column(Float)
    england: Mapped[float | None] = mapped_column(Float)
    region: Mapped[float | None] = mapped_column(Float)
    neighbours: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    #: Optimistic-locking counter: an edit made from an older version is refused.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
