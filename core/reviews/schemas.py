"""How review cycles appear in the API."""

import datetime as dt

from marshmallow import Schema, fields

from core.reviews.models import ReviewState


class ReviewCycleSchema(Schema):
    """Something reviewed on a cycle, and where it stands today."""

    key = fields.String()
    subject = fields.String()
    interval_text = fields.String(allow_none=True)
    every_months = fields.Integer(allow_none=True)
    owner = fields.String(allow_none=True)
    next_due = fields.Date(allow_none=True)
    next_due_text = fields.String(allow_none=True)
    state = fields.Function(lambda cycle: cycle.state_on(dt.date.today()).value,
                            metadata={"type": "string",
                                      "enum": [state.value for state in ReviewState],
                                      "description": "Where the cycle stands today."})
