"""URLs built once: what ``url_for`` answered inside a request, kept by what settles it.

Werkzeug builds a URL in about 10 µs (the rule found, the council's slug added by
:func:`core.councils.scoping.council_blueprint`'s ``url_defaults``, each value converted and
quoted), and a page builds five to ten of them. A relative URL built in a request is a
function of the endpoint (with the blueprint of a relative one), the values given, the
council whose slug the defaults add, and the request's URL adapter (its server name, script
root and subdomain): :meth:`KeptUrls.get` keeps it under those. An external URL, one with
an anchor, a method or a scheme, one built outside a request or from a value that cannot
be a key is built by Flask every time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from flask import g
from flask.globals import _cv_request

#: How many URLs an app keeps: emptied when full (a national host's public pages link to
#: about 20,000: every council's pages, meetings, pledges and indicators).
URLS_KEPT = 32768


def url_key(endpoint: str, values: Mapping[str, Any]) -> Hashable | None:
    """What settles the relative URL of ``endpoint`` with ``values`` in the current
    request, or ``None`` outside a request or for a value that cannot be a key. Each value
    with its type: ``1``, ``1.0`` and ``True`` are equal but written apart."""
    context = _cv_request.get(None)
    if context is None:
        return None
    adapter = context.url_adapter
    if adapter is None:
        return None
    council = g.get("council")
    slug = None if council is None else (g.get("council_slug") or council.slug)
    key = (endpoint, context.request.blueprint if endpoint[:1] == "." else None, slug,
           adapter.server_name, adapter.script_name, adapter.subdomain,
           *[(name, type(value), value) for name, value in values.items()])
    try:
        hash(key)
    except TypeError:  # a list of values, say
        return None
    return key


class KeptUrls:
    """An app's kept URLs (see the module's docstring)."""

    def __init__(self, size: int = URLS_KEPT) -> None:
        self.size = size
        self.urls: dict[Hashable, str] = {}

    def get(self, endpoint: str, values: dict[str, Any], build: Callable[..., str]) -> str:
        """The URL of ``endpoint`` with ``values``: kept, or made by ``build(endpoint,
        **values)`` (Flask's ``url_for``) and kept when it may be."""
        key = url_key(endpoint, values)
        if key is None:
            return build(endpoint, **values)
        found = self.urls.get(key)
        if found is None:
            found = build(endpoint, **values)
            if len(self.urls) >= self.size:
                self.urls.clear()
            self.urls[key] = found
        return found
