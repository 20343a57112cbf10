"""webargs' Flask parser, answering a request without a query string at once.

Every list of the API parses its paging parameters and its filters from the query string
on every request (a marshmallow load each, about a tenth of a small list's time), and most
requests have none: for them the parser gives what the schema loads from nothing, loaded
once for each schema and copied for each request (a list's paging parameters are then
changed by the view).
"""

from __future__ import annotations

import copy
from typing import Any

import marshmallow as ma
from flask import request
from webargs.flaskparser import FlaskParser


class QueryParser(FlaskParser):  # type: ignore[misc]
    """:class:`FlaskParser`, whose :meth:`parse` of an empty query string by a schema
    instance (without validators of the call's own) is loaded once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: What each schema loaded from an empty query string, by the call's ``unknown``.
        self.from_nothing: dict[tuple[ma.Schema, Any], Any] = {}

    def parse(self, argmap: Any, req: Any = None, **kwargs: Any) -> Any:
        """webargs' parse; for the query string of a request that has none, parsed by a
        schema instance without validators of the call's own, a copy of what that schema
        loaded from nothing the first time (a load that fails is not kept: it fails, and
        says why, each time)."""
        if (kwargs.get("location") != "query" or kwargs.get("validate") is not None
                or not isinstance(argmap, ma.Schema) or (req or request).query_string):
            return super().parse(argmap, req, **kwargs)
        key = (argmap, kwargs.get("unknown"))
        loaded = self.from_nothing.get(key)
        if loaded is None:  # a load that fails is never kept: it fails each time
            loaded = self.from_nothing[key] = super().parse(argmap, req, **kwargs)
        return copy.copy(loaded)
