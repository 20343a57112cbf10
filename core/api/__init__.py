"""The read-only JSON API, described by OpenAPI at ``/api/openapi.json``.

Every endpoint but the list of councils sits under ``/api/councils/<council>`` and is
scoped to that council. The bodies come from the areas' marshmallow schemas; lists are
paged, filtered and offered as CSV the same way (:mod:`core.api.listing`).

The API is open to every origin (CORS): it is public, read-only data, answered the same to
everyone, and it never reads a session. So every answer under ``/api/`` (errors and the
OpenAPI document included) carries ``Access-Control-Allow-Origin: *`` and exposes its paging
and download headers to scripts; a preflight ``OPTIONS`` is answered for ``GET``, ``HEAD``
and ``OPTIONS`` only. Credentials are never allowed, so a browser sends no cookie with a
cross-origin request. No other route (pages, admin, sign-in) sends CORS headers.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from flask_smorest import Api

from core.api.endpoints import council_api, councils_api

#: What scripts on other origins may do and read.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Expose-Headers": "Link, X-Pagination, Content-Disposition, ETag",
    "Access-Control-Max-Age": "86400",
}


def register_api(app: Flask) -> Api:
    """Mount the API on ``app``; API errors are JSON ``{code, status, message}``."""
    api = Api(app, spec_kwargs={"info": {"description": __doc__}})
    api.register_blueprint(councils_api)
    api.register_blueprint(council_api)
    app.extensions["cpt_api"] = api

    @app.after_request
    def open_to_every_origin(response: Response) -> Response:
        if request.path.startswith("/api/"):
            response.headers.update(CORS_HEADERS)
            if request.blueprint in (council_api.name, councils_api.name):
                response.vary.add("Accept")
        return response

    return api


def handle_api_error(app: Flask, error: Any) -> Any:
    """The API's JSON body for an HTTP error."""
    return app.extensions["cpt_api"].handle_http_exception(error)
