"""Blueprints whose every URL starts with a council's slug.

``council_blueprint`` resolves ``<council>`` to an active council (404 otherwise), keeps it
in ``g.council`` (a :class:`~core.councils.services.CouncilRow` in a request that only
reads, the model otherwise) and fills it back into ``url_for`` calls, so no view can reach
another council's rows by forgetting a filter. Under a blueprint marked with
:func:`core.page_cache.cache_pages`, a kept copy of the page may answer first.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from core.councils.services import council_or_404, council_row_or_404
from core.page_cache import caches_pages, serve_kept
from core.safe_requests import in_safe_request


def council_blueprint(name: str, import_name: str, url_prefix: str = "", *,
                      base: str = "", cls: type[Blueprint] = Blueprint, **options: Any
                      ) -> Blueprint:
    """A blueprint mounted under ``base`` + ``/<council>`` + ``url_prefix``."""
    blueprint = cls(name, import_name, url_prefix=f"{base}/<council>{url_prefix}",
                    template_folder="templates", **options)

    @blueprint.url_value_preprocessor
    def load_council(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values is None:
            return
        slug = values.pop("council")
        if caches_pages(blueprint) and serve_kept(slug):
            return  # answered from the page cache: the view does not run
        # A request that only reads has the council as a row (read past the ORM's loading);
        # one that may change something has the model.
        g.council = council = (council_row_or_404 if in_safe_request() else council_or_404)(
            slug)
        # What the rest of the request reads of the council after a commit has expired
        # ``g.council`` (links to its pages, the locale of a flashed message), kept as read,
        # so that a redirect after a save does not load the row again.
        g.council_slug, g.council_locale = slug, council.locale

    @blueprint.url_defaults
    def add_council(endpoint: str, values: dict[str, Any]) -> None:
        if "council" not in values and getattr(g, "council", None) is not None:
            values["council"] = g.get("council_slug") or g.council.slug

    return blueprint
