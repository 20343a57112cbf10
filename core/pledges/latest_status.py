"""Each action's status as its latest progress update gives it, kept on the action's row.

An action's status is that of its latest update (by day, and of two on one day the later
recorded), or "not started" before its first; :attr:`~core.pledges.models.Action.status`
and :attr:`~core.pledges.models.Action.status_on` keep that status and the day of that
update, so that the pages read an action's status, and find its latest update, from the
action's row. Posting an update sets them (:func:`core.pledges.progress.post_update`);
this module keeps them true whatever else writes updates (one added, changed, moved or
deleted by any code or tool, a backdated one, a Core load), in the transaction of the
change (:func:`core.revisions.keep_derived`): the actions whose updates a flush wrote are
worked out again from their updates, and only a row that differs is written.

What relies on it: the status tables and roll-ups, and today's counts of the progress
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

from sqlalchemy import Connection, Update, func, inspect, or_, select, update
from sqlalchemy.orm import Session

from core.pledges.models import Action, ActionStatus, ProgressUpdate
from core.revisions import Write, Written, keep_derived

_ACTION = Action.__table__
_UPDATE = ProgressUpdate.__table__

#: The status of the action's latest update, or "not started" without one.
_LATEST_STATUS = func.coalesce(
    select(_UPDATE.c.status).where(_UPDATE.c.action_id == _ACTION.c.id)
    .order_by(_UPDATE.c.reported_on.desc(), _UPDATE.c.id.desc()).limit(1)
    .correlate(_ACTION).scalar_subquery(),
    ActionStatus.NOT_STARTED.value)
#: The day of the action's latest update, or ``NULL`` without one.
_LATEST_DAY = (select(func.max(_UPDATE.c.reported_on)).where(_UPDATE.c.action_id == _ACTION.c.id)
               .correlate(_ACTION).scalar_subquery())

#: The actions (to be chosen by a further ``where``) whose kept status or day differs from
#: their updates', set to their updates'.
_REFRESH: Update = (
    update(_ACTION)
    .where(or_(_ACTION.c.status != _LATEST_STATUS,
               _ACTION.c.status_on.is_distinct_from(_LATEST_DAY)))
    .values(status=_LATEST_STATUS, status_on=_LATEST_DAY))


def refresh_action_statuses(connection: Connection | Session, council_ids: list[int],
                            written: Written | None = None) -> None:
    """Set the kept status and day of the councils' actions whose progress updates were
    ``written`` (every action of a council when the writes do not say which) to those of
    their latest updates, where they differ. The actions ``written`` only tell which new
    updates their writer settled (:func:`_actions_written`)."""
    whole: list[int] = []
    action_ids: set[int] = set()
    for council_id in council_ids:
        found = _actions_written((written or {}).get(council_id))
        if found is None:
            whole.append(council_id)
        else:
            action_ids |= found
    if whole:
        connection.execute(_REFRESH.where(_ACTION.c.council_id.in_(whole)))
    if action_ids:
        connection.execute(_REFRESH.where(_ACTION.c.id.in_(sorted(action_ids))))


def _actions_written(writes: Sequence[Write] | None) -> set[int] | None:
    """The actions whose latest update the ``writes`` of a flush can change (an update's
    action, and the one it was moved from); ``None`` when the writes do not say (not
    given, or an update whose action, or whose action before a move, the session never
    loaded: an attribute set on an expired object has no old value in its history).

    A new update whose action the same flush gave that update's status and day is left:
    its writer settled it (:func:`core.pledges.progress.post_update`, which holds the
    action while it compares the days), and a new update is the last recorded."""
    if not writes:
        return None
    settled = {found for write in writes if isinstance(write.row, Action)
               and (found := _settled(write)) is not None}
    action_ids: set[int] = set()
    for write in writes:
        if isinstance(write.row, Action):
            continue
        if write.kind == "new" and (write.row.action_id, str(write.row.status),
                                    write.row.reported_on) in settled:
            continue
        attrs = inspect(write.row).attrs
        action = attrs.action_id.history
        if write.kind == "changed" and not any(
                attrs[name].history.has_changes() for name in ("action_id", "reported_on",
                                                                "status")):
            continue  # its note or author
        if not action.sum() or (write.kind == "changed" and action.added
                                and not action.deleted):
            return None  # its action, or the one it was moved from, is not known
        action_ids.update(action.sum())
    return action_ids


def _settled(write: Write) -> tuple[int, str, dt.date] | None:
    """(id, status, day) of an action ``write`` gave a day (``None`` otherwise), read from
    the attributes' history (loading nothing in the middle of a flush)."""
    if write.kind != "changed":
        return None
    attrs = inspect(write.row).attrs
    day, status = attrs.status_on.history, attrs.status.history
    given = status.added or status.unchanged
    if not day.added or day.added[0] is None or not given:
        return None
    return write.row.id, str(given[0]), day.added[0]


keep_derived((ProgressUpdate, Action), refresh_action_statuses)
