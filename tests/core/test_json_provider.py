"""JSON through orjson means what Flask's own provider's JSON means."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import json
import uuid
from collections import namedtuple

import orjson
import pytest
from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from core.extensions import db
from core.json_provider import OrjsonProvider


@dataclasses.dataclass
class Figure:
    period: str
    value: decimal.Decimal


class Word(enum.StrEnum):
    PLEDGE = "pledge"


Pair = namedtuple("Pair", "first second")

VALUES = [
    {"zeta": 1, "alpha": [1, 2.5, None, True], "middle": {"b": "x", "a": "y"}},
    {"day": dt.date(2026, 12, 4), "moment": dt.datetime(2026, 12, 4, 9, 30)},
    {"money": decimal.Decimal("12.50"), "id": uuid.UUID(int=7)},
    {"markup": Markup("<b>Care leavers’ offer</b>"), "word": Word.PLEDGE},
    {"figure": Figure("2025-26", decimal.Decimal("3.1"))},
    {"pair": Pair(1, "two"), "tuple": (3, 4), "huge": 2**70},
    {2: "numbers as keys", 1: "written as text"},
    {"Ysgol Gymraeg": "Gwasanaethau Plant Ynys Môn"},
    ["a list at the top", {"nested": [{"deeper": dt.date(2020, 1, 1)}]}],
]


@pytest.fixture
def flask_app() -> Flask:
    return Flask(__name__)


@pytest.mark.parametrize("value", VALUES)
def test_what_it_writes_reads_back_as_flasks_own(flask_app: Flask, value: object) -> None:
    ours, flasks = OrjsonProvider(flask_app), DefaultJSONProvider(flask_app)
    written, expected = ours.dumps(value), flasks.dumps(value)
    assert json.loads(written) == json.loads(expected)
    # Every key in the order Flask sorts them: the same text, bar spacing and escapes.
    assert written == json.dumps(json.loads(expected), separators=(",", ":"),
                                 ensure_ascii=False)


def test_keys_are_sorted_and_the_text_is_compact(flask_app: Flask) -> None:
    flask_app.json = OrjsonProvider(flask_app)
    with flask_app.app_context():
        body = jsonify({"b": 1, "a": {"d": 2, "c": 3}}).get_data(as_text=True)
    assert body == '{"a":{"c":3,"d":2},"b":1}\n'


def test_debug_mode_indents_by_two_as_flask_does(flask_app: Flask) -> None:
    flask_app.debug = True
    value = {"b": [1, 2], "a": "x"}
    ours = OrjsonProvider(flask_app).response(value).get_data(as_text=True)
    flasks = DefaultJSONProvider(flask_app).response(value).get_data(as_text=True)
    assert ours == flasks


def test_text_outside_ascii_is_written_as_utf8(flask_app: Flask) -> None:
    written = OrjsonProvider(flask_app).dumps({"name": "Ynys Môn’s"})
    assert written == '{"name":"Ynys Môn’s"}'


def test_what_neither_can_write_is_refused_alike(flask_app: Flask) -> None:
    for provider in (OrjsonProvider(flask_app), DefaultJSONProvider(flask_app)):
        with pytest.raises(TypeError, match="not JSON serializable"):
            provider.dumps({"when": dt.time(9, 30)})


def test_arguments_orjson_lacks_go_to_flasks_provider(flask_app: Flask) -> None:
    ours = OrjsonProvider(flask_app)
    assert ours.dumps({"a": 1}, separators=(", ", ": ")) == '{"a": 1}'
    assert ours.dumps([1], indent=4) == "[\n    1\n]"
    assert ours.loads('{"a": 1}', parse_float=decimal.Decimal) == {"a": 1}
    assert ours.loads(b'{"b": 2.5}') == {"b": 2.5}


def test_the_app_writes_and_reads_json_through_orjson(app: Flask) -> None:
    assert isinstance(app.json, OrjsonProvider)
    with app.app_context():
        assert db.engine.dialect._json_deserializer is orjson.loads
