"""`cpt users create`, as a deployer would run it."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from core.auth.models import User
from core.cli import main
from core.extensions import db
from tests.conftest import PASSWORD, sign_in


def run(monkeypatch, database_url, instance_path, *args: str, password: str | None = PASSWORD,
        prompt_input: str | None = None):
    monkeypatch.setenv("CPT_DATABASE_URL", database_url)
    monkeypatch.setenv("CPT_INSTANCE_PATH", instance_path)
    if password is None:
        monkeypatch.delenv("CPT_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("CPT_PASSWORD", password)
    return CliRunner().invoke(main, ["users", "create", *args], input=prompt_input)


def test_create_a_panel_administrator_who_can_then_sign_in(app, monkeypatch, database_url,
                                                            instance_path) -> None:
    result = run(monkeypatch, database_url, instance_path, "clerk@example.org",
                 "--role", "panel_admin", "--council", "herefordshire")
    assert result.exit_code == 0, result.output
    assert result.output == "Created clerk@example.org (panel_admin, herefordshire).\n"
    client = app.test_client()
    assert sign_in(client, "clerk@example.org").status_code == 302
    assert client.get("/admin/herefordshire/").status_code == 200
    assert client.get("/admin/isle_of_wight/").status_code == 403


def test_the_password_is_asked_for_when_not_in_the_environment(app, monkeypatch, database_url,
                                                               instance_path) -> None:
    result = run(monkeypatch, database_url, instance_path, "admin@example.org", "--role",
                 "site_admin", password=None, prompt_input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User)).site_admin


def test_mistakes_are_refused_with_what_to_fix(app, monkeypatch, database_url,
                                               instance_path) -> None:
    cases = [
        (["x@example.org", "--role", "viewer"], "Give --council for the role viewer."),
        (["x@example.org", "--role", "site_admin", "--council", "herefordshire"],
         "A site_admin works in every council: leave out --council."),
        (["x@example.org", "--role", "viewer", "--council", "atlantis"], "No council 'atlantis'"),
        (["x@example.org", "--role", "mayor", "--council", "herefordshire"],
         "'mayor' is not one of"),
    ]
    for args, message in cases:
        result = run(monkeypatch, database_url, instance_path, *args)
        assert result.exit_code == 2, args
        assert message in result.output, result.output
    short = run(monkeypatch, database_url, instance_path, "x@example.org", "--role",
                "site_admin", password="short")
    assert short.exit_code == 2 and "at least 12 characters" in short.output
