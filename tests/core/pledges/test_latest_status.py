"""Each action's row keeps the status and day of its latest progress update, whatever
writes the updates: added, backdated, moved, deleted, or loaded by Core; and each pledge
names the latest update of its live actions, with its day and note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager

from flask import Flask
from sqlalchemy import Connection, insert, select, update

from core import revisions
from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update
from core.pledges.reads import pledge_lines
from tests.conftest import QueryCounter

DAY = dt.date(2026, 6, 10)


def two_actions() -> tuple[Action, Action]:
    council = db.session.scalar(select(Council).where(Council.slug == "bracknell_forest"))
    first, second = db.session.scalars(select(Action).where(
        Action.council_id == council.id).order_by(Action.id).limit(2)).all()
    return first, second


def kept(action_id: int) -> tuple[str, dt.date | None]:
    """The status and day the action's row holds, as committed."""
    db.session.expire_all()
    row = db.session.execute(select(Action.status, Action.status_on)
                             .where(Action.id == action_id)).one()
    return row.status, row.status_on


def add(action: Action, day: dt.date, status: ActionStatus) -> ProgressUpdate:
    """An update written as any code may (not through :func:`post_update`)."""
    written = ProgressUpdate(council_id=action.council_id, action_id=action.id,
                             reported_on=day, status=status, note="", author="Test")
    db.session.add(written)
    db.session.commit()
    return written


def insert_by_core(connection: Connection, action: Action) -> None:
    """A complete update of ``action`` on :data:`DAY`, inserted as a Core loader does."""
    connection.execute(insert(ProgressUpdate.__table__).values(
        council_id=action.council_id, action_id=action.id, reported_on=DAY,
        status=ActionStatus.COMPLETE, note="", author="Loader",
        created_at=dt.datetime.now(dt.UTC)))


def test_an_update_added_sets_the_status_and_a_backdated_one_leaves_it(app: Flask) -> None:
    with app.app_context():
        action, _other = two_actions()
        action_id = action.id
        assert kept(action_id) == (ActionStatus.NOT_STARTED, None)
        add(action, DAY, ActionStatus.AT_RISK)
        assert kept(action_id) == (ActionStatus.AT_RISK, DAY)
        add(db.session.get(Action, action_id), DAY - dt.timedelta(days=30),
            ActionStatus.COMPLETE)
        assert kept(action_id) == (ActionStatus.AT_RISK, DAY)
        add(db.session.get(Action, action_id), DAY, ActionStatus.OFF_TRACK)
        assert kept(action_id) == (ActionStatus.OFF_TRACK, DAY)  # the later recorded


def test_deleting_the_latest_update_gives_the_one_before(app: Flask) -> None:
    with app.app_context():
        action, _other = two_actions()
        action_id = action.id
        add(action, DAY - dt.timedelta(days=7), ActionStatus.ON_TRACK)
        latest = add(db.session.get(Action, action_id), DAY, ActionStatus.OFF_TRACK)
        db.session.delete(latest)
        db.session.commit()
        assert kept(action_id) == (ActionStatus.ON_TRACK, DAY - dt.timedelta(days=7))
        db.session.delete(db.session.scalar(select(ProgressUpdate).where(
            ProgressUpdate.action_id == action_id)))
        db.session.commit()
        assert kept(action_id) == (ActionStatus.NOT_STARTED, None)


def test_an_update_moved_to_another_action_changes_both(app: Flask) -> None:
    with app.app_context():
        action, other = two_actions()
        action_id, other_id = action.id, other.id
        moved = add(action, DAY, ActionStatus.COMPLETE)
        moved.action_id = other_id
        db.session.commit()
        assert kept(action_id) == (ActionStatus.NOT_STARTED, None)
        assert kept(other_id) == (ActionStatus.COMPLETE, DAY)


def kept_words(action_id: int) -> tuple[str | None, str | None]:
    """The latest note and author the action's row holds, as committed."""
    db.session.expire_all()
    row = db.session.execute(select(Action.latest_note, Action.latest_author)
                             .where(Action.id == action_id)).one()
    return row.latest_note, row.latest_author


