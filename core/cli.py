"""The ``cpt`` command: run, migrate, sync, inspect plugins and check content."""

from __future__ import annotations

import gc
import json
import os
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command
from sqlalchemy import inspect, select

from core.app import create_app
from core.auth.cli import users_group
from core.extensions import close_connections, db
from core.mail.cli import mail_group
from core.panels.cli import people_group
from core.plugins import plugin_host
from core.reminders.cli import remind_command
from core.schema import bind as bind_migrations

#: ``cpt db ...``: Flask-Migrate's commands (``upgrade``, ``downgrade``, ``history``, ...).
MIGRATION_COMMANDS = "db"


def command_app(*_: object) -> Flask:
    """The app for one command; its database connections are closed when the command ends.
    Flask-Migrate is bound to it only for ``cpt db ...`` (see :mod:`core.schema`)."""
    app = create_app()
    # Start-up has made some hundred thousand objects that live as long as the command
    # (modules, classes, mappers, the app). Frozen, the garbage collector no longer walks
    # them on each full collection (the first, while `cpt run` started, took 0.06 s); it is
    # resumed if the console script paused it for start-up (core.console).
    gc.freeze()
    gc.enable()

    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(gc.unfreeze)
        context.call_on_close(lambda: close_connections(app))
        if context.find_root().invoked_subcommand == MIGRATION_COMMANDS:
            bind_migrations(app)
    return app


class Commands(FlaskGroup):
    """Flask's command group, finding ``cpt``'s own commands first and importing
    Flask-Migrate's only when one of them runs.

    Flask loads every installed package's ``flask.commands`` entry points before looking a
    command up, and Flask-Limiter's (``cpt limiter``) imports rich; Flask-Migrate imports
    Alembic. Each costs hundredths of a second on every start of ``cpt run``, so they are
    loaded only for a command that needs them.
    """

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command ``name``: Flask-Migrate's group, ``cpt``'s own, or Flask's lookup."""
        if name == MIGRATION_COMMANDS:
            from flask_migrate.cli import db as migration_commands

            return migration_commands
        return self.commands.get(name) or super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, for ``cpt --help``."""
        return sorted({*super().list_commands(ctx), MIGRATION_COMMANDS})


@click.group(cls=Commands, create_app=command_app, add_default_commands=False,
             add_version_option=False)
@click.version_option(package_name="corporate-parenting-toolkit", prog_name="cpt")
def main() -> None:
    """Corporate parenting toolkit.

    The database is CPT_DATABASE_URL (default: SQLite in the instance folder).
    """


main.add_command(shell_command)
main.add_command(routes_command)
main.add_command(users_group)
main.add_command(people_group)
main.add_command(mail_group)
main.add_command(remind_command)


def _upgrade() -> None:
    """Apply the migrations the database lacks, or say that it has them all."""
    from core.schema import upgrade

    if not upgrade(current_app._get_current_object()):
        click.echo("Database: at the newest migration.")


def _sync(*, quiet: bool = False, dry_run: bool = False, allow_removals: bool = False,
          force: bool = False) -> bool:
    """Sync and print what changed (and, on standard error, what was not done); whether
    every council was synced. Skipped when the plugins' definitions are those the last
    complete sync wrote, unless ``force`` or ``dry_run``."""
    from core.sync import sync_all, sync_if_changed

    host = plugin_host()
    if dry_run:
        report = sync_all(host, dry_run=True, allow_removals=allow_removals)
    else:
        report = sync_if_changed(host, force=force, allow_removals=allow_removals)
    if report is None:
        click.echo("Sync: skipped, the plugins' definitions are unchanged since the last "
                   "complete sync (`cpt sync --force` syncs anyway).")
        return True
    if not quiet or dry_run:
        for line in report.lines:
            click.echo(line)
    for line in report.skipped:
        click.echo(line, err=True)
    for lines in report.held.values():
        for line in lines:
            click.echo(line, err=True)
    click.echo(f"Sync: {report.summary()}")
    return report.ok


@main.command("sync")
@click.option("--dry-run", is_flag=True, help="Print the changes without making them.")
@click.option("--allow-removals", is_flag=True,
              help="Archive what plugins no longer define even when it is a large share of a "
              "council's definitions or every row of a kind.")
@click.option("--force", is_flag=True,
              help="Sync even when the plugins' definitions are unchanged since the last "
              "complete sync.")
def sync_command(dry_run: bool, allow_removals: bool, force: bool) -> None:
    """Load every council's definitions into the database and print what changed.

    Skipped when the plugins' definitions (and the toolkit's version) are unchanged since
    the last sync that synced every council, unless --force. Exits 1 when a council was
    left unchanged because its plugin has errors (every other council is still synced) or
    held back because the sync would archive too much.
    """
    _require_schema()
    if not _sync(dry_run=dry_run, allow_removals=allow_removals, force=force):
        sys.exit(1)


@main.command("demo")
@click.option("--scale", default=1.0, show_default=True,
              type=click.FloatRange(min=0, min_open=True),
              help="Times national size: 1 is 153 councils and about 440,000 progress updates.")
@click.option("--replace", is_flag=True, help="Delete the demo councils already loaded first.")
def demo_command(scale: float, replace: bool) -> None:
    """Load synthetic demo councils for load tests and benchmarks (deterministic)."""
    import time

    from core.bench.demo import load_demo

    _require_schema()
    started = time.perf_counter()
    try:
        report = load_demo(scale, replace=replace, progress=click.echo)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    rows = ", ".join(f"{count:,} {table}" for table, count in report.rows.items())
    click.echo(f"Loaded {report.councils:,} demo councils in "
               f"{time.perf_counter() - started:.1f} s: {rows}")


@main.command("keep-charts")
@click.option("--council", "slugs", multiple=True, metavar="SLUG",
              help="Only this council (may be given more than once).")
def keep_charts_command(slugs: tuple[str, ...]) -> None:
    """Draw the active councils' indicator charts not yet kept as their figures stand.

    A chart is drawn and kept whenever its figures change through the admin, or a sync
    changes its words; run this after upgrading to a version that draws charts differently,
    or after loading figures some other way, so that no reader waits for a drawing. Each
    council is committed on its own.
    """
    from sqlalchemy import select

    from core.councils.models import Council
    from core.extensions import db
    from core.indicators.charts import keep_every_trend_chart

    _require_schema()
    query = select(Council).where(Council.archived_at.is_(None)).order_by(Council.slug)
    if slugs:
        query = query.where(Council.slug.in_(slugs))
    councils = db.session.scalars(query).all()
    unknown = sorted(set(slugs) - {council.slug for council in councils})
    if unknown:
        raise click.UsageError(f"no active council called {', '.join(unknown)}")
    drawn = 0
    for council in councils:
        drawn += keep_every_trend_chart(council)
        db.session.commit()
    click.echo(f"Drew {drawn:,} charts of {len(councils):,} councils (the others kept "
               "were drawn from their figures as they stand).")


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def run_command(host: str, port: int) -> None:
    """Apply migrations, sync the councils and serve the app."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    if "CPT_SECURE_COOKIES" not in os.environ:  # the development server speaks plain HTTP
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False
    _upgrade()
    _sync(quiet=True)
    for slug, errors in sorted(plugin_host().failed.items()):
        click.echo(f"Not served from its plugin: {slug} (its last definitions are kept; see "
                   "`cpt plugins`): " + "; ".join(str(error) for error in errors), err=True)
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)")
    run_simple(host, port, app, threaded=True)


