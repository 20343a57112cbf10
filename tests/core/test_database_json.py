"""The JSON the database writes of an item is what its schema dumps
(core/database_json.py), on the test database's engine (SQLite, or PostgreSQL with
``CPT_TEST_DATABASE_URL``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields
from sqlalchemy import (
    JSON,
    Date,
    Engine,
    Enum,
    Integer,
    String,
    Text,
    bindparam,
    create_engine,
    select,
    update,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.exc import CompileError

from core.database_json import UnwritableField, json_of
from core.extensions import db
from core.meetings.models import AgendaItem
from core.meetings.schemas import AgendaItemSchema
from core.models import Action, Council, Pledge
from core.pledges.schemas import ActionSchema, PledgeActionSchema
from tests.core.growth import grow

#: A bound parameter of each column type an action's schema reads.
_PARAMETERS = {"key": String, "number": Integer, "pledge_key": String, "wording": Text,
               "officer": String, "timeline_text": String, "due": Date,
               "due_precision": String, "every_months": Integer, "links": JSON,
               "outcomes": JSON, "status": String, "status_on": Date}
ACTION_COLUMNS = {name: bindparam(name, type_=kind) for name, kind in _PARAMETERS.items()}

#: Text as a database stores it: anything but NUL (which neither engine keeps in text,
#: and the app refuses, core/input_check.py) and lone surrogates (not UTF-8).
_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from([*'a "\\/\n\r\t\x01\x1f\x7f<>&\'ŵ£', "\u2028", "😀"])),
    st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00")))
_NUMBER = st.integers(min_value=-(2**31), max_value=2**31 - 1)
_DAY = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31))


def in_order(text: str) -> Any:
    """JSON read with each object as its list of key and value pairs, in order."""
    return json.loads(text, object_pairs_hook=list)


def dumped_in_order(schema: Schema, obj: Any) -> Any:
    """``schema``'s dump of ``obj`` as the app's JSON provider writes it (keys sorted),
    read back as :func:`in_order` reads."""
    return in_order(orjson.dumps(schema.dump(obj), option=orjson.OPT_SORT_KEYS).decode())


@pytest.fixture(scope="module")
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test database, writing JSON columns as the app's does (the
    standard library's ``json.dumps``)."""
    made = create_engine(database_url)
    yield made
    made.dispose()


@settings(max_examples=300, deadline=None)
@given(values=st.fixed_dictionaries({
    "key": _TEXT, "number": _NUMBER, "pledge_key": _TEXT, "wording": st.none() | _TEXT,
    "officer": st.none() | _TEXT, "timeline_text": st.none() | _TEXT,
    "due": st.none() | _DAY, "due_precision": st.none() | _TEXT,
    "every_months": st.none() | _NUMBER, "links": st.none() | st.lists(_TEXT, max_size=4),
    "outcomes": st.lists(_TEXT, max_size=4), "status": _TEXT, "status_on": st.none() | _DAY}))
def test_an_items_json_is_its_dump_whatever_its_values(engine: Engine,
                                                       values: dict[str, Any]) -> None:
    """Text with quotes, backslashes, control characters, line separators and characters
    past the basic plane; nulls; empty and non-empty lists; days and numbers: the
    database's JSON reads as the schema's dump, with the same keys in the same order."""
    with engine.connect() as connection:
        written = connection.execute(select(json_of(ActionSchema(), ACTION_COLUMNS)),
                                     values).scalar_one()
    assert type(written) is str
    assert in_order(written) == dumped_in_order(ActionSchema(), SimpleNamespace(**values))


def test_every_action_and_agenda_item_of_the_reference_councils_is_written_as_dumped(
        app: Flask) -> None:
    actions = select(*Action.__table__.c, Pledge.key.label("pledge_key")).join(Action.pledge)
    items = select(*AgendaItem.__table__.c)
    grow(app, "herefordshire", 2)  # meetings with agendas
    checked = 0
    with app.app_context():
        for schema, statement in ((ActionSchema(), actions), (PledgeActionSchema(), actions),
                                  (AgendaItemSchema(), items)):
            columns = {column.key: column for column in statement.selected_columns}
            rows = db.session.execute(statement.add_columns(json_of(schema, columns))).all()
            assert rows, type(schema).__name__
            for found in rows:
                obj = SimpleNamespace(**found._asdict())  # read by the names selected
                assert in_order(found[-1]) == dumped_in_order(schema, obj)
                checked += 1
    assert checked > 100


class _Computed(Schema):
    title = fields.Function(lambda obj: obj.title.upper())


class _Rated(Schema):
    ratio = fields.Float()


class _Numbers(Schema):
    numbers = fields.List(fields.Integer())


