"""Each pledge's row keeps its live actions counted by status and due date
(core.pledges.kept_tallies), whatever writes the actions or their updates: an update
posted, written by any code, moved or deleted; an action added, deleted, moved to another
pledge, archived, given another due date; rows loaded by Core."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask import Flask
from sqlalchemy import Connection, insert, select, update

from core import revisions
from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges.kept_tallies import tally_counts, tally_text, write_tallies
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update

SLUG = "bracknell_forest"
DAY = dt.date(2026, 6, 10)


def kept(pledge_id: int) -> Counter[tuple[str, dt.date | None]]:
    """The counts the pledge's row holds, as committed."""
    db.session.expire_all()
    text = db.session.scalar(select(Pledge.action_tally).where(Pledge.id == pledge_id))
    return Counter({(status, due): count for status, due, count in tally_counts(text)})


def counted(pledge_id: int) -> Counter[tuple[str, dt.date | None]]:
    """The pledge's live actions counted by status and due date, as the ORM loads them."""
    db.session.expire_all()
    return Counter((action.status, action.due) for action in db.session.scalars(
        select(Action).where(Action.pledge_id == pledge_id, Action.archived_at.is_(None))))


def council_pledges() -> tuple[int, list[int]]:
    council_id = db.session.scalar(select(Council.id).where(Council.slug == SLUG))
    pledges = db.session.scalars(select(Pledge.id).where(Pledge.council_id == council_id)
                                 .order_by(Pledge.id)).all()
    assert len(pledges) > 2
    return council_id, list(pledges)


def actions_of(pledge_id: int) -> list[int]:
    return list(db.session.scalars(select(Action.id).where(Action.pledge_id == pledge_id)
                                   .order_by(Action.id)))


def all_kept(pledges: list[int]) -> bool:
    return all(kept(pledge) == counted(pledge) for pledge in pledges)


def test_the_text_is_ordered_and_read_back_as_written() -> None:
    counts = [("on_track", dt.date(2027, 3, 31), 2), ("complete", None, 1),
              ("on_track", None, 4), ("complete", dt.date(2026, 1, 31), 3)]
    text = tally_text(counts)
    assert text == ('[["complete",null,1],["complete","2026-01-31",3],'
                    '["on_track",null,4],["on_track","2027-03-31",2]]')
    assert sorted(tally_counts(text), key=str) == sorted(counts, key=str)
    assert tally_text([]) == "[]" and tally_counts("[]") == []


def test_every_pledge_keeps_what_its_actions_count(app: Flask, count_queries) -> None:
    with app.app_context():
        council_id, pledges = council_pledges()
        assert any(kept(pledge) for pledge in pledges)
        assert all_kept(pledges)
        with count_queries() as statements:
            assert write_tallies(db.session, council_ids=[council_id]) == 0
        assert len(statements) == 1  # one read; nothing written when all agree
        db.session.execute(update(Pledge).where(Pledge.id == pledges[0])
                           .values(action_tally="[]"))
        assert write_tallies(db.session) == (1 if counted(pledges[0]) else 0)
        db.session.commit()
        assert all_kept(pledges)


def test_updates_posted_written_moved_and_deleted_are_counted(app: Flask) -> None:
    with app.app_context():
        _council_id, (pledge, other, *_rest) = council_pledges()
        first, second = actions_of(pledge)[0], actions_of(other)[0]
        posted = post_update(db.session.get(Action, first), reported_on=DAY,
                             status=ActionStatus.AT_RISK, note="Said", author="Officer")
        assert kept(pledge) == counted(pledge)
        assert kept(pledge)[("at_risk", db.session.get(Action, first).due)] >= 1
        later = ProgressUpdate(council_id=posted.council_id, action_id=first,
                               reported_on=DAY + dt.timedelta(days=2),
                               status=ActionStatus.COMPLETE, note="", author="Test")
        db.session.add(later)  # as any code may, not through post_update
        db.session.commit()
        assert db.session.get(Action, first).status == "complete"
        assert kept(pledge) == counted(pledge)
        db.session.get(ProgressUpdate, later.id).action_id = second  # moved to another pledge
        db.session.commit()
        assert db.session.get(Action, second).status == "complete"
        assert kept(pledge) == counted(pledge) and kept(other) == counted(other)
        db.session.delete(db.session.get(ProgressUpdate, later.id))
        db.session.commit()
        assert kept(other) == counted(other)


def test_actions_added_moved_redated_archived_and_deleted_are_counted(
        app: Flask, count_queries) -> None:
    with app.app_context():
        council_id, (pledge, other, *_rest) = council_pledges()
        first = actions_of(pledge)[0]
        action = db.session.get(Action, first)
        action.due = dt.date(2031, 7, 31)
        db.session.commit()
        assert kept(pledge)[("not_started", dt.date(2031, 7, 31))] >= 1
        assert kept(pledge) == counted(pledge)
        db.session.get(Action, first).pledge_id = other  # moved
        db.session.commit()
        assert kept(pledge) == counted(pledge) and kept(other) == counted(other)
        assert kept(other)[("not_started", dt.date(2031, 7, 31))] >= 1
        db.session.get(Action, first).archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        db.session.commit()
        assert kept(other) == counted(other)
        assert ("not_started", dt.date(2031, 7, 31)) not in kept(other)
        added = Action(council_id=council_id, pledge_id=pledge, key="kept-tally-new",
                       number=99, position=99, origin="local", due=dt.date(2032, 1, 31))
        db.session.add(added)
        db.session.commit()
        assert kept(pledge)[("not_started", dt.date(2032, 1, 31))] == 1
        db.session.delete(db.session.get(Action, added.id))
        db.session.commit()
        assert kept(pledge) == counted(pledge)
        assert ("not_started", dt.date(2032, 1, 31)) not in kept(pledge)
        db.session.get(Action, actions_of(pledge)[0]).wording = "Reworded"
        with count_queries() as statements:
            db.session.commit()
        assert not any("action_tally" in sql for sql in statements.statements)


def test_a_core_load_is_counted_when_its_council_is_touched(app: Flask) -> None:
    """A Core writer says nothing of which rows it wrote: touching the council counts its
    pledges' actions again, after their statuses from their updates."""
    with app.app_context():
        council_id, (pledge, other, *_rest) = council_pledges()
        first, second = actions_of(pledge)[0], actions_of(other)[0]
        connection: Connection = db.session.connection()
        connection.execute(update(Action.__table__).where(Action.id == first)
                           .values(due=dt.date(2033, 3, 31)))
        connection.execute(insert(ProgressUpdate.__table__).values(
            council_id=council_id, action_id=second, reported_on=DAY,
            status=ActionStatus.OFF_TRACK.value, note="", author="Loader",
            created_at=dt.datetime.now(dt.UTC)))
        revisions.touch(connection, [council_id])
        db.session.commit()
        assert kept(pledge)[(db.session.get(Action, first).status, dt.date(2033, 3, 31))] >= 1
        assert any(status == "off_track" for status, _due in kept(other))
        assert kept(pledge) == counted(pledge) and kept(other) == counted(other)
