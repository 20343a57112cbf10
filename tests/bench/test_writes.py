"""bench/writes.py: what the write path's posts change is put back as it was, every kept
column worked out again by the app's own refresh."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from bench.accounts import Clerk
from bench.writes import NOTE, snapshot, undo
from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update

SLUG = "bracknell_forest"


def kept() -> list[tuple[object, ...]]:
    """Everything the council's actions and pledges keep from their updates."""
    db.session.expire_all()
    council_id = db.session.scalar(select(Council.id).where(Council.slug == SLUG))
    actions = db.session.execute(select(
        Action.id, Action.status, Action.status_on, Action.latest_note, Action.latest_author,
        Action.api_json).where(Action.council_id == council_id).order_by(Action.id)).all()
    pledges = db.session.execute(select(
        Pledge.id, Pledge.latest_update_id, Pledge.latest_reported_on, Pledge.latest_note)
        .where(Pledge.council_id == council_id).order_by(Pledge.id)).all()
    return [tuple(row) for row in [*actions, *pledges]]


def test_undo_puts_back_what_the_posts_changed(app: Flask) -> None:
    with app.app_context():
        clerk = Clerk(council=SLUG, email="bench-clerk@example", cookie="", csrf_token="")
        council_id = db.session.scalar(select(Council.id).where(Council.slug == SLUG))
        first = db.session.scalars(select(Action).where(Action.council_id == council_id)
                                   .order_by(Action.id)).first()
        post_update(first, reported_on=dt.date(2026, 5, 1), status=ActionStatus.ON_TRACK,
                    note="Before the benchmark", author="Officer")
        before_rows = kept()
        before = snapshot(db.engine, [clerk])
        assert before.council_ids == [council_id]
        for action in db.session.scalars(select(Action).where(
                Action.council_id == council_id)).all():
            post_update(action, reported_on=dt.date.today(), status=ActionStatus.AT_RISK,
                        note=NOTE, author="Bench clerk")
        assert kept() != before_rows
        db.session.remove()
        undo(db.engine, before)
        assert kept() == before_rows
        assert db.session.scalar(select(ProgressUpdate.id).where(
            ProgressUpdate.note == NOTE)) is None
