"""The core's attributes macro in front of GOV.UK Frontend's (core/templates/
govuk_attributes.html): the same markup for every shape of attributes, answered at once
when there are none."""

from __future__ import annotations

import pytest
from flask import Flask
from jinja2 import Environment, PackageLoader, PrefixLoader
from markupsafe import Markup

LIBRARY = "govuk_frontend_jinja/macros/attributes.html"

SHAPES = [
    None, {}, "", ' data-module="x"',
    {"id": "seat-1"}, {"aria-hidden": True}, {"aria-hidden": False}, {"hidden": None},
    {"hidden": {"value": True, "optional": True}}, {"hidden": {"value": None, "optional": True}},
    {"data-x": '<"quoted">'}, {"data-safe": Markup("<b>")}, {"a": 1, "b": "two"},
]


def library_only(app: Flask) -> Environment:
    """An environment set as the app's, loading only the library's templates."""
    ours = app.jinja_env
    return Environment(loader=PrefixLoader({"govuk_frontend_jinja":
                                            PackageLoader("govuk_frontend_jinja")}),
                       autoescape=True, trim_blocks=ours.trim_blocks,
                       lstrip_blocks=ours.lstrip_blocks, extensions=["jinja2.ext.do"])


@pytest.mark.parametrize("attributes", SHAPES, ids=repr)
def test_the_app_writes_what_the_library_writes(app: Flask, attributes: object) -> None:
    with app.test_request_context("/"):
        ours = app.jinja_env.get_template(LIBRARY).module.govukAttributes
        assert app.jinja_env.get_template(LIBRARY).name == "govuk_attributes.html"
        library = library_only(app).get_template(LIBRARY).module.govukAttributes
        assert str(ours(attributes)).strip() == str(library(attributes)).strip()


def test_a_table_is_the_same_through_it(app: Flask) -> None:
    params = {"caption": "Seats", "firstCellIsHeader": True,
              "head": [{"text": "Role"}, {"text": "Places", "format": "numeric"}],
              "rows": [[{"text": "Chair", "attributes": {"id": "seat-chair"}},
                        {"text": "1", "format": "numeric"}],
                       [{"html": Markup("<a href='#'>Member</a>")}, {"text": "4"}]]}
    env = library_only(app)
    table = "govuk_frontend_jinja/components/table/macro.html"
    with app.test_request_context("/"):
        ours = app.jinja_env.get_template(table).module.govukTable(params)
    library = str(env.get_template(table).module.govukTable(params))
    assert _words(str(ours)) == _words(library)
    assert 'id="seat-chair"' in str(ours)


def _words(html: str) -> list[str]:
    """The markup without the whitespace between its words and tags (the library's macro
    writes blank lines where the core's answers at once; browsers make nothing of them)."""
    return html.split()
