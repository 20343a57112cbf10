"""Reading pledges' progress (core/pledges/services.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from core.extensions import db
from core.models import Action, Council
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update
from core.pledges.services import latest_updates
from tests.core.plans import sqlite_plans


def _council_with_most_actions() -> Council:
    council_id = db.session.scalar(select(Action.council_id).group_by(Action.council_id)
                                   .order_by(func.count().desc()).limit(1))
    return db.session.get(Council, council_id)


def _actions(council: Council) -> list[Action]:
    return list(db.session.scalars(select(Action).where(Action.council_id == council.id)
                                   .order_by(Action.id)))


def _update(action: Action, day: dt.date, note: str) -> None:
    post_update(action, reported_on=day, status=ActionStatus.ON_TRACK, note=note,
                author="A clerk")


def test_each_action_has_its_latest_update_the_later_recorded_of_a_day(
        app: Any, count_queries: Any) -> None:
    with app.app_context():
        council = _council_with_most_actions()
        first, second, untouched = _actions(council)[:3]
        _update(first, dt.date(2026, 3, 1), "March")
        _update(first, dt.date(2026, 5, 1), "May, first")
        _update(first, dt.date(2026, 5, 1), "May, second")
        _update(first, dt.date(2026, 4, 1), "April, written later")
        _update(second, dt.date(2026, 2, 1), "February")
        db.session.commit()
        for loaded in (council, first, second, untouched):
            db.session.refresh(loaded)
        with count_queries() as counted:
            found = latest_updates(council, [first, second, untouched])
        assert len(counted) == 1
        assert {action_id: row.note for action_id, row in found.items()} == {
            first.id: "May, second", second.id: "February"}
        assert latest_updates(council, [untouched]) == {}


def test_the_latest_updates_are_found_through_the_actions_on_sqlite(app: Any) -> None:
    """Given the council's id on the updates, SQLite's planner searched every update of the
    council; through the actions, it probes the (action, date) index once for each."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        council = _council_with_most_actions()
        actions = _actions(council)[:2]
        for action in actions:
            _update(action, dt.date(2026, 5, 1), "May")
        db.session.commit()
        for loaded in (council, *actions):
            db.session.refresh(loaded)
        (plan,) = sqlite_plans(lambda: latest_updates(council, actions))
        assert "ix_progress_update_action_date" in plan, plan
        assert "ix_progress_update_council_id" not in plan, plan
