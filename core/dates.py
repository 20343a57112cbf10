"""Dates and times in the words of the page's locale, each formatted once.

Flask-Babel's ``format_date`` and ``format_datetime`` look up the locale and timezone and
parse the pattern on every call; a membership page shows two dates for each of its
members, and that was a tenth of its render time. A day's (or a moment's) words in a locale
and timezone never change, so they are kept (bounded). Flask-Babel's own functions remain
for anything else (a date and time passed to ``format_date`` goes through it).
"""

from __future__ import annotations

import datetime as dt
import functools

from babel import dates
from flask import Flask, g
from flask_babel import format_date as babel_format_date
from flask_babel import get_timezone

from core.translations import page_locale_name

#: How many (day, pattern, locale) each worker keeps.
KEPT = 8192


def today() -> dt.date:
    """Today, by the server's clock: the day kept pages are keyed by (:mod:`core.page_cache`).
    A page that says what is past or still to come decides by this day, never by the time of
    day, so that a page kept in the morning says what a fresh one would say that evening."""
    return dt.date.today()


@functools.lru_cache(maxsize=KEPT)
def _words(day: dt.date, pattern: str, locale: str) -> str:
    return dates.format_date(day, pattern, locale=locale)


def format_date(value: dt.date | None = None, format: str = "medium") -> str:
    """``value`` in the current locale, as Flask-Babel's ``format_date`` (``format``: a
    Babel pattern, or short, medium, long or full)."""
    if value is None or isinstance(value, dt.datetime):
        return babel_format_date(value, format)
    return _words(value, format, page_locale_name())


@functools.lru_cache(maxsize=KEPT)
def _moment_words(moment: dt.datetime, pattern: str, locale: str, zone: str) -> str:
    return dates.format_datetime(moment, pattern, tzinfo=dates.get_timezone(zone),
                                 locale=locale)


def format_datetime(value: dt.datetime, format: str = "medium") -> str:
    """``value`` in the current locale and the user's timezone, as Flask-Babel's
    ``format_datetime``."""
    if value.tzinfo is None:  # as Flask-Babel: a naive value is in UTC
        value = value.replace(tzinfo=dt.UTC)
    return _moment_words(value, format, page_locale_name(), zone_name())


def zone_name() -> str:
    """The name of the request's timezone: the one Flask-Babel chose, read where it keeps it
    (``g._flask_babel.babel_tzinfo``) once chosen, rather than through
    :func:`flask_babel.get_timezone`'s lookup of its context (a page of meetings asks once
    a meeting)."""
    try:
        chosen = vars(g._get_current_object()).get("_flask_babel")  # type: ignore[attr-defined]
    except RuntimeError:  # outside an app context
        chosen = None
    return str(getattr(chosen, "babel_tzinfo", None) or get_timezone())


#: How the pages write a day ("3 December 2026"), and a meeting's day and time ("Thursday
#: 3 December 2026, 18:00"), as Babel patterns.
DAY = "d MMMM yyyy"
MOMENT = "EEEE d MMMM yyyy, HH:mm"


def day_words(value: dt.date | None) -> str:
    """``value`` as the pages write a day, in the current locale (the template global
    behind ``macros.html``'s ``date``; ``None`` is today, as Babel has it)."""
    return format_date(value, DAY)


def moment_words(value: dt.datetime) -> str:
    """``value`` as the pages write a meeting's day and time, in the current locale and the
    user's timezone (the template global behind ``meetings/_macros.html``'s ``when``)."""
    return format_datetime(value, MOMENT)


def install_page_dates(app: Flask) -> None:
    """Make ``app``'s ``dateformat`` and ``datetimeformat`` filters these (after
    Flask-Babel's ``init_app``), and give its templates :func:`day_words` and
    :func:`moment_words`."""
    app.jinja_env.filters["dateformat"] = format_date
    app.jinja_env.filters["datetimeformat"] = format_datetime
    app.jinja_env.globals.update(day_words=day_words, moment_words=moment_words)
