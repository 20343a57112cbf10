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

import threading
from collections.abc import Callable
from typing import Any

from apispec import APISpec
from flask import Flask, Response, request
from flask_smorest import Api

from core.api.endpoints import council_api, councils_api
from core.headers import vary_on

#: What scripts on other origins may do and read.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Link, X-Pagination, Content-Disposition, ETag",
}
#: What a browser's preflight request (``OPTIONS``) is answered with as well; other answers
#: need not carry them.
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Max-Age": "86400",
}


class DocumentedOnFirstRead(Api):
    """flask-smorest's ``Api``, with the blueprints' views written into the OpenAPI
    document when the document is first read (``/api/openapi.json``, ``flask openapi``)
    instead of when each blueprint is registered. Writing them resolves every schema the
    API answers with, a third of the time the app takes to be made: a server need not
    spend it before its first answer, nor at all if no one asks for the document.

    Registration is otherwise flask-smorest's own (routes, names, tags); an
    :class:`~core.api.listing.ApiBlueprint` hands its views' documentation to
    :meth:`document_later`, and it is written, in the order of registration, before the
    document is first given out.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._spec: APISpec | None = None
        #: What writes each registered blueprint's views into the document, in order.
        self._undocumented: list[Callable[[], None]] = []
        self._documenting = threading.Lock()
        #: The thread writing the document: a write that reads ``spec`` gets it as it is
        #: rather than waiting for itself.
        self._writer: int | None = None
        self._registering = False
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def spec(self) -> APISpec | None:
        """The OpenAPI document, with every blueprint registered so far written in."""
        if (self._undocumented and not self._registering
                and self._writer != threading.get_ident()):
            with self._documenting:
                self._writer = threading.get_ident()
                try:
                    while self._undocumented:  # taken off once written: another thread
                        self._undocumented[0]()    # seeing none left sees them all written
                        self._undocumented.pop(0)
                finally:
                    self._writer = None
        return self._spec

    @spec.setter
    def spec(self, value: APISpec | None) -> None:
        self._spec = value

    def document_later(self, write: Callable[[], None]) -> None:
        """Have ``write`` (a blueprint's views written into the document) called when the
        document is first read."""
        self._undocumented.append(write)

    def register_blueprint(self, blp: Any, **options: Any) -> None:
        """flask-smorest's registration, the document left as it is until read."""
        self._registering = True
        try:
            super().register_blueprint(blp, **options)
        finally:
            self._registering = False


def register_api(app: Flask) -> Api:
    """Mount the API on ``app``; API errors are JSON ``{code, status, message}``."""
    api = DocumentedOnFirstRead(app, spec_kwargs={"info": {"description": __doc__}})
    api.register_blueprint(councils_api)
    api.register_blueprint(council_api)
    app.extensions["cpt_api"] = api

    @app.after_request
    def open_to_every_origin(response: Response) -> Response:
        if request.path.startswith("/api/"):
            response.headers.update(CORS_HEADERS)
            if request.method == "OPTIONS":
                response.headers.update(PREFLIGHT_HEADERS)
            if request.blueprint in (council_api.name, councils_api.name):
                vary_on(response, "Accept")
        return response

    return api


def handle_api_error(app: Flask, error: Any) -> Any:
    """The API's JSON body for an HTTP error."""
    return app.extensions["cpt_api"].handle_http_exception(error)
