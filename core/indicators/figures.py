"""The rules a figure must meet, whether typed in the admin or imported from a file.

:func:`check_figure` is the one check: it takes the values as typed (text, or numbers and
dates from a spreadsheet) and gives either the clean values or the problems, each naming
its field, so that the form shows each field's own error and an import names the row and
column.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from core.translations import gettext as _

#: Every field of a figure, in the order of the import file's columns, with the column's
#: header.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("indicator", "indicator"),
    ("period_end", "period_end"),
    ("value", "value"),
    ("numerator", "numerator"),
    ("denominator", "denominator"),
    ("target", "target"),
    ("england", "england"),
    ("region", "region"),
    ("neighbours", "statistical_neighbours"),
    ("note", "note"),
)
#: The fields every row must give.
REQUIRED_COLUMNS = ("indicator", "period_end")
#: A percentage typed beside its numerator and denominator may differ from theirs by this
#: much (rounding).
PERCENT_TOLERANCE = 0.05
NOTE_LENGTH = 1000


@dataclass(frozen=True)
class FigureValues:
    """A figure's values, checked."""

    period_end: dt.date
    value: float
    numerator: int | None
    denominator: int | None
    target: float | None
    england: float | None
    region: float | None
    neighbours: float | None
    note: str | None


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        value = float(str(raw).strip().replace(",", "").removesuffix("%"))
    if not math.isfinite(value):
        raise ValueError
    return value


def _whole(raw: Any) -> int:
    value = _number(raw)
    if value != int(value):
        raise ValueError
    return int(value)


def parse_day(raw: Any) -> dt.date:
    """A day given as a date, or as text ``YYYY-MM-DD`` or ``DD/MM/YYYY``."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def check_figure(unit: str | None, raw: dict[str, Any]
                 ) -> tuple[FigureValues | None, dict[str, str]]:
    """The figure's values from ``raw`` (by field name), or the problems by field name.

    A percentage needs its numerator and denominator (the children counted and the
    children it is a share of), so that a small base can be withheld in public; its value
    is worked out from them when left blank. Other units need their value. Every number
    is 0 or more, a percentage at most 100.
    """
    problems: dict[str, str] = {}
    numbers: dict[str, float | None] = {}
    wholes: dict[str, int | None] = {}
    period_end = None
    if _blank(raw.get("period_end")):
        problems["period_end"] = _("Enter the last day of the period, like 2025-03-31")
    else:
        try:
            period_end = parse_day(raw["period_end"])
        except ValueError:
            problems["period_end"] = _("Give the last day of the period as a date, like "
                                       "2025-03-31")
    for name in ("numerator", "denominator"):
        wholes[name] = None
        if not _blank(raw.get(name)):
            try:
                wholes[name] = _whole(raw[name])
                if wholes[name] < 0:  # type: ignore[operator]
                    raise ValueError
            except ValueError:
                problems[name] = _("Give a whole number of children, 0 or more")
    for name in ("value", "target", "england", "region", "neighbours"):
        numbers[name] = None
        if not _blank(raw.get(name)):
            try:
                numbers[name] = _number(raw[name])
            except ValueError:
                problems[name] = _("Give a number, like 12 or 71.5")
                continue
            if numbers[name] < 0:  # type: ignore[operator]
                problems[name] = _("Give a number of 0 or more")
            elif unit == "percentage" and numbers[name] > 100:  # type: ignore[operator]
                problems[name] = _("Give a percentage of 100 or less")
            elif unit == "count" and name == "value" and numbers[name] != int(numbers[name]):  # type: ignore[arg-type]
                problems[name] = _("Give a whole number of children")
    value = numbers["value"]
    numerator, denominator = wholes["numerator"], wholes["denominator"]
    if unit == "percentage" and "numerator" not in problems and "denominator" not in problems:
        if numerator is None:
            problems["numerator"] = _("Enter how many children the percentage counts")
        if denominator is None:
            problems["denominator"] = _("Enter how many children the percentage is of")
        elif denominator == 0:
            problems["denominator"] = _("Give a number of children of 1 or more")
        elif numerator is not None and numerator > denominator:
            problems["numerator"] = _("Give a number no bigger than the denominator")
        elif numerator is not None and "value" not in problems:
            worked_out = round(100 * numerator / denominator, 1)
            if value is None:
                value = worked_out
            elif abs(value - 100 * numerator / denominator) > PERCENT_TOLERANCE + 1e-9:
                problems["value"] = _("%(value)s does not match %(numerator)d of "
                                      "%(denominator)d (%(worked_out)s%%): correct one or "
                                      "leave the value blank",
                                      value=raw["value"], numerator=numerator,
                                      denominator=denominator, worked_out=worked_out)
    elif value is None and "value" not in problems:
        problems["value"] = _("Enter the figure")
    note = None if _blank(raw.get("note")) else str(raw["note"]).strip()
    if note and len(note) > NOTE_LENGTH:
        problems["note"] = _("Keep the note to %(count)d characters", count=NOTE_LENGTH)
    if problems or period_end is None or value is None:
        return None, problems
    return FigureValues(period_end, value, numerator, denominator, numbers["target"],
                        numbers["england"], numbers["region"], numbers["neighbours"],
                        note), {}
