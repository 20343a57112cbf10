"""Each action's status as its latest progress update gives it, kept on the action's row
with that update's words; each pledge's latest update, with its day and note, kept on the
pledge's.

An action's status is that of its latest update (by day, and of two on one day the later
recorded), or "not started" before its first; :attr:`~core.pledges.models.Action.status`
and :attr:`~core.pledges.models.Action.status_on` keep that status and the day of that
update, and :attr:`~core.pledges.models.Action.latest_note` and
:attr:`~core.pledges.models.Action.latest_author` its note and author, so that the pages
read an action's status and latest update from the action's row (the plan's file, a
council's eighty actions with their latest updates: on PostgreSQL 0.40 -> 0.16 ms of the
server's time, no longer probing each action's updates). Posting an update sets them
(:func:`core.pledges.progress.post_update`); this module keeps them true whatever else
writes updates (one added, changed, moved or deleted by any code or tool, a backdated one,
a Core load, a note or author corrected), in the transaction of the
change (:func:`core.revisions.keep_derived`): the actions whose updates a flush wrote are
worked out again from their updates, and only a row that differs is written.

:attr:`~core.pledges.models.Pledge.latest_update_id` names the latest update of a pledge's
live actions, and :attr:`~core.pledges.models.Pledge.latest_reported_on` and
:attr:`~core.pledges.models.Pledge.latest_note` its day and note, worked out in the same
refresh, after the actions' days (it is found from
them): for the pledges of every action whose updates a flush wrote, including an update its
writer settled, and of every action moved to another pledge, archived, restored or deleted.

What relies on it: the status tables and roll-ups, the plan's file and a pledge's page
quoting each action's latest update (:mod:`core.pledges.plan_file`,
:func:`core.pledges.reads.pledge_page_card`), the tables of pledges quoting each one's
latest update (:func:`core.pledges.reads.pledge_lines`: one probe a pledge, not one an
action), and today's counts of the progress
history (:func:`core.pledges.month_counts.stored_and_today`), which read today's status from
the action's row instead of probing its updates (that statement, over every council in
turn: 182 → 99 µs on SQLite; 0.53 → 0.17 ms of PostgreSQL's execution). A change saved
through :func:`core.concurrency.save_if_unchanged` touches its council without saying
which rows it wrote, so every action of that council is compared (one statement, which
writes nothing when all agree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Update, and_, func, inspect, or_, select, update
from sqlalchemy.orm import Session

from core.pledges.models import Action, ActionStatus, Pledge, ProgressUpdate
from core.revisions import Write, Written, keep_derived
from core.row_reads import LIMIT_ONE

_ACTION = Action.__table__
_UPDATE = ProgressUpdate.__table__
_PLEDGE = Pledge.__table__


def _of_latest(column: Any) -> Any:
    """``column`` of the action's latest update (by day, then the later recorded), or
    ``NULL`` without one."""
    return (select(column).where(_UPDATE.c.action_id == _ACTION.c.id)
            .order_by(_UPDATE.c.reported_on.desc(), _UPDATE.c.id.desc()).limit(LIMIT_ONE)
            .correlate(_ACTION).scalar_subquery())


#: The status of the action's latest update, or "not started" without one.
_LATEST_STATUS = func.coalesce(_of_latest(_UPDATE.c.status), ActionStatus.NOT_STARTED.value)
#: The note and author of the action's latest update.
_LATEST_NOTE, _LATEST_AUTHOR = _of_latest(_UPDATE.c.note), _of_latest(_UPDATE.c.author)
#: The day of the action's latest update, or ``NULL`` without one.
_LATEST_DAY = (select(func.max(_UPDATE.c.reported_on)).where(_UPDATE.c.action_id == _ACTION.c.id)
               .correlate(_ACTION).scalar_subquery())

#: The actions (to be chosen by a further ``where``) whose kept status, day, note or author
#: differs from their latest update's, set to their latest update's.
_REFRESH: Update = (
    update(_ACTION)
    .where(or_(_ACTION.c.status != _LATEST_STATUS,
               _ACTION.c.status_on.is_distinct_from(_LATEST_DAY),
               _ACTION.c.latest_note.is_distinct_from(_LATEST_NOTE),
               _ACTION.c.latest_author.is_distinct_from(_LATEST_AUTHOR)))
    .values(status=_LATEST_STATUS, status_on=_LATEST_DAY, latest_note=_LATEST_NOTE,
            latest_author=_LATEST_AUTHOR,
            updated_at=_ACTION.c.updated_at))  # derived: the definition is as it was

def _of_pledge_latest(column: Any) -> Any:
    """``column`` of the pledge's latest update: of its live actions' latest days' updates
    (each action's kept ``status_on``, probed in the ``(action_id, reported_on)`` index),
    the latest by day, then the later recorded; ``NULL`` without one."""
    return (select(column)
            .select_from(_ACTION.join(_UPDATE, and_(_UPDATE.c.action_id == _ACTION.c.id,
                                                    _UPDATE.c.reported_on == _ACTION.c.status_on)))
            .where(_ACTION.c.pledge_id == _PLEDGE.c.id, _ACTION.c.archived_at.is_(None))
            .order_by(_UPDATE.c.reported_on.desc(), _UPDATE.c.id.desc()).limit(LIMIT_ONE)
            .correlate(_PLEDGE).scalar_subquery())


#: The pledge's latest update, its day and its note.
_PLEDGE_LATEST, _PLEDGE_LATEST_DAY, _PLEDGE_LATEST_NOTE = (
    _of_pledge_latest(_UPDATE.c.id), _of_pledge_latest(_UPDATE.c.reported_on),
    _of_pledge_latest(_UPDATE.c.note))
#: The pledges (to be chosen by a further ``where``) whose kept latest update, day or note
#: differs, set.
_REFRESH_PLEDGES: Update = (
    update(_PLEDGE)
    .where(or_(_PLEDGE.c.latest_update_id.is_distinct_from(_PLEDGE_LATEST),
               _PLEDGE.c.latest_reported_on.is_distinct_from(_PLEDGE_LATEST_DAY),
               _PLEDGE.c.latest_note.is_distinct_from(_PLEDGE_LATEST_NOTE)))
    .values(latest_update_id=_PLEDGE_LATEST, latest_reported_on=_PLEDGE_LATEST_DAY,
            latest_note=_PLEDGE_LATEST_NOTE, updated_at=_PLEDGE.c.updated_at))


@dataclass
class _Touched:
    """What a flush's writes in one council can change: the actions whose kept status, day,
    note and author are to be worked out again, the actions whose pledges' latest update is (a
    superset of the first: an update its writer settled changes its pledge's), and pledges
    named directly (an action's pledge before and after a move, an archived or deleted
    action's)."""

    actions: set[int] = field(default_factory=set)
    pledges_of: set[int] = field(default_factory=set)
    pledges: set[int] = field(default_factory=set)


def refresh_action_statuses(connection: Connection | Session, council_ids: list[int],
                            written: Written | None = None) -> None:
    """Set the kept status, day, note and author of the councils' actions whose progress
    updates were ``written`` (every action of a council when the writes do not say which)
    to those of their latest updates, where they differ; then the kept latest update of
    their pledges, and of the pledges of actions moved, archived, restored or deleted. The
    actions ``written`` also tell which new updates their writer settled
    (:func:`_touched`)."""
    whole: list[int] = []
    touched = _Touched()
    for council_id in council_ids:
        found = _touched((written or {}).get(council_id))
        if found is None:
            whole.append(council_id)
        else:
            touched.actions |= found.actions
            touched.pledges_of |= found.pledges_of
            touched.pledges |= found.pledges
    if whole:
        connection.execute(_REFRESH.where(_ACTION.c.council_id.in_(whole)))
    if touched.actions:
        connection.execute(_REFRESH.where(_ACTION.c.id.in_(sorted(touched.actions))))
    chosen = [_PLEDGE.c.council_id.in_(whole)] if whole else []
    if touched.pledges_of:
        chosen.append(_PLEDGE.c.id.in_(select(_ACTION.c.pledge_id).where(
            _ACTION.c.id.in_(sorted(touched.pledges_of)))))
    if touched.pledges:
        chosen.append(_PLEDGE.c.id.in_(sorted(touched.pledges)))
    if chosen:
        connection.execute(_REFRESH_PLEDGES.where(or_(*chosen)))


def _touched(writes: Sequence[Write] | None) -> _Touched | None:
    """What the ``writes`` of a flush can change (an update's action, and the one it was
    moved from; their pledges; the pledges of actions moved, archived, restored or
    deleted); ``None`` when the writes do not say (not given, or a row whose action or
    pledge, or whose action or pledge before a move, the session never loaded: an
    attribute set on an expired object has no old value in its history).

    A new update whose action the same flush gave that update's status and day is left
    to its writer, which settled the action (:func:`core.pledges.progress.post_update`,
    which holds the action while it compares the days; a new update is the last
    recorded): only its pledge is worked out again."""
    if not writes:
        return None
    settled = {found for write in writes if isinstance(write.row, Action)
               and (found := _settled(write)) is not None}
    touched = _Touched()
    for write in writes:
        if isinstance(write.row, Action):
            pledges = _pledges_moved(write)
            if pledges is None:
                return None
            touched.pledges |= pledges
            continue
        if write.kind == "new" and (write.row.action_id, str(write.row.status),
                                    write.row.reported_on, write.row.note,
                                    write.row.author) in settled:
            touched.pledges_of.add(write.row.action_id)
            continue
        attrs = inspect(write.row).attrs
        action = attrs.action_id.history
        if write.kind == "changed" and not any(
                attrs[name].history.has_changes() for name in _KEPT_FROM):
            continue  # when it was recorded: nothing its action keeps
        if not action.sum() or (write.kind == "changed" and action.added
                                and not action.deleted):
            return None  # its action, or the one it was moved from, is not known
        touched.actions.update(action.sum())
    touched.pledges_of |= touched.actions
    return touched


def _pledges_moved(write: Write) -> set[int] | None:
    """The pledges whose latest update an action's ``write`` can change: its pledge before
    and after, when it moved to another, or was archived, restored or deleted (its
    updates then count for another pledge, or none); ``None`` when its pledge is not
    known. A new action has no update yet, and any written with it are writes of their
    own."""
    if write.kind == "new":
        return set()
    attrs = inspect(write.row).attrs
    pledge = attrs.pledge_id.history
    if write.kind == "changed" and not (pledge.has_changes()
                                        or attrs.archived_at.history.has_changes()):
        return set()
    if not pledge.sum() or (pledge.added and not pledge.deleted):
        return None
    return set(pledge.sum())


def _settled(write: Write) -> tuple[int, str, dt.date, str | None, str | None] | None:
    """(id, status, day, note, author) of an action ``write`` gave a day (``None``
    otherwise), read from the attributes' history (loading nothing in the middle of a
    flush)."""
    if write.kind != "changed":
        return None
    attrs = inspect(write.row).attrs
    day, status = attrs.status_on.history, attrs.status.history
    given = status.added or status.unchanged
    note = attrs.latest_note.history.added or attrs.latest_note.history.unchanged
    author = attrs.latest_author.history.added or attrs.latest_author.history.unchanged
    if not day.added or day.added[0] is None or not given or not note or not author:
        return None
    return write.row.id, str(given[0]), day.added[0], note[0], author[0]


#: The columns of an update whose change changes what its action keeps.
_KEPT_FROM = ("action_id", "reported_on", "status", "note", "author")

keep_derived((ProgressUpdate, Action), refresh_action_statuses)
