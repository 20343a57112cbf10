"""The ``cpt`` command: run, migrate, sync, inspect plugins and check content."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command
from sqlalchemy import inspect, select

from core.app import create_app, plugin_host
from core.auth.cli import users_group
from core.extensions import db


def _app(*_: object) -> Flask:
    """The app for one command; its database connections are closed when the command ends."""
    app = create_app()

    def close_connections() -> None:
        with app.app_context():
            db.engine.dispose()

    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(close_connections)
    return app


@click.group(cls=FlaskGroup, create_app=_app, add_default_commands=False,
             add_version_option=False)
@click.version_option(package_name="corporate-parenting-toolkit", prog_name="cpt")
def main() -> None:
    """Corporate parenting toolkit.

    The database is CPT_DATABASE_URL (default: SQLite in the instance folder).
    """


main.add_command(shell_command)
main.add_command(routes_command)
main.add_command(users_group)


def _upgrade() -> None:
    from flask_migrate import upgrade

    upgrade()


def _sync(quiet: bool = False) -> None:
    from core.sync import sync_all

    report = sync_all(plugin_host(current_app))
    if not quiet:
        for line in report.lines:
            click.echo(line)
    for line in report.skipped:
        click.echo(line, err=True)
    click.echo(f"Sync: {report.summary()}")


@main.command("sync")
def sync_command() -> None:
    """Load every council's definitions into the database and print what changed."""
    _require_schema()
    _sync()


@main.command("demo")
@click.option("--scale", default=1.0, show_default=True,
              type=click.FloatRange(min=0, min_open=True),
              help="Times national size: 1 is 153 councils and about 440,000 progress updates.")
@click.option("--replace", is_flag=True, help="Delete the demo councils already loaded first.")
def demo_command(scale: float, replace: bool) -> None:
    """Load synthetic demo councils for load tests and benchmarks (deterministic)."""
    import time

    from core.demo import load_demo

    _require_schema()
    started = time.perf_counter()
    try:
        report = load_demo(scale, replace=replace, progress=click.echo)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    rows = ", ".join(f"{count:,} {table}" for table, count in report.rows.items())
    click.echo(f"Loaded {report.councils:,} demo councils in "
               f"{time.perf_counter() - started:.1f} s: {rows}")


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def run_command(host: str, port: int) -> None:
    """Apply migrations, sync the councils and serve the app."""
    from werkzeug.serving import run_simple

    _upgrade()
    _sync(quiet=True)
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)")
    run_simple(host, port, current_app._get_current_object(), threaded=True)


@main.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins_command(as_json: bool) -> None:
    """List each plugin: version, councils, hooks, status and errors."""
    host = plugin_host(current_app)
    host.definitions()
    infos = list(host.infos.values())
    if as_json:
        click.echo(json.dumps([info.as_dict() for info in infos], indent=2))
    else:
        for info in infos:
            click.echo(f"{info.name} {info.version or ''}".rstrip()
                       + f"  [{info.status}]" + ("  (built in)" if info.builtin else ""))
            if info.councils:
                click.echo(f"  councils: {', '.join(info.councils)}")
            click.echo(f"  hooks: {', '.join(info.hooks) or '(none)'}")
            for error in info.errors:
                click.echo(f"  error: {error}")
    if any(info.errors for info in infos):
        sys.exit(1)


@main.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
def check_command(as_json: bool, strict: bool) -> None:
    """Report plugin errors and content findings (exits 1 on errors)."""
    from core.checks import council_findings
    from core.models import Council

    _require_schema()
    host = plugin_host(current_app)
    errors = [{"council": None, "check": "plugin", "level": "error", "message": str(error),
               "items": []} for error in host.errors]
    councils = db.session.scalars(
        select(Council).where(Council.archived_at.is_(None)).order_by(Council.name)).all()
    unsynced = sorted(set(host.definitions()) - {c.slug for c in councils})
    for slug in unsynced:
        errors.append({"council": slug, "check": "not-synced", "level": "error",
                       "message": f"{slug} is not in the database: run `cpt sync`.",
                       "items": []})
    findings = errors + [f.as_dict() for c in councils for f in council_findings(c)]
    if as_json:
        click.echo(json.dumps(findings, indent=2))
    else:
        for finding in findings:
            where = f"{finding['council']}: " if finding["council"] else ""
            click.echo(f"{finding['level'].upper():8}{where}{finding['message']}")
        counts = {level: sum(f["level"] == level for f in findings)
                  for level in ("error", "warning")}
        click.echo(f"{counts['error']} error(s), {counts['warning']} warning(s).")
    if any(f["level"] == "error" for f in findings) or (strict and findings):
        sys.exit(1)


def _require_schema() -> None:
    if not inspect(db.engine).has_table("council"):
        raise click.ClickException(
            "The database has no tables yet: run `cpt db upgrade` first "
            f"(database: {db.engine.url.render_as_string(hide_password=True)}).")


def _register_migrate_commands() -> None:
    from flask_migrate.cli import db as db_group

    main.add_command(db_group, "db")


_register_migrate_commands()


def _register_new_plugin_command() -> None:
    from core.scaffold import new_plugin_command

    main.add_command(new_plugin_command)


_register_new_plugin_command()
