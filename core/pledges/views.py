"""Pages for a council's pledges or promises and their actions."""

from __future__ import annotations

from flask import Response, g, render_template

from core.councils.scoping import council_blueprint
from core.downloads import download
from core.page_cache import cache_pages
from core.pledges.plan_file import plan_file
from core.pledges.services import latest_updates, pledge_or_404, pledges_of
from core.pledges.status import roll_up_for

pledge_pages = cache_pages(council_blueprint("pledges", __name__, "/pledges"))


@pledge_pages.get("")
def index() -> str:
    pledges = pledges_of(g.council)
    declared = g.council.pledges_declared or 0
    roll_up = roll_up_for(g.council)
    return render_template(
        "pledges/index.html", council=g.council, pledges=pledges, today=roll_up.today,
        roll_up=roll_up, unrecorded=max(declared - len(pledges), 0))


@pledge_pages.get("/<key>")
def show(key: str) -> str:
    pledge = pledge_or_404(g.council, key)
    roll_up = roll_up_for(g.council)
    return render_template(
        "pledges/show.html", council=g.council, pledge=pledge, today=roll_up.today,
        roll_up=roll_up, updates=latest_updates(g.council, pledge.actions))


@pledge_pages.get("/action-plan.<any(csv, xlsx):kind>")
def plan(kind: str) -> Response:
    """The whole action plan as a CSV file or an Excel workbook."""
    found = plan_file(g.council, kind)
    return download(found.body, found.mimetype, found.filename)
