"""Each action's row keeps its JSON as the API gives it in its pledge
(core.pledges.kept_json), whatever writes the action or its updates: an update posted,
written by any code, moved or deleted, the action edited, or rows loaded by Core; the
API's list of pledges sends what the rows keep."""

from __future__ import annotations

import datetime as dt

import orjson
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, insert, select, update

from core import revisions
from core.extensions import db
from core.models import Action, Council, ProgressUpdate
from core.pledges.kept_json import write_action_json
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update
from core.pledges.schemas import PledgeActionSchema
from tests.core.growth import grow

SLUG = "bracknell_forest"
DAY = dt.date(2026, 6, 10)


def kept(action_id: int) -> dict[str, object]:
    """The JSON the action's row holds, as committed, parsed."""
    db.session.expire_all()
    return orjson.loads(db.session.scalar(select(Action.api_json)
                                          .where(Action.id == action_id)))


def dumped(action_id: int) -> dict[str, object]:
    """The action as the API's schema dumps it."""
    db.session.expire_all()
    return PledgeActionSchema().dump(db.session.get(Action, action_id))


def council_actions() -> tuple[int, list[int]]:
    council_id = db.session.scalar(select(Council.id).where(Council.slug == SLUG))
    actions = db.session.scalars(select(Action.id).where(Action.council_id == council_id)
                                 .order_by(Action.id)).all()
    assert len(actions) > 2
    return council_id, list(actions)


def test_every_action_keeps_what_the_schema_dumps(app: Flask, count_queries) -> None:
    with app.app_context():
        council_id, actions = council_actions()
        for action_id in actions:
            assert kept(action_id) == dumped(action_id)
        with count_queries() as counted:
            write_action_json(db.session, council_ids=[council_id])
        assert len(counted) == 1  # one statement, comparing in the database
        assert all(kept(action_id) == dumped(action_id) for action_id in actions)


def test_updates_posted_written_moved_and_deleted_are_kept(app: Flask) -> None:
    """The status and its day change with the updates, however they are written; the
    action's JSON follows, in the same transaction."""
    with app.app_context():
        _council_id, (first, second, *_rest) = council_actions()
        posted = post_update(db.session.get(Action, first), reported_on=DAY,
                             status=ActionStatus.AT_RISK, note="Said", author="Officer")
        assert kept(first) == dumped(first)
        assert (kept(first)["status"], kept(first)["status_on"]) == ("at_risk", "2026-06-10")
        later = ProgressUpdate(council_id=posted.council_id, action_id=first,
                               reported_on=DAY + dt.timedelta(days=2),
                               status=ActionStatus.COMPLETE, note="", author="Test")
        db.session.add(later)  # as any code may, not through post_update
        db.session.commit()
        assert kept(first)["status"] == "complete" and kept(first) == dumped(first)
        db.session.get(ProgressUpdate, later.id).action_id = second  # moved
        db.session.commit()
        assert kept(first)["status"] == "at_risk" and kept(first) == dumped(first)
        assert kept(second)["status"] == "complete" and kept(second) == dumped(second)
        db.session.delete(db.session.get(ProgressUpdate, later.id))
        db.session.commit()
        assert kept(second)["status"] == "not_started" and kept(second) == dumped(second)


def test_an_action_edited_is_kept_and_a_change_the_api_does_not_give_writes_none(
        app: Flask, count_queries) -> None:
    with app.app_context():
        _council_id, (first, *_rest) = council_actions()
        action = db.session.get(Action, first)
        action.wording, action.links = "Reworded", ["https://example.org/plan"]
        db.session.commit()
        assert kept(first)["wording"] == "Reworded" and kept(first) == dumped(first)
        action = db.session.get(Action, first)
        action.position = action.position + 100  # the API gives no position
        with count_queries() as counted:
            db.session.commit()
        assert not any("api_json" in sql for sql in counted.statements)
        assert kept(first) == dumped(first)


def test_a_core_load_is_kept_when_its_council_is_touched(app: Flask) -> None:
    """A Core writer says nothing of which rows it wrote: touching the council writes its
    actions' JSON from their columns, after their statuses from their updates."""
    with app.app_context():
        council_id, (first, second, *_rest) = council_actions()
        connection: Connection = db.session.connection()
        connection.execute(update(Action.__table__).where(Action.id == first)
                           .values(officer="Loaded officer"))
        connection.execute(insert(ProgressUpdate.__table__).values(
            council_id=council_id, action_id=second, reported_on=DAY,
            status=ActionStatus.OFF_TRACK.value, note="", author="Loader",
            created_at=dt.datetime.now(dt.UTC)))
        revisions.touch(connection, [council_id])
        db.session.commit()
        assert kept(first)["officer"] == "Loaded officer" and kept(first) == dumped(first)
        assert kept(second)["status"] == "off_track" and kept(second) == dumped(second)


#: The action schema's fields when migration 0030 last wrote every action's JSON.
WRITTEN_BY_0030 = [("due", "Date"), ("due_precision", "String"), ("every_months", "Integer"),
                   ("key", "String"), ("links", "List"), ("number", "Integer"),
                   ("officer", "String"), ("outcomes", "List"), ("status", "String"),
                   ("status_on", "Date"), ("timeline", "String"), ("wording", "String")]


def test_the_action_schema_is_the_one_every_action_was_last_written_by() -> None:
    """Each action's row keeps its JSON as the schema dumps it: a change to the schema
    leaves every kept JSON as the old schema wrote it until a migration writes them all
    again (as 0030 did), which is then named here."""
    fields = sorted((name, type(field).__name__)
                    for name, field in PledgeActionSchema().dump_fields.items())
    assert fields == WRITTEN_BY_0030, (
        "PledgeActionSchema changed: add a migration that writes every action's api_json "
        "again (core.pledges.kept_json), and name it here")


def test_the_api_sends_each_action_s_kept_json_in_constant_statements(
        app: Flask, client: FlaskClient, count_queries) -> None:
    """The JSON list of pledges reads each action's kept JSON; what it sends is each action
    as the schema dumps it, in as many statements however many actions there are."""
    url = f"/api/councils/{SLUG}/pledges?per_page=100"
    with app.app_context():
        client.get(url)
        with count_queries() as few:
            body = client.get(url).get_json()
        grow(app, SLUG, 2)
        client.get(url)
        with count_queries() as more:
            grown = client.get(url).get_json()
        assert len(few) == len(more)
        assert sum(len(pledge["actions"]) for pledge in grown) > sum(
            len(pledge["actions"]) for pledge in body)
        council_id = db.session.scalar(select(Council.id).where(Council.slug == SLUG))
        by_key = {action.key: PledgeActionSchema().dump(action) for action in
                  db.session.scalars(select(Action).where(Action.council_id == council_id))}
        for pledge in grown:
            for action in pledge["actions"]:
                assert action == by_key[action["key"]]
