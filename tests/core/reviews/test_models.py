"""Where a review cycle stands on a given day: overdue, due soon, scheduled or undated."""

from __future__ import annotations

import datetime as dt

import pytest

from core.reviews.models import DUE_SOON, ReviewCycle, ReviewState

TODAY = dt.date(2025, 10, 1)


def cycle(next_due: dt.date | None) -> ReviewCycle:
    return ReviewCycle(key="c", subject="Something", next_due=next_due)


def test_due_soon_means_within_sixty_days() -> None:
    assert dt.timedelta(days=60) == DUE_SOON


@pytest.mark.parametrize(("days", "state"), [
    (-400, ReviewState.OVERDUE),
    (-1, ReviewState.OVERDUE),
    (0, ReviewState.DUE_SOON),
    (1, ReviewState.DUE_SOON),
    (60, ReviewState.DUE_SOON),
    (61, ReviewState.SCHEDULED),
    (800, ReviewState.SCHEDULED),
])
def test_state_by_days_until_the_next_review(days: int, state: ReviewState) -> None:
    assert cycle(TODAY + dt.timedelta(days=days)).state_on(TODAY) is state


def test_a_cycle_without_a_date_is_not_scheduled_whatever_the_day() -> None:
    assert cycle(None).state_on(TODAY) is ReviewState.NOT_SCHEDULED
    assert cycle(None).state_on(dt.date(2099, 1, 1)) is ReviewState.NOT_SCHEDULED


def test_the_state_follows_the_actual_next_due_not_the_plugins_date() -> None:
    recorded = ReviewCycle(key="c", subject="Something", defined_next_due=dt.date(2025, 9, 30),
                           next_due=dt.date(2027, 9, 30))
    assert recorded.state_on(TODAY) is ReviewState.SCHEDULED


def test_the_isle_of_wight_protocol_review_was_overdue_from_october_2025() -> None:
    september_2025 = cycle(dt.date(2025, 9, 30))
    assert september_2025.state_on(dt.date(2025, 9, 30)) is ReviewState.DUE_SOON
    assert september_2025.state_on(dt.date(2025, 10, 1)) is ReviewState.OVERDUE


@pytest.mark.parametrize(("interval_text", "every_months", "uncertain"), [
    ("bi-annually", 24, True),   # Isle of Wight's protocol: the plugin's reading, not the text's
    ("bi-annually", None, True),
    (None, None, True),
    ("annually", 12, False),
])
def test_an_interval_is_uncertain_unless_stated_plainly_in_months(
        interval_text: str | None, every_months: int | None, uncertain: bool) -> None:
    found = ReviewCycle(key="c", subject="S", interval_text=interval_text,
                        every_months=every_months)
    assert found.interval_uncertain is uncertain
