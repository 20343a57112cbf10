"""The API's lists as CSV (core/api/tables.py): cells written straight from the rows are the
cells of the rows' dumps."""

from __future__ import annotations

import decimal
from types import SimpleNamespace
from typing import NamedTuple

from marshmallow import Schema, fields

from core.api import tables
from core.api.dumping import dumper
from core.api.tables import csv_body, csv_body_of_objects
from tests.core.api.test_dumping import Colour, Part, Whole, _whole


class WithPart(Schema):
    """A nested single object: columns ``part.name``, ``part.size``."""

    text = fields.String()
    part = fields.Nested(Part, allow_none=True)


class Line(NamedTuple):
    text: str
    count: int


#: Every kind of field a CSV column of its own can hold: the dumping tests' schema without
#: its field read along a path and its nested single object.
FLAT_EXCLUDED = ("deep", "part")
#: Rows with values, nulls, other types than the fields', and what converts.
OBJECTS = [
    _whole(),
    _whole(text=None, count=None, ratio=None, flag=None, day=None, words=None),
    _whole(text=5, count=True, ratio=2, flag=0, words=[], mapping={1: True}),
    _whole(text=Colour.RED, count=4.9, ratio=decimal.Decimal("0.25")),
    _whole(text='words, "quoted"\nand a line', flag=False, raw=None, absent="here after all"),
]


def test_cells_of_the_rows_are_the_cells_of_their_dumps() -> None:
    schema = Whole(many=True, exclude=FLAT_EXCLUDED)
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


def test_lines_written_one_by_one_make_the_file_written_whole() -> None:
    """:func:`tables.line_writer` writes each object's line as :func:`csv_body_of_objects`
    writes it among the others, for objects read by attribute and for dicts (dumped
    first); it is made once for the schema."""
    for schema, objects in ((Whole(many=True, exclude=FLAT_EXCLUDED), OBJECTS),
                            (Part(many=True), [{"name": "by key", "size": 1},
                                               {"name": "no size"}])):
        write = tables.line_writer(schema)
        assert tables.line_writer(schema) is write
        assert tables.csv_body_of_lines(schema, map(write, objects)) == csv_body_of_objects(
            schema, objects)
