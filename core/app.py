"""The application factory."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import CodeType, FunctionType
from typing import Any

from babel import Locale
from flask import Flask, g, has_request_context, request
from jinja2 import ChoiceLoader, FileSystemBytecodeCache, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted

from core import __version__
from core.cookie_session import init_cookie_session
from core.csrf_check import init_csrf
from core.dates import install_page_dates
from core.extensions import babel, db, login_manager
from core.headers import init_security_headers
from core.input_check import init_input_check
from core.json_provider import OrjsonProvider
from core.json_provider import loads as json_loads
from core.kept_urls import KeptUrls, url_key
from core.mail.settings import config_from_environment as mail_config_from_environment
from core.page_cache import init_page_cache
from core.plugins import EXTENSION, make_plugin_host, plugin_host
from core.plugins.assets import CouncilTemplates, register_plugin_assets
from core.request_connections import give_back
from core.safe_requests import init_safe_requests
from core.translations import install_page_gettext

log = logging.getLogger(__name__)

#: Folders of templates and translations, one per area.
AREAS = ("councils", "strategy", "pledges", "panels", "reviews", "partners")


def default_database_url(instance_path: str) -> str:
    """SQLite in the instance folder: the embedded default."""
    return f"sqlite:///{Path(instance_path) / 'corporate-parenting.sqlite3'}"


def _env_number(name: str, default: int) -> int:
    """A whole number from the environment, or ``default``."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def _env_flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment (1/0, true/false, yes/no), or ``default``."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
        raise ValueError(f"{name} must be 1 or 0, not {value!r}")
    return value in {"1", "true", "yes", "on"}


def _trusted_hosts() -> list[str] | None:
    """``CPT_TRUSTED_HOSTS``: the host names the app answers to, separated by commas (one
    starting with a dot answers its subdomains as well; a port is not compared), as Flask's
    ``TRUSTED_HOSTS``, in lower case; a request for any other host is answered 400 before
    any page is made, kept or linked to. ``None`` (every host) when unset."""
    value = os.environ.get("CPT_TRUSTED_HOSTS", "").strip()
    if not value:
        return None
    # Werkzeug compares a name as the request sends it, which browsers send in lower case
    hosts = [host.strip().lower() for host in value.split(",") if host.strip()]
    for host in hosts:
        # a name (in ASCII: IDNA's xn-- form) or an IPv4 address, as Werkzeug reads a Host
        # header; a port is allowed and ignored. Werkzeug cuts an entry at its first colon,
        # so an IPv6 address would never match: refused rather than answering nothing.
        if "[" in host or not host_is_trusted(host.removeprefix(".")):
            raise ValueError(
                f"CPT_TRUSTED_HOSTS must list host names separated by commas, such as "
                f"cpt.example.gov.uk or .example.gov.uk (any subdomain), or IPv4 "
                f"addresses: {host!r} is not one")
    return hosts


def _cache_folder(instance_path: str, name: str) -> str:
    path = Path(instance_path) / "cache" / name
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def _secret_key(instance_path: str) -> str:
    """``CPT_SECRET_KEY``, or a random key kept in the instance folder across restarts."""
    if key := os.environ.get("CPT_SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _retention_years() -> int:
    """``CPT_RETENTION_YEARS``, or the default (see :mod:`core.panels.erasure`)."""
    from core.panels.erasure import DEFAULT_RETENTION_YEARS

    years = _env_number("CPT_RETENTION_YEARS", DEFAULT_RETENTION_YEARS)
    if years < 1:
        raise ValueError("CPT_RETENTION_YEARS must be a whole number of years, 1 or more")
    return years


#: How long a write waits for another write's lock before giving up (milliseconds).
LOCK_WAIT_MS = 5000


#: How much of an SQLite database file is read through memory mapping (bytes).
SQLITE_MMAP_BYTES = 1 << 30


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Foreign keys on, and for files write-ahead logging and reads through memory
    mapping, on every SQLite connection.

    Mapped, a page of the file is read where the operating system keeps it; otherwise each
    connection copies pages into a cache of its own, 2 MB by default, and a worker serving
    a hundred councils in turn read most of their pages again with a system call each (the
    overview, its 153 councils in turn: 2.28 → 2.07 ms a render). Writes still go through
    the journal."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")
    cursor.execute("PRAGMA journal_mode")
    if cursor.fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


def _select_locale() -> Locale | None:
    """The council's locale on its pages; otherwise the browser's choice, or en_GB."""
    council = getattr(g, "council", None)
    if council is not None:
        return _locale(g.get("council_locale") or council.locale)
    if has_request_context():
        return _locale(request.accept_languages.best_match(["en_GB", "en", "cy"]) or "en_GB")
    return None


