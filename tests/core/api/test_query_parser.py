"""The API's parser of query strings: a request without one is given what the schema loads
from nothing, loaded once, and a fresh copy each time."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import pytest
from flask import Flask
from flask_smorest.pagination import PaginationParameters
from werkzeug.exceptions import UnprocessableEntity

from core.api.listing import _PAGING, ApiBlueprint
from core.api.query_parser import QueryParser


class Counted(ma.Schema):
    """A schema that counts its loads."""

    loads = 0
    status = ma.fields.String(validate=ma.validate.OneOf(["open", "closed"]))
    size = ma.fields.Integer(load_default=10)

    @ma.post_load
    def _counted(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        type(self).loads += 1
        return data


def test_an_empty_query_is_loaded_once_and_copied() -> None:
    parser, schema, app = QueryParser(), Counted(), Flask(__name__)
    Counted.loads = 0
    with app.test_request_context("/"):
        first = parser.parse(schema, location="query")
        first["size"] = 99  # a view changing what it was given
        second = parser.parse(schema, location="query")
        pages = [parser.parse(_PAGING, location="query") for _ in range(2)]
    assert first is not second and second == {"size": 10}
    assert Counted.loads == 1
    assert all(isinstance(page, PaginationParameters) for page in pages)
    assert pages[0] is not pages[1]
    pages[0].item_count = 5
    assert (pages[1].page, pages[1].page_size, pages[1].item_count) == (1, 100, None)


def test_a_query_string_is_parsed_as_webargs_parses_it() -> None:
    parser, schema, app = QueryParser(), Counted(), Flask(__name__)
    Counted.loads = 0
    with app.test_request_context("/?status=open&size=3"):
        assert parser.parse(schema, location="query") == {"status": "open", "size": 3}
    with app.test_request_context("/?status=open"):
        assert parser.parse(schema, location="query") == {"status": "open", "size": 10}
    assert Counted.loads == 2
    with app.test_request_context("/?status=lost"), pytest.raises(UnprocessableEntity):
        parser.parse(schema, location="query")


def test_the_api_parses_with_it() -> None:
    assert isinstance(ApiBlueprint.ARGUMENTS_PARSER, QueryParser)
    assert isinstance(ApiBlueprint.PAGINATION_ARGUMENTS_PARSER, QueryParser)


class Required(ma.Schema):
    """A schema that nothing satisfies without a query string."""

    needed = ma.fields.String(required=True)


def test_an_empty_query_that_fails_fails_each_time() -> None:
    parser, schema, app = QueryParser(), Required(), Flask(__name__)
    for _ in range(2):
        with app.test_request_context("/"), pytest.raises(UnprocessableEntity) as raised:
            parser.parse(schema, location="query")
        assert raised.value.data["messages"]["query"] == {  # type: ignore[attr-defined]
            "needed": ["Missing data for required field."]}
    assert parser.from_nothing == {}
