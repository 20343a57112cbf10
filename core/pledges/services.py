"""Reading pledges, their actions and progress, and rolling statuses up."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from flask import abort
from sqlalchemy import Row, bindparam, select, tuple_
from sqlalchemy.orm import contains_eager, joinedload, with_loader_criteria

from core import row_reads
from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate

if TYPE_CHECKING:  # for a type hint only
    from core.pledges.reads import ActionCard

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


#: Built once, the (action, date) pairs an expanding parameter (a statement built with
#: them on every render cost its cache key each time); the columns the pages show.
_LATEST = (select(ProgressUpdate.action_id, ProgressUpdate.id, ProgressUpdate.reported_on,
                  ProgressUpdate.status, ProgressUpdate.note, ProgressUpdate.author)
           .where(ProgressUpdate.council_id == bindparam("council_id"),
                  tuple_(ProgressUpdate.action_id, ProgressUpdate.reported_on)
                  .in_(bindparam("dated", expanding=True)))
           .order_by(ProgressUpdate.id))


def latest_updates(council: Council, actions: Sequence[Action | ActionCard]
                   ) -> dict[int, Row[Any]]:
    """Each action's latest progress update (a row of its ``action_id``, ``id``,
    ``reported_on``, ``status``, ``note`` and ``author``), by action id (one statement).

    An action's ``status_on`` is the date of its latest update, so each action costs one
    probe of the (action, date) index however long its history; of two updates on the
    same day the later recorded wins.
    """
    dated = [(action.id, action.status_on) for action in actions if action.status_on]
    if not dated:
        return {}
    return {update.action_id: update for update in row_reads.rows(
        _LATEST, {"council_id": council.id, "dated": dated})}


def actions_of(council: Council) -> list[Action]:
    """Every live action of the council with its pledge, in plan order (one query)."""
    return list(db.session.scalars(
        select(Action).join(Action.pledge)
        .where(Action.council_id == council.id, Action.archived_at.is_(None),
               Pledge.archived_at.is_(None))
        .order_by(Pledge.position, Action.position)
        .options(contains_eager(Action.pledge))))
