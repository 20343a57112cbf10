"""bench/plans.py: each statement of a page explained on PostgreSQL, sequential scans over
more rows than asked listed."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask

from bench.plans import plans
from core.bench import demo

#: Two councils: every table is small, so PostgreSQL reads most of them sequentially.
SMALL = 0.013
PAGES = ["dashboard", "API actions", "admin meeting"]


def test_lists_the_sequential_scans_over_the_rows_given(
        make_app: Callable[..., Flask], capsys: pytest.CaptureFixture[str]) -> None:
    app = make_app({})
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if not url.startswith("postgresql"):
        pytest.skip("plans are PostgreSQL's")
    with app.app_context():
        demo.load_demo(SMALL)
    assert plans(url, PAGES, rows=0, slower_than=1e9) > 0
    listed = capsys.readouterr().out
    # which tables a small database is read sequentially from is the planner's choice
    assert re.search(r"; sequential: \w+ \(\d+ rows\)", listed), listed
    assert "dashboard: executed" in listed
    assert plans(url, PAGES, rows=10**9, slower_than=1e9) == 0
    assert capsys.readouterr().out == ""


def test_refuses_sqlite() -> None:
    with pytest.raises(SystemExit, match="PostgreSQL"):
        plans("sqlite:///nowhere.sqlite3", PAGES, rows=0, slower_than=0)
