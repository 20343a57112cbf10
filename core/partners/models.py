"""Partner bodies, protocols, their joint areas of interest and reporting lines."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.modelbase import Definition
from core.reviews.models import ReviewCycle


class PartnerBody(Definition, db.Model):
    """A body the panel works with, e.g. the safeguarding children partnership."""

    __tablename__ = "partner_body"
    __table_args__ = (UniqueConstraint("council_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str | None] = mapped_column(Text)
    description: Mapped[list[str]] = mapped_column(JSON, default=list)


class Protocol(Definition, db.Model):
    """A written agreement between a panel and partner bodies.

    ``parties`` and each role's ``party`` hold panel or partner-body keys.
    """

    __tablename__ = "protocol"
    __table_args__ = (UniqueConstraint("council_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    parties: Mapped[list[str]] = mapped_column(JSON, default=list)
    purpose: Mapped[list[str]] = mapped_column(JSON, default=list)
    joint_areas_intro: Mapped[str | None] = mapped_column(Text)
    roles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    escalation: Mapped[str | None] = mapped_column(Text)
    review_cycle_id: Mapped[int | None] = mapped_column(ForeignKey("review_cycle.id"),
                                                         index=True)
    approved_by: Mapped[str | None] = mapped_column(String(300))
    approved_text: Mapped[str | None] = mapped_column(String(200))

    review_cycle: Mapped[ReviewCycle | None] = relationship()
    joint_areas: Mapped[list[JointArea]] = relationship(order_by="JointArea.position")
    reporting_lines: Mapped[list[ReportingLine]] = relationship(
        order_by="ReportingLine.position")


class JointArea(Definition, db.Model):
    """An area of interest the parties to a protocol share."""

    __tablename__ = "joint_area"
    __table_args__ = (UniqueConstraint("protocol_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocol.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class ReportingLine(Definition, db.Model):
    """What one body reports to another, and how often."""

    __tablename__ = "reporting_line"
    __table_args__ = (UniqueConstraint("protocol_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocol.id"), index=True)
    subject: Mapped[str] = mapped_column(Text)
    from_party: Mapped[str | None] = mapped_column(String(100))
    to_party: Mapped[str] = mapped_column(String(100))
    frequency: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
