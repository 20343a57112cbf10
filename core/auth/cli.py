"""`cpt users`: creating accounts from the command line."""

from __future__ import annotations

import os

import click
from flask.cli import AppGroup

from core.auth.models import Role
from core.auth.services import AccountError, create_user

ROLE_CHOICES = [role.value for role in Role] + ["site_admin"]


@click.group("users", cls=AppGroup)
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLE_CHOICES),
              help="The role in --council, or site_admin for every council.")
@click.option("--council", "council_slug", help="The council's slug (all roles but site_admin).")
@click.option("--name", help="How the person is named on pages (default: from the email).")
def create_command(email: str, role: str, council_slug: str | None, name: str | None) -> None:
    """Create an account. The password comes from CPT_PASSWORD, or is asked for."""
    password = os.environ.get("CPT_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    site_admin = role == "site_admin"
    if site_admin and council_slug:
        raise click.UsageError("A site_admin works in every council: leave out --council.")
    if not site_admin and not council_slug:
        raise click.UsageError(f"Give --council for the role {role}.")
    try:
        user = create_user(email, password, name=name, site_admin=site_admin,
                           role=None if site_admin else Role(role), council_slug=council_slug)
    except AccountError as error:
        raise click.BadParameter(str(error), param_hint=f"--{error.field}"
                                 if error.field != "email" else "EMAIL") from None
    where = "every council" if site_admin else council_slug
    click.echo(f"Created {user.email} ({role}, {where}).")
