"""Working days of England and Wales, from the holidays library."""

from __future__ import annotations

import datetime as dt

import pytest

from core.meetings.working_days import (
    Moved,
    bank_holiday,
    bank_holidays,
    is_working_day,
    next_working_day,
)


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_england_and_wales_have_their_bank_holidays(nation: str) -> None:
    days = bank_holidays(nation, 2027)
    assert len(days) == 10  # with Christmas and Boxing Day on the weekend, and observed
    assert bank_holiday(nation, dt.date(2027, 3, 26)) == "Good Friday"
    assert bank_holiday(nation, dt.date(2027, 12, 27)) == "Christmas Day (observed)"
    assert bank_holiday(nation, dt.date(2027, 3, 1)) is None  # St David's Day is not one


def test_an_unknown_nation_is_refused() -> None:
    with pytest.raises(ValueError, match="scotland"):
        bank_holidays("scotland", 2027)


@pytest.mark.parametrize(("day", "working"), [
    (dt.date(2026, 3, 13), True),    # Friday
    (dt.date(2026, 3, 14), False),   # Saturday
    (dt.date(2026, 3, 15), False),   # Sunday
    (dt.date(2026, 4, 3), False),    # Good Friday
    (dt.date(2026, 4, 6), False),    # Easter Monday
    (dt.date(2026, 4, 7), True),
])
def test_working_days_are_weekdays_that_are_not_bank_holidays(day: dt.date,
                                                              working: bool) -> None:
    assert is_working_day("england", day) is working
    assert is_working_day("wales", day) is working


def test_a_date_that_is_not_a_working_day_moves_to_the_next_one_saying_why() -> None:
    assert next_working_day("england", dt.date(2026, 3, 13)) == Moved(dt.date(2026, 3, 13))
    assert next_working_day("england", dt.date(2026, 3, 14)) == Moved(
        dt.date(2026, 3, 16), asked=dt.date(2026, 3, 14))
    # Good Friday, the weekend and Easter Monday: the Tuesday after
    assert next_working_day("wales", dt.date(2026, 4, 3)) == Moved(
        dt.date(2026, 4, 7), asked=dt.date(2026, 4, 3), holiday="Good Friday")
    # Christmas Day 2026 is a Friday; Boxing Day is observed on Monday 28th
    assert next_working_day("england", dt.date(2026, 12, 25)).day == dt.date(2026, 12, 29)