@functools.cache
def _locale(identifier: str) -> Locale:
    """Babel's locale of ``identifier``, made once: Flask-Babel parses what the selector
    gives on every request (a new ``Locale``, its data looked up again: 20-25 µs a page),
    and takes a ``Locale`` as it is."""
    return Locale.parse(identifier)


class CorporateParentingApp(Flask):
    """Flask, with a Jinja environment that prefers a council plugin's own templates."""

    jinja_environment = CouncilTemplates
    json_provider_class = OrjsonProvider

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The code of the plain functions :meth:`ensure_sync` found synchronous (by their
        #: code, which all the closures of one function share: a function made anew on
        #: each request, as ``after_this_request``'s are, adds nothing).
        self._synchronous: set[CodeType] = set()
        #: The relative URLs built in requests (:mod:`core.kept_urls`).
        self.kept_urls = KeptUrls()

    def url_for(self, /, endpoint: str, *, _anchor: str | None = None,
                _method: str | None = None, _scheme: str | None = None,
                _external: bool | None = None, **values: Any) -> str:
        """Flask's ``url_for``; a relative URL built in a request kept by what settles it
        (:class:`core.kept_urls.KeptUrls`)."""
        if _anchor is None and _method is None and _scheme is None and not _external:
            key = url_key(endpoint, values)  # None outside a request, where Flask's differ
            if key is not None:
                return self.kept_urls.get(key, lambda: super(CorporateParentingApp, self)
                                          .url_for(endpoint, _external=_external, **values))
        return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                               _external=_external, **values)

    def do_teardown_request(self, *args: Any, **kwargs: Any) -> None:
        """Flask's teardown functions, then the connection a safe request borrowed for its
        row reads given back (:mod:`core.request_connections`) whatever they did: a
        teardown function that raises stops Flask's loop, not this."""
        try:
            super().do_teardown_request(*args, **kwargs)
        finally:
            give_back()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's answer (``func`` itself, or an ``async def`` function wrapped to run to
        its end), worked out once for each plain function's code: Flask asks for every
        hook and view of every request, and its check of the code's flags was about a
        twentieth of what the app's floor route costs. Anything else (a bound method, a
        partial) is asked of Flask every time."""
        if type(func) is FunctionType and func.__code__ in self._synchronous:
            return func
        found = super().ensure_sync(func)
        if found is func and type(func) is FunctionType:
            self._synchronous.add(func.__code__)
        return found


def create_app(
    config: Mapping[str, Any] | None = None,
    plugins: Mapping[str, object] | Iterable[object] | None = None,
) -> Flask:
    """Build the app.

    ``config`` overrides settings (tests pass ``SQLALCHEMY_DATABASE_URI`` and ``TESTING``);
    ``plugins`` replaces the installed entry points with the given plugin objects.
    Environment: ``CPT_DATABASE_URL`` (default: SQLite in the instance folder),
    ``CPT_SECRET_KEY`` (default: a random key kept in the instance folder),
    ``CPT_RETENTION_YEARS`` (``RETENTION_YEARS``, default 6), ``CPT_PAPERS_PATH``
    (``PAPERS_PATH``, where papers are kept; default ``<instance>/papers``),
    ``CPT_PAPER_MAX_MB`` (``PAPER_MAX_MB``, default 20),
    ``CPT_SMALL_NUMBER_THRESHOLD`` (``SMALL_NUMBER_THRESHOLD``, default 5),
    ``CPT_INSTANCE_PATH``, ``CPT_INVITATION_DAYS`` and ``CPT_PASSWORD_RESET_MINUTES``, and
    the mail settings (:mod:`core.mail.settings`).
    """
    app = CorporateParentingApp(
        "core",
        instance_path=os.environ.get("CPT_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=os.environ.get("CPT_DATABASE_URL")
        or default_database_url(app.instance_path),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # The session cookie is sent again only when the session changes (its last-seen time
        # is refreshed at most once a minute: core.auth.sessions). Re-sending it with every
        # answer, static files included, let an answer to an older request put back a
        # session the browser had already replaced (a two-step secret set up a moment before
        # was lost that way).
        SESSION_REFRESH_EACH_REQUEST=False,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        SESSION_IDLE_MINUTES=_env_number("CPT_SESSION_IDLE_MINUTES", 30),
        # Counts of children below this are never published (core/indicators/suppression.py)
        SMALL_NUMBER_THRESHOLD=_env_number("CPT_SMALL_NUMBER_THRESHOLD", 5),
        SESSION_LIFETIME_HOURS=_env_number("CPT_SESSION_LIFETIME_HOURS", 12),
        # A form's CSRF token lasts as long as the session that made it can.
        WTF_CSRF_TIME_LIMIT=_env_number("CPT_SESSION_LIFETIME_HOURS", 12) * 3600,
        SIGN_IN_LIMIT_PER_ADDRESS=os.environ.get("CPT_SIGN_IN_LIMIT_PER_ADDRESS")
        or "20 per 10 minutes",
        SIGN_IN_LIMIT_PER_ACCOUNT=os.environ.get("CPT_SIGN_IN_LIMIT_PER_ACCOUNT")
        or "5 per 10 minutes",
        RATELIMIT_STORAGE_URI=os.environ.get("CPT_RATELIMIT_STORAGE_URI") or "memory://",
        # How long emailed one-time links work (core.auth.invitations, .password_reset).
        INVITATION_DAYS=_env_number("CPT_INVITATION_DAYS", 7),
        PASSWORD_RESET_MINUTES=_env_number("CPT_PASSWORD_RESET_MINUTES", 60),
        BABEL_DEFAULT_LOCALE="en_GB",
        BABEL_DEFAULT_TIMEZONE="Europe/London",
        BABEL_TRANSLATION_DIRECTORIES="translations",
        JSON_SORT_KEYS=False,
        API_TITLE="Corporate parenting toolkit",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        RETENTION_YEARS=_retention_years(),
        # Papers on agenda items: kept outside the web root (core/meetings/papers.py).
        PAPERS_PATH=os.environ.get("CPT_PAPERS_PATH")
        or str(Path(app.instance_path) / "papers"),
        PAPER_MAX_MB=_env_number("CPT_PAPER_MAX_MB", 20),
        TRUSTED_HOSTS=_trusted_hosts(),
    )
    app.config.from_mapping(mail_config_from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    # No request body larger than a paper and its form (a megabyte more): a paper up to
    # that size is refused with a field error, anything larger with a 413.
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = (int(app.config["PAPER_MAX_MB"]) + 1) * 1024 * 1024
    # Cookies only over HTTPS, except in tests and when CPT_SECURE_COOKIES=0 (`cpt run`, the
    # development server on plain HTTP, sets it off unless told otherwise).
    secure = _env_flag("CPT_SECURE_COOKIES", not app.config.get("TESTING"))
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if name not in (config or {}):
            app.config[name] = secure
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(
        hours=app.config["SESSION_LIFETIME_HOURS"])
    # A database server's idle connections may be dropped (by the server or a firewall),
    # so they are replaced after five minutes. Testing each before use (pool_pre_ping)
    # would cost a round trip on every request, as much as a cached page's own statement.
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    # JSON columns are read by orjson (core.json_provider), a few times faster.
    options: dict[str, Any] = {"json_deserializer": json_loads}
    if not url.startswith("sqlite"):
        options["pool_recycle"] = 300
        if url.startswith("postgresql"):
            # A write waits for another's lock at most LOCK_WAIT_MS, as on SQLite (its busy
            # timeout), then gets a 503 asking to try again (core.web).
            options["connect_args"] = {"options": f"-c lock_timeout={LOCK_WAIT_MS}"}
            # psycopg prepares a statement run five times on a connection (see
            # core.safe_requests); CPT_PREPARED_STATEMENTS=0 turns that off, for a pooler in
            # transaction mode that cannot keep prepared statements.
            if not _env_flag("CPT_PREPARED_STATEMENTS", True):
                options["connect_args"]["prepare_threshold"] = None
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)

    app.jinja_loader = ChoiceLoader([
        PackageLoader("core"),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                      "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf")}),
    ])
    # Compiled templates are kept in the instance folder, so a restart does not compile
    # every template again (Jinja checks each against its source's modification time).
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(
        _cache_folder(app.instance_path, "jinja"))
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    import core.models  # noqa: F401  (every model on the metadata)

    db.init_app(app)
    init_safe_requests(app)
    # Flask-Migrate is bound only by what migrates (core.schema): importing Alembic is slow.
    babel.init_app(app, locale_selector=_select_locale)
    install_page_gettext(app)
    install_page_dates(app)
    init_csrf(app)
    login_manager.init_app(app)
    init_cookie_session(app)

    host = make_plugin_host(plugins)
    app.extensions[EXTENSION] = host
    for slug, errors in sorted(host.failed.items()):
        log.error("Council %s is not served from its plugin (its last definitions are kept): "
                  "%s", slug, "; ".join(str(error) for error in errors))

    from core.web import register_web

    register_web(app)
    register_plugin_assets(app, host)
    init_page_cache(app)
    init_security_headers(app)
    init_input_check(app)
    # Behind CPT_PROXIES trusted proxies (TLS terminated in front), the client's address,
    # scheme and host are the ones they pass on: sign-in limits, secure cookies, HSTS and
    # the kept pages' answers (core.kept_answers, which this wraps) depend on them. Never
    # set it without a proxy: clients could forge the headers.
    if proxies := _env_number("CPT_PROXIES", 0):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,
                                x_host=proxies)
    if app.config.get("BENCHMARK_FLOOR") or os.environ.get("CPT_BENCHMARK_FLOOR"):
        from core.bench.floor import floor

        app.register_blueprint(floor)
    return app


__all__ = ["create_app", "plugin_host"]
