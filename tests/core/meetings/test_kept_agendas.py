"""Each meeting's row keeps its agenda as the API gives it (core.meetings.kept_agendas),
whatever writes the items: added, changed, reordered, moved to another meeting, deleted, or
loaded by Core; the API's list of meetings sends what the row keeps."""

from __future__ import annotations

import datetime as dt

import orjson
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, insert, select, update

from core import revisions
from core.concurrency import commit_or_conflict, save_if_unchanged
from core.extensions import db
from core.meetings.agenda import edit_agenda_item
from core.meetings.kept_agendas import write_agendas
from core.meetings.models import AgendaItem, AgendaItemKind, Meeting
from core.meetings.schemas import AgendaItemSchema
from core.models import Council
from tests.core.growth import grow

SLUG = "herefordshire"


def kept(meeting_id: int) -> str:
    """The array the meeting's row holds, as committed."""
    db.session.expire_all()
    return db.session.scalar(select(Meeting.agenda_json).where(Meeting.id == meeting_id))


def dumped(meeting_id: int) -> list[dict[str, object]]:
    """The meeting's items in the agenda's order, as the API's schema dumps them."""
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                               .order_by(AgendaItem.position, AgendaItem.id)).all()
    return AgendaItemSchema(many=True).dump(items)


def two_meetings(app: Flask) -> tuple[int, int, int]:
    """The council's id and two of its meetings' ids, each with items (grown)."""
    grow(app, SLUG, 2)
    council_id = db.session.scalar(select(Council.id).where(Council.slug == SLUG))
    first, second = db.session.scalars(
        select(Meeting.id).where(Meeting.council_id == council_id,
                                 Meeting.id.in_(select(AgendaItem.meeting_id)))
        .order_by(Meeting.id).limit(2)).all()
    return council_id, first, second


def test_every_meeting_keeps_its_items_as_the_api_dumps_them(app: Flask) -> None:
    with app.app_context():
        council_id, first, _second = two_meetings(app)
        meetings = db.session.scalars(select(Meeting.id).where(
            Meeting.council_id == council_id)).all()
        assert len(meetings) > 2
        for meeting_id in meetings:
            assert orjson.loads(kept(meeting_id)) == dumped(meeting_id)
        assert dumped(first)  # items to compare, not only empty agendas
        assert write_agendas(db.session, council_ids=[council_id]) == 0  # nothing differs


def test_an_item_added_changed_reordered_moved_and_deleted_is_kept(app: Flask) -> None:
    with app.app_context():
        council_id, first, second = two_meetings(app)
        added = AgendaItem(council_id=council_id, meeting_id=first, position=-1,
                           title="Added \"first\" — café", kind=AgendaItemKind.ADDED)
        db.session.add(added)
        db.session.commit()
        assert orjson.loads(kept(first))[0] == {
            "title": "Added \"first\" — café", "description": None, "kind": "added"}
        steps = [
            lambda item: setattr(item, "description", "Said\nagain"),
            lambda item: setattr(item, "position", 999),
            lambda item: setattr(item, "meeting_id", second),
        ]
        for step in steps:
            item = db.session.get(AgendaItem, added.id)
            step(item)
            db.session.commit()
            for meeting_id in (first, second):
                assert orjson.loads(kept(meeting_id)) == dumped(meeting_id)
        assert orjson.loads(kept(second))[-1]["description"] == "Said\nagain"
        assert all(item["title"] != added.title for item in orjson.loads(kept(first)))
        db.session.delete(db.session.get(AgendaItem, added.id))
        db.session.commit()
        assert orjson.loads(kept(second)) == dumped(second)
        assert all(item["title"] != added.title for item in orjson.loads(kept(second)))


def test_a_change_the_api_does_not_give_writes_no_meeting(
        app: Flask, count_queries) -> None:
    """A decision recorded on an item (not in the API's agenda) leaves the meeting's row
    alone: no refresh reads the agendas."""
    with app.app_context():
        _council_id, first, _second = two_meetings(app)
        item = db.session.scalars(select(AgendaItem).where(
            AgendaItem.meeting_id == first)).first()
        before = kept(first)
        item = db.session.get(AgendaItem, item.id)
        item.decision = "Agreed."
        with count_queries() as counted:
            db.session.commit()
        assert not any("agenda_json" in sql for sql in counted.statements)
        assert kept(first) == before


def test_a_core_load_is_kept_when_its_council_is_touched(app: Flask) -> None:
    """A Core writer says nothing of which rows it wrote: touching the council writes its
    meetings' arrays from their items."""
    with app.app_context():
        council_id, first, _second = two_meetings(app)
        connection: Connection = db.session.connection()
        connection.execute(insert(AgendaItem.__table__).values(
            council_id=council_id, meeting_id=first, position=1000, title="Loaded",
            kind=AgendaItemKind.STANDING.value, version=1))
        connection.execute(update(AgendaItem.__table__).where(
            AgendaItem.meeting_id == first, AgendaItem.position < 1000).values(
            description="Rewritten by a loader"))
        revisions.touch(connection, [council_id])
        db.session.commit()
        assert orjson.loads(kept(first)) == dumped(first)
        assert orjson.loads(kept(first))[-1]["title"] == "Loaded"


