"""URLs of one endpoint for one id or key after another: built once by ``url_for``, then
filled in. A table that links every row would call ``url_for`` per row, at about 15 µs
each."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, quote_plus

from flask import url_for

#: A whole number no real id reaches, put in a URL to find where an id goes.
_ID_MARK = 8_675_309_112
#: Letters no real key is, put in a URL to find where a text key goes (left as they are
#: by the quoting of a path segment and of a query argument alike).
_TEXT_MARK = "cptkeymarkqz"
#: What ``url_for`` leaves unquoted in a plain ``<name>`` path segment (Werkzeug's default
#: converter) and in a query argument's value (Werkzeug's ``urlencode``).
_SEGMENT_SAFE = "!$&'()*+,/:;=@"
_QUERY_SAFE = "!$'()*,/:;?@"


def _around(endpoint: str, key: str, mark: Any, values: dict[str, Any]) -> tuple[str, str]:
    """``url_for(endpoint, **values)`` with ``key`` set to ``mark``, split where it went."""
    built = url_for(endpoint, **values, **{key: mark})
    before, found, after = built.partition(str(mark))
    if not found or str(mark) in after:
        raise ValueError(f"{endpoint}: {key} is not once in {built!r}")
    return before, after


def url_maker(endpoint: str, key: str, **values: Any) -> Callable[[Any], str]:
    """``url_for(endpoint, **values, key=…)`` for one id after another: built once, then
    filled in. A table that links every row calls ``url_for`` per row, at about 15 µs each;
    a template global. Only for a whole-number ``key`` (an id), which is checked."""
    before, after = _around(endpoint, key, _ID_MARK, values)
    return lambda value: f"{before}{int(value)}{after}"


def text_url_maker(endpoint: str, key: str, **values: Any) -> Callable[[str], str]:
    """As :func:`url_maker`, for a text ``key`` (a seat's key): one that is a plain
    ``<name>`` segment of the route's path or, not in the route, its query argument,
    quoted as ``url_for`` quotes it there. A route whose converter refuses text (``int``)
    fails here, as ``url_for`` would."""
    before, after = _around(endpoint, key, _TEXT_MARK, values)
    in_query = "?" in before
    safe = _QUERY_SAFE if in_query else _SEGMENT_SAFE
    quoted = functools.partial(quote_plus if in_query else quote, safe=safe)
    return lambda value: f"{before}{quoted(str(value))}{after}"
