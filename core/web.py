"""Registering the pages, the API, template helpers and error pages on an app."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from core.pledges.models import ActionStatus
from core.reviews.models import ReviewState

#: Label and GOV.UK tag colour of each action status.
ACTION_STATUS = {
    ActionStatus.NOT_STARTED: (_l("Not started"), "grey"),
    ActionStatus.ON_TRACK: (_l("On track"), "green"),
    ActionStatus.AT_RISK: (_l("At risk"), "yellow"),
    ActionStatus.OFF_TRACK: (_l("Off track"), "red"),
    ActionStatus.COMPLETE: (_l("Complete"), "blue"),
}

#: Label and GOV.UK tag colour of each review state.
REVIEW_STATE = {
    ReviewState.OVERDUE: (_l("Overdue"), "red"),
    ReviewState.DUE_SOON: (_l("Due soon"), "yellow"),
    ReviewState.SCHEDULED: (_l("Scheduled"), "green"),
    ReviewState.NOT_SCHEDULED: (_l("No date set"), "grey"),
}


def _council_navigation() -> list[dict[str, Any]]:
    council = getattr(g, "council", None)
    if council is None:
        return []
    endpoint = request.endpoint or ""
    items = [
        ("councils.overview", _l("Overview")),
        ("strategy.show", _l("Strategy")),
        ("pledges.index", council.word("pledges").capitalize()),
        ("panels.index", council.word("panels").capitalize()),
        ("reviews.index", _l("Reviews")),
        ("partners.index", _l("Partners")),
        ("councils.checks", _l("Checks")),
    ]
    from flask import url_for

    return [{"href": url_for(name), "text": text,
             "active": endpoint.split(".")[0] == name.split(".")[0]
             and (endpoint == name or not name.startswith("councils."))}
            for name, text in items]


def register_web(app: Flask) -> None:
    """Attach every area's pages and the API to ``app``."""
    from core.api import handle_api_error, register_api
    from core.councils.views import council_pages, home
    from core.panels.views import panel_pages
    from core.partners.views import partner_pages
    from core.pledges.views import pledge_pages
    from core.reviews.views import review_pages
    from core.strategy.views import strategy_pages

    app.register_blueprint(home)
    register_api(app)
    for blueprint in (council_pages, strategy_pages, pledge_pages, panel_pages, review_pages,
                      partner_pages):
        app.register_blueprint(blueprint)

    @app.context_processor
    def current_council() -> dict[str, Any]:
        """The council of the URL, for every template (error pages included)."""
        return {"council": getattr(g, "council", None)}

    app.jinja_env.globals.update(
        action_status=ACTION_STATUS,
        review_state=REVIEW_STATE,
        council_navigation=_council_navigation,
        html_lang=lambda: str(get_locale() or "en_GB").replace("_", "-"),
    )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if request.path.startswith("/api/"):
            return handle_api_error(app, error)
        return render_template("error.html", error=error), error.code
