"""A council's strategy page."""

from __future__ import annotations

from flask import g, render_template

from core.content.principles import PREAMBLE, STATUTORY_PRINCIPLES
from core.councils.scoping import council_blueprint
from core.page_cache import cache_pages
from core.strategy.services import priorities_of, strategy_of

strategy_pages = cache_pages(council_blueprint("strategy", __name__, "/strategy"))


@strategy_pages.get("")
def show() -> str:
    return render_template("strategy/strategy.html", council=g.council,
                           strategy=strategy_of(g.council), priorities=priorities_of(g.council),
                           statutory_principles=STATUTORY_PRINCIPLES, preamble=PREAMBLE)