def test_a_new_meeting_keeps_the_items_given_it_and_an_empty_one_none(app: Flask) -> None:
    """Items appended to a new meeting (their meeting's id given by the flush) are kept on
    it; a meeting with none keeps an empty agenda."""
    with app.app_context():
        council_id, first, _second = two_meetings(app)
        panel_id = db.session.scalar(select(Meeting.panel_id).where(Meeting.id == first))
        meeting, empty = (Meeting(council_id=council_id, panel_id=panel_id,
                                  starts_at=dt.datetime(2031, 3, day, 10, tzinfo=dt.UTC))
                          for day in (4, 5))
        meeting.agenda.extend(AgendaItem(council_id=council_id, position=position,
                                         title=f"Item {position}") for position in (2, 1))
        db.session.add_all([meeting, empty])
        db.session.commit()
        assert [item["title"] for item in orjson.loads(kept(meeting.id))] == [
            "Item 1", "Item 2"]
        assert orjson.loads(kept(meeting.id)) == dumped(meeting.id)
        assert kept(empty.id) == "[]"


def test_an_item_moved_through_its_meeting_or_unloaded_is_kept(app: Flask) -> None:
    """An item moved by its relationship keeps both meetings' agendas; one moved while its
    meeting was never loaded (the session cannot say where from) has every meeting of its
    council written again."""
    with app.app_context():
        _council_id, first, second = two_meetings(app)
        item = db.session.scalars(select(AgendaItem).where(
            AgendaItem.meeting_id == first)).first()
        item_id = item.id
        item.meeting = db.session.get(Meeting, second)
        db.session.commit()
        for meeting_id in (first, second):
            assert orjson.loads(kept(meeting_id)) == dumped(meeting_id)
        assert any(found["title"] == item.title for found in orjson.loads(kept(second)))
        db.session.expire_all()
        unloaded = db.session.get(AgendaItem, item_id)
        db.session.expire(unloaded, ["meeting_id"])
        unloaded.meeting_id = first
        db.session.commit()
        for meeting_id in (first, second):
            assert orjson.loads(kept(meeting_id)) == dumped(meeting_id)


#: The item schema's fields when migration 0027 last wrote every agenda.
WRITTEN_BY_0027 = [("description", "String"), ("kind", "String"), ("title", "String")]


def test_the_item_schema_is_the_one_every_agenda_was_last_written_by() -> None:
    """Each meeting's row keeps its agenda as the item schema dumps it: a change to the
    schema leaves every kept agenda as the old schema wrote it until a migration writes
    them all again (as 0027 did), which is then named here."""
    fields = sorted((name, type(field).__name__)
                    for name, field in AgendaItemSchema().dump_fields.items())
    assert fields == WRITTEN_BY_0027, (
        "AgendaItemSchema changed: add a migration that writes every meeting's agenda_json "
        "again (core.meetings.kept_agendas), and name it here")


def test_the_api_sends_each_meeting_s_kept_agenda_in_one_statement(
        app: Flask, client: FlaskClient, count_queries) -> None:
    """The JSON list reads its meetings alone (their kept agendas), however many items;
    what it sends is each meeting's items as the schema dumps them."""
    url = f"/api/councils/{SLUG}/meetings?per_page=100"
    with app.app_context():
        grow(app, SLUG, 1)
        client.get(url)
        with count_queries() as few:
            body = client.get(url).get_json()
        grow(app, SLUG, 3)
        client.get(url)
        with count_queries() as more:
            grown = client.get(url).get_json()
        assert len(grown) > len(body) and any(meeting["agenda"] for meeting in grown)
        assert len(few) == len(more)
        assert not any("agenda_item" in sql for sql in more.statements)
        for meeting in grown:
            assert meeting["agenda"] == dumped(meeting["id"])


def test_a_save_checked_by_version_refreshes_only_what_its_model_derives(
        app: Flask, count_queries) -> None:
    """A save through ``save_if_unchanged`` says which kind of row it wrote, not which row:
    an agenda item's save writes its council's agendas again, a meeting's (its minutes)
    reads none of them."""
    with app.app_context():
        _council_id, first, _second = two_meetings(app)
        item = db.session.scalars(select(AgendaItem).where(
            AgendaItem.meeting_id == first)).first()
        edit_agenda_item(item, title="Renamed by a clerk", description=None, presenter=None,
                         duration_minutes=None, decision=None, version=str(item.version))
        assert orjson.loads(kept(first)) == dumped(first)
        assert any(found["title"] == "Renamed by a clerk"
                   for found in orjson.loads(kept(first)))
        meeting = db.session.get(Meeting, first)
        with count_queries() as counted:
            save_if_unchanged(meeting, meeting.version, minutes="Minutes, as drafted.")
            commit_or_conflict()
        assert not any("agenda_item" in sql for sql in counted.statements)
        assert orjson.loads(kept(first)) == dumped(first)
