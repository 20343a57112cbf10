"""How councils and content-check findings appear in the API."""

from marshmallow import Schema, fields


class CouncilSchema(Schema):
    """A council and the words it uses."""

    slug = fields.String()
    name = fields.String()
    nation = fields.String()
    locale = fields.String()
    colour = fields.String()
    website = fields.String(allow_none=True)
    vocabulary = fields.Dict(keys=fields.String(), values=fields.String())
    pledges_declared = fields.Integer(allow_none=True,
                                      metadata={"description": "How many pledges or promises "
                                                "the strategy declares, where it says."})


class FindingSchema(Schema):
    """One content-check finding."""

    check = fields.String()
    level = fields.String()
    message = fields.String()
    items = fields.List(fields.String())
