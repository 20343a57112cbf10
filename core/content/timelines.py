"""Reading a due date or a recurrence out of the words an action plan uses for "when"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_EVERY = {
    "monthly": 1,
    "every month": 1,
    "quarterly": 3,
    "every quarter": 3,
    "six-monthly": 6,
    "every six months": 6,
    "annually": 12,
    "yearly": 12,
    "every year": 12,
    "every two years": 24,
}
_EVERY_N_MONTHS = re.compile(r"\bevery (\d+) months\b")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def end_of_month(year: int, month: int) -> dt.date:
    """The last day of ``month`` in ``year``: the date by which "September 2025" is due."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_due(text: str) -> tuple[dt.date, str] | None:
    """A due date and its precision (``"day"`` or ``"month"``) read from ``text``, if any."""
    words = text.strip()
    if match := _MONTH_YEAR.match(words):
        month = _MONTHS.get(match[1].lower())
        if month:
            return end_of_month(int(match[2]), month), "month"
    if match := _ISO_MONTH.match(words):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return end_of_month(year, month), "month"
    if match := _DAY_MONTH_YEAR.match(words):
        month = _MONTHS.get(match[2].lower())
        if month:
            try:
                return dt.date(int(match[3]), month, int(match[1])), "day"
            except ValueError:
                return None
    try:
        return dt.date.fromisoformat(words), "day"
    except ValueError:
        return None


def parse_every_months(text: str) -> int | None:
    """The interval in months that ``text`` states ("Reviewed annually" is 12), if any."""
    words = text.strip().lower()
    if match := _EVERY_N_MONTHS.search(words):
        return int(match[1])
    for phrase, months in _EVERY.items():
        # Hyphens bind: "bi-annually" (twice a year, or every two years?) is not "annually".
        if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", words):
            return months
    return None


def parse_timeline(text: str) -> dict[str, Any]:
    """The mapping a :class:`~core.content.Timeline` loads from, read from its words."""
    data: dict[str, Any] = {"text": text}
    if due := parse_due(text):
        data["due"], data["due_precision"] = due[0].isoformat(), due[1]
    elif (months := parse_every_months(text)) is not None:
        data["every_months"] = months
    return data
