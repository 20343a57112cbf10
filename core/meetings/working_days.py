"""Working days in a council's nation: no Saturday, Sunday or bank holiday.

Bank holidays come from the maintained ``holidays`` library (``holidays.UK`` with the
nation's subdivision: ``ENG`` for England, ``WLS`` for Wales), loaded on first use and kept
per nation and year.

The rule for a meeting date worked out from a cycle: a date that is not a working day moves
to the next working day (a Saturday to the Monday, Good Friday to the Tuesday after Easter
Monday). Moving forward, rather than to the nearest working day, keeps each meeting at
least as far from the one before as the cycle says and never earlier than the clerk asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

#: The ``holidays.UK`` subdivision of each nation a council may be in.
SUBDIVISIONS = {"england": "ENG", "wales": "WLS"}


@lru_cache(maxsize=64)
def bank_holidays(nation: str, year: int) -> dict[dt.date, str]:
    """The bank holidays of ``nation`` (``england`` or ``wales``) in ``year``, by date, with
    their names as the ``holidays`` library gives them."""
    import holidays  # loaded on first use

    subdivision = SUBDIVISIONS.get(nation)
    if subdivision is None:
        raise ValueError(f"No bank holidays known for the nation {nation!r}.")
    return dict(holidays.UK(subdiv=subdivision, years=year).items())


def bank_holiday(nation: str, day: dt.date) -> str | None:
    """The name of the bank holiday on ``day`` in ``nation``, or ``None``."""
    return bank_holidays(nation, day.year).get(day)


def is_working_day(nation: str, day: dt.date) -> bool:
    """Monday to Friday and not a bank holiday of ``nation``."""
    return day.weekday() < 5 and bank_holiday(nation, day) is None


@dataclass(frozen=True)
class Moved:
    """A date, and the date asked for when it was moved to a working day."""

    day: dt.date
    #: The date asked for, when it was not a working day.
    asked: dt.date | None = None
    #: The bank holiday the asked-for date fell on, if that is why it moved.
    holiday: str | None = None


def next_working_day(nation: str, day: dt.date) -> Moved:
    """``day`` if it is a working day of ``nation``, otherwise the next one, saying why."""
    if is_working_day(nation, day):
        return Moved(day)
    holiday = bank_holiday(nation, day)
    moved = day + dt.timedelta(days=1)
    while not is_working_day(nation, moved):
        moved += dt.timedelta(days=1)
    return Moved(moved, asked=day, holiday=holiday)
