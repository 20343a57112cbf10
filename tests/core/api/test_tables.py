"""The API's lists as CSV (core/api/tables.py): cells written straight from the rows are the
cells of the rows' dumps."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any, NamedTuple

from marshmallow import Schema, fields

from core.api import tables
from core.api.dumping import dumper
from core.api.tables import csv_body, csv_body_of_objects


class Part(Schema):
    name = fields.String()
    size = fields.Integer(allow_none=True)


class Flat(Schema):
    """Every kind of field a CSV column of its own can hold (no nested single object)."""

    text = fields.String(allow_none=True)
    renamed = fields.String(attribute="other", data_key="shown")
    count = fields.Integer(allow_none=True)
    ratio = fields.Float(allow_none=True)
    flag = fields.Boolean(allow_none=True)
    day = fields.Date(allow_none=True)
    moment = fields.DateTime()
    words = fields.List(fields.String(), allow_none=True)
    parts = fields.List(fields.Nested(Part))
    many_parts = fields.Nested(Part, many=True)
    mapping = fields.Dict(keys=fields.String(), values=fields.Integer())
    computed = fields.Function(lambda obj: f"computed {obj.count}")
    method = fields.Method("_method")
    absent = fields.String()
    absent_with_default = fields.String(dump_default="default")
    absent_with_callable_default = fields.Integer(dump_default=lambda: 7)
    raw = fields.Raw()

    def _method(self, obj: Any) -> str:
        return f"method {obj.text}"


class WithPart(Schema):
    """A nested single object: columns ``part.name``, ``part.size``."""

    text = fields.String()
    part = fields.Nested(Part, allow_none=True)


class Line(NamedTuple):
    text: str
    count: int


def _flat(**changes: Any) -> SimpleNamespace:
    values: dict[str, Any] = dict(
        text='words, "quoted"\nand a line', other="other", count=3, ratio=0.5, flag=True,
        day=dt.date(2026, 12, 2), moment=dt.datetime(2026, 12, 2, 18, 30, tzinfo=dt.UTC),
        words=["a", 1, b"bytes"], parts=[{"name": "two", "size": 2}],
        many_parts=[SimpleNamespace(name="three", size=None)], mapping={"b": 2, "a": 1},
        raw={"x": [1]})
    values.update(changes)
    return SimpleNamespace(**values)


OBJECTS = [
    _flat(),
    _flat(text=None, count=None, ratio=None, flag=None, day=None, words=None, parts=[]),
    _flat(text=5, count=True, ratio=2, flag=0, words=[], mapping={}),
    _flat(text="Café ŵ £", flag=False, raw=None, absent="present after all"),
]


def test_cells_of_the_rows_are_the_cells_of_their_dumps() -> None:
    schema = Flat(many=True)
    assert csv_body_of_objects(schema, OBJECTS) == csv_body(schema, dumper(schema)(OBJECTS))
    assert vars(schema)[tables._OBJECT_PLAN] is not None  # written straight, not dumped


def test_a_nested_object_is_dumped_first() -> None:
    schema = WithPart(many=True)
    objects = [SimpleNamespace(text="t", part=SimpleNamespace(name="n", size=1)),
               SimpleNamespace(text="u", part=None)]
    body = csv_body_of_objects(schema, objects)
    assert body == csv_body(schema, dumper(schema)(objects))
    assert body.decode("utf-8-sig").splitlines()[:2] == ["text,part.name,part.size", "t,n,1"]
    assert vars(schema)[tables._OBJECT_PLAN] is None


def test_objects_read_by_key_are_dumped_first() -> None:
    schema = Part(many=True)
    dicts = [{"name": "by key", "size": 1}, {"name": "no size"}]
    assert csv_body_of_objects(schema, dicts) == csv_body(schema, dumper(schema)(dicts))


def test_named_tuples_and_an_empty_list() -> None:
    class Lines(Schema):
        text = fields.String()
        count = fields.Integer()

    schema = Lines(many=True)
    rows = [Line("one", 1), Line("two", 2)]
    assert csv_body_of_objects(schema, rows) == csv_body(schema, dumper(schema)(rows)) == (
        "\ufefftext,count\r\none,1\r\ntwo,2\r\n".encode())
    assert csv_body_of_objects(schema, []) == "\ufefftext,count\r\n".encode()


def test_rows_given_as_a_generator_are_all_written() -> None:
    schema = Part(many=True)
    rows = [Line("one", 1), Line("two", 2)]
    assert csv_body_of_objects(schema, (SimpleNamespace(name=r.text, size=r.count)
                                        for r in rows)) == (
        "\ufeffname,size\r\none,1\r\ntwo,2\r\n".encode())
