"""How panels and their seats appear in the API."""

from marshmallow import Schema, fields


class SeatSchema(Schema):
    """A seat on a panel; null where the source does not say."""

    key = fields.String()
    role = fields.String()
    count = fields.Integer(allow_none=True)
    voting = fields.Boolean(allow_none=True)
    chair = fields.Boolean()
    young_people = fields.Boolean()
    partner = fields.String(allow_none=True)


class StandingItemSchema(Schema):
    key = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)


class MeetingCycleSchema(Schema):
    """How often a panel meets, in the source's words and, where stated, as numbers."""

    text = fields.String()
    every_months = fields.Integer(allow_none=True)
    meetings_per_year = fields.Integer(allow_none=True)


class QuorumSchema(Schema):
    """A panel's quorum rule as its terms of reference give it."""

    text = fields.String()
    count = fields.Integer(allow_none=True)
    young_people_count = fields.Boolean(allow_none=True)


class PanelSchema(Schema):
    """A panel or board with its cycle, quorum, seats and standing items."""

    key = fields.String()
    name = fields.String()
    status = fields.String(allow_none=True)
    purpose = fields.List(fields.String())
    responsibilities_intro = fields.String(allow_none=True)
    responsibilities = fields.List(fields.String())
    cycle = fields.Nested(MeetingCycleSchema, allow_none=True, metadata={
        "description": "null where the source does not say how often the panel meets."})
    quorum = fields.Nested(QuorumSchema, allow_none=True, metadata={
        "description": "null where the source gives no quorum rule."})
    seats_intro = fields.String(allow_none=True)
    seats = fields.List(fields.Nested(SeatSchema))
    standing_items = fields.List(fields.Nested(StandingItemSchema))
