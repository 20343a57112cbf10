"""Dates formatted once per day, pattern and locale: the same words as Flask-Babel's."""

from __future__ import annotations

import datetime as dt

import flask_babel
import pytest
from flask import Flask, render_template_string
from flask_babel import force_locale
from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime

from core.dates import _words, format_date, format_datetime


def test_the_same_words_as_flask_babel(app: Flask) -> None:
    day = dt.date(2026, 3, 27)
    moment = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)  # 2 July in London (BST)
    with app.test_request_context("/"):
        for pattern in ("d MMMM yyyy", "long", "EEEE d MMMM yyyy"):
            assert format_date(day, pattern) == babel_format_date(day, pattern)
        assert format_date(moment, "d MMMM yyyy") == babel_format_date(moment, "d MMMM yyyy")
        assert format_date(moment, "d MMMM yyyy") == "2 July 2026"
        assert render_template_string('{{ day | dateformat("d MMMM yyyy") }}',
                                      day=day) == "27 March 2026"


def test_each_locale_keeps_its_own_words(app: Flask) -> None:
    day = dt.date(2026, 1, 5)
    with app.test_request_context("/"):
        before = _words.cache_info().hits
        assert format_date(day, "d MMMM yyyy") == "5 January 2026"
        assert format_date(day, "d MMMM yyyy") == "5 January 2026"
        assert _words.cache_info().hits > before
        with force_locale("cy"):
            assert format_date(day, "d MMMM yyyy") == "5 Ionawr 2026"


def test_moments_in_the_users_timezone_as_flask_babel(app: Flask) -> None:
    summer = dt.datetime(2026, 7, 1, 17, 0, tzinfo=dt.UTC)
    naive_winter = dt.datetime(2026, 1, 14, 18, 0)  # naive: UTC, as Flask-Babel takes it
    with app.test_request_context("/"):
        for moment in (summer, naive_winter):
            for pattern in ("EEEE d MMMM yyyy, HH:mm", "d MMM yyyy HH:mm", "medium"):
                assert format_datetime(moment, pattern) == babel_format_datetime(moment,
                                                                                 pattern)
        assert format_datetime(summer, "HH:mm") == "18:00"  # British Summer Time
        assert render_template_string('{{ m | datetimeformat("HH:mm") }}',
                                      m=naive_winter) == "18:00"


def test_moments_in_a_timezone_a_deployment_chooses(app: Flask,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The zone Flask-Babel chose for the request is read where it keeps it: chosen once,
    it stands until :func:`flask_babel.refresh` (a user's setting saved mid-request)."""
    babel = app.extensions["babel"]
    monkeypatch.setattr(babel, "timezone_selector", lambda: "Asia/Tokyo")
    summer = dt.datetime(2026, 7, 1, 17, 0, tzinfo=dt.UTC)
    with app.test_request_context("/"):
        assert format_datetime(summer, "HH:mm") == "02:00"
        monkeypatch.setattr(babel, "timezone_selector", lambda: "UTC")
        assert format_datetime(summer, "HH:mm") == "02:00"  # the request's, as chosen
        flask_babel.refresh()
        assert format_datetime(summer, "HH:mm") == "17:00"


def test_the_templates_date_and_when_are_the_pages_patterns_in_each_locale(app: Flask) -> None:
    """``macros.html``'s ``date`` and ``meetings/_macros.html``'s ``when`` (plain functions,
    no longer macros) write what the filters with the pages' patterns write, escaped alike,
    in English and in Welsh."""
    day = dt.date(2026, 3, 27)
    moment = dt.datetime(2026, 7, 1, 17, 0, tzinfo=dt.UTC)
    pieces = ('{% from "macros.html" import date %}'
              '{% from "meetings/_macros.html" import when %}'
              '{{ date(day) }}|{{ when(moment) }}|{{ _("On %(day)s", day=date(day)) }}')
    filters = ('{{ day | dateformat("d MMMM yyyy") }}|'
               '{{ moment | datetimeformat("EEEE d MMMM yyyy, HH:mm") }}|'
               '{{ _("On %(day)s", day=day | dateformat("d MMMM yyyy")) }}')
    with app.test_request_context("/"):
        english = render_template_string(pieces, day=day, moment=moment)
        assert english == render_template_string(filters, day=day, moment=moment)
        assert english.startswith("27 March 2026|Wednesday 1 July 2026, 18:00|")
        with force_locale("cy"):
            welsh = render_template_string(pieces, day=day, moment=moment)
            assert welsh == render_template_string(filters, day=day, moment=moment)
            assert welsh.startswith("27 Mawrth 2026|")
