"""How councils and content-check findings appear in the API."""

from marshmallow import Schema, fields

from core.pledges.status import council_rule, status_rule_to_json


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
    status_rule = fields.Function(
        lambda council: status_rule_to_json(council_rule(council)), metadata={
            "type": "object", "description": "How a pledge's status is rolled up from its "
            "actions: the status a past-due action counts as at least "
            "(past_due_counts_as) and the days of grace after its due date (grace_days)."})
    young_people_names = fields.String(metadata={
        "enum": ["first_name", "initials", "either"],
        "description": "How young people who sit on a panel are recorded."})


class FindingSchema(Schema):
    """One content-check finding."""

    check = fields.String()
    level = fields.String()
    message = fields.String()
    items = fields.List(fields.String())
