"""Attendance over a municipal year, meeting by meeting, as a chart with its words.

For each meeting of a panel in the year held before today (cancelled ones left out), how
many members were recorded present, sending apologies, sending a substitute, or absent:
counts only, read in one aggregate statement, so no one (and never a young person) is
named. The chart is drawn by the shared chart service (:mod:`core.charts.service`) as
stacked bars, each layer with its own fill pattern and its number printed on it; the
summary and the table beside it give the same figures in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, func, select

from core import row_reads
from core.attendance.statistics import Counts, MunicipalYear
from core.charts.service import ChartText, Series, Table, pattern_words, stacked_bar_chart
from core.dates import format_date
from core.dates import today as current_day
from core.meetings.models import Attendance, AttendanceStatus, Meeting
from core.meetings.services import LONDON, as_utc, local_datetime
from core.panels.reads import PANEL_BY_KEY, NamedPanel, panel_params
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.translations import ngettext, page_locale_name
from core.widgets import keyed_memo

#: The chart's layers, bottom up: the status, its words and its colour (each layer also has
#: its own pattern, :data:`core.charts.service.PATTERNS`, so colour is never all there is).
LAYERS: tuple[tuple[str, object, str], ...] = (
    (AttendanceStatus.PRESENT.value, _l("Present"), "#00703c"),
    (AttendanceStatus.SUBSTITUTE.value, _l("Substitute sent"), "#1d70b8"),
    (AttendanceStatus.APOLOGIES.value, _l("Apologies"), "#f47738"),
    (AttendanceStatus.ABSENT.value, _l("Absent"), "#d4351c"),
)

_BY_MEETING = (
    select(Meeting.id, Meeting.starts_at, Attendance.status,
           func.count(Attendance.id).label("members"))
    .outerjoin(Attendance, and_(Attendance.meeting_id == Meeting.id,
                                Attendance.council_id == bindparam("council_id")))
    .where(Meeting.council_id == bindparam("council_id"),
           Meeting.panel_id == PANEL_BY_KEY, Meeting.cancelled.is_(False),
           Meeting.starts_at >= bindparam("start"), Meeting.starts_at < bindparam("end"))
    .group_by(Meeting.id, Meeting.starts_at, Attendance.status)
    .order_by(Meeting.starts_at, Meeting.id)
)


@dataclass
class MeetingCounts:
    """How many members were recorded at one meeting, by status."""

    meeting_id: int
    day: dt.date
    counts: Counts = field(default_factory=Counts)


@dataclass
class YearAttendance:
    """Each meeting of the year held before today with its counts, earliest first."""

    year: MunicipalYear
    meetings: list[MeetingCounts]

    @property
    def totals(self) -> Counts:
        """The year's counts, all meetings added up."""
        total = Counts()
        for meeting in self.meetings:
            total.add_all(meeting.counts)
        return total


def year_attendance_read(panel: NamedPanel, year: MunicipalYear,
                         today: dt.date | None = None) -> row_reads.Read:
    """The statement :func:`year_attendance` runs, for a page to send with others."""
    start, end = year.bounds()
    end = min(end, as_utc(local_datetime(today or current_day(), dt.time())))
    return row_reads.Read(_BY_MEETING, {**panel_params(panel), "start": start, "end": end})


def year_attendance(panel: NamedPanel, year: MunicipalYear, today: dt.date | None = None
                    ) -> YearAttendance:
    """The panel's meetings of ``year`` held on a day before ``today`` (default:
    :func:`core.dates.today`), with their attendance counted by status (one statement).

    The day decides, not the time: a meeting is counted from the day after it, as the panel
    page lists it among past meetings (:func:`core.meetings.services.meetings_around`), so a
    page kept for the day (:mod:`core.page_cache`) says all day what a fresh one would."""
    meetings: dict[int, MeetingCounts] = {}
    for meeting_id, starts_at, status, members in row_reads.rows(
            *year_attendance_read(panel, year, today)):
        meeting = meetings.get(meeting_id)
        if meeting is None:
            day = as_utc(starts_at).astimezone(LONDON).date()
            meeting = meetings[meeting_id] = MeetingCounts(meeting_id, day)
        if status is not None:
            meeting.counts.add(status, members)
    return YearAttendance(year, list(meetings.values()))


def _label(meeting: MeetingCounts) -> str:
    return format_date(meeting.day, "d MMM yyyy")


def attendance_chart(attendance: YearAttendance, title: str) -> bytes:
    """The year's attendance as stacked bars, one per meeting (SVG)."""
    labels = [_label(m) for m in attendance.meetings]
    series = [Series(str(words), [getattr(m.counts, status) for m in attendance.meetings],
                     colour) for status, words, colour in LAYERS]
    return stacked_bar_chart(title, labels, series, _("Members"), patterns=True)


#: Where an app keeps its memo of a year's attendance in words, in ``app.extensions``.
TEXTS_EXTENSION = "cpt_attendance_texts"


def attendance_words(attendance: YearAttendance, panel_name: str) -> ChartText | None:
    """:func:`attendance_text`, or ``None`` before the year's first meeting is held (the
    pages then show no chart)."""
    return attendance_text(attendance, panel_name) if attendance.meetings else None


def attendance_text(attendance: YearAttendance, panel_name: str) -> ChartText:
    """The year's attendance in words: the alternative text, a summary, and the table of
    each meeting's counts. Kept by what it says (the locale, the panel's name, the year,
    and each meeting's day and counts) in a memo of the process
    (:func:`core.widgets.keyed_memo`), as the action plan's progress in words is. Shared
    by the pages that show it, so never changed by them."""
    key = (page_locale_name(), panel_name, attendance.year.label,
           tuple([(m.day, m.counts.present, m.counts.substitute, m.counts.apologies,
                   m.counts.absent) for m in attendance.meetings]))
    return keyed_memo(TEXTS_EXTENSION).get(key, lambda: _attendance_text(attendance,
                                                                         panel_name))


def _attendance_text(attendance: YearAttendance, panel_name: str) -> ChartText:
    """The year's attendance in words, written afresh (what :func:`attendance_text`
    keeps)."""
    totals = attendance.totals
    year = attendance.year.label
    summary = [" ".join((
        ngettext("%(num)d meeting of the municipal year %(year)s so far.",
                 "%(num)d meetings of the municipal year %(year)s so far.",
                 len(attendance.meetings), year=year),
        _("Members recorded across them: %(present)d present, %(substitute)d sent a "
          "substitute, %(apologies)d sent apologies and %(absent)d absent.",
          present=totals.present, substitute=totals.substitute,
          apologies=totals.apologies, absent=totals.absent)))]
    if totals.recorded:
        summary.append(_("Members were present at %(percent)d%% of the places recorded.",
                         percent=round(100 * totals.present / totals.recorded)))
    alt = _("Bar chart of attendance at each meeting of %(panel)s in the municipal year "
            "%(year)s: members present, sending a substitute, sending apologies and absent; "
            "the summary and the table below give its figures.", panel=panel_name, year=year)
    table = Table(
        caption=_("Members by attendance at each meeting, municipal year %(year)s", year=year),
        head=[_("Meeting"), *(str(words) for _s, words, _c in LAYERS), _("Total")],
        rows=[[_label(m), *(str(getattr(m.counts, status)) for status, _w, _c in LAYERS),
               str(m.counts.recorded)] for m in attendance.meetings])
    return ChartText(alt=alt, summary=summary, table=table,
                     key=pattern_words([str(words) for _s, words, _c in LAYERS]))
