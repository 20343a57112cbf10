"""Mail settings: the transport chosen, and each wrong setting named."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.mail.settings import MailSettingsError, config_from_environment, mail_settings


def test_without_settings_mail_goes_to_the_outbox_folder(tmp_path: Path) -> None:
    settings = mail_settings({"MAIL_OUTBOX": str(tmp_path)})
    assert settings.transport == "outbox"
    assert settings.outbox == tmp_path
    assert not settings.delivers


def test_an_smtp_host_chooses_smtp_with_starttls_on_587() -> None:
    settings = mail_settings({"SMTP_HOST": "smtp.council.example",
                              "MAIL_SENDER": "CPT <cpt@council.example>"})
    assert (settings.transport, settings.smtp_port, settings.smtp_security) == (
        "smtp", 587, "starttls")
    assert mail_settings({"SMTP_HOST": "h", "MAIL_SENDER": "s", "SMTP_SECURITY": "tls"}
                         ).smtp_port == 465


def test_a_notify_key_chooses_notify() -> None:
    settings = mail_settings({"NOTIFY_API_KEY": "key", "NOTIFY_TEMPLATE_ID": "template"})
    assert settings.transport == "notify"


@pytest.mark.parametrize(("config", "named"), [
    ({"MAIL_TRANSPORT": "smtp", "MAIL_SENDER": "s"}, "CPT_SMTP_HOST"),
    ({"SMTP_HOST": "h"}, "CPT_MAIL_SENDER"),
    ({"SMTP_HOST": "h", "MAIL_SENDER": "s", "SMTP_PORT": "twenty"}, "CPT_SMTP_PORT"),
    ({"SMTP_HOST": "h", "MAIL_SENDER": "s", "SMTP_SECURITY": "ssl3"}, "CPT_SMTP_SECURITY"),
    ({"SMTP_HOST": "h", "MAIL_SENDER": "s", "SMTP_USERNAME": "u"}, "CPT_SMTP_PASSWORD"),
    ({"MAIL_TRANSPORT": "pigeon"}, "CPT_MAIL_TRANSPORT"),
    ({"MAIL_TRANSPORT": "notify", "NOTIFY_API_KEY": "k"}, "CPT_NOTIFY_TEMPLATE_ID"),
])
def test_a_wrong_setting_is_named(config: dict[str, str], named: str) -> None:
    with pytest.raises(MailSettingsError, match=named):
        mail_settings(config)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("CPT_SMTP_HOST", "smtp.council.example")
    monkeypatch.setenv("CPT_SMTP_PORT", "2525")
    monkeypatch.delenv("CPT_MAIL_OUTBOX", raising=False)
    config = config_from_environment(str(tmp_path))
    assert config["SMTP_HOST"] == "smtp.council.example"
    assert config["SMTP_PORT"] == "2525"
    assert config["MAIL_OUTBOX"] == str(tmp_path / "outbox")
