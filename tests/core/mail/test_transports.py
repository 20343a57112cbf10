"""Each transport against the real thing on loopback: an SMTP server (aiosmtpd), a folder,
and an HTTP server answering as GOV.UK Notify's API does."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from core.mail.messages import Attachment, Message
from core.mail.settings import mail_settings
from core.mail.transports import MailError, transport_for
from tests.core.mail.smtp_server import SmtpServer

MESSAGE = Message(to="chair@council.example", subject="Agenda: 4 March",
                  text="The agenda is attached.", html="<p>The agenda is attached.</p>",
                  attachments=(Attachment("agenda.pdf", b"%PDF-1.7 test"),))


def test_smtp_delivers_text_html_and_attachment() -> None:
    with SmtpServer() as server:
        transport_for(mail_settings(server.config())).send(MESSAGE)
    [received] = server.messages
    assert received.rcpt_tos == ["chair@council.example"]
    assert received.mail_from == "cpt@council.example"
    assert received.message["Subject"] == "Agenda: 4 March"
    assert received.text.strip() == "The agenda is attached."
    assert received.attachments == [("agenda.pdf", b"%PDF-1.7 test")]
    assert received.message["Message-ID"].endswith("@council.example>")


# A login without TLS is what this loopback server offers; aiosmtpd warns of it.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_logs_in_when_given_credentials() -> None:
    with SmtpServer(login=("clerk", "s3cret")) as server:
        transport_for(mail_settings(server.config())).send(MESSAGE)
        assert len(server.messages) == 1
        wrong = server.config() | {"SMTP_PASSWORD": "wrong"}
        with pytest.raises(MailError, match="535"):
            transport_for(mail_settings(wrong)).send(MESSAGE)
    assert len(server.messages) == 1


def test_a_refused_address_and_a_busy_server_give_their_reasons() -> None:
    with SmtpServer() as server:
        transport = transport_for(mail_settings(server.config()))
        server.refuse("chair@council.example")
        with pytest.raises(MailError, match=r"refused the address.*550"):
            transport.send(MESSAGE)
        server.handler.refused.clear()
        server.put_off()
        with pytest.raises(MailError, match="451"):
            transport.send(MESSAGE)
    assert server.messages == []


def test_an_unreachable_server_is_named() -> None:
    with SmtpServer() as server:
        config = server.config()
    with pytest.raises(MailError, match=f"could not reach the mail server 127.0.0.1:{server.port}"):
        transport_for(mail_settings(config)).send(MESSAGE)


def test_the_outbox_keeps_each_message_as_an_eml_file(tmp_path: Path) -> None:
    transport_for(mail_settings({"MAIL_OUTBOX": str(tmp_path / "outbox")})).send(MESSAGE)
    [path] = (tmp_path / "outbox").iterdir()
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert message["To"] == "chair@council.example"
    assert message["Subject"] == "Agenda: 4 March"


class _NotifyApi(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]]
    status = 201

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.requests.append({"path": self.path, "body": body,
                              "authorization": self.headers.get("Authorization", "")})
        answer: dict[str, Any] = {"id": "740e5834-3a29-46b4-9a6f-16142fde533a"}
        if self.status != 201:
            answer = {"status_code": self.status, "errors": [
                {"error": "BadRequestError", "message": "Can't send to this recipient "
                                                        "using a team-only API key"}]}
        payload = json.dumps(answer).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def notify_api() -> Iterator[tuple[str, type[_NotifyApi]]]:
    handler = type("Handler", (_NotifyApi,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


#: A key in Notify's shape: name, service id, secret.
NOTIFY_KEY = ("test-11111111-2222-3333-4444-555555555555-"
              "66666666-7777-8888-9999-000000000000")


def test_notify_sends_subject_and_body_through_the_template(notify_api: Any) -> None:
    url, handler = notify_api
    settings = mail_settings({"NOTIFY_API_KEY": NOTIFY_KEY, "NOTIFY_TEMPLATE_ID": "tmpl-1",
                              "NOTIFY_BASE_URL": url})
    transport_for(settings).send(MESSAGE)
    [sent] = handler.requests
    assert sent["path"] == "/v2/notifications/email"
    assert sent["body"]["email_address"] == "chair@council.example"
    assert sent["body"]["template_id"] == "tmpl-1"
    assert sent["body"]["personalisation"] == {"subject": "Agenda: 4 March",
                                               "body": "The agenda is attached."}
    assert sent["authorization"].startswith("Bearer ")


def test_notify_refusal_gives_its_message(notify_api: Any) -> None:
    url, handler = notify_api
    handler.status = 400
    settings = mail_settings({"NOTIFY_API_KEY": NOTIFY_KEY, "NOTIFY_TEMPLATE_ID": "tmpl-1",
                              "NOTIFY_BASE_URL": url})
    with pytest.raises(MailError, match=r"Notify answered 400.*team-only"):
        transport_for(settings).send(MESSAGE)
