"""Charts kept drawn in the database: see :mod:`core.charts.kept`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.modelbase import CouncilOwned, utcnow


class KeptDrawing(CouncilOwned, db.Model):
    """A council's chart as drawn in the transaction of the last change to what it shows:
    its ``subject`` (``indicator:<key>``), the digest of everything it was drawn from,
    and the SVG, compressed (zlib).

    A ``shown_on_pages = False`` model: writing it is part of a change already made, and
    leaves the council's revision as that change set it. Not audited either: the change it
    was drawn for is (:func:`core.audit._audited`).
    """

    __tablename__ = "kept_drawing"
    __table_args__ = (UniqueConstraint("council_id", "subject"),)

    shown_on_pages = False
    audited = False

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))
    svg: Mapped[bytes] = mapped_column(LargeBinary)
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