def test_a_note_changed_is_kept_on_its_action_and_an_earlier_one_s_is_not(app: Flask) -> None:
    """The latest update's note and author, corrected, are what its action's row keeps; an
    earlier update's, corrected, leave it as it was."""
    with app.app_context():
        action, _other = two_actions()
        action_id = action.id
        earlier = post_update(action, reported_on=DAY - dt.timedelta(days=7),
                              status=ActionStatus.ON_TRACK, note="First", author="Officer")
        latest = post_update(action, reported_on=DAY, status=ActionStatus.AT_RISK, note="",
                             author="Officer")
        assert kept_words(action_id) == ("", "Officer")
        latest = db.session.get(ProgressUpdate, latest.id)
        latest.note, latest.author = "Better words", "Another officer"
        db.session.commit()
        assert kept_words(action_id) == ("Better words", "Another officer")
        pledge_id = db.session.get(Action, action_id).pledge_id
        assert latest_of(pledge_id) == latest.id  # the pledge keeps the corrected note
        assert db.session.get(Pledge, pledge_id).latest_note == "Better words"
        earlier = db.session.get(ProgressUpdate, earlier.id)
        earlier.note = "Rewritten"
        db.session.commit()
        assert kept_words(action_id) == ("Better words", "Another officer")
        assert kept(action_id) == (ActionStatus.AT_RISK, DAY)
        assert latest_of(pledge_id) == latest.id
        assert db.session.get(Pledge, pledge_id).latest_note == "Better words"


def test_a_change_to_nothing_an_action_keeps_writes_no_action(
        app: Flask, count_queries: Callable[[], AbstractContextManager[QueryCounter]]) -> None:
    with app.app_context():
        action, _other = two_actions()
        written = post_update(action, reported_on=DAY, status=ActionStatus.AT_RISK, note="",
                              author="Officer")
        written.created_at = written.created_at - dt.timedelta(minutes=5)
        with count_queries() as counted:
            db.session.commit()
        assert not [statement for statement in counted.statements
                    if statement.lower().startswith("update action ")]


def test_an_update_posted_is_settled_by_its_writer(
        app: Flask, count_queries: Callable[[], AbstractContextManager[QueryCounter]]) -> None:
    """Posting an update sets the action's status itself (holding the action while it
    compares the days), so the refresh runs no statement of its own; a backdated one,
    which leaves the action as it was, is worked out again."""
    with app.app_context():
        action, _other = two_actions()
        action_id = action.id
        with count_queries() as posted:
            post_update(action, reported_on=DAY, status=ActionStatus.AT_RISK, note="",
                        author="Officer")
        assert not [statement for statement in posted.statements if "coalesce" in
                    statement.lower() and statement.lower().startswith("update action ")]
        assert kept(action_id) == (ActionStatus.AT_RISK, DAY)
        with count_queries() as backdated:
            post_update(db.session.get(Action, action_id), reported_on=DAY - dt.timedelta(
                days=3), status=ActionStatus.COMPLETE, note="", author="Officer")
        assert [statement for statement in backdated.statements if "coalesce" in
                statement.lower() and statement.lower().startswith("update action ")]
        assert kept(action_id) == (ActionStatus.AT_RISK, DAY)


def test_rows_written_by_core_are_set_when_the_writer_touches_the_council(
        app: Flask) -> None:
    """A Core writer (the demo's loader, a tool) calls :func:`core.revisions.touch`, which
    works out every action of the council again; an action whose kept status was wrong is
    mended, the others left."""
    with app.app_context():
        action, other = two_actions()
        with db.engine.begin() as connection:
            insert_by_core(connection, action)
            connection.execute(update(Action.__table__).where(Action.id == other.id)
                               .values(status=ActionStatus.OFF_TRACK, status_on=DAY,
                                       latest_note="Wrong", latest_author="Nobody"))
            revisions.touch(connection, [action.council_id])
        assert kept(action.id) == (ActionStatus.COMPLETE, DAY)
        assert kept_words(action.id) == ("", "Loader")
        assert kept(other.id) == (ActionStatus.NOT_STARTED, None)
        assert kept_words(other.id) == (None, None)


# --- each pledge's latest update -------------------------------------------------------


def same_pledge() -> tuple[Action, Action, Action]:
    """Two actions of one pledge of a council, and an action of another of its pledges."""
    council = db.session.scalar(select(Council).where(Council.slug == "bracknell_forest"))
    actions = db.session.scalars(select(Action).where(
        Action.council_id == council.id, Action.archived_at.is_(None))
        .order_by(Action.pledge_id, Action.id)).all()
    first = actions[0]
    second = next(action for action in actions[1:] if action.pledge_id == first.pledge_id)
    other = next(action for action in actions if action.pledge_id != first.pledge_id)
    return first, second, other


