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


class PanelSchema(Schema):
    """A panel or board with its cycle, quorum, seats and standing items."""

    key = fields.String()
    name = fields.String()
    status = fields.String(allow_none=True)
    purpose = fields.List(fields.String())
    responsibilities_intro = fields.String(allow_none=True)
    responsibilities = fields.List(fields.String())
    cycle = fields.Function(lambda panel: None if panel.cycle_text is None else {
        "text": panel.cycle_text, "every_months": panel.cycle_every_months,
        "meetings_per_year": panel.cycle_meetings_per_year})
    quorum = fields.Function(lambda panel: None if panel.quorum_text is None else {
        "text": panel.quorum_text, "count": panel.quorum_count,
        "young_people_count": panel.quorum_young_people_count})
    seats_intro = fields.String(allow_none=True)
    seats = fields.List(fields.Nested(SeatSchema))
    standing_items = fields.List(fields.Nested(StandingItemSchema))
