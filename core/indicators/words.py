"""How indicators' units, periods and figures are put into words on the pages."""

from __future__ import annotations

import datetime as dt
import functools

from babel.numbers import format_decimal

from core.dates import KEPT, day_words, format_date
from core.indicators.suppression import Shown, threshold
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.translations import page_locale_name

UNIT_LABELS = {"count": _l("Number of children"), "percentage": _l("Percentage"),
               "rate_per_10000": _l("Rate per 10,000 children")}
PERIOD_LABELS = {"month": _l("Monthly"), "quarter": _l("Quarterly"), "year": _l("Yearly")}


def unit_label(unit: str | None) -> str:
    """The unit in words ("Not stated" where the source does not say)."""
    return str(UNIT_LABELS[unit]) if unit in UNIT_LABELS else _("Not stated")


def period_label(period: str | None, period_end: dt.date) -> str:
    """The period ending on ``period_end`` in words: "year to March 2025", "quarter to June
    2025", "June 2025", or the day itself when the period is not stated."""
    month = format_date(period_end, "MMMM yyyy")
    if period == "year":
        return _("year to %(month)s", month=month)
    if period == "quarter":
        return _("quarter to %(month)s", month=month)
    if period == "month":
        return month
    return day_words(period_end)


def short_period_label(period: str | None, period_end: dt.date) -> str:
    """The period's end as a chart's axis names it: "Mar 2025" (the day too where the
    period is not stated)."""
    return format_date(period_end, "MMM yyyy" if period else "d MMM yyyy")


def number(value: float, unit: str | None = None) -> str:
    """``value`` in the page's locale: whole for a count, one decimal place otherwise, and
    a per cent sign for a percentage."""
    pattern = "#,##0" if unit in (None, "count") else "#,##0.0"
    text = _number_words(value, pattern, page_locale_name())
    return f"{text}%" if unit == "percentage" else text


@functools.lru_cache(maxsize=KEPT)
def _number_words(value: float, pattern: str, locale: str) -> str:
    """A figure in a locale, formatted once: Babel parses the pattern and looks the locale
    up on every call (about 10 µs), and a trend's table writes five figures a period."""
    return format_decimal(value, pattern, locale=locale)


def shown_text(shown: Shown, unit: str | None) -> str:
    """A figure as the public sees it: its number, "fewer than 5" for a small count, or
    "withheld (small number)" for a share of a small base, or "no figure"."""
    if shown.held_back == "fewer_than":
        return _("fewer than %(limit)d", limit=threshold())
    if shown.held_back == "withheld":
        return _("withheld (small number)")
    if shown.value is None:
        return _("no figure")
    return number(shown.value, unit)


def optional_number(value: float | None, unit: str | None) -> str:
    """A comparator or target, or a dash when there is none."""
    return "–" if value is None else number(value, unit)


def period_words(period: str | None) -> str:
    """How often the indicator is reported, or "Not stated"."""
    return str(PERIOD_LABELS[period]) if period in PERIOD_LABELS else _("Not stated")


def template_helpers() -> dict[str, object]:
    """What the indicator templates use to put figures into words."""
    return {"shown_text": shown_text, "period_label": period_label,
            "optional_number": optional_number, "unit_label": unit_label,
            "period_words": period_words, "small_number_limit": threshold}
