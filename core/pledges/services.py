"""Reading pledges, their actions and progress, and rolling statuses up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import abort
from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, with_loader_criteria

from core import row_reads
from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges.models import ON_STATUS_DAY

if TYPE_CHECKING:  # for a type hint only
    from core.pledges.reads import PledgeCard

_WITH_LIVE_ACTIONS = (joinedload(Pledge.actions),
                      with_loader_criteria(Action, Action.archived_at.is_(None),
                                           include_aliases=True))
#: Built once (its loader criteria cost more to build than to run).
_PLEDGE = (select(Pledge)
           .where(Pledge.council_id == bindparam("council_id"), Pledge.key == bindparam("key"),
                  Pledge.archived_at.is_(None))
           .options(*_WITH_LIVE_ACTIONS))


def pledge_or_404(council: Council, key: str) -> Pledge:
    """One pledge of ``council`` with its actions, or a 404."""
    pledge = db.session.execute(_PLEDGE, {"council_id": council.id, "key": key}
                                ).unique().scalar_one_or_none()
    if pledge is None:
        abort(404)
    return pledge


#: Built once; the columns the pages show. Read from the pledge's live actions: an update
#: is an action's latest when it was reported on the action's ``status_on``. Searched by the
#: actions and then the (action, date) index: given the council's updates and the (action,
#: date) pairs instead, SQLite's planner walked every update of the council (2,880 in the
#: demo) for the eight of a pledge's page (230 µs, now 15). By the pledge, not a list of its
#: actions' ids: SQLAlchemy renders an expanding parameter again for every list of ids (a
#: twentieth of a pledge's page).
_LATEST = (select(ProgressUpdate.action_id, ProgressUpdate.id, ProgressUpdate.reported_on,
                  ProgressUpdate.status, ProgressUpdate.note, ProgressUpdate.author)
           .join(Action, ON_STATUS_DAY)
           .where(Action.council_id == bindparam("council_id"),
                  Action.pledge_id == bindparam("pledge_id"), Action.archived_at.is_(None))
           .order_by(ProgressUpdate.id))


def latest_updates(council: Council, pledge: Pledge | PledgeCard) -> dict[int, Row[Any]]:
    """The latest progress update of each of ``pledge``'s live actions (its loaded
    ``actions``) that has one: a row of its ``action_id``, ``id``, ``reported_on``,
    ``status``, ``note`` and ``author``, by action id (one statement, none when no action
    has an update).

    An action's ``status_on`` is the date of its latest update, so each action costs one
    probe of the (action, date) index however long its history; of two updates on the
    same day the later recorded wins.
    """
    read = latest_updates_read(council, pledge)
    return {} if read is None else {update.action_id: update
                                    for update in row_reads.rows(*read)}


def latest_updates_read(council: Council, pledge: Pledge | PledgeCard
                        ) -> row_reads.Read | None:
    """The statement :func:`latest_updates` runs (``None`` if it runs none), for a page to
    send with others."""
    if not any(action.status_on for action in pledge.actions):
        return None
    return row_reads.Read(_LATEST, {"council_id": council.id, "pledge_id": pledge.id})


def actions_of(council: Council) -> list[Action]:
    """Every live action of the council with its pledge, in plan order (one query)."""
    return list(db.session.scalars(
        select(Action).join(Action.pledge)
        .where(Action.council_id == council.id, Action.archived_at.is_(None),
               Pledge.archived_at.is_(None))
        .order_by(Pledge.position, Action.position)
        .options(contains_eager(Action.pledge))))
