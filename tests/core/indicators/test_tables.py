"""The table of latest figures, kept by what it shows: the same table for the same lines and
figures, written afresh when a figure, a title, the caption, the language, the council or
the small-number limit differs, and never kept with the memos off."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, g
from flask_babel import force_locale

from core.indicators import tables
from core.indicators.rag import Rag
from core.indicators.reads import PublicFigure
from core.indicators.suppression import Shown
from core.widgets import keyed_memo


def _line(**changes: Any) -> SimpleNamespace:
    values: dict[str, Any] = dict(key="care-leavers-in-work", title="Care leavers <in work>",
                                  unit="percentage", period="year")
    return SimpleNamespace(**{**values, **changes})


def _figure(value: float = 55.5, **changes: Any) -> PublicFigure:
    values: dict[str, Any] = dict(period_end=dt.date(2025, 3, 31), shown=Shown(value),
                                  rag=Rag.GREEN, target=50.0, england=52.1, region=None,
                                  neighbours=None)
    return PublicFigure(**{**values, **changes})


def _table(figures: list[tuple[Any, Any]], caption: str = "Latest figures") -> str:
    return str(tables.latest_figures_table(figures, caption, "govuk-table__caption--m",
                                           england=True))


@pytest.fixture
def council_page(app: Flask) -> Any:
    with app.test_request_context("/"):
        g.council = SimpleNamespace(slug="herefordshire", locale="en_GB")
        yield keyed_memo(tables.LATEST_EXTENSION)


def test_the_same_figures_give_the_kept_table(council_page: Any) -> None:
    figures = [(_line(), _figure()), (_line(key="other", title="Other"), None)]
    first = _table(figures)
    assert "Care leavers &lt;in work&gt;" in first and "55.5%" in first
    assert "No figures yet" in first
    assert (council_page.misses, council_page.hits) == (1, 0)
    assert _table([(_line(), _figure()), (_line(key="other", title="Other"), None)]) == first
    assert (council_page.misses, council_page.hits) == (1, 1)


@pytest.mark.parametrize("change", ["figure", "title", "caption", "council", "limit",
                                    "locale"])
def test_what_the_table_shows_changing_writes_it_afresh(app: Flask, council_page: Any,
                                                        change: str) -> None:
    first = _table([(_line(), _figure())])
    line, figure, caption = _line(), _figure(), "Latest figures"
    if change == "figure":
        figure = _figure(48.0, rag=Rag.RED)
    elif change == "title":
        line = _line(title="Care leavers in education, employment or training")
    elif change == "caption":
        caption = "Evidence"
    elif change == "council":
        g.council = SimpleNamespace(slug="staffordshire", locale="en_GB")
    elif change == "limit":
        app.config["SMALL_NUMBER_THRESHOLD"] = 10
    if change == "locale":
        with force_locale("cy"):
            again = _table([(line, figure)], caption)
    else:
        again = _table([(line, figure)], caption)
    assert council_page.misses == 2 and council_page.hits == 0
    if change in ("figure", "title", "caption", "council"):
        assert again != first
    if change == "council":
        assert "/staffordshire/indicators/care-leavers-in-work" in again


def test_with_the_memos_off_every_table_is_written_afresh(make_app: Any) -> None:
    app = make_app(config={"LARGE_MARKUP_ENTRIES": 0})
    with app.test_request_context("/"):
        g.council = SimpleNamespace(slug="herefordshire", locale="en_GB")
        figures = [(_line(), _figure())]
        assert _table(figures) == _table(figures)
        memo = keyed_memo(tables.LATEST_EXTENSION)
        assert memo.hits == 0 and not memo.entries
