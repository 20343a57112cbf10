"""Reading pledges, their actions and progress, and rolling statuses up."""

from __future__ import annotations

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, with_loader_criteria

from core.extensions import db
from core.models import Action, Council, Pledge

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


def actions_of(council: Council) -> list[Action]:
    """Every live action of the council with its pledge, in plan order (one query)."""
    return list(db.session.scalars(
        select(Action).join(Action.pledge)
        .where(Action.council_id == council.id, Action.archived_at.is_(None),
               Pledge.archived_at.is_(None))
        .order_by(Pledge.position, Action.position)
        .options(contains_eager(Action.pledge))))
