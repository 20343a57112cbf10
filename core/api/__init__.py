"""The read-only JSON API, described by OpenAPI at ``/api/openapi.json``.

Every endpoint but the list of councils sits under ``/api/councils/<council>`` and is
scoped to that council. The bodies come from the areas' marshmallow schemas.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api

from core.api.endpoints import council_api, councils_api


def register_api(app: Flask) -> Api:
    """Mount the API on ``app``; API errors are JSON ``{code, status, message}``."""
    api = Api(app, spec_kwargs={"info": {"description": __doc__}})
    api.register_blueprint(councils_api)
    api.register_blueprint(council_api)
    app.extensions["cpt_api"] = api
    return api


def handle_api_error(app: Flask, error: Any) -> Any:
    """The API's JSON body for an HTTP error."""
    return app.extensions["cpt_api"].handle_http_exception(error)