def latest_of(pledge_id: int) -> int | None:
    """The latest update the pledge's row names, as committed, the day and note the row
    keeps checked against that update's."""
    db.session.expire_all()
    row = db.session.execute(select(
        Pledge.latest_update_id, Pledge.latest_reported_on, Pledge.latest_note)
        .where(Pledge.id == pledge_id)).one()
    named = (None if row.latest_update_id is None
             else db.session.get(ProgressUpdate, row.latest_update_id))
    assert (row.latest_reported_on, row.latest_note) == (
        (None, None) if named is None else (named.reported_on, named.note))
    return row.latest_update_id


def test_a_pledge_names_the_latest_update_of_its_actions(app: Flask) -> None:
    with app.app_context():
        first, second, _other = same_pledge()
        pledge_id, first_id, second_id = first.pledge_id, first.id, second.id
        assert latest_of(pledge_id) is None
        earlier = add(first, DAY - dt.timedelta(days=3), ActionStatus.ON_TRACK)
        assert latest_of(pledge_id) == earlier.id
        later = add(db.session.get(Action, second_id), DAY, ActionStatus.AT_RISK)
        assert latest_of(pledge_id) == later.id
        add(db.session.get(Action, first_id), DAY - dt.timedelta(days=1), ActionStatus.COMPLETE)
        assert latest_of(pledge_id) == later.id  # backdated: not the latest
        same_day = add(db.session.get(Action, first_id), DAY, ActionStatus.OFF_TRACK)
        assert latest_of(pledge_id) == same_day.id  # the later recorded of one day
        db.session.delete(db.session.get(ProgressUpdate, same_day.id))
        db.session.commit()
        assert latest_of(pledge_id) == later.id


def test_an_update_posted_names_itself_on_its_pledge(app: Flask) -> None:
    with app.app_context():
        first, _second, _other = same_pledge()
        pledge_id = first.pledge_id
        posted = post_update(first, reported_on=DAY, status=ActionStatus.AT_RISK, note="Said",
                             author="Officer")
        assert latest_of(pledge_id) == posted.id
        council = db.session.get(Council, first.council_id)
        lines = {line.id: line for line in pledge_lines(council)}
        assert lines[pledge_id].latest is not None
        assert (lines[pledge_id].latest.id, lines[pledge_id].latest.note) == (posted.id, "Said")


def test_an_action_archived_or_moved_leaves_its_pledge_and_counts_for_its_new_one(
        app: Flask) -> None:
    with app.app_context():
        first, second, other = same_pledge()
        pledge_id, other_pledge_id, first_id = first.pledge_id, other.pledge_id, first.id
        kept_update = add(second, DAY - dt.timedelta(days=5), ActionStatus.ON_TRACK)
        newest = add(db.session.get(Action, first_id), DAY, ActionStatus.AT_RISK)
        assert latest_of(pledge_id) == newest.id
        db.session.get(Action, first_id).archived_at = dt.datetime.now(dt.UTC)
        db.session.commit()
        assert latest_of(pledge_id) == kept_update.id
        db.session.get(Action, first_id).archived_at = None
        db.session.commit()
        assert latest_of(pledge_id) == newest.id
        db.session.get(Action, first_id).pledge_id = other_pledge_id
        db.session.commit()
        assert latest_of(pledge_id) == kept_update.id
        assert latest_of(other_pledge_id) == newest.id


def test_a_pledge_written_by_core_is_mended_when_the_writer_touches_the_council(
        app: Flask) -> None:
    with app.app_context():
        first, _second, other = same_pledge()
        with db.engine.begin() as connection:
            insert_by_core(connection, first)
            connection.execute(update(Pledge.__table__).where(Pledge.id == other.pledge_id)
                               .values(latest_update_id=123456))
            revisions.touch(connection, [first.council_id])
        written = db.session.scalar(select(ProgressUpdate.id).where(
            ProgressUpdate.action_id == first.id))
        assert latest_of(first.pledge_id) == written
        assert latest_of(other.pledge_id) is None