@main.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins_command(as_json: bool) -> None:
    """List each plugin: version, councils, hooks, status and errors."""
    host = plugin_host()
    infos = list(host.infos.values())
    if as_json:
        click.echo(json.dumps([info.as_dict() for info in infos], indent=2))
    else:
        for info in infos:
            click.echo(f"{info.label} {info.version or ''}".rstrip()
                       + f"  [{info.status}]" + ("  (built in)" if info.builtin else ""))
            if info.councils:
                click.echo(f"  councils: {', '.join(info.councils)}")
            click.echo(f"  hooks: {', '.join(info.hooks) or '(none)'}")
            for error in info.errors:
                click.echo(f"  error: {error}")
            if info.runtime_errors:
                click.echo(f"  errors while serving: {info.runtime_errors}, the last: "
                           f"{info.last_runtime_error}")
        for slug in sorted(host.failed):
            click.echo(f"council {slug}: not served from its plugin; its last definitions "
                       "are kept")
    if host.failed or any(info.errors for info in infos):
        sys.exit(1)


@main.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
def check_command(as_json: bool, strict: bool) -> None:
    """Report plugin errors and content findings (exits 1 on errors)."""
    from core.checks import council_findings
    from core.models import Council

    _require_schema()
    host = plugin_host()
    councils = db.session.scalars(
        select(Council).where(Council.archived_at.is_(None)).order_by(Council.name)).all()
    # A plugin's errors are listed with its council when the council is in the database.
    listed = [error for council in councils
              for error in host.failing(council.slug, council.plugin)]
    errors = [{"council": None, "check": "plugin", "level": "error", "message": str(error),
               "items": []} for error in host.errors if error not in listed]
    unsynced = sorted(set(host.definitions) - {c.slug for c in councils})
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
    """Stop, saying to run the migrations, unless the database has every table."""
    tables = set(inspect(db.engine).get_table_names())
    if tables >= set(db.metadata.tables):
        return
    where = f"(database: {db.engine.url.render_as_string(hide_password=True)})"
    if "council" not in tables:
        raise click.ClickException(
            f"The database has no tables yet: run `cpt db upgrade` first {where}.")
    raise click.ClickException(
        f"The database lacks the newest migrations: run `cpt db upgrade` first {where}.")


def _register_authoring_commands() -> None:
    from core.pledges.cli import import_plan_command
    from core.scaffold import new_plugin_command

    main.add_command(new_plugin_command)
    main.add_command(import_plan_command)


_register_authoring_commands()
