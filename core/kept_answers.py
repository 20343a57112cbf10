"""Kept pages answered before Flask, as Flask answered them.

A kept page (:mod:`core.page_cache`) still went through all of Flask and every hook of the
app: the request and app contexts, the session, the URL's preprocessors, the CSRF check,
the security headers, the CORS headers of the API, Flask-Login's remember cookie; about
two thirds of a kept page's time in process, a floor of their own under every page. This
WSGI middleware answers again, without Flask, a request Flask has already answered from
the page cache:

- when Flask answers a request from the page cache, the page cache says so in the WSGI
  environment (:data:`ENVIRON`: the key the page was kept under, how that key was found,
  and where); the middleware keeps the status and headers Flask sent, every hook's
  included, under the request's :func:`signature` (its method, path, query, host, scheme,
  script root, and the ``Accept`` headers, each as sent);
- a later request of the same signature is answered with those headers and the body kept
  under the same key, once the middleware has found that key still stands: the day is
  the same, the revision read through :func:`core.revision_notices.remembered` (from
  memory while nothing has changed, as the page cache reads it) is the one the key was
  made with, and the page cache still holds the same bytes under that key;
- anything else goes through Flask, which keeps or renders the page as before: a request
  with a cookie, with credentials, with a conditional or a range header, with a body, or
  with outlandishly long headers, one not yet answered by Flask, one whose key no longer
  stands, or any failure (a store that cannot be reached is Flask's to report); and every
  request, while the app counts them all (an app-wide rate limit: :data:`OFF`).

So the answer is the one Flask gave for the same request at the same revision: its
status, headers and body are Flask's, none written here. A hook that adds a header that
differs from one request to the next (none of the app's does) would have its first value
repeated; such a hook must mark its requests :data:`NOT_KEPT` (an answer carrying a rate
limit's headers is never kept). The middleware holds up to ``PAGE_CACHE_ENTRIES``
signatures per worker, starting again when full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import Engine
from zlib_ng import zlib_ng

from core.dates import today
from core.revision_notices import remembered

#: Where the page cache tells the middleware it answered from a kept page (an
#: :class:`Answer`), in the WSGI environment.
ENVIRON = "cpt.kept_answer"
#: Set (to anything true) in the WSGI environment by a hook whose answer to a request must
#: not be repeated to the next (one that counts requests, or adds a header that changes):
#: an ``after_request`` hook (those run for a kept page's answer too; a ``before_request``
#: hook registered after the page cache's does not run for it).
NOT_KEPT = "cpt.not_kept"
#: Set (to anything true) in ``app.extensions`` when every request must reach Flask (an
#: app-wide rate limit, which counts each request: :mod:`core.auth.throttle`).
OFF = "cpt_kept_answers_off"
#: Response headers that say an answer belongs to its request alone (a rate limit's).
PER_REQUEST = ("x-ratelimit-", "retry-after")
#: The most characters of a request's signature kept (a longer one, made of outlandish
#: headers, is answered by Flask every time rather than filling the worker's memory).
LONGEST_SIGNATURE = 2048
#: zlib's window bits for the gzip format.
GZIP_WBITS = zlib_ng.MAX_WBITS | 16
#: The parts of a request an answer may depend on: taken as they are.
SIGNED = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "wsgi.url_scheme",
          "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING",
          "HTTP_ACCEPT_LANGUAGE")
#: Headers that send a request through Flask whatever it asks for (a body included: the
#: app checks what a body holds, even a GET's).
PASSED_ON = ("HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH",
             "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
             "HTTP_IF_RANGE", "HTTP_RANGE", "CONTENT_TYPE", "HTTP_TRANSFER_ENCODING")


@dataclass(frozen=True)
class Answer:
    """How the page cache answered a request from a kept page: the key it was kept under,
    the remembered read its revision came from (``remember_key``, ``read``, and the
    ``rows`` it gave), the day in the key, the body's checksum, and the store and
    engine."""

    cache_key: str
    remember_key: str
    read: Callable[[], Any]
    rows: Any
    day: str
    #: The kept body's CRC-32: the same key may come to hold other bytes (another
    #: release's zipping, in a store shared by servers), whose length the kept headers
    #: would not give.
    checksum: int
    store: Any
    engine: Engine


@dataclass(frozen=True)
class _Kept:
    """An answer Flask gave, as sent: its status and headers, and whether its body was the
    kept gzip as it is."""

    answer: Answer
    status: str
    headers: tuple[tuple[str, str], ...]
    gzipped: bool


def checksum(body: bytes) -> int:
    """A kept body's CRC-32 (:attr:`Answer.checksum`)."""
    return zlib_ng.crc32(body)


def unzipped(body: bytes) -> bytes:
    """A kept page's gzipped body unzipped (zlib-ng's, about twice as fast as zlib's)."""
    return zlib_ng.decompress(body, GZIP_WBITS)


def signature(environ: dict[str, Any]) -> tuple[Any, ...] | None:
    """What identifies the request's answer, or ``None`` for a request only Flask may
    answer (not a GET or HEAD, or carrying a cookie, credentials or a condition)."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    if any(environ.get(name) for name in PASSED_ON) or environ.get(
            "CONTENT_LENGTH") not in (None, "", "0"):
        return None
    signed = tuple(environ.get(name) for name in SIGNED)
    if sum(len(part) for part in signed if isinstance(part, str)) > LONGEST_SIGNATURE:
        return None
    return signed


class KeptAnswers:
    """The WSGI middleware (see the module's docstring), around ``wsgi_app``, Flask's."""

    def __init__(self, app: Flask, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.kept: dict[tuple[Any, ...], _Kept] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        config = self.app.config
        on = config["PAGE_CACHE"] and not self.app.extensions.get(OFF)
        signed = signature(environ) if on else None
        if signed is None:
            return self.wsgi_app(environ, start_response)
        kept = self.kept.get(signed)
        if kept is not None:
            body = self._body(kept, config["REVISION_NOTICE_MAX_AGE"])
            if body is not None:
                start_response(kept.status, list(kept.headers))
                return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]
            self.kept.pop(signed, None)
        sent: list[tuple[str, list[tuple[str, str]]]] = []

        def heard(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent[:] = [(status, headers)]
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, heard)
        answer = environ.get(ENVIRON)
        if answer is not None and sent and not environ.get(NOT_KEPT):
            self._keep(signed, answer, *sent[0])
        return result

    def _keep(self, signed: tuple[Any, ...], answer: Answer, status: str,
              headers: list[tuple[str, str]]) -> None:
        names = {name.lower(): value for name, value in headers}
        if (not status.startswith("200 ") or "set-cookie" in names
                or any(name.startswith(PER_REQUEST) for name in names)):
            return
        if len(self.kept) >= self.app.config["PAGE_CACHE_ENTRIES"]:
            self.kept.clear()
        self.kept[signed] = _Kept(answer, status, tuple(headers),
                                  names.get("content-encoding") == "gzip")

    @staticmethod
    def _body(kept: _Kept, max_age: float) -> bytes | None:
        """The kept page's body as Flask sent it, or ``None`` when its key no longer
        stands (or the store or database did not answer: Flask then says why)."""
        answer = kept.answer
        try:
            if answer.day != today().isoformat():
                return None
            rows = remembered(answer.engine, answer.remember_key, answer.read,
                              max_age=max_age)
            if rows != answer.rows:
                return None
            stored = answer.store.get(answer.cache_key)
            if stored is None or checksum(stored.body) != answer.checksum:
                return None
            return stored.body if kept.gzipped else unzipped(stored.body)
        except Exception:
            return None
