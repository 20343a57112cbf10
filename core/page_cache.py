"""Whole public pages kept, gzipped, and served again until their council changes.

The pages of a blueprint marked with :func:`cache_pages` are kept per URL (its scheme,
host, mount point, path and query), locale, day and council revision
(:mod:`core.revisions`). Before such a page's view runs, one light statement reads the
council's revision; a page kept under it answers, and the view never runs. A page is
therefore never served after any change to its council's rows, whichever worker or server
made the change, so each worker may keep its own pages, or every worker of every server
share one store, and several servers may share one database. On PostgreSQL a
worker remembers the revisions it has read until the database notifies it that they
changed, and skips that statement meanwhile (:mod:`core.revision_notices`: a page is then
served until the notice arrives, a fraction of a millisecond after the commit). The day is
in the key because pages say what is overdue or coming up (they decide it by that day,
:func:`core.dates.today`, never by the time of day); the deployment's code and plugin
versions are too, so that a new release never serves a page an older one rendered.

Pages that list every council (the home page, the API's list of councils: blueprints marked
with :func:`cache_directory_pages`) are kept the same way under the list of councils' own
revision (:class:`~core.councils.models.Directory`), read in one statement of one row:
a change to any council's own row renders them afresh; a change to its other rows, which
they do not show, does not. Their locale is the browser's, so it is in the key and they
vary on ``Accept-Language``.

A blueprint that answers one URL in several formats (the API: JSON, or CSV when asked with
``Accept: text/csv``) names them with :func:`negotiates`: the format chosen is in the key,
and such pages vary on ``Accept`` too. Headers that are part of the answer (a download's
``Content-Disposition``, the API's paging headers: :data:`KEPT_HEADERS`) are kept with it.

Only anonymous GETs are cached, and only without a flashed message waiting; a response
is kept only when it is a 200 that sets no cookie. Each body is kept gzipped: clients that
accept gzip get it as it is, others get it unzipped. Both are zlib-ng's (the same format,
about twice as fast as zlib: a 21 KB overview unzipped in 11 µs rather than 18, a 110 KB
list of pledges in 20 rather than 46). Where pages are kept is
``PAGE_CACHE_STORE`` (env ``CPT_PAGE_CACHE``, read by :func:`init_page_cache`):

- ``memory`` (the default): Flask-Caching's SimpleCache, in each worker's memory, bounded by
  ``PAGE_CACHE_ENTRIES``, each page kept as it is (:class:`MemoryPages`: not pickled);
- ``off``: nothing is kept and every page is rendered, as with ``PAGE_CACHE`` false;
- ``redis://host:port/db`` (``rediss://`` over TLS): Flask-Caching's RedisCache, one store
  shared by every worker and server. The ``redis`` client is imported only then.

Every entry expires :data:`KEEP_SECONDS` (a day) after it was kept, in every store: no page
outlives the day in its key for long, and entries that a write has made unreachable go
too. A Redis server also needs a ``maxmemory`` (docs/deploy.md). A store that cannot be
reached is passed over with a warning in the log: the page is rendered, as if not kept.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, abort, current_app, g, request, session
from flask_babel import get_locale
from flask_caching import Cache
from flask_caching.backends import SimpleCache
from flask_login import current_user
from sqlalchemy import bindparam, select
from werkzeug.http import quote_etag
from werkzeug.utils import get_content_type
from zlib_ng import gzip_ng

from core import kept_answers
from core.councils.models import Council, Directory
from core.dates import today
from core.extensions import db
from core.raw_reads import RawRead
from core.revision_notices import MAX_AGE, remembered
from core.stores import REDIS_CLIENT_OPTIONS, is_redis_url, without_password

#: Where an app keeps its revision reads (:class:`~core.raw_reads.RawRead`), in
#: ``app.extensions``.
READS = "cpt_page_cache_reads"
#: Marks a blueprint whose pages may be cached.
MARK = "_cpt_cache_pages"
#: Gzip level: 6 packs a page to about a tenth in well under a millisecond.
LEVEL = 6
#: Seconds an entry is kept at most, in every store: a day, since the day is in the key.
KEEP_SECONDS = 24 * 3600
#: An app's :class:`Store`, in ``app.extensions``.
EXTENSION = "cpt_page_store"
#: Marks a blueprint that answers in several formats (see :func:`negotiates`).
OFFERS = "_cpt_cache_offers"
#: Response headers kept with a page, as part of what it says.
KEPT_HEADERS = ("Content-Disposition", "Link", "X-Pagination")

log = logging.getLogger(__name__)

AnyBlueprint = TypeVar("AnyBlueprint", bound=Blueprint)
cache = Cache()


def cache_pages(blueprint: AnyBlueprint) -> AnyBlueprint:
    """Let :mod:`core.page_cache` keep the anonymous responses of ``blueprint``'s GET
    routes: public pages of one council (made with
    :func:`core.councils.scoping.council_blueprint`), whose content its rows alone decide."""
    setattr(blueprint, MARK, True)
    return blueprint


def negotiates(blueprint: AnyBlueprint, *mimetypes: str) -> AnyBlueprint:
    """Mark ``blueprint`` as answering each URL in any of ``mimetypes`` (the first is the
    default), chosen by the request's ``Accept``: kept pages are keyed by the one chosen."""
    setattr(blueprint, OFFERS, mimetypes)
    return blueprint


