"""Attendance statistics for a municipal year: per member and per seat, read in one
aggregate statement.

The municipal year runs from the annual meeting in May to the next (DOMAIN.md: "May to May;
panels are re-appointed after elections"); it is counted here from 1 May to 30 April, by
the meetings' local dates. Cancelled meetings are left out. Each recorded status counts:
present, apologies, substitute (someone came in the member's place) and absent; a meeting
with nothing recorded for a member counts for none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from core import row_reads
from core.meetings.models import Attendance, AttendanceStatus, Meeting
from core.meetings.services import as_utc, local_datetime
from core.models import Council, Membership, Panel, Person, Seat
from core.panels.reads import PANEL_BY_KEY, NamedPanel, panel_params

#: The month the municipal year starts in (on its first day).
YEAR_STARTS_MONTH = 5
#: The earliest year a page may ask for.
EARLIEST_YEAR = 2000


@dataclass(frozen=True)
class MunicipalYear:
    """The municipal year that starts on 1 May of ``start_year``."""

    start_year: int

    @classmethod
    def containing(cls, day: dt.date) -> MunicipalYear:
        """The municipal year ``day`` falls in."""
        return cls(day.year if day.month >= YEAR_STARTS_MONTH else day.year - 1)

    @property
    def first_day(self) -> dt.date:
        """1 May of its first calendar year."""
        return dt.date(self.start_year, YEAR_STARTS_MONTH, 1)

    @property
    def last_day(self) -> dt.date:
        """30 April of its second calendar year."""
        return dt.date(self.start_year + 1, YEAR_STARTS_MONTH, 1) - dt.timedelta(days=1)

    @property
    def previous(self) -> MunicipalYear:
        """The year before."""
        return MunicipalYear(self.start_year - 1)

    @property
    def following(self) -> MunicipalYear:
        """The year after."""
        return MunicipalYear(self.start_year + 1)

    @property
    def label(self) -> str:
        """As councils write it: "2025/26"."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """From the local start of its first day (included) to that of the next year's
        (excluded), in UTC."""
        after = dt.date(self.start_year + 1, YEAR_STARTS_MONTH, 1)
        return (as_utc(local_datetime(self.first_day, dt.time())),
                as_utc(local_datetime(after, dt.time())))


def year_asked(value: str | None, today: dt.date) -> MunicipalYear:
    """The municipal year a page's ``?year=`` asks for (its first calendar year), or the
    current one when it asks for none, or for one not yet begun or too long ago."""
    current = MunicipalYear.containing(today)
    if value and value.isdigit() and EARLIEST_YEAR <= int(value) <= current.start_year:
        return MunicipalYear(int(value))
    return current


#: The statuses a count is kept of (each a field of :class:`Counts`).
_STATUSES = frozenset(status.value for status in AttendanceStatus)


@dataclass
class Counts:
    """How many meetings of the year a member (or a seat's members) was recorded at, by
    status."""

    present: int = 0
    apologies: int = 0
    substitute: int = 0
    absent: int = 0

    def add(self, status: str, number: int) -> None:
        """Count ``number`` more meetings at ``status`` (an unknown status counts for none)."""
        if status in _STATUSES:
            setattr(self, status, getattr(self, status) + number)

    def add_all(self, other: Counts) -> None:
        """Add ``other``'s counts to these."""
        self.present += other.present
        self.apologies += other.apologies
        self.substitute += other.substitute
        self.absent += other.absent

    def values(self) -> tuple[int, int, int, int]:
        """Present, apologies, substitute, absent: the columns of the tables."""
        return (self.present, self.apologies, self.substitute, self.absent)

    @property
    def recorded(self) -> int:
        """Meetings with a status recorded."""
        return self.present + self.apologies + self.substitute + self.absent


@dataclass
class MemberLine:
    """One membership's attendance in the year."""

    membership_id: int
    person_id: int
    name: str
    seat_id: int
    role: str
    young_people: bool
    panel_key: str
    panel_name: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class SeatLine:
    """A seat's attendance in the year: its members' counts added up."""

    seat_id: int
    role: str
    young_people: bool
    panel_key: str
    panel_name: str
    members: list[MemberLine] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


def _counted(counts: Counts) -> list[dict[str, str]]:
    return [{"text": str(value), "format": "numeric"} for value in counts.values()]


@dataclass(frozen=True, eq=False)
class CountsTable:
    """A table of attendance counts as :func:`core.widgets.kept_figures` keeps it: its
    caption and headings, ``lines`` (what its rows show: names, roles and counts, as
    tuples) and the function making its rows."""

    caption: str
    head: list[dict[str, str]]
    lines: tuple[Any, ...]
    rows: Callable[[], list[list[dict[str, str]]]]

    def key(self) -> tuple[Any, ...]:
        """The caption, the headings and the lines: everything the table shows."""
        return (self.caption, tuple([tuple(cell.items()) for cell in self.head]), self.lines)

    def govuk(self) -> dict[str, Any]:
        """The GOV.UK table's parameters."""
        return {"caption": self.caption, "captionClasses": "govuk-table__caption--s",
                "head": self.head, "rows": self.rows()}


@dataclass
class YearStatistics:
    """A municipal year's attendance, per member and per seat, in seat order."""

    year: MunicipalYear
    members: list[MemberLine]
    seats: list[SeatLine]

    def member_rows(self, by_panel: bool = False) -> list[list[dict[str, str]]]:
        """The rows of the GOV.UK table per member: the name (or, ``by_panel``, the
        panel's), the seat, then the counts."""
        return [[{"text": line.panel_name if by_panel else line.name}, {"text": line.role},
                 *_counted(line.counts)] for line in self.members]

    def member_table(self, caption: str, head: list[dict[str, str]],
                     by_panel: bool = False) -> CountsTable:
        """The table per member (:meth:`member_rows`) with ``caption`` and ``head``, for
        :func:`core.widgets.kept_figures`."""
        key = tuple([(line.panel_name if by_panel else line.name, line.role,
                      line.counts.values()) for line in self.members])
        return CountsTable(caption, head, key, lambda: self.member_rows(by_panel))

    def seat_table(self, caption: str, head: list[dict[str, str]],
                   name_members: bool = False) -> CountsTable:
        """The table per seat (:meth:`seat_rows`) with ``caption`` and ``head``, for
        :func:`core.widgets.kept_figures`."""
        key = tuple([(seat.role, seat.counts.values(),
                      tuple([(line.name, line.counts.values()) for line in seat.members])
                      if name_members and not seat.young_people else None)
                     for seat in self.seats])
        return CountsTable(caption, head, key, lambda: self.seat_rows(name_members))

    def seat_rows(self, name_members: bool = False) -> list[list[dict[str, str]]]:
        """The rows of the GOV.UK table per seat, each with its counts; with
        ``name_members``, each seat's members under it, but never a young people's seat's."""
        rows = []
        for seat in self.seats:
            rows.append([{"text": seat.role, "classes": "govuk-!-font-weight-bold"},
                         *_counted(seat.counts)])
            if name_members and not seat.young_people:
                rows.extend([{"text": line.name, "classes": "govuk-!-padding-left-6"},
                             *_counted(line.counts)] for line in seat.members)
        return rows


def _statistics(*criteria: Any, of_members: bool = False) -> Select[Any]:
    """Each member's attendance at the council's meetings in a year (``council_id``,
    ``start``, ``end``) meeting ``criteria`` (on the meeting, or with ``of_members`` on the
    membership too), by status, with the member's seat and panel, in the panel's and
    seat's order.

    Counted first, then joined: the attendance of the year's meetings is grouped by
    membership and status (a few dozen groups), and only those groups are joined to the
    member, seat and panel (joined first, each of a year's records looked them up: on
    PostgreSQL 837 buffers for one panel's year, 0.40 ms). The attendance is scoped to the
    council by its meeting's: given the council's id for the attendance too (even as equal
    to the meeting's), SQLite's planner walked all of the council's attendance (every
    panel, every year) for one panel's year (176 µs; from the panel's meetings, 86)."""
    counted = (select(Attendance.membership_id, Attendance.status,
                      func.count(Attendance.id).label("meetings"))
               .join(Meeting, Attendance.meeting_id == Meeting.id))
    if of_members:
        counted = counted.join(Membership, Attendance.membership_id == Membership.id)
    counted = (counted
               .where(Meeting.council_id == bindparam("council_id"),
                      Meeting.cancelled.is_(False), Meeting.starts_at >= bindparam("start"),
                      Meeting.starts_at < bindparam("end"), *criteria)
               .group_by(Attendance.membership_id, Attendance.status)
               .subquery())
    return (select(Membership.id, Membership.person_id, Person.name,
                   Seat.id.label("seat_id"), Seat.role, Seat.young_people, Panel.key,
                   Panel.name.label("panel_name"), counted.c.status, counted.c.meetings)
            .select_from(counted)
            .join(Membership, counted.c.membership_id == Membership.id)
            .join(Person, Membership.person_id == Person.id)
            .join(Seat, Membership.seat_id == Seat.id)
            .join(Panel, Seat.panel_id == Panel.id)
            .order_by(Panel.position, Seat.position, Seat.id, Person.name, Membership.id,
                      counted.c.status))


#: Built once each: one panel's members, or one person's seats.
_OF_PANEL = _statistics(Meeting.panel_id == PANEL_BY_KEY)
_OF_PERSON = _statistics(Membership.person_id == bindparam("person_id"), of_members=True)


def _gather(year: MunicipalYear, rows: Iterable) -> YearStatistics:
    members: dict[int, MemberLine] = {}
    seats: dict[int, SeatLine] = {}
    # unpacked by position (the order of _COLUMNS): a row's named attribute is a call
    for (membership_id, person_id, name, seat_id, role, young_people, panel_key, panel_name,
         status, meetings) in rows:
        member = members.get(membership_id)
        if member is None:
            member = members[membership_id] = MemberLine(
                membership_id, person_id, name, seat_id, role, young_people, panel_key,
                panel_name)
            seat = seats.get(seat_id)
            if seat is None:
                seat = seats[seat_id] = SeatLine(seat_id, role, young_people, panel_key,
                                                 panel_name)
            seat.members.append(member)
        member.counts.add(status, meetings)
    for seat in seats.values():
        for member in seat.members:
            seat.counts.add_all(member.counts)
    return YearStatistics(year, list(members.values()), list(seats.values()))


def _params(council_id: int, year: MunicipalYear) -> dict[str, object]:
    start, end = year.bounds()
    return {"council_id": council_id, "start": start, "end": end}


def panel_statistics_read(panel: NamedPanel, year: MunicipalYear) -> row_reads.Read:
    """The statement :func:`panel_statistics` runs, for a page to send with others."""
    return row_reads.Read(_OF_PANEL, {**_params(panel.council_id, year),
                                      **panel_params(panel)})


def panel_statistics(panel: NamedPanel, year: MunicipalYear) -> YearStatistics:
    """Attendance at the panel's meetings in ``year``, per member and per seat (one
    statement)."""
    return _gather(year, row_reads.rows(*panel_statistics_read(panel, year)))


def person_statistics(council: Council, person: Person, year: MunicipalYear
                      ) -> YearStatistics:
    """The person's attendance in ``year`` in each seat they held, on every panel of the
    council (one statement)."""
    return _gather(year, row_reads.rows(
        _OF_PERSON, {**_params(council.id, year), "person_id": person.id}))
