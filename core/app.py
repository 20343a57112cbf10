"""The application factory."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, request
from jinja2 import ChoiceLoader, FileSystemBytecodeCache, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from core import __version__
from core.extensions import babel, csrf, db, login_manager, migrate
from core.headers import init_security_headers
from core.page_cache import init_page_cache
from core.plugins import EXTENSION, make_plugin_host, plugin_host
from core.plugins.assets import CouncilTemplates, register_plugin_assets

log = logging.getLogger(__name__)

#: Where Alembic's revisions live: ``migrations/`` beside ``core/``.
MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")

#: Folders of templates and translations, one per area.
AREAS = ("councils", "strategy", "pledges", "panels", "reviews", "partners")


def default_database_url(instance_path: str) -> str:
    """SQLite in the instance folder: the embedded default."""
    return f"sqlite:///{Path(instance_path) / 'corporate-parenting.sqlite3'}"


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


#: How long a write waits for another write's lock before giving up (milliseconds).
LOCK_WAIT_MS = 5000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Foreign keys on, and write-ahead logging for files, on every SQLite connection."""
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
    cursor.close()


def _select_locale() -> str | None:
    """The council's locale on its pages; otherwise the browser's choice, or en_GB."""
    council = getattr(g, "council", None)
    if council is not None:
        return council.locale
    if has_request_context():
        return request.accept_languages.best_match(["en_GB", "en", "cy"]) or "en_GB"
    return None


class CorporateParentingApp(Flask):
    """Flask, with a Jinja environment that prefers a council plugin's own templates."""

    jinja_environment = CouncilTemplates


def create_app(
    config: Mapping[str, Any] | None = None,
    plugins: Mapping[str, object] | Iterable[object] | None = None,
) -> Flask:
    """Build the app.

    ``config`` overrides settings (tests pass ``SQLALCHEMY_DATABASE_URI`` and ``TESTING``);
    ``plugins`` replaces the installed entry points with the given plugin objects.
    Environment: ``CPT_DATABASE_URL`` (default: SQLite in the instance folder),
    ``CPT_SECRET_KEY`` (default: a random key kept in the instance folder) and
    ``CPT_INSTANCE_PATH``.
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
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="en_GB",
        BABEL_DEFAULT_TIMEZONE="Europe/London",
        BABEL_TRANSLATION_DIRECTORIES="translations",
        JSON_SORT_KEYS=False,
        API_TITLE="Corporate parenting toolkit",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
    )
    if config:
        app.config.from_mapping(config)
    # A database server's idle connections may be dropped (by the server or a firewall),
    # so they are replaced after five minutes. Testing each before use (pool_pre_ping)
    # would cost a round trip on every request, as much as a cached page's own statement.
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        options: dict[str, Any] = {"pool_recycle": 300}
        if url.startswith("postgresql"):
            # A write waits for another's lock at most LOCK_WAIT_MS, as on SQLite (its busy
            # timeout), then gets a 503 asking to try again (core.web).
            options["connect_args"] = {"options": f"-c lock_timeout={LOCK_WAIT_MS}"}
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
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    babel.init_app(app, locale_selector=_select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)

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
    if app.config.get("BENCHMARK_FLOOR") or os.environ.get("CPT_BENCHMARK_FLOOR"):
        from core.bench.floor import floor

        app.register_blueprint(floor)
    return app


__all__ = ["create_app", "plugin_host"]
