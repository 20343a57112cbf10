"""Links in messages: absolute URLs of the toolkit's pages, in a request or out of one.

In a request a link is made from the address the request came to, unless ``CPT_PUBLIC_URL``
(``PUBLIC_URL``) names where the toolkit is served; out of a request (``cpt remind``) only
from ``CPT_PUBLIC_URL``, and without it :func:`absolute_url` gives ``None``: the message
then says where to go in words.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


class PublicUrlError(ValueError):
    """``CPT_PUBLIC_URL`` is not an http(s) address."""


def public_url() -> str | None:
    """``CPT_PUBLIC_URL`` as set (checked), without a trailing slash; ``None`` if unset."""
    value = str(current_app.config.get("PUBLIC_URL") or "").strip().rstrip("/")
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PublicUrlError(f"CPT_PUBLIC_URL must be an http:// or https:// address, "
                             f"not {value!r}")
    return value


def absolute_url(endpoint: str, **values: Any) -> str | None:
    """The absolute URL of ``endpoint`` (see the module's docstring), or ``None`` when no
    base address is known."""
    base = public_url()
    if base is None:
        return url_for(endpoint, _external=True, **values) if has_request_context() else None
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, url_scheme=parts.scheme,
                                       script_name=parts.path or "/")
    return adapter.build(endpoint, values, force_external=True)
