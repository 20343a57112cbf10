"""How pledges, actions and progress appear in the API."""

from marshmallow import Schema, fields

from core.pledges.models import ActionStatus

STATUSES = [status.value for status in ActionStatus]


class ProgressUpdateSchema(Schema):
    """A dated progress report on an action."""

    reported_on = fields.Date()
    status = fields.String(metadata={"enum": STATUSES})
    note = fields.String()
    author = fields.String()


class ActionSchema(Schema):
    """An action; ``wording`` is null where the published plan lost it."""

    key = fields.String()
    number = fields.Integer()
    pledge = fields.String(attribute="pledge_key", metadata={
        "description": "The key of the pledge or promise the action serves."})
    wording = fields.String(allow_none=True)
    officer = fields.String(allow_none=True)
    timeline = fields.String(attribute="timeline_text", allow_none=True)
    due = fields.Date(allow_none=True)
    due_precision = fields.String(allow_none=True)
    every_months = fields.Integer(allow_none=True)
    links = fields.List(fields.String())
    outcomes = fields.List(fields.String())
    status = fields.String(metadata={"enum": STATUSES})
    status_on = fields.Date(allow_none=True)


class PledgeActionSchema(ActionSchema):
    """An action inside its pledge (without the pledge's key)."""

    class Meta:
        exclude = ("pledge",)


class PledgeSchema(Schema):
    """A pledge or promise with its actions and rolled-up status."""

    key = fields.String()
    number = fields.Integer()
    title = fields.String()
    statement = fields.String(allow_none=True)
    principles = fields.List(fields.String())
    added_locally = fields.Boolean()
    status = fields.String(allow_none=True, metadata={
        "enum": [*STATUSES, None],
        "description": "Rolled up from the actions' statuses by the council's status rule (an "
        "action past its due date and not complete counts as a concern); null when it has "
        "no actions."})
    actions = fields.List(fields.Nested(PledgeActionSchema))
