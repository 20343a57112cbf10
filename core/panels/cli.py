"""`cpt people`: erasing a person's details, and the retention schedule, from the command line.

Both go through :mod:`core.panels.erasure`, as the admin's erase page does. Neither prints a
name: people are named by id and council.
"""

from __future__ import annotations

import getpass
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from core.audit import acting_as
from core.extensions import db
from core.forms import EditConflict
from core.models import Council, Person
from core.panels.erasure import ErasureReason, apply_retention, erase_person, erasure_of

REASONS = [reason.value for reason in ErasureReason]


def _actor(command: str) -> str:
    """How the audit log names whoever ran a command (the operating system's user)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown user"
    return f"cpt people {command} ({user})"


@click.group("people", cls=AppGroup)
def people_group() -> None:
    """Erase people's details (UK GDPR article 17) and apply the retention schedule."""


@people_group.command("erase")
@click.option("--council", "council_slug", required=True, help="The council's slug.")
@click.option("--person", "person_id", required=True, type=int,
              help="The person's id (the number in their admin page's address).")
@click.option("--reason", required=True, type=click.Choice(REASONS),
              help="Why: the category recorded in the audit log.")
def erase_command(council_slug: str, person_id: int, reason: str) -> None:
    """Erase one person's name and contact details, as the admin's erase page does.

    Exits 0 if the person is erased (or was already), 1 if someone changed their records
    meanwhile (nothing is erased: run it again).
    """
    council = db.session.scalar(select(Council).where(Council.slug == council_slug))
    if council is None:
        raise click.BadParameter(f"no council {council_slug!r}", param_hint="--council")
    person = db.session.scalar(select(Person).where(Person.council_id == council.id,
                                                    Person.id == person_id))
    if person is None:
        raise click.BadParameter(f"no person {person_id} in {council_slug}",
                                 param_hint="--person")
    if erasure_of(person) is not None:
        click.echo(f"{council_slug}: person {person_id} was erased already; nothing changed.")
        return
    try:
        with acting_as(None, _actor("erase")):
            erasure = erase_person(person, ErasureReason(reason))
    except EditConflict:
        raise click.ClickException(f"{council_slug}: person {person_id}'s records changed "
                                   "while erasing; nothing was erased. Run it again.") from None
    click.echo(f"{council_slug}: person {person_id} erased ({reason}): "
               f"{erasure.rows['memberships']} membership(s), "
               f"{erasure.rows['attendance']} attendance record(s), "
               f"{erasure.rows['actions_arising']} action(s) arising, "
               f"{erasure.audit_events} audit event(s) rewritten.")


@people_group.command("apply-retention")
@click.option("--dry-run", is_flag=True, help="Print who would be erased; change nothing.")
@click.option("--years", type=click.IntRange(min=1),
              help="Years to keep a name after the last membership ended (default: the "
              "RETENTION_YEARS setting, CPT_RETENTION_YEARS, or 6).")
@click.option("--council", "council_slug",
              help="Only this council (for a council whose schedule differs).")
def apply_retention_command(dry_run: bool, years: int | None, council_slug: str | None
                            ) -> None:
    """Erase everyone whose memberships all ended more than the retention period ago.

    Prints one line per person (id and council, never the name) and a summary. Safe to
    run daily: those erased are never found again. Exits 1 if someone's records changed
    while they were being erased (they are left for the next run).
    """
    if council_slug is not None and db.session.scalar(
            select(Council.id).where(Council.slug == council_slug)) is None:
        raise click.BadParameter(f"no council {council_slug!r}", param_hint="--council")
    with acting_as(None, _actor("apply-retention")):
        run = apply_retention(years, dry_run=dry_run, council_slug=council_slug)
    verb = "would be erased" if dry_run else "erased"
    for due in run.due:
        if due in run.conflicts:
            click.echo(f"{due.council_slug}: person {due.person_id} not erased: their records "
                       "changed meanwhile; the next run will erase them", err=True)
        else:
            click.echo(f"{due.council_slug}: person {due.person_id} {verb}")
    count = len(run.erased)
    summary = (f"Retention ({run.years} years: memberships ended before "
               f"{run.cutoff.isoformat()}): {count} {'person' if count == 1 else 'people'} "
               f"{verb}.")
    if dry_run:
        summary += " Dry run: nothing changed."
    if run.conflicts:
        summary += f" {len(run.conflicts)} left for the next run."
    click.echo(summary)
    if run.conflicts:
        sys.exit(1)
