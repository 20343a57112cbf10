"""`cpt remind`: the daily reminders by email (run it once a day; see docs/deploy.md)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from core.mail.links import PublicUrlError, public_url
from core.mail.settings import MailSettingsError


@click.command("remind")
@click.option("--council", "slug", metavar="SLUG", help="Only this council's reminders.")
@click.option("--dry-run", is_flag=True, help="List what would be sent; send nothing.")
@with_appcontext
def remind_command(slug: str | None, dry_run: bool) -> None:
    """Email today's reminders: to each action owner their actions due within 14 days or
    overdue; to each review owner their reviews due; to each council's clerks
    (panel_admin) the terms of office ending within 60 days and the reviews due that
    nobody owns. Each goes once a day; exits 1 if any could not be sent (the next run
    sends them)."""
    from core.mail.service import settings, today
    from core.reminders.due import councils
    from core.reminders.run import FAILED, NOT_TRIED, remind

    try:
        if not dry_run:
            settings()
        base = public_url()
    except (MailSettingsError, PublicUrlError) as error:
        raise click.ClickException(str(error)) from None
    if slug is not None and not councils(slug):
        raise click.ClickException(f"No council is called {slug!r}.")
    if base is None:
        click.echo("CPT_PUBLIC_URL is not set: the reminders carry no links.", err=True)
    report = remind(today(), council=slug, dry_run=dry_run)
    for outcome in report.outcomes:
        failed = outcome.result in (FAILED, NOT_TRIED)
        click.echo(outcome.line(), err=failed)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)
