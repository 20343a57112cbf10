"""Reading due dates and recurrences out of an action plan's words."""

from __future__ import annotations

import datetime as dt

import pytest

from core.content.timelines import (
    ambiguous_interval,
    end_of_month,
    parse_due,
    parse_every_months,
    parse_timeline,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("September 2025", (dt.date(2025, 9, 30), "month")),
    ("April 2025", (dt.date(2025, 4, 30), "month")),
    ("February 2028", (dt.date(2028, 2, 29), "month")),
    ("Sept 2025", None),
    ("Sep 2025", (dt.date(2025, 9, 30), "month")),
    ("2025-09", (dt.date(2025, 9, 30), "month")),
    ("2025-13", None),
    ("15 September 2025", (dt.date(2025, 9, 15), "day")),
    ("31 February 2025", None),
    ("2025-09-15", (dt.date(2025, 9, 15), "day")),
    ("TBC - September 2023", None),
    ("Reviewed annually", None),
])
def test_parse_due(text: str, expected) -> None:
    assert parse_due(text) == expected


@pytest.mark.parametrize(("text", "months"), [
    ("Reviewed annually", 12),
    ("Reviewed annually.", 12),
    ("quarterly", 3),
    ("Every 6 months", 6),
    ("every three months", 3),
    ("every two years", 24),
    ("Monthly", 1),
    ("six-monthly", 6),
    ("6 monthly", 6),
    ("bi-annually", None),  # ambiguous (twice a year or every two years): not guessed
    ("twice yearly", None),
    ("half yearly", None),
    ("not annually", None),
    ("every few months", None),
    ("September 2025", None),
])
def test_parse_every_months(text: str, months: int | None) -> None:
    assert parse_every_months(text) == months


def test_parse_timeline_keeps_the_words_and_adds_what_it_can_read() -> None:
    assert parse_timeline("September 2025") == {
        "text": "September 2025", "due": "2025-09-30", "due_precision": "month"}
    assert parse_timeline("Reviewed annually") == {"text": "Reviewed annually",
                                                   "every_months": 12}
    assert parse_timeline("When funding allows") == {"text": "When funding allows"}


def test_end_of_month() -> None:
    assert end_of_month(2024, 2) == dt.date(2024, 2, 29)
    assert end_of_month(2025, 12) == dt.date(2025, 12, 31)


@pytest.mark.parametrize(("text", "ambiguous"), [
    ("bi-annually", True), ("Biannually", True), ("reviewed bi-annually.", True),
    ("bimonthly", True), ("bi-weekly", True), ("annually", False), ("every two years", False),
    ("six-monthly", False), ("", False), (None, False),
])
def test_words_that_read_two_ways_are_ambiguous(text: str | None, ambiguous: bool) -> None:
    assert ambiguous_interval(text) is ambiguous
