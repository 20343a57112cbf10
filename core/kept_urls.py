"""URLs built once: what ``url_for`` answered inside a request, kept by what settles it.

Werkzeug builds a URL in about 10 µs (the rule found, the council's slug added by
:func:`core.councils.scoping.council_blueprint`'s ``url_defaults``, each value converted and
quoted), and a page builds five to ten of them. A relative URL built in a request is a
function of the endpoint (with the blueprint of a relative one), the values given, the
council whose slug the defaults add, and the request's URL adapter (its server name, script
root and subdomain): :meth:`KeptUrls.get` keeps it under those. An external URL, one with
an anchor, a method or a scheme, one built outside a request, and one given a value of
another type than :data:`PLAIN` (a list, whose items Werkzeug writes one by one; a
``Decimal``, whose equal values are written differently) is built by Flask every time. A
``url_defaults`` function that adds anything but the council's slug must add what it reads
to :func:`url_key`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from flask import g
from flask.globals import _cv_request

#: How many URLs an app keeps: emptied when full (a national host's public pages link to
#: about 20,000: every council's pages, meetings, pledges and indicators).
URLS_KEPT = 32768
#: The types of the values a kept URL may be built from: each written by ``str``, and
#: equal values of one type written alike.
PLAIN = (str, int, float, bool, type(None), dt.date)


def url_key(endpoint: str, values: Mapping[str, Any]) -> Hashable | None:
    """What settles the relative URL of ``endpoint`` with ``values`` in the current
    request, or ``None`` outside a request or for a value not of a :data:`PLAIN` type. Each
    value with its type: ``1``, ``1.0`` and ``True`` are equal but written apart."""
    context = _cv_request.get(None)
    if context is None:
        return None
    adapter = context.url_adapter
    if adapter is None:
        return None
    given = []
    for name, value in values.items():
        if type(value) not in PLAIN:
            return None
        given.append((name, type(value), value))
    council = g.get("council")
    slug = None if council is None else (g.get("council_slug") or council.slug)
    return (endpoint, context.request.blueprint if endpoint[:1] == "." else None, slug,
            adapter.server_name, adapter.script_name, adapter.subdomain, *given)


class KeptUrls:
    """An app's kept URLs (see the module's docstring)."""

    def __init__(self, size: int = URLS_KEPT) -> None:
        self.size = size
        self.urls: dict[Hashable, str] = {}

    def get(self, key: Hashable, build: Callable[[], str]) -> str:
        """The URL kept under ``key`` (:func:`url_key`'s), or ``build()``'s (Flask's
        ``url_for``), kept."""
        found = self.urls.get(key)
        if found is None:
            found = build()
            if len(self.urls) >= self.size:
                self.urls.clear()
            self.urls[key] = found
        return found
