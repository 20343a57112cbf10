"""The API's shape of what a meeting holds that is kept apart from the API: an agenda
item's, which :mod:`core.meetings.kept_agendas` writes each meeting's agenda by."""

from __future__ import annotations

from marshmallow import Schema, fields


class AgendaItemSchema(Schema):
    """An item of a meeting's agenda, in the agenda's order."""

    title = fields.String()
    description = fields.String(allow_none=True)
    kind = fields.String(metadata={
        "enum": ["standing", "actions_arising", "added"],
        "description": "`standing`: on every agenda of the panel; `actions_arising`: the "
        "actions arising carried forward; `added`: added for this meeting."})
