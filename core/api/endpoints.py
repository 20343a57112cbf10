"""The API's endpoints: thin reads through the areas' services and schemas."""

from __future__ import annotations

from typing import Any

from flask import abort, g
from flask_smorest import Blueprint

from core.checks import council_findings
from core.councils.schemas import CouncilSchema, FindingSchema
from core.councils.scoping import council_blueprint
from core.councils.services import active_councils
from core.page_cache import cache_directory_pages, cache_pages
from core.panels.schemas import PanelSchema
from core.panels.services import panel_or_404, panels_of
from core.partners.schemas import PartnerBodySchema, ProtocolSchema
from core.partners.services import partners_of, protocols_of
from core.pledges.schemas import ActionSchema, PledgeSchema
from core.pledges.services import actions_of, pledge_or_404, pledges_of
from core.pledges.status import PledgeWithStatus, roll_up_for
from core.reviews.schemas import ReviewCycleSchema
from core.reviews.services import review_cycles_of
from core.strategy.schemas import PrioritySchema, StrategySchema
from core.strategy.services import priorities_of, strategy_of

councils_api = cache_directory_pages(Blueprint(
    "api_councils", __name__, url_prefix="/api/councils",
    description="Councils served by this deployment."))
council_api = cache_pages(council_blueprint(
    "api_council", __name__, base="/api/councils", cls=Blueprint,
    description="One council's definitions and their state."))


@councils_api.get("")
@councils_api.response(200, CouncilSchema(many=True))
def list_councils() -> Any:
    """Every council served, by name."""
    return active_councils()


@council_api.get("")
@council_api.response(200, CouncilSchema)
def get_council() -> Any:
    """One council."""
    return g.council


@council_api.get("/strategy")
@council_api.response(200, StrategySchema)
def get_strategy() -> Any:
    """The council's strategy (404 when its plugin defines none)."""
    return strategy_of(g.council) or abort(404)


@council_api.get("/priorities")
@council_api.response(200, PrioritySchema(many=True))
def list_priorities() -> Any:
    """The strategy's priorities in order."""
    return priorities_of(g.council)


@council_api.get("/pledges")
@council_api.response(200, PledgeSchema(many=True))
def list_pledges() -> Any:
    """Pledges or promises with their actions and status, rolled up by the council's rule."""
    roll_up = roll_up_for(g.council)
    return [PledgeWithStatus(pledge, roll_up) for pledge in pledges_of(g.council)]


@council_api.get("/pledges/<key>")
@council_api.response(200, PledgeSchema)
def get_pledge(key: str) -> Any:
    """One pledge or promise with its actions and status, rolled up by the council's rule."""
    return PledgeWithStatus(pledge_or_404(g.council, key), roll_up_for(g.council))


@council_api.get("/actions")
@council_api.response(200, ActionSchema(many=True))
def list_actions() -> Any:
    """Every action of the plan with its latest status."""
    return actions_of(g.council)


@council_api.get("/panels")
@council_api.response(200, PanelSchema(many=True))
def list_panels() -> Any:
    """Panels or boards with their seats and standing items."""
    return panels_of(g.council)


@council_api.get("/panels/<key>")
@council_api.response(200, PanelSchema)
def get_panel(key: str) -> Any:
    """One panel or board."""
    return panel_or_404(g.council, key)


@council_api.get("/review-cycles")
@council_api.response(200, ReviewCycleSchema(many=True))
def list_review_cycles() -> Any:
    """What the council reviews on a cycle, with each cycle's state today."""
    return review_cycles_of(g.council)


@council_api.get("/partners")
@council_api.response(200, PartnerBodySchema(many=True))
def list_partners() -> Any:
    """Bodies the council's panels work with."""
    return partners_of(g.council)


@council_api.get("/protocols")
@council_api.response(200, ProtocolSchema(many=True))
def list_protocols() -> Any:
    """Protocols between panels and partner bodies."""
    return protocols_of(g.council)


@council_api.get("/findings")
@council_api.response(200, FindingSchema(many=True))
def list_findings() -> Any:
    """Content-check findings for the council."""
    return council_findings(g.council)
