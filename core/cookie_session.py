"""Flask's signed-cookie session, its signer made once for each secret key, and an empty
session saved without its settings looked up.

Flask's :class:`~flask.sessions.SecureCookieSessionInterface` builds a new
:class:`itsdangerous.URLSafeTimedSerializer` twice a request, to open the session and to
save it, whether or not the request carries a cookie: about 14 µs of every request, a
cached page's included. The serializer holds nothing of a request (its keys, salt and
signer settings only), so it is kept here and made again only when ``SECRET_KEY`` or
``SECRET_KEY_FALLBACKS`` change. Saving a session that is empty and unchanged (every
anonymous request) sets no cookie: Flask still looks up the cookie's seven settings
first, and parses and writes the response's ``Vary`` again to add ``Cookie`` when it is
already there. Here such a session only adds ``Cookie`` to ``Vary``, as Flask does, when
it was read (:func:`core.headers.vary_on`, on the header's text). Cookies are signed,
read, refused and deleted exactly as Flask's own interface does.
"""

from __future__ import annotations

from collections.abc import Hashable

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer

from core.headers import vary_on


class KeptSignerSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, with its signing serializer kept while the keys stay the
    same (an app's own: one interface per app)."""

    def __init__(self) -> None:
        self._kept: tuple[Hashable, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer for ``app``'s current keys, made once for those keys."""
        fallbacks = app.config["SECRET_KEY_FALLBACKS"] or ()
        keys = (app.secret_key, tuple(fallbacks))
        kept = self._kept
        if kept is None or kept[0] != keys:
            kept = self._kept = (keys, super().get_signing_serializer(app))
        return kept[1]

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Flask's save, but for an empty session that did not change (no cookie to set
        or delete): then only ``Vary: Cookie`` when it was read, as Flask adds it."""
        if session or session.modified:
            super().save_session(app, session, response)
        elif session.accessed:
            vary_on(response, "Cookie")


def init_cookie_session(app: Flask) -> None:
    """Give ``app`` a session interface of its own that keeps its signer."""
    app.session_interface = KeptSignerSessionInterface()