#: ``Accept`` headers that accept every format alike (``*/*``, as curl and most API
#: clients send; empty; none): the first format a blueprint offers is chosen without
#: parsing them (three times an API request, about 5 µs each).
ANY_FORMAT = frozenset({"*/*", ""})


def link_origin() -> tuple[str, str, str]:
    """Where the request's absolute links point (a list's ``Link`` header, a feed's, a
    document's): its scheme, host and script root (a prefix the app is mounted under).
    Every key of what is kept for a request holds them, so that nothing made for one
    origin is served to another."""
    return request.scheme, request.host, request.script_root


def chosen_format(blueprint_name: str | None) -> str | None:
    """The format the request asks for among those the blueprint named ``blueprint_name``
    offers (see :func:`negotiates`): the first unless ``Accept`` prefers another; ``None``
    for a blueprint that offers one format."""
    offers = getattr(current_app.blueprints.get(blueprint_name or ""), OFFERS, None)
    if not offers:
        return None
    if request.environ.get("HTTP_ACCEPT", "*/*").strip() in ANY_FORMAT:
        return offers[0]  # every format equally acceptable: the first, without parsing
    accept = request.accept_mimetypes
    return max(offers, key=lambda mimetype: (accept[mimetype], -offers.index(mimetype)))


def caches_pages(blueprint: Blueprint) -> bool:
    return getattr(blueprint, MARK, False)


def cache_directory_pages(blueprint: AnyBlueprint) -> AnyBlueprint:
    """Let :mod:`core.page_cache` keep the anonymous responses of ``blueprint``'s GET
    routes: pages listing every council, whose content the councils' rows alone decide."""

    @blueprint.url_value_preprocessor
    def serve_kept_directory(endpoint: str | None, values: dict[str, Any] | None) -> None:
        serve_kept_listing()

    return blueprint


@dataclass(frozen=True)
class Stored:
    """A response as kept: its body gzipped."""

    body: bytes
    mimetype: str
    etag: str
    #: The response's :data:`KEPT_HEADERS`, as (name, value) pairs.
    headers: tuple[tuple[str, str], ...] = ()


#: The council's id, revision and locale, read for every request under a cached
#: blueprint before anything else (one light statement, no ORM objects).
_REVISION = (select(Council.revision, Council.locale)
             .where(Council.slug == bindparam("slug"), Council.archived_at.is_(None)))


class _AsTheyAre:
    """cachelib's serializer, keeping values as they are."""

    def dumps(self, value: Any) -> Any:
        return value

    def loads(self, value: Any) -> Any:
        return value


class MemoryPages(SimpleCache):
    """Flask-Caching's SimpleCache without pickling: what the page cache keeps is a
    :class:`Stored` (immutable: bytes, text and tuples), shared as it is by the requests
    that read it. SimpleCache pickles each value it keeps and unpickles it at every read,
    for values a caller might change; a kept page was about 4 µs of that a request."""

    serializer = _AsTheyAre()


@dataclass(frozen=True)
class Store:
    """A page store as configured: Flask-Caching's settings for it, and the errors that
    mean it cannot be reached (the page is then rendered afresh)."""

    settings: dict[str, Any]
    unreachable: tuple[type[Exception], ...] = ()


