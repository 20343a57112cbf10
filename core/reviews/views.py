"""A council's review cycles, with due and overdue marked."""

from __future__ import annotations

import datetime as dt

from flask import g, render_template

from core.councils.scoping import council_blueprint
from core.page_cache import cache_pages
from core.reviews.services import review_cycles_with_protocols

review_pages = cache_pages(council_blueprint("reviews", __name__, "/reviews"))


@review_pages.get("")
def index() -> str:
    cycles, protocols = review_cycles_with_protocols(g.council)
    return render_template("reviews/index.html", council=g.council, review_cycles=cycles,
                           today=dt.date.today(), protocols=protocols)