class _British(Schema):
    due = fields.Date(format="%d/%m/%Y")


class _NumberAsText(Schema):
    number = fields.Integer(as_string=True)


class _Keyed(Schema):
    title = fields.String(data_key="the title")


class _Chosen(Schema):
    kind = fields.String()


class _LongKey(Schema):
    title = fields.String(data_key="t" * 64)  # PostgreSQL keeps a name's first 63 bytes


@pytest.mark.parametrize(("schema", "columns", "message"), [
    (_Computed(), {"title": bindparam("t", type_=String)},
     "_Computed.title: a Function field is not written by the database"),
    (_Rated(), {"ratio": bindparam("r", type_=Integer)},
     "_Rated.ratio: a Float field is not written by the database"),
    (_Numbers(), {"numbers": bindparam("n", type_=JSON)},
     "_Numbers.numbers: only a list of text kept in a JSON column"),
    (_British(), {"due": bindparam("d", type_=Date)},
     "_British.due: a day in the format '%d/%m/%Y' is not written"),
    (_NumberAsText(), {"number": bindparam("n", type_=Integer)},
     "_NumberAsText.number: a number written as text"),
    (AgendaItemSchema(), {"title": bindparam("t", type_=Integer),
                          "description": bindparam("d", type_=Text),
                          "kind": bindparam("k", type_=String)},
     "AgendaItemSchema.title: a String field is written from a String column, not Integer"),
    (AgendaItemSchema(), {"title": bindparam("t", type_=String)},
     "AgendaItemSchema.description: no column given for its attribute 'description'"),
    (_Keyed(), {"title": bindparam("t", type_=String)},
     "_Keyed.title: the key 'the title' is not a plain name"),
    (_Chosen(), {"kind": bindparam("k", type_=Enum("a", "b", name="kinds"))},
     "_Chosen.kind: its Enum column changes its values as they are read"),
    (_LongKey(), {"title": bindparam("t", type_=String)},
     f"_LongKey.title: the key '{'t' * 64}' is longer than 63 bytes"),
])
def test_a_field_the_database_cannot_write_is_refused_by_name(
        schema: Schema, columns: dict[str, Any], message: str) -> None:
    with pytest.raises(UnwritableField, match=message.replace("(", r"\(")):
        json_of(schema, columns)


def test_only_sqlite_and_postgresql_write_it() -> None:
    """Compiled for another database it is refused; printed, it reads as a function."""
    statement = select(json_of(AgendaItemSchema(), AgendaItem.__table__.c))
    with pytest.raises(CompileError, match="for SQLite and PostgreSQL, not mysql"):
        statement.compile(dialect=mysql.dialect())
    assert "cpt_json_object('description', agenda_item.description" in str(statement)


@pytest.mark.parametrize("url", [
    "/api/councils/herefordshire/actions", "/api/councils/herefordshire/pledges"])
def test_the_longest_lists_have_their_items_written_by_the_database_as_json_only(
        app: Flask, client: FlaskClient, engine: Engine, url: str,
        count_queries: Callable[[], AbstractContextManager[Any]]) -> None:
    """The JSON answer reads its items' JSON: the actions' written as it is read (SQLite's
    ``json_object``, PostgreSQL's ``row_to_json``), the pledges' actions' as each action's
    row keeps it (core.pledges.kept_json); the CSV of the same list reads rows."""
    grow(app, "herefordshire", 1)
    written = ("action.api_json" if url.endswith("/pledges")
               else "json_object(" if engine.dialect.name == "sqlite" else "row_to_json(")
    for variant, expected in ((url, True), (f"{url}.csv", False)):
        with count_queries() as counted:
            assert client.get(variant).status_code == 200
        assert any(written in sql for sql in counted.statements) is expected, variant


def test_a_pledge_without_live_actions_lists_none_and_has_no_status(
        app: Flask, client: FlaskClient) -> None:
    """A pledge's actions are outer-joined: one without any has a row of nulls, which
    the database writes as an object of nulls; the API lists no action and no status."""
    with app.app_context():
        pledge = db.session.scalar(select(Pledge).join(
            Council, Pledge.council_id == Council.id).where(
            Pledge.key == "pledge-1", Council.slug == "bracknell_forest"))
        db.session.execute(update(Action).where(Action.pledge_id == pledge.id).values(
            archived_at=dt.datetime.now(dt.UTC)))
        db.session.commit()
    pledges = client.get("/api/councils/bracknell_forest/pledges").get_json()
    first = next(item for item in pledges if item["key"] == "pledge-1")
    assert first["actions"] == [] and first["status"] is None
    assert all(item["actions"] and item["status"] for item in pledges if item is not first)