def page_store(value: str, entries: int) -> Store:
    """The store that ``PAGE_CACHE_STORE`` names: ``memory`` (keeping up to ``entries``
    pages in each worker), ``off`` or a Redis URL. Anything else is a ValueError naming the
    setting and what it allows, raised at start."""
    name = value.strip()
    if name.lower() == "memory":
        return Store({"CACHE_TYPE": f"{__name__}.MemoryPages", "CACHE_THRESHOLD": entries})
    if name.lower() == "off":
        return Store({"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})
    if is_redis_url(name):
        from redis.exceptions import RedisError  # only for a Redis store

        return Store({"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": name,
                      "CACHE_OPTIONS": dict(REDIS_CLIENT_OPTIONS)}, (RedisError,))
    raise ValueError(
        "PAGE_CACHE_STORE (env CPT_PAGE_CACHE) must be 'memory' (the default), 'off', or a "
        "Redis URL such as redis://host:6379/0 (rediss:// over TLS), not "
        f"{without_password(value)!r}")


def notice_max_age(value: str | None) -> float:
    """``CPT_REVISION_NOTICE_MAX_AGE`` as seconds (unset: :data:`~core.revision_notices.
    MAX_AGE`); anything but a number of seconds from 0 is a ValueError naming it, raised at
    start."""
    if value is None or not value.strip():
        return MAX_AGE
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ValueError("CPT_REVISION_NOTICE_MAX_AGE must be a number of seconds from 0 "
                         f"(0 turns revision notices off), not {value!r}")
    return seconds


def _passed_over(error: Exception) -> None:
    log.warning("The page cache cannot be reached, so the page is rendered afresh: %s", error)


def _cacheable(app: Flask) -> bool:
    """Whether this request may be answered from, or kept in, the cache."""
    if request.method not in ("GET", "HEAD") or not app.config["PAGE_CACHE"]:
        return False
    if request.cookies.get(app.config["SESSION_COOKIE_NAME"]):
        return not (current_user.is_authenticated or session.get("_flashes"))
    return True


def _read(statement: Any) -> RawRead:
    """``statement`` as a :class:`~core.raw_reads.RawRead` on the app's engine (made once
    per engine): a revision read costs 9 µs on SQLite instead of 72, and on PostgreSQL one
    round trip, without a BEGIN before it or a ROLLBACK after."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    reads = app.extensions.setdefault(READS, {})
    kept = reads.get(statement)
    if kept is None or kept.engine is not db.engine:
        kept = reads[statement] = RawRead(db.engine, statement)
    return kept


def serve_kept(slug: str) -> bool:
    """For a page of the council ``slug`` under a cached blueprint: whether a kept copy
    will answer (the view is then not run; :func:`init_page_cache` sends it). Otherwise
    the page will be kept once rendered. A 404 for an unknown council."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not _cacheable(app):
        return False
    key, read = f"council:{slug}", functools.partial(_read(_REVISION).rows, slug=slug)
    rows = remembered(db.engine, key, read, max_age=app.config["REVISION_NOTICE_MAX_AGE"])
    if not rows:
        abort(404)
    g.page_cache_revision = (key, read, rows)
    revision, locale = rows[0]
    # The council's locale is the page's (see core.app._select_locale).
    return _serve_kept(app, revision, locale)


#: The list of councils' revision: what a page listing every council shows changes only
#: with a council's own row (one statement of one row, whatever the number of councils).
_DIRECTORY = select(Directory.revision).where(Directory.id == 1)


def serve_kept_listing() -> bool:
    """For a page listing every council: whether a kept copy will answer, keyed by the list
    of councils' revision and the browser's locale. Without the directory's row (deleted
    by hand) the page is rendered afresh and not kept."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not _cacheable(app):
        return False
    read = _read(_DIRECTORY).rows
    rows = remembered(db.engine, "directory", read,
                      max_age=app.config["REVISION_NOTICE_MAX_AGE"])
    g.page_cache_revision = ("directory", read, rows)
    if not rows:
        log.warning("The directory's revision row is missing, so pages listing every council "
                    "are not kept; put it back with: INSERT INTO directory (id, revision) "
                    "VALUES (1, 'restored')")
        return False
    g.page_cache_varies_by_language = True
    return _serve_kept(app, f"all-{rows[0][0]}", str(get_locale()))


def _serve_kept(app: Flask, revision: str, locale: str) -> bool:
    chosen = chosen_format(request.blueprint)
    if chosen is not None:
        g.page_cache_varies_by_accept = True
    day = today().isoformat()
    key = "|".join((app.config["PAGE_CACHE_VERSION"], revision, day, locale, *link_origin(),
                    request.full_path, chosen or ""))
    try:
        stored = cache.get(key)
    except app.extensions[EXTENSION].unreachable as error:
        _passed_over(error)
        return False
    if stored is None:
        g.page_cache_key = key
        return False
    g.kept_page, g.kept_page_key, g.kept_page_day = stored, key, day
    return True


def _respond(stored: Stored) -> Response:
    """The kept page as a response: its headers written out at once (a response built
    from a media type and its headers set one by one cost about twice as much)."""
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    headers = [("Content-Type", _content_type(stored.mimetype)), *stored.headers,
               *_validators(stored.etag)]
    if gzipped:
        headers.append(("Content-Encoding", "gzip"))
    response = Response(stored.body if gzipped else kept_answers.unzipped(stored.body),
                        headers=headers)
    if request.if_none_match:
        return response.make_conditional(request)
    return response


@functools.lru_cache(maxsize=32)
def _content_type(mimetype: str) -> str:
    """The Content-Type header of ``mimetype``, as Flask's response writes it."""
    return get_content_type(mimetype, "utf-8")


def _validators(etag: str) -> tuple[tuple[str, str], ...]:
    """The headers a kept page (or one just kept) carries for caches and browsers: what
    it varies by, that it must be revalidated, and its ETag."""
    vary = "Accept-Encoding, Cookie"
    if g.get("page_cache_varies_by_language"):
        vary += ", Accept-Language"
    if g.get("page_cache_varies_by_accept"):
        vary += ", Accept"
    return (("Vary", vary), ("Cache-Control", "no-cache"), ("ETag", quote_etag(etag)))


def _finish(response: Response, etag: str) -> Response:
    for name, value in _validators(etag):
        response.headers[name] = value
    if request.if_none_match:
        return response.make_conditional(request)
    return response


def init_page_cache(app: Flask) -> None:
    """Serve and keep marked pages in ``app``.

    Settings: ``PAGE_CACHE_STORE`` (default ``CPT_PAGE_CACHE`` from the environment, else
    ``memory``: see the module's docstring); in memory, each worker keeps up to
    ``PAGE_CACHE_ENTRIES`` pages (default 4,000, about 25 MB gzipped); ``PAGE_CACHE`` false,
    or the store ``off``, turns caching off. On PostgreSQL, each worker remembers the
    revisions it read until the database says they changed, while its listening
    connection answered a heartbeat sent less than ``REVISION_NOTICE_MAX_AGE`` seconds ago
    (env ``CPT_REVISION_NOTICE_MAX_AGE``, default 1; 0 reads them before every kept page:
    :mod:`core.revision_notices`).
    """
    from core import __version__
    from core.plugins import plugin_host

    # A plugin refused at start changes what its council's pages say: its status is keyed.
    versions = sorted(f"{key}={info.version}:{info.status}"
                      for key, info in plugin_host(app).infos.items())
    app.config.setdefault("PAGE_CACHE_VERSION", hashlib.sha1(
        " ".join([__version__, *versions]).encode()).hexdigest()[:12])
    app.config.setdefault("PAGE_CACHE", True)
    app.config.setdefault("PAGE_CACHE_ENTRIES", 4000)
    app.config.setdefault("REVISION_NOTICE_MAX_AGE", notice_max_age(
        os.environ.get("CPT_REVISION_NOTICE_MAX_AGE")))
    app.config.setdefault("PAGE_CACHE_STORE", os.environ.get("CPT_PAGE_CACHE") or "memory")
    store = page_store(app.config["PAGE_CACHE_STORE"], app.config["PAGE_CACHE_ENTRIES"])
    if store.settings["CACHE_TYPE"] == "NullCache":
        app.config["PAGE_CACHE"] = False
    app.extensions[EXTENSION] = store
    cache.init_app(app, config={**store.settings, "CACHE_DEFAULT_TIMEOUT": KEEP_SECONDS,
                                "CACHE_KEY_PREFIX": "cpt:"})
    app.wsgi_app = kept_answers.KeptAnswers(app, app.wsgi_app)  # type: ignore[method-assign]

    @app.before_request
    def serve_kept_page() -> Response | None:
        stored = g.pop("kept_page", None)
        if stored is None:
            return None
        # for the middleware to answer the same request again without Flask
        remember_key, read, rows = g.page_cache_revision
        request.environ[kept_answers.ENVIRON] = kept_answers.Answer(
            g.kept_page_key, remember_key, read, rows, g.kept_page_day,
            kept_answers.checksum(stored.body), cache.cache, db.engine)
        return _respond(stored)

    @app.after_request
    def keep_page(response: Response) -> Response:
        key = g.pop("page_cache_key", None)
        if (key is None or response.status_code != 200 or response.direct_passthrough
                or response.headers.get("Set-Cookie")):
            return response
        etag = hashlib.sha1(key.encode()).hexdigest()[:20]
        try:
            kept = tuple((name, response.headers[name]) for name in KEPT_HEADERS
                         if name in response.headers)
            cache.set(key, Stored(gzip_ng.compress(response.get_data(), LEVEL, mtime=0),
                                  response.mimetype or "text/html", etag, kept))
        except store.unreachable as error:
            _passed_over(error)
        return _finish(response, etag)
