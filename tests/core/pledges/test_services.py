"""Reading pledges' progress (core/pledges/services.py)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, func, select

from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update
from core.pledges.reads import pledge_card
from core.pledges.services import latest_updates, pledge_or_404
from tests.core.plans import sqlite_plans


def _pledge_with_most_actions() -> Pledge:
    pledge_id = db.session.scalar(select(Action.pledge_id).where(Action.archived_at.is_(None))
                                  .group_by(Action.pledge_id)
                                  .order_by(func.count().desc(), Action.pledge_id).limit(1))
    return db.session.get(Pledge, pledge_id)


def _live_actions(pledge: Pledge) -> list[Action]:
    return list(db.session.scalars(select(Action).where(
        Action.pledge_id == pledge.id, Action.archived_at.is_(None)).order_by(Action.id)))


def _update(action: Action, day: dt.date, note: str) -> None:
    post_update(action, reported_on=day, status=ActionStatus.ON_TRACK, note=note,
                author="A clerk")


def test_each_action_has_its_latest_update_the_later_recorded_of_a_day(
        app: Any, count_queries: Any) -> None:
    with app.app_context():
        pledge = _pledge_with_most_actions()
        council = db.session.get(Council, pledge.council_id)
        first, second, untouched, archived = _live_actions(pledge)[:4]
        db.session.execute(delete(ProgressUpdate).where(
            ProgressUpdate.action_id.in_([untouched.id, archived.id])))
        _update(first, dt.date(2026, 3, 1), "March")
        _update(first, dt.date(2026, 5, 1), "May, first")
        _update(first, dt.date(2026, 5, 1), "May, second")
        _update(first, dt.date(2026, 4, 1), "April, written later")
        _update(second, dt.date(2026, 2, 1), "February")
        _update(archived, dt.date(2026, 2, 1), "Archived since")
        archived.archived_at = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
        db.session.commit()
        for loaded in (council, pledge, first, second, untouched):
            db.session.refresh(loaded)
        assert untouched.status_on is None
        card = pledge_card(council, pledge.key)  # the live actions, as the page reads them
        with count_queries() as counted:
            found = latest_updates(council, card)
        assert len(counted) == 1
        assert found[first.id].note == "May, second" and found[second.id].note == "February"
        assert untouched.id not in found and archived.id not in found
        assert set(found) == {action.id for action in card.actions if action.status_on}
        assert latest_updates(council, pledge_or_404(council, pledge.key)) == found
        with count_queries() as counted:
            assert latest_updates(council, SimpleNamespace(id=pledge.id,
                                                           actions=[untouched])) == {}
        assert len(counted) == 0


def test_the_latest_updates_are_found_through_the_actions_on_sqlite(app: Any) -> None:
    """Given the council's id on the updates, SQLite's planner searched every update of the
    council; through the actions, it probes the (action, date) index once for each."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        pledge = _pledge_with_most_actions()
        council = db.session.get(Council, pledge.council_id)
        actions = _live_actions(pledge)[:2]
        for action in actions:
            _update(action, dt.date(2026, 5, 1), "May")
        db.session.commit()
        for loaded in (council, pledge, *actions):
            db.session.refresh(loaded)
        card = pledge_card(council, pledge.key)
        (plan,) = sqlite_plans(lambda: latest_updates(council, card))
        assert "ix_progress_update_action_date" in plan, plan
        assert "ix_progress_update_council_id" not in plan, plan
