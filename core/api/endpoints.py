"""The API's endpoints: thin reads through the areas' services and schemas.

Every list is paged, may be filtered, and comes as CSV too (see :mod:`core.api.listing`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import abort, g
from flask_smorest.pagination import PaginationParameters

from core import row_reads
from core.api import reads
from core.api.listing import ApiBlueprint, page_of
from core.api.minutes import published_minutes_for_api
from core.api.schemas import (
    ActionFilters,
    IndicatorLatestSchema,
    IndicatorSeriesSchema,
    MeetingDetailSchema,
    MeetingFilters,
    MeetingSchema,
    MembershipFilters,
    MembershipSchema,
    OrganizationSchema,
    ReviewCycleFilters,
    ReviewSchema,
)
from core.api.tables import CSV_MIMETYPE
from core.checks import council_findings
from core.councils.schemas import CouncilSchema, FindingSchema
from core.councils.scoping import council_blueprint
from core.indicators.rag import council_rag_rule
from core.indicators.reads import public_report_card, public_series
from core.meetings.services import meeting_record_or_404, meeting_record_read
from core.page_cache import cache_directory_pages, cache_pages, negotiates
from core.panels.reads import panel_id_or_404, panel_record_or_404, panel_records
from core.panels.schemas import PanelSchema
from core.partners.schemas import PartnerBodySchema, ProtocolSchema
from core.partners.services import partners_of, protocols_of
from core.pledges.schemas import ActionSchema, PledgeSchema
from core.pledges.status import roll_up_for
from core.reviews.schemas import ReviewCycleSchema
from core.reviews.services import cycle_row_or_404, review_cycles_of
from core.strategy.schemas import PrioritySchema, StrategySchema
from core.strategy.services import priorities_of, strategy_of

#: The formats every list is offered in (the first unless ``Accept`` prefers the other).
FORMATS = ("application/json", CSV_MIMETYPE)

councils_api = negotiates(cache_directory_pages(ApiBlueprint(
    "api_councils", __name__, url_prefix="/api",
    description="Councils served by this deployment.")), *FORMATS)
council_api = negotiates(cache_pages(council_blueprint(
    "api_council", __name__, base="/api/councils", cls=ApiBlueprint,
    description="One council's definitions and their state.")), *FORMATS)

Page = PaginationParameters
Filters = dict[str, Any]


@councils_api.listing("/councils", CouncilSchema, filename="councils")
def list_councils(page: Page, filters: Filters) -> Any:
    """Every council served, by name."""
    return reads.COUNCILS.page(page, {})


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


@council_api.listing("/priorities", PrioritySchema, filename="{council}-priorities")
def list_priorities(page: Page, filters: Filters) -> Any:
    """The strategy's priorities in order."""
    return page_of(priorities_of(g.council), page)


@council_api.listing("/pledges", PledgeSchema, filename="{council}-pledges")
def list_pledges(page: Page, filters: Filters) -> Any:
    """Pledges or promises with their actions and status, rolled up by the council's rule."""
    return reads.pledge_page(page, g.council, roll_up_for(g.council))


@council_api.get("/pledges/<key>")
@council_api.response(200, PledgeSchema)
def get_pledge(key: str) -> Any:
    """One pledge or promise with its actions and status, rolled up by the council's rule."""
    return reads.listed_pledge_or_404(g.council, key, roll_up_for(g.council))


@council_api.listing("/actions", ActionSchema, filename="{council}-actions",
                     query=ActionFilters)
def list_actions(page: Page, filters: Filters) -> Any:
    """Every action of the plan with its latest status, in plan order."""
    return reads.ACTIONS.page_reads(page, reads.action_filters(g.council, filters))


@council_api.listing("/panels", PanelSchema, filename="{council}-panels")
def list_panels(page: Page, filters: Filters) -> Any:
    """Panels or boards with their seats and standing items."""
    return page_of(panel_records(g.council), page)


@council_api.get("/panels/<key>")
@council_api.response(200, PanelSchema)
def get_panel(key: str) -> Any:
    """One panel or board."""
    return panel_record_or_404(g.council, key)


@dataclass(frozen=True, slots=True)
class Post:
    """A seat as a Popolo Post of its panel."""

    panel_key: str
    key: str
    role: str
    count: int | None
    voting: bool | None
    chair: bool
    young_people: bool
    partner: str | None


@dataclass(frozen=True, slots=True)
class Organization:
    """A panel as a Popolo Organization."""

    key: str
    name: str
    classification: str
    purpose: list[str]
    posts: list[Post] = field(default_factory=list)


