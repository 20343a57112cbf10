"""Reading a due date or a recurrence out of the words an action plan uses for "when"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
#: Whole phrases that state an interval in months.
_EVERY = {
    "monthly": 1, "every month": 1, "quarterly": 3, "every quarter": 3,
    "annually": 12, "yearly": 12, "every year": 12,
}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
#: A verb that may lead the phrase: "Reviewed annually".
_LEAD = re.compile(r"^(?:reviewed|review|updated|reported|checked|monitored)\s+")
_EVERY_N = re.compile(r"every (\w+) (month|year)s?")
_N_MONTHLY = re.compile(r"(\w+)[- ]monthly")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
#: Words that name an interval two ways: "bi-annually" is used both for twice a year and
#: for every two years, "bi-monthly" for twice a month and every two months.
_AMBIGUOUS = re.compile(r"\bbi-?(?:annual|annually|monthly|weekly|yearly)\b")


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


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def parse_every_months(text: str) -> int | None:
    """The interval in months that ``text`` states, if its whole wording states one.

    "Reviewed annually" is 12, "every two years" 24, "six-monthly" 6. Anything less plain
    ("bi-annually", twice a year or every two years? "not annually") gives ``None``: the
    words are kept and nothing is guessed.
    """
    words = _LEAD.sub("", " ".join(text.lower().split()).rstrip("."))
    if words in _EVERY:
        return _EVERY[words]
    if match := _EVERY_N.fullmatch(words):
        count = _count(match[1])
        return None if count is None else count * (12 if match[2] == "year" else 1)
    if match := _N_MONTHLY.fullmatch(words):
        return _count(match[1])
    return None


def ambiguous_interval(text: str | None) -> bool:
    """Whether ``text`` words an interval in a way that reads two ways ("bi-annually")."""
    return bool(text and _AMBIGUOUS.search(text.lower()))


def parse_timeline(text: str) -> dict[str, Any]:
    """The mapping a :class:`~core.content.Timeline` loads from, read from its words."""
    data: dict[str, Any] = {"text": text}
    if due := parse_due(text):
        data["due"], data["due_precision"] = due[0].isoformat(), due[1]
    elif (months := parse_every_months(text)) is not None:
        data["every_months"] = months
    return data
