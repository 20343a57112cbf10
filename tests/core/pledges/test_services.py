"""Reading pledges' progress (core/pledges/services.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select

from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update
from core.pledges.reads import pledge_page_card


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
    """A pledge's page (public or a clerk's) finds each live action's latest update on the
    action's row, in the statement that reads the pledge: never by its updates."""
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
        with count_queries() as counted:
            card, found = pledge_page_card(council, pledge.key)
        assert len(counted) == 1 and "progress_update" not in counted.statements[0]
        assert found[first.id].note == "May, second" and found[second.id].note == "February"
        assert found[first.id].reported_on == dt.date(2026, 5, 1)
        assert untouched.id not in found and archived.id not in found
        assert set(found) == {action.id for action in card.actions if action.status_on}
