"""The home page and each council's overview and content-check pages."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, g, render_template

from core import row_reads
from core.charts.service import svg_response
from core.checks import council_findings
from core.councils.scoping import council_blueprint
from core.councils.services import council_links
from core.page_cache import cache_directory_pages, cache_pages
from core.panels.services import panel_lines, panel_lines_read
from core.pledges.history import progress_chart, progress_history, progress_text
from core.pledges.reads import pledge_tallies, pledge_tallies_read
from core.pledges.status import roll_up_for
from core.reviews.services import review_cycles_of, review_cycles_read
from core.strategy.services import strategy_headings, strategy_headings_read
from core.translations import gettext as _

home = cache_directory_pages(Blueprint("home", __name__, template_folder="templates"))
council_pages = cache_pages(council_blueprint("councils", __name__))


@home.get("/")
def index() -> str:
    return render_template("councils/index.html", councils=council_links())


@council_pages.get("/")
def overview() -> str:
    council, today = g.council, dt.date.today()
    roll_up = roll_up_for(council, today)
    with row_reads.together(pledge_tallies_read(council), review_cycles_read(council),
                            strategy_headings_read(council), panel_lines_read(council)):
        pledges, cycles = pledge_tallies(council), review_cycles_of(council)
        strategy, priorities = strategy_headings(council)
        panels = panel_lines(council)
    return render_template(
        "councils/overview.html",
        council=council,
        strategy=strategy,
        priorities=priorities,
        pledges=pledges,
        today=today,
        roll_up=roll_up,
        panels=panels,
        review_cycles=cycles,
        findings=council_findings(council, today, review_cycles=cycles,
                                  pledges_recorded=len(pledges)),
    )


@council_pages.get("/progress")
def progress() -> str:
    """The action plan's progress over the last months: how many of the council's live
    actions were complete, on track, at risk, off track, past due or not started at the end
    of each month and today, as a chart (:func:`progress_svg`) with its words and table.
    A page of its own, linked from the overview, which then reads only what it shows. The
    history is read as the chart reads it, today's counts made in the database (two
    statements at most, whatever the number of actions). A council with no action counted
    in any of those months is told so, without a chart."""
    history = progress_history(g.council, roll_up_for(g.council))
    return render_template(
        "councils/progress.html", council=g.council,
        progress=(progress_text(history, _("the action plan"))
                  if any(month.total for month in history) else None))


@council_pages.get("/progress.svg")
def progress_svg() -> Response:
    """The action plan's progress over the last months, as a chart (the image of the
    progress page, :func:`progress`)."""
    history = progress_history(g.council, roll_up_for(g.council))
    return svg_response(progress_chart(history, _("Progress of the action plan")))


@council_pages.get("/colour.css")
def colour() -> Response:
    """The council's colour for its pages' header (a stylesheet, so that the pages need no
    inline style under the content security policy). Its URL carries the colour, so browsers
    may keep it."""
    css = f".app-header {{ --council-colour: {g.council.colour}; }}\n"
    return Response(css, mimetype="text/css",
                    headers={"Cache-Control": "public, max-age=31536000, immutable"})


@council_pages.get("/checks")
def checks() -> str:
    return render_template("councils/checks.html", council=g.council,
                           findings=council_findings(g.council))
