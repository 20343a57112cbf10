"""Input no database can store is refused before any view sees it.

PostgreSQL refuses a NUL character in text (SQLite stores it), so a NUL anywhere in a
request, in the URL path, the query string, a form or a JSON body, would become a server error
on one engine and a stored oddity on the other. Every request is checked first, on every
engine, and refused with a 400 naming the field (JSON for the API, the error page otherwise).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask, abort, jsonify, make_response, request

from core.translations import gettext as _

#: Characters no field may hold.
REFUSED = ("\x00",)
#: The bodies Werkzeug parses into ``request.form`` (any other leaves it empty); a request
#: with none, as nearly every GET, is not given a parser (about 15 µs).
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every key and string in decoded JSON, with the path of the field it belongs to."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, str(key)
            yield from _strings(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path or "(body)", value


def fields_of_request() -> Iterator[tuple[str, str, str]]:
    """(where, field, text) for every piece of text the request carries."""
    yield "path", "path", request.path
    sources = []
    if request.query_string:
        sources.append(("query", request.args))
    has_body = bool(request.environ.get("CONTENT_TYPE"))  # else no type to parse
    if has_body and request.mimetype in FORM_TYPES:
        sources.append(("form", request.form))
    for location, values in sources:
        for name, value in values.items(multi=True):
            yield location, name, name
            yield location, name, value
    if has_body and request.is_json:
        for name, value in _strings(request.get_json(silent=True), ""):
            yield "json", name, value


def refused_field() -> tuple[str, str] | None:
    """The first (where, field) holding a refused character, if any."""
    for location, name, text in fields_of_request():
        if any(character in text for character in REFUSED):
            return location, name
    return None


def init_input_check(app: Flask) -> None:
    """Refuse, in ``app``, every request carrying a character no field may hold."""

    @app.url_value_preprocessor
    def refuse_unstorable_input(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if (not request.query_string and not request.environ.get("CONTENT_TYPE")
                and not any(character in request.path for character in REFUSED)):
            return  # a path alone, and nothing refused in it (nearly every GET)
        found = refused_field()
        if found is None:
            return
        location, name = found
        message = _("%(field)s holds a NUL character, which cannot be stored: remove it and "
                    "try again.", field=name)
        if request.path.startswith("/api/"):
            body = {"code": 400, "status": "Bad Request", "errors": {location: {name: [message]}}}
            abort(make_response(jsonify(body), 400))
        abort(400, description=message)