@council_api.get("/panels/<key>/organization")
@council_api.response(200, OrganizationSchema)
def get_panel_organization(key: str) -> Any:
    """The panel or board in Popolo's shape: an Organization with a Post for each seat.
    Who holds the seats is at `/memberships`."""
    panel = panel_record_or_404(g.council, key, standing_items=False)
    return Organization(
        panel.key, panel.name, "committee", panel.purpose,
        [Post(panel.key, seat.key, seat.role, seat.count, seat.voting, seat.chair,
              seat.young_people, seat.partner) for seat in panel.seats])


@council_api.listing("/panels/<key>/memberships", MembershipSchema,
                     filename="{council}-{key}-memberships", query=MembershipFilters)
def list_panel_memberships(page: Page, filters: Filters, key: str) -> Any:
    """Who has held the panel's seats, from when to when (Popolo's Membership), by seat.
    Adult members are named as on the panel's page; young people never are."""
    return reads.MEMBERSHIPS.page(page, {"council_id": g.council.id,
                                         "panel_id": panel_id_or_404(g.council, key),
                                         "on": filters.get("on")})


@council_api.listing("/meetings", MeetingSchema, filename="{council}-meetings",
                     query=MeetingFilters)
def list_meetings(page: Page, filters: Filters) -> Any:
    """Meetings of the council's panels or boards, earliest first, each with its agenda."""
    return reads.meeting_page(page, reads.meeting_filters(g.council, filters))


@dataclass(frozen=True)
class PublishedMeeting:
    """A meeting as the API publishes it: its own fields, attendance by role, and the
    minutes only once approved."""

    meeting: Any
    attendance: list[reads.RoleCount]
    minutes: str | None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.meeting, name)


@council_api.get("/meetings/<int(max=2147483647):meeting_id>")
@council_api.response(200, MeetingDetailSchema)
def get_meeting(meeting_id: int) -> Any:
    """One meeting: its agenda in order, its attendance counted by role (never names), and
    its minutes once approved and published."""
    # both reads need only the URL's meeting id: sent together
    with row_reads.together(meeting_record_read(g.council, meeting_id),
                            reads.attendance_by_role_read(g.council.id, meeting_id)):
        meeting = meeting_record_or_404(g.council, meeting_id)
        attendance = reads.attendance_by_role(meeting)
    return PublishedMeeting(meeting, attendance, published_minutes_for_api(meeting))


@council_api.listing("/review-cycles", ReviewCycleSchema, filename="{council}-review-cycles",
                     query=ReviewCycleFilters)
def list_review_cycles(page: Page, filters: Filters) -> Any:
    """What the council reviews on a cycle, with each cycle's state today."""
    cycles = review_cycles_of(g.council)
    if "state" in filters:
        today = dt.date.today()
        cycles = [c for c in cycles if c.state_on(today) == filters["state"]]
    return page_of(cycles, page)


@council_api.get("/review-cycles/<key>")
@council_api.response(200, ReviewCycleSchema)
def get_review_cycle(key: str) -> Any:
    """One review cycle. The reviews done under it are at `/reviews`."""
    return cycle_row_or_404(g.council, key)


@council_api.listing("/review-cycles/<key>/reviews", ReviewSchema,
                     filename="{council}-{key}-reviews")
def list_reviews(page: Page, filters: Filters, key: str) -> Any:
    """The reviews done under the cycle, latest first, with their outcomes."""
    cycle = cycle_row_or_404(g.council, key)
    return reads.REVIEWS.page(page, {"council_id": g.council.id, "cycle_id": cycle.id})


@council_api.listing("/indicators", IndicatorLatestSchema, filename="{council}-indicators")
def list_indicators(page: Page, filters: Filters) -> Any:
    """The council's report card: each indicator in order with its latest figure, target,
    comparators and red/amber/green judgement. Small numbers are held back as on the
    public pages (`value` null, `suppressed` saying why); numerators are never given."""
    card = public_report_card(g.council, council_rag_rule(g.council))
    return page_of([{**line, "latest": line["figures"][-1] if line["figures"] else None}
                    for line in card], page)


@council_api.get("/indicators/<key>")
@council_api.response(200, IndicatorSeriesSchema)
def get_indicator(key: str) -> Any:
    """One indicator with every figure, oldest period first, small numbers held back."""
    return public_series(g.council, key, council_rag_rule(g.council))


@council_api.listing("/partners", PartnerBodySchema, filename="{council}-partners")
def list_partners(page: Page, filters: Filters) -> Any:
    """Bodies the council's panels work with."""
    return page_of(partners_of(g.council), page)


@council_api.listing("/protocols", ProtocolSchema, filename="{council}-protocols")
def list_protocols(page: Page, filters: Filters) -> Any:
    """Protocols between panels and partner bodies."""
    return page_of(protocols_of(g.council), page)


@council_api.listing("/findings", FindingSchema, filename="{council}-findings")
def list_findings(page: Page, filters: Filters) -> Any:
    """Content-check findings for the council."""
    return page_of(council_findings(g.council), page)
