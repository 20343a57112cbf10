"""Pages for a council's pledges or promises and their actions."""

from __future__ import annotations

from flask import Response, g, render_template

from core import row_reads
from core.charts.service import svg_response
from core.councils.scoping import council_blueprint
from core.downloads import download
from core.indicators.rag import council_rag_rule
from core.indicators.reads import evidence_of, evidence_read, public_figure
from core.page_cache import cache_pages
from core.pledges.history import (
    progress_chart,
    progress_history,
    progress_history_read,
    progress_text,
)
from core.pledges.plan_file import plan_file
from core.pledges.reads import (
    carded_today,
    pledge_card,
    pledge_card_read,
    pledge_page_card,
    pledge_page_card_read,
    pledge_plans,
)
from core.pledges.status import roll_up_for
from core.translations import gettext as _

pledge_pages = cache_pages(council_blueprint("pledges", __name__, "/pledges"))


@pledge_pages.get("")
def index() -> str:
    pledges = pledge_plans(g.council)
    declared = g.council.pledges_declared or 0
    roll_up = roll_up_for(g.council)
    return render_template(
        "pledges/index.html", council=g.council, pledges=pledges, today=roll_up.today,
        roll_up=roll_up, unrecorded=max(declared - len(pledges), 0))


@pledge_pages.get("/<key>")
def show(key: str) -> str:
    council, roll_up = g.council, roll_up_for(g.council)
    # the months' counts are read by the pledge's key, so sent with the rest (a pledge
    # without actions shows none, and leaves them unread)
    with row_reads.together(pledge_page_card_read(council, key), evidence_read(council, key),
                            progress_history_read(council, roll_up, key, stored_only=True)):
        (pledge, updates), card = pledge_page_card(council, key), evidence_of(council, key)
        history = progress_history(council, roll_up, key,
                                   today_from=carded_today(pledge.actions)
                                   ) if pledge.actions else None
    subject = _("%(pledge)s %(number)d", pledge=council.word("pledge"), number=pledge.number)
    rule = council_rag_rule(council)
    evidence = [(line, public_figure(line, line.latest, rule) if line.latest else None)
                for line in card]
    return render_template(
        "pledges/show.html", council=council, pledge=pledge, today=roll_up.today,
        roll_up=roll_up, updates=updates, evidence=evidence,
        progress=progress_text(history, subject) if history is not None else None)


@pledge_pages.get("/action-plan.<any(csv, xlsx):kind>")
def plan(kind: str) -> Response:
    """The whole action plan as a CSV file or an Excel workbook."""
    found = plan_file(g.council, kind)
    return download(found.body, found.mimetype, found.filename)


@pledge_pages.get("/<key>/progress.svg")
def progress_svg(key: str) -> Response:
    """The pledge's actions' progress over the last months, as a chart."""
    council, roll_up = g.council, roll_up_for(g.council)
    with row_reads.together(pledge_card_read(council, key),
                            progress_history_read(council, roll_up, key)):
        pledge = pledge_card(council, key)
        history = progress_history(council, roll_up, key)
    return svg_response(progress_chart(history, _(
        "Progress of %(pledge)s %(number)d", pledge=g.council.word("pledge"),
        number=pledge.number)))
