"""The small-numbers rule: one function, used by every public page, chart and export."""

from __future__ import annotations

import datetime as dt

import pytest

from core.indicators.suppression import DEFAULT_THRESHOLD, Shown, suppress
from tests.core.indicators.figures import WIGHT, add


@pytest.mark.parametrize(("unit", "value", "numerator", "denominator", "expected"), [
    ("count", 4, None, None, Shown(None, "fewer_than")),
    ("count", 0, None, None, Shown(None, "fewer_than")),
    ("count", 5, None, None, Shown(5)),
    (None, 3, None, None, Shown(None, "fewer_than")),  # unit not stated: a count
    ("percentage", 75.0, 3, 4, Shown(None, "withheld")),
    ("percentage", 60.0, 3, 5, Shown(60.0)),  # a small count of a base of 5 or more
    ("percentage", 60.0, None, None, Shown(60.0)),
    ("rate_per_10000", 2.1, 4, None, Shown(None, "withheld")),
    ("rate_per_10000", 71.5, 350, None, Shown(71.5)),
    ("count", None, None, None, Shown(None)),
])
def test_suppress(unit, value, numerator, denominator, expected) -> None:
    assert DEFAULT_THRESHOLD == 5
    assert suppress(unit, value, numerator, denominator) == expected


def test_the_threshold_is_the_deployments(make_app) -> None:
    assert suppress("count", 7, limit=10) == Shown(None, "fewer_than")
    app = make_app()
    app.config["SMALL_NUMBER_THRESHOLD"] = 10
    add(app, "personal-education-plans", dt.date(2025, 3, 31), value=7)
    text = app.test_client().get(f"/{WIGHT}/indicators/personal-education-plans").get_data(
        as_text=True)
    assert "fewer than 10" in text and ">7<" not in text
