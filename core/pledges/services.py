"""Reading pledges, their actions and progress, and rolling statuses up."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload, with_loader_criteria

from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate


def _live_actions() -> object:
    return with_loader_criteria(Action, Action.archived_at.is_(None), include_aliases=True)


def pledges_of(council: Council) -> list[Pledge]:
    """The council's pledges or promises in order, each with its actions (two queries)."""
    return list(db.session.scalars(
        select(Pledge).where(Pledge.council_id == council.id, Pledge.archived_at.is_(None))
        .order_by(Pledge.origin.desc(), Pledge.position, Pledge.number)
        .options(selectinload(Pledge.actions), _live_actions())))


def pledge_or_404(council: Council, key: str) -> Pledge:
    """One pledge of ``council`` with its actions, or a 404."""
    pledge = db.session.scalar(
        select(Pledge).where(Pledge.council_id == council.id, Pledge.key == key,
                             Pledge.archived_at.is_(None))
        .options(selectinload(Pledge.actions), _live_actions()))
    if pledge is None:
        abort(404)
    return pledge


def latest_updates(council: Council, actions: Sequence[Action]) -> dict[int, ProgressUpdate]:
    """Each action's latest progress update, by action id (one query)."""
    if not actions:
        return {}
    ids = [action.id for action in actions]
    ranked = (
        select(ProgressUpdate.id, func.row_number().over(
            partition_by=ProgressUpdate.action_id,
            order_by=(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()),
        ).label("rank"))
        .where(ProgressUpdate.council_id == council.id, ProgressUpdate.action_id.in_(ids))
        .subquery())
    updates = db.session.scalars(
        select(ProgressUpdate).join(ranked, ranked.c.id == ProgressUpdate.id)
        .where(ranked.c.rank == 1))
    return {update.action_id: update for update in updates}


def actions_of(council: Council) -> list[Action]:
    """Every live action of the council with its pledge, in plan order (one query)."""
    return list(db.session.scalars(
        select(Action).join(Action.pledge)
        .where(Action.council_id == council.id, Action.archived_at.is_(None),
               Pledge.archived_at.is_(None))
        .order_by(Pledge.position, Action.position)
        .options(contains_eager(Action.pledge))))
