"""The pages of one-time links run the same statements however many accounts, invitations
and reset links there are."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from core.auth.models import Invitation, PasswordReset, Role, User
from core.auth.tokens import new_token
from core.extensions import db
from core.models import Council
from tests.conftest import counting_queries


def _grow(app: Flask, count: int, start: int) -> tuple[str, str]:
    """``count`` accounts, each with a reset link, and as many invitations; returns the
    token of the last invitation and of the last reset link made."""
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    invitation_token = reset_token = ""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "isle_of_wight"))
        for n in range(start, start + count):
            user = User(email=f"user{n}@example.org", name=f"User {n}", password_hash="-")
            db.session.add(user)
            db.session.flush()
            reset_token, hashed = new_token()
            db.session.add(PasswordReset(user_id=user.id, token_hash=hashed, expires_at=later))
            invitation_token, hashed = new_token()
            db.session.add(Invitation(council_id=council.id, email=f"new{n}@example.org",
                                      role=Role.VIEWER, token_hash=hashed, expires_at=later))
        db.session.commit()
    return invitation_token, reset_token


def test_link_pages_run_the_same_statements_as_links_grow(app) -> None:
    counts: dict[str, list[int]] = {"invitation": [], "reset": []}
    start = 0
    for count in (1, 5, 20):
        invitation, reset = _grow(app, count, start)
        start += count
        for kind, url in (("invitation", f"/invitation/{invitation}"),
                          ("reset", f"/password/reset/{reset}")):
            client = app.test_client()
            with counting_queries(app) as counted:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[kind].append(len(counted))
    assert all(len(set(found)) == 1 for found in counts.values()), counts
