"""Shapes only the API gives: the query filters of its lists, meetings as published, and
panels in Popolo's shape (http://www.popoloproject.com/specs/): the panel an
``Organization``, each seat a ``Post``, each appointment a ``Membership``."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from core.dates import today
from core.indicators.rag import Rag
from core.indicators.suppression import threshold
from core.meetings.models import AttendanceStatus, Meeting
from core.meetings.schemas import AgendaItemSchema
from core.meetings.services import local_start
from core.pledges.schemas import STATUSES
from core.reviews.models import ReviewState

#: The longest text filter accepted.
MAX_FILTER_LENGTH = 200

# --- filters -------------------------------------------------------------------------------


class Filters(Schema):
    """Query filters; parameters not named here are ignored (paging's among them)."""

    class Meta:
        unknown = "exclude"


#: Text a filter may hold: anything but NUL, which the app refuses in every request
#: (core/input_check.py), so the OpenAPI document says so too.
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="must not hold a NUL character")


def _text(description: str) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=MAX_FILTER_LENGTH), NO_NUL],
                         metadata={"description": description})


class ActionFilters(Filters):
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={
        "description": "Only actions whose latest status is this."})
    pledge = _text("Only the actions of the pledge or promise with this key.")
    owner = _text("Only actions whose responsible officer's text contains this, whatever "
                  "its case (e.g. `virtual school`). Owners' sign-in accounts are not public.")
    due_before = fields.Date(metadata={"description": "Only actions due before this day."})
    due_after = fields.Date(metadata={"description": "Only actions due after this day."})


#: What a meeting's status may be.
MEETING_STATUSES = ("scheduled", "held", "cancelled")


class MeetingFilters(Filters):
    panel = _text("Only the meetings of the panel or board with this key.")
    status = fields.String(validate=validate.OneOf(MEETING_STATUSES), metadata={
        "description": "`scheduled` (today or later), `held` (on a day before today) or "
                       "`cancelled`."})
    before = fields.Date(metadata={"description": "Only meetings on a day before this one."})
    after = fields.Date(metadata={"description": "Only meetings on a day after this one."})


class ReviewCycleFilters(Filters):
    state = fields.String(validate=validate.OneOf([s.value for s in ReviewState]), metadata={
        "description": "Only cycles that stand so today."})


class MembershipFilters(Filters):
    on = fields.Date(metadata={"description": "Only memberships held on this day (e.g. "
                                              "today's, for who sits on the panel now)."})


# --- meetings ------------------------------------------------------------------------------


def meeting_status(meeting: Meeting) -> str:
    """``cancelled``, ``held`` (on a day before today, in the council's time) or
    ``scheduled`` (today or later). By the day, not the time, as every page the cache keeps
    decides (:func:`core.dates.today`): a kept answer says what a fresh one would."""
    if meeting.cancelled:
        return "cancelled"
    return "held" if local_start(meeting).date() < today() else "scheduled"


class MeetingSchema(Schema):
    """A meeting of a panel or board: when and where, its status and its agenda."""

    id = fields.Integer()
    panel = fields.Function(lambda meeting: meeting.panel.key, metadata={"type": "string"})
    panel_name = fields.Function(lambda meeting: meeting.panel.name,
                                 metadata={"type": "string"})
    starts_at = fields.Function(lambda meeting: local_start(meeting).isoformat(), metadata={
        "type": "string", "format": "date-time",
        "description": "When it starts, in the council's time (Europe/London)."})
    date = fields.Function(lambda meeting: local_start(meeting).date().isoformat(),
                           metadata={"type": "string", "format": "date"})
    place = fields.String(attribute="location", allow_none=True)
    status = fields.Function(meeting_status, metadata={
        "type": "string", "enum": list(MEETING_STATUSES)})
    agenda = fields.List(fields.Nested(AgendaItemSchema))


class RoleCountSchema(Schema):
    """How many members sitting in one role were recorded with one status. Attendance is
    published by role only: no one, and never a young person, is named."""

    seat = fields.String(metadata={"description": "The key of the seat (Popolo's Post)."})
    role = fields.String()
    young_people = fields.Boolean()
    status = fields.String(metadata={"enum": [s.value for s in AttendanceStatus]})
    count = fields.Integer()


class MeetingDetailSchema(MeetingSchema):
    """A meeting with its attendance by role and its approved minutes."""

    attendance = fields.List(fields.Nested(RoleCountSchema))
    minutes = fields.String(allow_none=True, metadata={
        "description": "The minutes as approved and published; null until they are."})


# --- Popolo --------------------------------------------------------------------------------


class PostSchema(Schema):
    """A seat on the panel (Popolo's Post). ``places``, ``voting``, ``chair``,
    ``young_people`` and ``partner`` are this toolkit's, beyond Popolo's fields."""

    id = fields.Function(lambda seat: f"{seat.panel_key}/{seat.key}",
                         metadata={"type": "string"})
    label = fields.Function(lambda seat: seat.role, metadata={"type": "string"})
    role = fields.String()
    organization_id = fields.String(attribute="panel_key")
    places = fields.Integer(attribute="count", allow_none=True)
    voting = fields.Boolean(allow_none=True)
    chair = fields.Boolean()
    young_people = fields.Boolean()
    partner = fields.String(allow_none=True)


