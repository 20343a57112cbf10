"""A council's partner bodies and the protocols agreed with them."""

from __future__ import annotations

from flask import g, render_template

from core.councils.scoping import council_blueprint
from core.page_cache import cache_pages
from core.panels.services import panel_names
from core.partners.services import partners_of, protocols_of

partner_pages = cache_pages(council_blueprint("partners", __name__, "/partners"))


@partner_pages.get("")
def index() -> str:
    council = g.council
    partners = partners_of(council)
    names = panel_names(council) | {p.key: p.name for p in partners}
    return render_template("partners/index.html", council=council, partners=partners,
                           protocols=protocols_of(council), party_names=names)
