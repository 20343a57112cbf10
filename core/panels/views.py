"""Pages for a council's panels or boards."""

from __future__ import annotations

from flask import Response, g, render_template

from core import row_reads
from core.attendance.statistics import MunicipalYear, panel_statistics, panel_statistics_read
from core.attendance.year_chart import (
    attendance_chart,
    attendance_words,
    year_attendance,
    year_attendance_read,
)
from core.charts.service import svg_response
from core.councils.scoping import council_blueprint
from core.dates import today as current_day
from core.meetings.services import meetings_around, meetings_around_read
from core.meetings.work_programme import planned_ahead, planned_ahead_read
from core.page_cache import cache_pages
from core.panels.membership import Holding, holdings_on, holdings_on_read
from core.panels.reads import (
    PanelKey,
    panel_name_or_404,
    panel_name_read,
    panel_record_or_404,
    panel_record_reads,
)
from core.panels.services import panel_headings
from core.translations import gettext as _

panel_pages = cache_pages(council_blueprint("panels", __name__, "/panels"))


@panel_pages.get("")
def index() -> str:
    return render_template("panels/index.html", council=g.council,
                           panels=panel_headings(g.council))


@panel_pages.get("/<key>")
def show(key: str) -> str:
    """The panel's terms, its seats with who holds them today, its meetings and its
    forward work programme, with a link to its attendance over the municipal year
    (:func:`attendance`): what is past and what is to come decided by the day
    (:func:`current_day`), as the page cache keeps the page for the day."""
    today, named = current_day(), PanelKey(g.council.id, key)
    holders: dict[int, list[Holding]] = {}
    with row_reads.together(*panel_record_reads(g.council, key),
                            holdings_on_read(named, today), meetings_around_read(named, today),
                            planned_ahead_read(named, today)):
        panel = panel_record_or_404(g.council, key)
        for holding in holdings_on(panel, today):
            holders.setdefault(holding.seat_id, []).append(holding)
        upcoming, past = meetings_around(panel, today)
        planned = planned_ahead(panel, today)
    return render_template("panels/show.html", council=g.council, panel=panel,
                           holders=holders, upcoming=upcoming, past=past, planned=planned,
                           year=MunicipalYear.containing(today))


@panel_pages.get("/<key>/attendance")
def attendance(key: str) -> str:
    """Attendance at the panel's meetings over the municipal year so far: a chart of each
    meeting held before today, its words and table, and each seat's attendance (members
    named, young people's seats as totals). A page of its own, as councils' committee
    pages keep a committee's attendance apart from its terms and meetings: an address
    that reports can link to, and a panel's page that reads only what it shows."""
    today, named = current_day(), PanelKey(g.council.id, key)
    year = MunicipalYear.containing(today)
    with row_reads.together(panel_name_read(g.council, key),
                            year_attendance_read(named, year, today),
                            panel_statistics_read(named, year)):
        panel = panel_name_or_404(g.council, key)
        held = year_attendance(panel, year, today)
        statistics = panel_statistics(panel, year)
    return render_template("panels/attendance.html", council=g.council, panel=panel,
                           statistics=statistics,
                           attendance=attendance_words(held, panel.name))


@panel_pages.get("/<key>/attendance.svg")
def attendance_svg(key: str) -> Response:
    """Attendance at each meeting of the municipal year held before today, as a stacked bar
    chart."""
    panel = panel_name_or_404(g.council, key)
    today = current_day()
    year = MunicipalYear.containing(today)
    return svg_response(attendance_chart(year_attendance(panel, year, today), _(
        "Attendance at %(panel)s, municipal year %(year)s", panel=panel.name,
        year=year.label)))
