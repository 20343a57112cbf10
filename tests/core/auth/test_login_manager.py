"""Flask-Login's session protection: an empty session answered without hashing the client's
details, as Flask-Login answers it; a session with anything in it checked as before."""

from __future__ import annotations

import pytest
from flask import Flask, session

from core.extensions import login_manager


@pytest.fixture
def hashed(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The identifiers Flask-Login's generator made (it is called through the manager)."""
    made: list[str] = []
    generator = login_manager._session_identifier_generator

    def counted() -> str:
        made.append(generator())
        return made[-1]

    monkeypatch.setattr(login_manager, "_session_identifier_generator", counted)
    return made


def test_an_empty_session_is_not_hashed_and_not_failed(app: Flask, hashed: list[str]) -> None:
    with app.test_request_context("/", headers={"User-Agent": "a browser"}):
        assert login_manager._session_protection_failed() is False
        assert not session and hashed == []


@pytest.mark.parametrize("mode", ["basic", "strong"])
def test_a_session_from_elsewhere_is_checked_as_flask_login_checks_it(
        app: Flask, hashed: list[str], mode: str) -> None:
    app.config["SESSION_PROTECTION"] = mode
    with app.test_request_context("/", headers={"User-Agent": "another browser"}):
        session.update({"_user_id": "7", "_fresh": True, "_id": "made elsewhere"})
        failed = login_manager._session_protection_failed()
        assert len(hashed) == 1
        if mode == "basic":  # kept, no longer fresh
            assert failed is False and session["_user_id"] == "7" and session["_fresh"] is False
        else:  # emptied, and the remember cookie to be cleared
            assert failed is True and "_user_id" not in session
            assert session["_remember"] == "clear"


def test_a_session_from_this_client_passes(app: Flask, hashed: list[str]) -> None:
    with app.test_request_context("/", headers={"User-Agent": "a browser"}):
        session.update({"_user_id": "7", "_fresh": True,
                        "_id": login_manager._session_identifier_generator()})
        assert login_manager._session_protection_failed() is False
        assert session["_fresh"] is True and len(hashed) == 2
