"""PDF documents kept in the page cache's store: a store out of reach is passed over."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from core.extensions import db
from core.meetings import services
from core.models import Council, Panel
from tests.conftest import signed_in_admin
from tests.core.servers import free_port


def test_a_store_out_of_reach_is_passed_over_and_the_document_printed(
        make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("CPT_PAGE_CACHE", f"redis://127.0.0.1:{free_port()}/0")  # no server
    app = make_app()
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id))
        meeting_id = services.schedule_meeting(
            council, panel, starts_at=dt.datetime(2030, 1, 9, 18, tzinfo=dt.UTC),
            location=None).id
    client = signed_in_admin(app)  # past the page cache: the documents' own use of the store
    with caplog.at_level(logging.WARNING, logger="core.documents.cache"):
        answer = client.get(f"/admin/herefordshire/meetings/{meeting_id}/agenda.pdf")
    assert answer.status_code == 200 and answer.get_data().startswith(b"%PDF-")
    assert "the document is printed afresh" in caplog.text
    assert "the document is not kept" in caplog.text


def test_a_document_is_kept_for_its_scheme_host_and_mount_point(app: Flask) -> None:
    """A document's links are absolute: one kept for a request over http, or to another
    host or mount point, is not the one kept for this request."""
    from core.documents.cache import pdf_key

    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        keys = set()
        for base in ("http://localhost/", "https://localhost/", "http://other.example/",
                     "http://localhost/mounted/"):
            with app.test_request_context("/x", base_url=base):
                keys.add(pdf_key(council, "agenda-1"))
            with app.test_request_context("/y", base_url=base):  # the path is not
                keys.add(pdf_key(council, "agenda-1"))
    assert len(keys) == 4
