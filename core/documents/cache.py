"""PDF documents kept like pages: in the page cache's store, under the council's revision.

A document is printed once and kept under a key holding the deployment's version, the
council's revision (:mod:`core.revisions`), the day, the council's locale, where the
request's links point (:func:`core.page_cache.link_origin`) and the document's name; it is
served from there until any row of the council changes, which gives the council a new
revision and so a fresh document. The store, its expiry and its ``PAGE_CACHE`` switch are
the page cache's (:mod:`core.page_cache`): off there, off here. Signed-in pages (the
admin's links to the same documents) use the same kept copies, which the page cache alone
would not give them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from flask import current_app

from core.councils.models import Council
from core.page_cache import EXTENSION, cache, link_origin

log = logging.getLogger(__name__)


def pdf_key(council: Council, name: str) -> str:
    """The key a document ``name`` of ``council`` is kept under, for this request: its
    links are absolute, so the request's scheme, host and mount point are in it."""
    return "|".join(("pdf", current_app.config["PAGE_CACHE_VERSION"], council.revision,
                     dt.date.today().isoformat(), council.locale, *link_origin(), name))


def kept_pdf(council: Council, name: str, render: Callable[[], bytes]) -> bytes:
    """The document ``name`` of ``council`` as kept, else ``render()`` (then kept). A
    ``render`` that raises (a 404, say) keeps nothing. A store that cannot be reached is
    passed over with a warning: the document is printed afresh."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config["PAGE_CACHE"]:
        return render()
    unreachable = app.extensions[EXTENSION].unreachable
    key = pdf_key(council, name)
    try:
        body = cache.get(key)
    except unreachable as error:
        log.warning("The page cache cannot be reached, so the document is printed afresh: "
                    "%s", error)
        body = None
    if body is not None:
        return body
    body = render()
    try:
        cache.set(key, body)
    except unreachable as error:
        log.warning("The page cache cannot be reached, so the document is not kept: %s",
                    error)
    return body
