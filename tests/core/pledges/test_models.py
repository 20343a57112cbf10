"""The pledge status roll-up rule and when actions count as overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from core.pledges.models import Action, ActionStatus, Pledge, rolled_up_status

NOT_STARTED, ON_TRACK, AT_RISK, OFF_TRACK, COMPLETE = (
    "not_started", "on_track", "at_risk", "off_track", "complete")
TODAY = dt.date(2025, 10, 1)


def test_a_pledge_without_actions_has_no_status() -> None:
    assert rolled_up_status([]) is None


@pytest.mark.parametrize(("statuses", "expected"), [
    ([COMPLETE], ActionStatus.COMPLETE),
    ([COMPLETE, COMPLETE, COMPLETE], ActionStatus.COMPLETE),
    ([NOT_STARTED], ActionStatus.NOT_STARTED),
    ([NOT_STARTED, NOT_STARTED], ActionStatus.NOT_STARTED),
    ([ON_TRACK, NOT_STARTED], ActionStatus.ON_TRACK),
    ([ON_TRACK, AT_RISK, NOT_STARTED], ActionStatus.AT_RISK),
    ([AT_RISK, OFF_TRACK, ON_TRACK], ActionStatus.OFF_TRACK),
    ([OFF_TRACK, COMPLETE, COMPLETE], ActionStatus.OFF_TRACK),
    ([AT_RISK, COMPLETE], ActionStatus.AT_RISK),
])
def test_roll_up_takes_the_most_concerning_open_status(statuses: list[str],
                                                       expected: ActionStatus) -> None:
    assert rolled_up_status(statuses) is expected


def test_roll_up_counts_a_started_pledge_as_on_track_when_no_action_is_at_risk() -> None:
    # Some actions complete and the rest not started: work is under way, none is at risk.
    assert rolled_up_status([COMPLETE, NOT_STARTED]) is ActionStatus.ON_TRACK
    assert rolled_up_status([COMPLETE, NOT_STARTED, ON_TRACK]) is ActionStatus.ON_TRACK


def test_roll_up_accepts_enum_members_and_does_not_depend_on_order() -> None:
    statuses = [ActionStatus.OFF_TRACK, ActionStatus.ON_TRACK, ActionStatus.AT_RISK]
    assert rolled_up_status(statuses) is ActionStatus.OFF_TRACK
    assert rolled_up_status(reversed(statuses)) is ActionStatus.OFF_TRACK


def test_roll_up_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="late"):
        rolled_up_status([ON_TRACK, "late"])


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


def test_a_pledge_status_rolls_up_its_actions() -> None:
    pledge = Pledge(key="p", number=1, title="P", actions=[
        action(None, COMPLETE), action(None, AT_RISK), action(None, ON_TRACK)])
    assert pledge.status is ActionStatus.AT_RISK
    assert Pledge(key="q", number=2, title="Q", actions=[]).status is None
