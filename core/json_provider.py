"""JSON written and read by orjson, with Flask's meaning kept.

Flask's own provider writes through the standard library's ``json``: on the API's longest
lists (a council's meetings with their agendas, its actions, its pledges) that was a tenth
of the request. :class:`OrjsonProvider` writes the same JSON through orjson, several times
faster: keys sorted (Flask's ``sort_keys``), compact out of debug and indented by two in
it, and the types Flask adds to JSON's written as Flask writes them (a date as an HTTP
date, a decimal or UUID as text, markup as its text) by Flask's own ``default``. The text
differs from Flask's in one way a JSON reader cannot see: characters outside ASCII are
written as UTF-8 rather than ``\\u`` escapes (JSON exchanged between systems is UTF-8 by
RFC 8259; Flask's ``ensure_ascii`` is a switch for clients that mis-read it).

A call with arguments orjson has no equivalent for (a ``cls``, ``separators`` other than
compact, an indent other than two), and a value orjson refuses (an integer past 64 bits, a
tuple subclass such as a named tuple), go to Flask's provider unchanged, which writes them
or raises as it always has.

JSON already written (an ``orjson.Fragment``: the API's items the database writes,
:mod:`core.database_json`) is written as it is, not indented in debug; Flask's provider
cannot read one back, so a value holding one must hold nothing orjson refuses (those
lists hold text, numbers and lists of text: a ``TypeError`` names the ``Fragment`` if
not).

:data:`loads` is orjson's reader, also given to SQLAlchemy as ``json_deserializer``: the
JSON columns (an action's outcomes and links, a council's words) are read on every page
that lists them.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

#: Text or UTF-8 bytes of JSON, read.
loads = orjson.loads

_COMPACT = (",", ":")
_SORTED = orjson.OPT_SORT_KEYS
_BY_FLASK = orjson.OPT_PASSTHROUGH_DATETIME
_ALWAYS = orjson.OPT_NON_STR_KEYS | _BY_FLASK


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider, writing and reading through orjson (see the module)."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """``obj`` as JSON text, as Flask's provider writes it (see the module)."""
        indent = kwargs.pop("indent", None)
        separators = kwargs.pop("separators", None)
        default = kwargs.pop("default", self.default)
        sort_keys = kwargs.pop("sort_keys", self.sort_keys)
        kwargs.pop("ensure_ascii", None)
        if kwargs or indent not in (None, 2) or (
                separators is not None and tuple(separators) != _COMPACT and not indent):
            return super().dumps(obj, indent=indent, separators=separators, default=default,
                                 sort_keys=sort_keys, **kwargs)
        option = _ALWAYS | (_SORTED if sort_keys else 0) | (
            orjson.OPT_INDENT_2 if indent else 0)
        try:
            return orjson.dumps(obj, default=default, option=option).decode()
        except orjson.JSONEncodeError:
            return super().dumps(obj, indent=indent, default=default, sort_keys=sort_keys,
                                 separators=separators or (None if indent else _COMPACT))

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """JSON text (or its UTF-8 bytes) read; with arguments, by Flask's provider."""
        return super().loads(s, **kwargs) if kwargs else loads(s)
