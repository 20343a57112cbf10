"""How partner bodies and protocols appear in the API."""

from marshmallow import Schema, fields


class PartnerBodySchema(Schema):
    key = fields.String()
    name = fields.String()
    short_name = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    description = fields.List(fields.String())


class JointAreaSchema(Schema):
    key = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)


class ReportingLineSchema(Schema):
    key = fields.String()
    subject = fields.String()
    from_party = fields.String(allow_none=True)
    to_party = fields.String()
    frequency = fields.String(allow_none=True)
    text = fields.String(allow_none=True)


class RoleSchema(Schema):
    party = fields.String()
    paragraphs = fields.List(fields.String())
    items_intro = fields.String(allow_none=True)
    items = fields.List(fields.String())


class ProtocolSchema(Schema):
    """A protocol between a panel and partner bodies."""

    key = fields.String()
    title = fields.String()
    parties = fields.List(fields.String())
    purpose = fields.List(fields.String())
    joint_areas_intro = fields.String(allow_none=True)
    joint_areas = fields.List(fields.Nested(JointAreaSchema))
    roles = fields.List(fields.Nested(RoleSchema))
    reporting_lines = fields.List(fields.Nested(ReportingLineSchema))
    escalation = fields.String(allow_none=True)
    review_cycle = fields.Function(lambda p: p.review_cycle.key if p.review_cycle else None,
                                   allow_none=True, metadata={"type": "string",
        "description": "The key of the review cycle that governs the protocol."})
    approved_by = fields.String(allow_none=True)
    approved_text = fields.String(allow_none=True)
