"""A council's review cycles, with due and overdue marked."""

from __future__ import annotations

import datetime as dt

from flask import g, render_template

from core.councils.scoping import council_blueprint
from core.page_cache import cache_pages
from core.reviews.services import protocols_reviewed, review_cycles_of

review_pages = cache_pages(council_blueprint("reviews", __name__, "/reviews"))


@review_pages.get("")
def index() -> str:
    return render_template("reviews/index.html", council=g.council,
                           review_cycles=review_cycles_of(g.council), today=dt.date.today(),
                           protocols=protocols_reviewed(g.council))
