"""When actions count as overdue (the status roll-up is tested in test_status.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.pledges.models import Action, Pledge

NOT_STARTED, ON_TRACK, AT_RISK, OFF_TRACK, COMPLETE = (
    "not_started", "on_track", "at_risk", "off_track", "complete")
TODAY = dt.date(2025, 10, 1)


def action(due: dt.date | None, status: str = NOT_STARTED) -> Action:
    return Action(key="a", number=1, due=due, status=status)


@pytest.mark.parametrize(("due", "status", "overdue"), [
    (None, NOT_STARTED, False),
    (TODAY + dt.timedelta(days=1), NOT_STARTED, False),
    (TODAY, NOT_STARTED, False),
    (TODAY, AT_RISK, False),
    (TODAY - dt.timedelta(days=1), NOT_STARTED, True),
    (TODAY - dt.timedelta(days=1), ON_TRACK, True),
    (TODAY - dt.timedelta(days=1), OFF_TRACK, True),
    (TODAY - dt.timedelta(days=1), COMPLETE, False),
    (dt.date(2020, 1, 1), COMPLETE, False),
])
def test_an_action_is_overdue_after_its_due_date_unless_complete(
        due: dt.date | None, status: str, overdue: bool) -> None:
    assert action(due, status).overdue_on(TODAY) is overdue


def test_an_action_due_at_the_end_of_september_is_overdue_from_the_first_of_october() -> None:
    september = action(dt.date(2025, 9, 30))
    assert not september.overdue_on(dt.date(2025, 9, 30))
    assert september.overdue_on(dt.date(2025, 10, 1))


def test_a_pledge_counts_its_overdue_actions() -> None:
    past = TODAY - dt.timedelta(days=30)
    pledge = Pledge(key="p", number=1, title="P", actions=[
        action(past), action(past, COMPLETE), action(past, AT_RISK), action(None),
        action(TODAY + dt.timedelta(days=30))])
    assert pledge.overdue_actions_on(TODAY) == 2
    assert pledge.overdue_actions_on(past) == 0
