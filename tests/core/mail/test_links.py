"""Links in messages: from CPT_PUBLIC_URL when set, from the request otherwise, and none
outside a request without it."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from core.extensions import db
from core.mail.links import PublicUrlError, absolute_url
from core.mail.messages import Message
from core.mail.service import send, sent_on


def test_outside_a_request_links_need_the_public_url(app: Flask) -> None:
    with app.app_context():
        assert absolute_url("meetings.show", council="herefordshire", meeting_id=3) is None
        app.config["PUBLIC_URL"] = "https://cpt.example.gov.uk/toolkit/"
        assert absolute_url("meetings.show", council="herefordshire", meeting_id=3) == (
            "https://cpt.example.gov.uk/toolkit/herefordshire/meetings/3")
        app.config["PUBLIC_URL"] = "cpt.example.gov.uk"
        with pytest.raises(PublicUrlError, match="CPT_PUBLIC_URL"):
            absolute_url("meetings.show", council="herefordshire", meeting_id=3)


def test_in_a_request_the_address_it_came_to(app: Flask) -> None:
    with app.test_request_context(base_url="http://clerk.example:8080"):
        assert absolute_url("meetings.show", council="herefordshire", meeting_id=3) == (
            "http://clerk.example:8080/herefordshire/meetings/3")


def test_the_council_name_is_shown_with_the_sender_address() -> None:
    mime = Message(to="a@b.example", subject="s", text="t",
                   from_name="Herefordshire Council").mime("Toolkit <cpt@host.example>")
    assert mime["From"] == "Herefordshire Council <cpt@host.example>"
    assert Message(to="a@b.example", subject="s", text="t").mime(
        "Toolkit <cpt@host.example>")["From"] == "Toolkit <cpt@host.example>"


def test_sent_on_reads_a_days_keys_at_once(app: Flask, smtp_server) -> None:
    smtp_server.refuse("gone@b.example")
    with app.app_context():
        for to, key in [("a@b.example", "remind:x:one"), ("gone@b.example", "remind:x:one"),
                        ("a@b.example", "other:one"), ("c@b.example", "remind:y:two")]:
            send(Message(to=to, subject="s", text="t"), kind="reminder", dedupe_key=key)
        db.session.commit()
        from core.mail.service import today

        assert sent_on(today(), "remind:") == {("a@b.example", "remind:x:one"),
                                               ("c@b.example", "remind:y:two")}
        assert sent_on(today() - dt.timedelta(days=1), "remind:") == set()
        assert sent_on(today(), "remind_") == set()  # the prefix is literal, not a pattern