class OrganizationSchema(Schema):
    """The panel or board (Popolo's Organization), with its seats (Posts)."""

    id = fields.String(attribute="key")
    name = fields.String()
    classification = fields.String()
    description = fields.Function(lambda panel: "\n\n".join(panel.purpose) or None, metadata={
        "type": "string", "nullable": True, "description": "The panel's purpose."})
    posts = fields.List(fields.Nested(PostSchema))


class NamedSchema(Schema):
    """A person or organization given by name only."""

    name = fields.String()


def _person(row: Any) -> dict[str, str] | None:
    return None if row.young_people else {"name": row.name}


class MembershipSchema(Schema):
    """Someone holding a seat from ``start_date`` to ``end_date`` (Popolo's Membership).
    A young person's membership never gives a name or a person id: only that the seat was
    held, and when."""

    id = fields.Function(lambda row: str(row.id), metadata={"type": "string"})
    role = fields.String()
    organization_id = fields.String()
    post_id = fields.Function(lambda row: f"{row.organization_id}/{row.seat}",
                              metadata={"type": "string"})
    person_id = fields.Function(lambda row: None if row.young_people else str(row.person_id),
                                metadata={"type": "string", "nullable": True})
    person = fields.Function(_person, metadata={
        "type": "object", "nullable": True, "properties": {"name": {"type": "string"}},
        "description": "Null for a young people's seat: young people are never named."})
    on_behalf_of = fields.Function(
        lambda row: {"name": row.on_behalf_of} if row.on_behalf_of else None, metadata={
            "type": "object", "nullable": True, "properties": {"name": {"type": "string"}},
            "description": "The organization the member represents (e.g. a partner "
            "agency or a political group), by name."})
    start_date = fields.Date(attribute="start")
    end_date = fields.Date(attribute="end", allow_none=True)


class ReviewSchema(Schema):
    """A review done under a cycle, with its outcome."""

    done_on = fields.Date()
    outcome = fields.String()


# --- indicators ----------------------------------------------------------------------------

def _suppressed(figure: dict[str, Any]) -> str | None:
    held_back = figure["suppressed"]
    if held_back == "fewer_than":
        return f"fewer than {threshold()}"
    return held_back


class IndicatorFigureSchema(Schema):
    """One period's figure as the public may see it. A small number is never given: its
    ``value`` is null and ``suppressed`` says why. Numerators and denominators are never
    published."""

    period_end = fields.String(metadata={"format": "date",
                                         "description": "The last day of the period."})
    value = fields.Float(allow_none=True, metadata={
        "description": "The figure in the indicator's unit; null when there is none or it "
        "is held back (see `suppressed`)."})
    suppressed = fields.Function(_suppressed, metadata={
        "type": "string", "nullable": True,
        "description": "Why `value` is null: `fewer than 5` (a count below the small-numbers "
        "threshold, 5 unless the deployment sets another), or `withheld` (a percentage or "
        "rate of fewer children than the threshold). Null when the figure is shown."})
    rag = fields.String(allow_none=True, metadata={
        "enum": [*(r.value for r in Rag), None],
        "description": "The red/amber/green judgement against the target, by the council's "
        "rule; null without a target, a direction, or for a figure held back."})
    target = fields.Float(allow_none=True)
    england = fields.Float(allow_none=True)
    region = fields.Float(allow_none=True)
    statistical_neighbours = fields.Float(allow_none=True)


class IndicatorSchema(Schema):
    """An indicator of the council's report card (aggregate figures only)."""

    key = fields.String()
    title = fields.String()
    definition = fields.String(allow_none=True)
    unit = fields.String(allow_none=True, metadata={
        "enum": ["count", "percentage", "rate_per_10000", None]})
    higher_is_better = fields.Boolean(allow_none=True)
    period = fields.String(allow_none=True, metadata={"enum": ["month", "quarter", "year", None]})
    priorities = fields.List(fields.String(), metadata={
        "description": "Keys of the priorities it evidences."})
    pledges = fields.List(fields.String(), metadata={
        "description": "Keys of the pledges or promises it evidences."})
    source = fields.String(allow_none=True)
    measure = fields.String(allow_none=True, metadata={
        "description": "The key of the Department for Education measure the council "
        "adopted, if it is one."})


class IndicatorLatestSchema(IndicatorSchema):
    """An indicator with its latest figure (null before any is entered)."""

    latest = fields.Nested(IndicatorFigureSchema, allow_none=True, metadata={
        "description": "The figure of the latest period; null before any is entered."})


class IndicatorSeriesSchema(IndicatorSchema):
    """An indicator with every figure, oldest period first."""

    figures = fields.List(fields.Nested(IndicatorFigureSchema))
