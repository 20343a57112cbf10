"""A council's strategy page."""

from __future__ import annotations

from flask import g, render_template

from core.content.principles import PREAMBLE, STATUTORY_PRINCIPLES
from core.councils.scoping import council_blueprint
from core.page_cache import cache_pages
from core.strategy.services import strategy_and_priorities

strategy_pages = cache_pages(council_blueprint("strategy", __name__, "/strategy"))


@strategy_pages.get("")
def show() -> str:
    strategy, priorities = strategy_and_priorities(g.council)
    return render_template("strategy/strategy.html", council=g.council,
                           strategy=strategy, priorities=priorities,
                           statutory_principles=STATUTORY_PRINCIPLES, preamble=PREAMBLE)
