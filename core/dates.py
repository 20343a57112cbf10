"""Dates in the words of the page's locale, each (day, pattern, locale) formatted once.

Flask-Babel's ``format_date`` looks up the locale and parses the pattern on every call; a
membership page shows two dates for each of its members, and that was a tenth of its
render time. A day's words in a locale never change, so they are kept (bounded). Date
and time values go on through Flask-Babel, which moves them to the user's timezone.
"""

from __future__ import annotations

import datetime as dt
import functools

from babel import dates
from flask import Flask
from flask_babel import format_date as babel_format_date
from flask_babel import get_locale

#: How many (day, pattern, locale) each worker keeps.
KEPT = 8192


@functools.lru_cache(maxsize=KEPT)
def _words(day: dt.date, pattern: str, locale: str) -> str:
    return dates.format_date(day, pattern, locale=locale)


def format_date(value: dt.date | None = None, format: str = "medium") -> str:
    """``value`` in the current locale, as Flask-Babel's ``format_date`` (``format``: a
    Babel pattern, or short, medium, long or full)."""
    if value is None or isinstance(value, dt.datetime):
        return babel_format_date(value, format)
    return _words(value, format, str(get_locale()))


def install_page_dates(app: Flask) -> None:
    """Make ``app``'s ``dateformat`` filter this one (after Flask-Babel's ``init_app``)."""
    app.jinja_env.filters["dateformat"] = format_date
