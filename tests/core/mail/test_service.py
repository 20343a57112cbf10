"""Sending through the app: every message logged, failures recorded and not raised."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from core.cli import main
from core.extensions import db
from core.mail.messages import Message
from core.mail.models import SentMail
from core.mail.service import send, sent_today
from core.mail.settings import ENVIRONMENT
from core.mail.transports import MailError


def test_a_sent_message_is_logged(app: Flask, smtp_server: Any) -> None:
    with app.app_context():
        record = send(Message(to="member@council.example", subject="Reminder", text="Due"),
                      kind="reminder", dedupe_key="action:1")
        db.session.commit()
        assert record.sent and record.error is None
        row = db.session.scalars(select(SentMail)).one()
        assert (row.recipient, row.kind, row.subject) == (
            "member@council.example", "reminder", "Reminder")
        assert sent_today("member@council.example", "action:1")
        assert not sent_today("member@council.example", "action:2")
        assert not sent_today("other@council.example", "action:1")
    assert [m.rcpt_tos for m in smtp_server.messages] == [["member@council.example"]]


def test_a_failure_is_logged_with_its_reason_and_does_not_count_as_sent(
        app: Flask, smtp_server: Any) -> None:
    smtp_server.refuse("gone@council.example")
    with app.app_context():
        record = send(Message(to="gone@council.example", subject="Reminder", text="Due"),
                      kind="reminder", dedupe_key="action:1")
        db.session.commit()
        assert not record.sent
        assert "550" in (record.error or "")
        assert not sent_today("gone@council.example", "action:1")


def test_wrong_settings_raise_before_anything_is_logged(app: Flask) -> None:
    app.config.update(MAIL_TRANSPORT="smtp", SMTP_HOST="", MAIL_SENDER="")
    with app.app_context():
        try:
            send(Message(to="a@b.example", subject="s", text="t"), kind="reminder")
        except ValueError as error:
            assert "CPT_SMTP_HOST" in str(error)
        else:
            raise AssertionError("a missing host was not refused")
        assert db.session.scalars(select(SentMail)).all() == []
    assert not issubclass(MailError, ValueError)



def _cpt_mail_test(monkeypatch: Any, database_url: str, instance_path: str,
                   server: Any) -> Any:
    """``cpt mail test`` as a deployer runs it: settings from the environment."""
    monkeypatch.setenv("CPT_DATABASE_URL", database_url)
    monkeypatch.setenv("CPT_INSTANCE_PATH", instance_path)
    for key, value in server.config().items():
        monkeypatch.setenv(ENVIRONMENT[key], value)
    return CliRunner().invoke(main, ["mail", "test", "clerk@council.example"])


def test_cpt_mail_test_sends_through_the_configured_server(
        app: Flask, smtp_server: Any, monkeypatch: Any, database_url: str,
        instance_path: str) -> None:
    result = _cpt_mail_test(monkeypatch, database_url, instance_path, smtp_server)
    assert result.exit_code == 0, result.output
    assert f"SMTP 127.0.0.1:{smtp_server.port} (none)" in result.output
    assert [m.rcpt_tos for m in smtp_server.messages] == [["clerk@council.example"]]


def test_cpt_mail_test_says_why_it_failed(app: Flask, smtp_server: Any, monkeypatch: Any,
                                          database_url: str, instance_path: str) -> None:
    smtp_server.put_off()
    result = _cpt_mail_test(monkeypatch, database_url, instance_path, smtp_server)
    assert result.exit_code == 1
    assert "Not sent: the mail server answered 451" in result.output


def test_sending_leaves_the_councils_revision_and_its_kept_pages_alone(
        app: Flask, smtp_server: Any) -> None:
    from core.councils.models import Council

    with app.app_context():
        council = db.session.scalars(select(Council).where(Council.slug == "herefordshire")).one()
        before = council.revision
        send(Message(to="member@council.example", subject="Agenda", text="Attached"),
             kind="agenda_pack", council_id=council.id)
        db.session.commit()
        db.session.refresh(council)
        assert council.revision == before
