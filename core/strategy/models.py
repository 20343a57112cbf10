"""The strategy (one per council) and its priorities."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.modelbase import Definition


class Strategy(Definition, db.Model):
    """The corporate parenting strategy. Its parts without their own rows are kept as JSON
    in the shapes of :mod:`core.content` (statements, sections)."""

    __tablename__ = "strategy"
    __table_args__ = (UniqueConstraint("council_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(String(300))
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]
    vision: Mapped[str | None] = mapped_column(Text)
    vision_intro: Mapped[str | None] = mapped_column(Text)
    vision_items: Mapped[list[str]] = mapped_column(JSON, default=list)
    purpose: Mapped[list[str]] = mapped_column(JSON, default=list)
    principles_intro: Mapped[str | None] = mapped_column(Text)
    principles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    priorities_intro: Mapped[str | None] = mapped_column(Text)
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(Text)


class Priority(Definition, db.Model):
    """One of the strategy's priorities, tagged with statutory principles by letter."""

    __tablename__ = "priority"
    __table_args__ = (UniqueConstraint("council_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    principles: Mapped[list[str]] = mapped_column(JSON, default=list)
