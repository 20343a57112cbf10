"""Blueprints whose every URL starts with a council's slug.

``council_blueprint`` resolves ``<council>`` to an active council (404 otherwise), keeps it
in ``g.council`` and fills it back into ``url_for`` calls, so no view can reach another
council's rows by forgetting a filter.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from core.councils.services import council_or_404


def council_blueprint(name: str, import_name: str, url_prefix: str = "", *,
                      base: str = "", cls: type[Blueprint] = Blueprint, **options: Any
                      ) -> Blueprint:
    """A blueprint mounted under ``base`` + ``/<council>`` + ``url_prefix``."""
    blueprint = cls(name, import_name, url_prefix=f"{base}/<council>{url_prefix}",
                    template_folder="templates", **options)

    @blueprint.url_value_preprocessor
    def load_council(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values is not None:
            g.council = council_or_404(values.pop("council"))

    @blueprint.url_defaults
    def add_council(endpoint: str, values: dict[str, Any]) -> None:
        if "council" not in values and getattr(g, "council", None) is not None:
            values["council"] = g.council.slug

    return blueprint
