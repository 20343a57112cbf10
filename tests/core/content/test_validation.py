"""Validating plugin answers into shapes, with errors that name each field."""

from __future__ import annotations

import datetime as dt

import pytest

from core.content import (
    Action,
    ContentError,
    Council,
    PledgeSet,
    Priority,
    ReviewCycle,
    Timeline,
    validate,
)
from core.content.validation import flatten_messages


def test_plain_data_and_shapes_validate_the_same() -> None:
    data = {"key": "a", "number": 1, "timeline": "April 2026", "outcomes": ["Better"]}
    from_data = validate(Action, data)
    assert from_data.timeline == Timeline(text="April 2026", due=dt.date(2026, 4, 30),
                                          due_precision="month")
    assert validate(Action, from_data) == from_data


def test_toml_dates_are_accepted() -> None:
    cycle = validate(ReviewCycle, {"key": "r", "subject": "S", "next_due": dt.date(2025, 9, 30)})
    assert cycle.next_due == dt.date(2025, 9, 30)


def test_every_problem_is_named_by_its_path() -> None:
    with pytest.raises(ContentError) as caught:
        validate(PledgeSet, {"declared": "four", "items": [
            {"key": "p", "number": 1, "title": "T", "principles": ["z"],
             "actions": [{"key": "a", "number": 1, "oficer": "typo"}]}]})
    assert caught.value.problems == {
        "declared": "Not a valid integer: got the text 'four'; write a whole number without "
                    "quotes.",
        "items[0].principles": "Unknown principle letter(s) z: use a to g "
                               "(Children and Social Work Act 2017, s.1(1)).",
        "items[0].actions[0].oficer": "Unknown field. Did you mean 'officer'? Expected some "
                                      "of: key, links, number, officer, outcomes, timeline, "
                                      "wording.",
    }


def test_council_slug_and_colour_are_checked() -> None:
    with pytest.raises(ContentError) as caught:
        validate(Council, {"slug": "New Town", "name": "N", "colour": "blue"})
    assert set(caught.value.problems) == {"slug", "colour"}
    assert validate(Council, {"slug": "new_town_2", "name": "N"}).colour == "#1d70b8"


def test_many_requires_a_list() -> None:
    with pytest.raises(ContentError, match="Expected a list of Priority, got dict"):
        validate(Priority, {"key": "p"}, many=True)


def test_flatten_messages() -> None:
    assert flatten_messages({"a": {0: {"b": ["x", "y"]}}, "_schema": ["z"]}) == {
        "a[0].b": "x y", "(value)": "z"}
