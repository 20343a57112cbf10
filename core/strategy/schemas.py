"""How strategies and priorities appear in the API."""

from marshmallow import Schema, fields


class StatementSchema(Schema):
    text = fields.String()
    items = fields.List(fields.String())


class QuoteSchema(Schema):
    text = fields.String()
    attribution = fields.String(allow_none=True)


class SignatorySchema(Schema):
    name = fields.String()
    role = fields.String(allow_none=True)


class SectionSchema(Schema):
    key = fields.String()
    heading = fields.String(allow_none=True)
    paragraphs = fields.List(fields.String())
    items_intro = fields.String(allow_none=True)
    items = fields.List(fields.Nested(StatementSchema))
    quotes = fields.List(fields.Nested(QuoteSchema))
    signatories = fields.List(fields.Nested(SignatorySchema))


class StrategySchema(Schema):
    """The council's strategy in its own words."""

    key = fields.String()
    title = fields.String(allow_none=True)
    period_start = fields.Integer(allow_none=True)
    period_end = fields.Integer(allow_none=True)
    vision = fields.String(allow_none=True)
    vision_intro = fields.String(allow_none=True)
    vision_items = fields.List(fields.String())
    purpose = fields.List(fields.String())
    principles_intro = fields.String(allow_none=True)
    principles = fields.List(fields.Nested(StatementSchema))
    priorities_intro = fields.String(allow_none=True)
    sections = fields.List(fields.Nested(SectionSchema))
    source = fields.String(allow_none=True)


class PrioritySchema(Schema):
    """One of the strategy's priorities."""

    key = fields.String()
    number = fields.Integer()
    title = fields.String()
    description = fields.String(allow_none=True)
    principles = fields.List(fields.String(), metadata={
        "description": "Letters of the statutory corporate parenting principles served."})
