"""A planned dump gives exactly marshmallow's (core/api/dumping.py)."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest
from flask import Flask
from marshmallow import Schema, fields, post_dump

from core.api import dumping, listing
from core.api.dumping import dumper
from core.api.tables import csv_body
from tests.core.api.test_lists import HEREFORDSHIRE, list_urls
from tests.core.growth import grow

COUNCILS = ("bracknell_forest", "herefordshire", "isle_of_wight", "staffordshire")


class Colour(enum.Enum):
    RED = "red"


class Part(Schema):
    name = fields.String()
    size = fields.Integer(allow_none=True)


class Whole(Schema):
    text = fields.String(allow_none=True)
    renamed = fields.String(attribute="other", data_key="shown")
    deep = fields.String(attribute="inner.name")
    count = fields.Integer(allow_none=True)
    ratio = fields.Float(allow_none=True)
    counted_as_text = fields.Integer(as_string=True)
    flag = fields.Boolean(allow_none=True)
    day = fields.Date(allow_none=True)
    day_given_a_moment = fields.Date()
    moment = fields.DateTime()
    moment_rfc = fields.DateTime(format="rfc")
    day_formatted = fields.Date(format="%d/%m/%Y")
    money = fields.Decimal(as_string=True)
    words = fields.List(fields.String(), allow_none=True)
    days = fields.List(fields.Date())
    part = fields.Nested(Part, allow_none=True)
    parts = fields.List(fields.Nested(Part))
    many_parts = fields.Nested(Part, many=True)
    only_names = fields.Nested(Part, only=("name",), many=True)
    plucked = fields.Pluck(Part, "name", many=True)
    mapping = fields.Dict(keys=fields.String(), values=fields.Integer())
    any_mapping = fields.Dict()
    mapping_of_parts = fields.Dict(keys=fields.String(), values=fields.Nested(Part))
    computed = fields.Function(lambda obj: f"computed {obj.count}")
    method = fields.Method("_method")
    absent = fields.String()
    absent_with_default = fields.String(dump_default="default")
    absent_with_callable_default = fields.Integer(dump_default=lambda: 7)
    raw = fields.Raw()

    def _method(self, obj: Any) -> str:
        return f"method {obj.text}"


def _whole(**changes: Any) -> SimpleNamespace:
    values: dict[str, Any] = dict(
        text="words", other="other words", inner=SimpleNamespace(name="inside"), count=3,
        ratio=0.5, counted_as_text=12, flag=True, day=dt.date(2026, 12, 2),
        day_given_a_moment=dt.datetime(2026, 12, 2, 18, 30),
        moment=dt.datetime(2026, 12, 2, 18, 30, tzinfo=dt.UTC),
        moment_rfc=dt.datetime(2026, 12, 2, 18, 30, tzinfo=dt.UTC),
        day_formatted=dt.date(2026, 1, 9), money=decimal.Decimal("1.50"),
        words=["a", 1, b"bytes", Colour.RED], days=[dt.date(2026, 1, 1)],
        part=SimpleNamespace(name="one", size=1), parts=[{"name": "two", "size": 2}],
        many_parts=[SimpleNamespace(name="three", size=None)],
        only_names=[SimpleNamespace(name="four", size=4)],
        plucked=[SimpleNamespace(name="five", size=5)], mapping={"a": 1.0}, raw={"x": [1]},
        any_mapping={"b": [2]}, mapping_of_parts={"c": SimpleNamespace(name="six", size=6)})
    values.update(changes)
    return SimpleNamespace(**values)


@pytest.mark.parametrize("changes", [
    {},
    # nulls where a field allows them, and values of other types than the field's
    {"text": None, "count": None, "ratio": None, "flag": None, "day": None, "words": None,
     "part": None, "mapping": None, "any_mapping": None},
    {"text": 5, "count": True, "ratio": 2, "flag": 0, "words": [], "mapping": {1: True}},
    {"text": Colour.RED, "count": 4.9, "ratio": decimal.Decimal("0.25")},
], ids=["values", "nulls", "other types", "enum and conversions"])
def test_every_field_type_is_written_as_marshmallow_writes_it(changes: dict[str, Any]) -> None:
    schema = Whole()
    obj = _whole(**changes)
    assert dumper(schema)(obj) == schema.dump(obj)
    assert list(dumper(schema)(obj)) == list(schema.dump(obj))  # the same order of keys
    assert type(dumper(schema)(obj)) is type(schema.dump(obj))


def test_a_missing_attribute_is_left_out_or_takes_its_default() -> None:
    obj = _whole()
    dumped = dumper(Whole())(obj)
    assert "absent" not in dumped
    assert dumped["absent_with_default"] == "default"
    assert dumped["absent_with_callable_default"] == 7
    assert dumped["shown"] == "other words" and "renamed" not in dumped


def test_dicts_and_lists_of_objects_dump_as_marshmallow_dumps_them() -> None:
    many = Part(many=True)
    objs = [{"name": "dict", "size": 1}, SimpleNamespace(name="object", size=2),
            {"name": "no size"}]
    assert dumper(many)(objs) == many.dump(objs)
    assert dumper(Part(only=("size",)))(objs[0]) == {"size": 1}


def test_rows_and_dicts_are_read_as_marshmallow_reads_them() -> None:
    """A row by its names (its ``[]`` takes positions only); a dict by its keys, else by
    its attributes (a dict without ``keys`` gives its method, as marshmallow's would)."""
    from sqlalchemy import create_engine, text

    class Named(Schema):
        name = fields.String()
        size = fields.Integer()
        keys = fields.Raw()

    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        rows = list(connection.execute(text("SELECT 'row' AS name, 2 AS size")))
    engine.dispose()
    objs = [*rows, {"name": "dict", "size": 1}, {"name": "keyed", "keys": [1]}]
    many = Named(many=True)
    dumped = dumper(many)(objs)
    assert dumped == many.dump(objs)
    assert dumped[0] == {"name": "row", "size": 2}
    assert dumped[2]["keys"] == [1] and callable(dumped[1]["keys"])


def test_named_tuples_are_read_by_attribute_and_other_tuples_as_marshmallow_reads_them(
        ) -> None:
    """A named tuple's ``[]`` takes positions only, so marshmallow falls back to its
    attributes, as the plan reads them at once; a tuple class with a ``[]`` of its own is
    read as marshmallow reads it."""
    class Line(NamedTuple):
        name: str
        size: int

    class ByName(tuple):
        def __getitem__(self, key: Any) -> Any:
            return {"name": "by name", "size": 3}[key] if isinstance(key, str) else (
                super().__getitem__(key))

    class Named(Schema):
        name = fields.String()
        size = fields.Integer()

    objs = [Line("tuple", 1), ByName(("ignored", 0))]
    many = Named(many=True)
    assert dumping._reading(Line) is dumping.Reading.ATTRIBUTES
    assert dumping._reading(ByName) is dumping.Reading.GENERAL
    assert dumper(many)(objs) == many.dump(objs) == [{"name": "tuple", "size": 1},
                                                      {"name": "by name", "size": 3}]


def test_a_schema_with_dump_hooks_is_left_to_marshmallow() -> None:
    class Hooked(Part):
        @post_dump
        def _shout(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
            return {key: str(value).upper() for key, value in data.items()}

    class Holding(Schema):
        hooked = fields.Nested(Hooked, many=True)

    schema = Hooked()
    assert dumper(schema) == schema.dump
    obj = SimpleNamespace(name="quiet", size=1)
    assert dumper(schema)(obj) == {"name": "QUIET", "size": "1"}
    holding = SimpleNamespace(hooked=[obj])
    assert dumper(Holding())(holding) == Holding().dump(holding) == {"hooked": [
        {"name": "QUIET", "size": "1"}]}


class Person(Schema):
    """A schema that holds itself: planned when an object first holds one, not before."""

    name = fields.String()
    parent = fields.Nested(lambda: Person(only=("name", "parent")), allow_none=True)
    children = fields.List(fields.Nested(lambda: Person(exclude=("children",))))


def test_a_schema_that_holds_itself_dumps_as_marshmallow_dumps_it() -> None:
    grandparent = SimpleNamespace(name="Ann", parent=None, children=[])
    parent = SimpleNamespace(name="Bo", parent=grandparent, children=[])
    child = SimpleNamespace(name="Cy", parent=parent, children=[])
    parent.children = [child]
    schema = Person()
    assert dumper(schema)(parent) == schema.dump(parent)
    assert dumper(schema)(child)["parent"]["parent"] == {"name": "Ann", "parent": None}


def test_a_schema_with_its_own_dump_is_left_to_marshmallow() -> None:
    class Counted(Part):
        def dump(self, obj: Any, *, many: bool | None = None) -> Any:
            return {"dumped": super().dump(obj, many=many)}

    class Holding(Schema):
        counted = fields.Nested(Counted)

    schema = Counted()
    assert dumper(schema) == schema.dump
    obj = SimpleNamespace(counted=SimpleNamespace(name="n", size=1))
    assert dumper(Holding())(obj) == Holding().dump(obj) == {
        "counted": {"dumped": {"name": "n", "size": 1}}}


def test_a_list_schema_given_nothing_dumps_as_marshmallow_dumps_it() -> None:
    many = Part(many=True)
    assert dumper(many)(None) == many.dump(None) == {}
    assert dumper(many)([]) == many.dump([]) == []


def test_each_schema_instance_keeps_its_own_plan() -> None:
    """Two instances of one class with different fields chosen are planned apart, and a
    plan lives (and goes) with its schema, not in a cache of every schema ever made."""
    names, sizes = Part(only=("name",)), Part(only=("size",))
    obj = SimpleNamespace(name="n", size=2)
    assert dumper(names)(obj) == {"name": "n"} and dumper(sizes)(obj) == {"size": 2}
    assert vars(names)[dumping._PLAN] is not vars(sizes)[dumping._PLAN]
    assert dumper(names) is vars(names)[dumping._PLAN]  # planned once, then reused


def test_every_list_of_the_api_is_planned_not_left_to_marshmallow(app: Flask) -> None:
    """Each list's schema is one the plan covers (no hooks), so the comparison below
    compares planned dumps with marshmallow's."""
    from core.api.listing import ApiBlueprint

    schemas = [schema for blueprint in app.blueprints.values()
               if isinstance(blueprint, ApiBlueprint) for schema in blueprint.list_schemas]
    assert len(schemas) >= 12
    for schema in schemas:
        assert dumper(schema) != schema.dump, type(schema).__name__


def in_order(body: bytes) -> Any:
    """JSON read with each object as its list of key and value pairs, in order."""
    return json.loads(body, object_pairs_hook=list)


def test_every_list_of_the_api_gives_what_marshmallow_gives(
        make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list, for every reference council, as JSON and as CSV: the same answer with
    the planned dump, the items the database writes (:mod:`core.database_json`) and
    the CSV's cells written straight from the rows (:func:`core.api.tables.csv_body_of_objects`)
    as with marshmallow's own dump of the rows. The same bytes of CSV; the same JSON, key
    for key in the same order (a JSON column's value is written by the database as it was
    stored, escaped and spaced as the standard library writes it)."""
    app = make_app(config={"PAGE_CACHE_STORE": "off"})
    grow(app, HEREFORDSHIRE, 2)
    client = app.test_client()
    # each council's lists; those of one panel or cycle as list_urls gives them
    urls = {url.replace("isle_of_wight", council) if url.count("/") == 4 else url
            for url in list_urls(app) for council in COUNCILS}
    compared = 0
    for url in sorted(urls):
        for variant in (url, f"{url}.csv", f"{url}?per_page=3&page=2"):
            planned = client.get(variant)
            with monkeypatch.context() as patched:
                patched.setattr(dumping, "dumper", lambda schema: schema.dump)
                patched.setattr(listing.PageReads, "for_json", listing.PageReads.objects)
                patched.setattr(listing, "csv_body_of_objects",
                                lambda schema, objects: csv_body(schema, schema.dump(objects)))
                theirs = client.get(variant)
            assert planned.status_code == theirs.status_code == 200, variant
            if ".csv" in variant:
                assert planned.get_data() == theirs.get_data(), variant
            else:
                assert in_order(planned.get_data()) == in_order(theirs.get_data()), variant
            compared += len(planned.get_data()) > 40
    assert compared >= 60


def test_json_already_written_is_given_as_it_is() -> None:
    """An object, or a ``List`` or ``Nested`` field's value, that is JSON the database
    wrote (an ``orjson.Fragment``, core/database_json.py) is given unchanged, and
    orjson writes it as it is."""
    import orjson

    class Holding(Schema):
        name = fields.String()
        parts = fields.List(fields.Nested(Part))
        many_parts = fields.Nested(Part, many=True)

    parts = orjson.Fragment('[{"name":"written","size":1}]')
    obj = SimpleNamespace(name="n", parts=parts, many_parts=parts)
    dumped = dumper(Holding())(obj)
    assert dumped["parts"] is parts and dumped["many_parts"] is parts
    item = orjson.Fragment('{"name":"written"}')
    assert dumper(Part(many=True))([item, SimpleNamespace(name="n", size=2)]) == [
        item, {"name": "n", "size": 2}]
    assert dumper(Part())(item) is item
    assert orjson.loads(orjson.dumps(dumped)) == {
        "name": "n", "parts": [{"name": "written", "size": 1}],
        "many_parts": [{"name": "written", "size": 1}]}
