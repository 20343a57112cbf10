"""Pages for a council's panels or boards."""

from __future__ import annotations

from flask import g, render_template

from core.councils.scoping import council_blueprint
from core.panels.services import panel_or_404, panels_of

panel_pages = council_blueprint("panels", __name__, "/panels")


@panel_pages.get("")
def index() -> str:
    return render_template("panels/index.html", council=g.council, panels=panels_of(g.council))


@panel_pages.get("/<key>")
def show(key: str) -> str:
    return render_template("panels/show.html", council=g.council,
                           panel=panel_or_404(g.council, key))
