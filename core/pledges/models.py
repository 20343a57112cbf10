"""Pledges (or promises), actions and progress updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.modelbase import CouncilOwned, Definition, utcnow


class ActionStatus(StrEnum):
    """An action's status (the RAG rating councils report). A pledge's status is rolled up
    from its actions' by :mod:`core.pledges.status`."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"


class Dated(Protocol):
    """Anything with an action's due date and status (an :class:`Action` or a narrow row
    of one)."""

    def overdue_on(self, today: dt.date) -> bool: ...


def is_overdue(due: dt.date | None, status: str, today: dt.date) -> bool:
    """Whether an action due on ``due`` with ``status`` is past its due date on ``today``:
    the date has passed and the action is not complete."""
    return due is not None and due < today and status != ActionStatus.COMPLETE


def count_overdue(actions: Iterable[Dated], today: dt.date) -> int:
    """How many of ``actions`` are overdue on ``today``."""
    return sum(action.overdue_on(today) for action in actions)


class Pledge(Definition, db.Model):
    """A pledge or promise; the council's vocabulary names it.

    ``latest_update_id`` names the latest progress update of its live actions (by day, and
    of two on one day the later recorded), and ``latest_reported_on`` and ``latest_note``
    repeat its day and words, kept with every change by :mod:`core.pledges.latest_status`,
    so that a table of pledges quoting each one's latest update reads it from the pledge's
    row instead of probing each action's updates, or the updates' table once a pledge.
    ``action_tally`` counts its live actions by status and due date, kept the same way
    (:mod:`core.pledges.kept_tallies`).
    """

    __tablename__ = "pledge"
    __table_args__ = (UniqueConstraint("council_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    statement: Mapped[str | None] = mapped_column(Text)
    principles: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Derived, as an action's ``status_on`` is: no foreign key, which would make the
    #: tables' dependencies a cycle (update → action → pledge → update); every writer of
    #: updates, ORM or Core (through :func:`core.revisions.touch`), has it worked out again.
    latest_update_id: Mapped[int | None]
    #: The day and note of that update, as its action keeps its own latest's; deferred, as
    #: the action's words are: only the tables of pledges read them.
    latest_reported_on: Mapped[dt.date | None] = mapped_column(Date, deferred=True)
    latest_note: Mapped[str | None] = mapped_column(Text, deferred=True)
    #: Its live actions counted by status and due date, as JSON text (``[[status, due,
    #: count], ...]``), kept with every change by :mod:`core.pledges.kept_tallies`, so that
    #: the overview's table of pledges reads a row a pledge rather than grouping its
    #: actions; deferred: only that table reads it.
    action_tally: Mapped[str] = mapped_column(Text, default="[]", server_default="[]",
                                              deferred=True)
    #: Optimistic-locking counter for edits of locally added pledges.
    version: Mapped[int] = mapped_column(default=1)

    actions: Mapped[list[Action]] = relationship(
        back_populates="pledge", order_by="Action.position")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def overdue_actions_on(self, today: dt.date) -> int:
        """How many of the pledge's (loaded) actions are overdue on ``today``."""
        return count_overdue(self.actions, today)


class Action(Definition, db.Model):
    """An action of the plan. ``wording`` is ``None`` where the published plan lost it.

    ``status`` and ``status_on`` repeat the latest progress update's, and ``latest_note``
    and ``latest_author`` its words and who wrote them, so that lists of actions and the
    plan with its latest updates need no per-action query.
    """

    __tablename__ = "action"
    __table_args__ = (UniqueConstraint("council_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id"), index=True)
    number: Mapped[int]
    wording: Mapped[str | None] = mapped_column(Text)
    officer: Mapped[str | None] = mapped_column(Text)
    timeline_text: Mapped[str | None] = mapped_column(String(200))
    due: Mapped[dt.date | None]
    due_precision: Mapped[str | None] = mapped_column(String(8))
    every_months: Mapped[int | None]
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    outcomes: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=ActionStatus.NOT_STARTED,
                                        server_default=ActionStatus.NOT_STARTED)
    status_on: Mapped[dt.date | None]
    #: The latest update's note and author (``None`` before the first), kept with
    #: ``status`` by :mod:`core.pledges.latest_status`; loaded only when asked for.
    latest_note: Mapped[str | None] = mapped_column(Text, deferred=True)
    latest_author: Mapped[str | None] = mapped_column(String(200), deferred=True)
    #: The action's JSON as the API gives it in its pledge, kept with every change by
    #: :mod:`core.pledges.kept_json`; loaded only when asked for.
    api_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}",
                                          deferred=True)

    pledge: Mapped[Pledge] = relationship(back_populates="actions")

    def overdue_on(self, today: dt.date) -> bool:
        """Whether the due date has passed on ``today`` with the action not complete."""
        return is_overdue(self.due, self.status, today)


class ActionOwner(CouncilOwned, db.Model):
    """A user who owns an action and so may post progress on it."""

    __tablename__ = "action_owner"
    __table_args__ = (UniqueConstraint("action_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)


class ProgressUpdate(CouncilOwned, db.Model):
    """A dated report of an action's progress: status, note and who wrote it."""

    __tablename__ = "progress_update"
    #: Each action's updates by date; with ``id`` and ``status`` so that "the status of the
    #: latest update by a day" (the progress history's question) is read from the index.
    __table_args__ = (Index("ix_progress_update_action_date", "action_id", "reported_on", "id",
                            "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"))
    reported_on: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    action: Mapped[Action] = relationship()


class ProgressMonth(CouncilOwned, db.Model):
    """How many of a pledge's live actions counted as each category of the progress history
    (:mod:`core.pledges.history`) at the end of one past month: derived data, rewritten in
    the transaction of every change to the council's actions, progress updates or status
    rule (:mod:`core.pledges.history_store`), so that the history reads its past months
    instead of counting them again. ``grace_days`` is the rule's the counts were made with.

    A ``shown_on_pages = False`` model: writing it is part of a change already made, and
    leaves the council's revision as that change set it.
    """

    __tablename__ = "progress_month"

    shown_on_pages = False

    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id"), primary_key=True)
    month_end: Mapped[dt.date] = mapped_column(primary_key=True)
    grace_days: Mapped[int]
    complete: Mapped[int]
    on_track: Mapped[int]
    at_risk: Mapped[int]
    off_track: Mapped[int]
    past_due: Mapped[int]
    not_started: Mapped[int]
