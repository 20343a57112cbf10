"""A statement's SQL and parameters as the driver takes them (core/binding.py): exactly
what SQLAlchemy hands the driver for the same statement and values, on each engine the
suite runs on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import bindparam, event, literal, select
from sqlalchemy.exc import InvalidRequestError

from core.binding import Binding
from core.extensions import db
from core.models import Council, Meeting

SINCE = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)

STATEMENTS = [
    # a literal of the statement's own, and a parameter given
    (select(Council.slug, literal(7).label("seven")).where(Council.slug == bindparam("slug")),
     {"slug": "isle_of_wight"}),
    # names a named driver escapes, one with a processor (a datetime)
    (select(Meeting.id).where(Meeting.starts_at >= bindparam("since.day"),
                              Meeting.cancelled == bindparam("is it")),
     {"since.day": SINCE, "is it": False}),
    # an expanding IN beside a datetime, and a value written in as it runs
    (select(Meeting.id).where(Meeting.id.in_(bindparam("ids", expanding=True)),
                              Meeting.starts_at > bindparam("since"),
                              Meeting.location != bindparam("at", literal_execute=True)),
     {"ids": [1, 2, 3], "since": SINCE, "at": "Town hall"}),
    (select(Meeting.id).where(Meeting.id.in_(bindparam("ids", expanding=True))), {"ids": []}),
]


def _sent_by_sqlalchemy(statement: Any, params: dict[str, Any]) -> tuple[str, Any]:
    """What SQLAlchemy hands the driver for ``statement`` with ``params``."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, sql: str, parameters: Any, *_: Any) -> None:
        sent.append((sql, parameters))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        with engine.connect() as connection:
            connection.execute(statement, params).all()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    ((sql, found),) = sent
    return sql, tuple(found) if isinstance(found, list) else found


@pytest.mark.parametrize(("statement", "params"), STATEMENTS,
                         ids=["literal", "escaped names", "late", "empty IN"])
def test_the_driver_gets_what_sqlalchemy_gives_it(app: Flask, statement: Any,
                                                   params: dict[str, Any]) -> None:
    with app.app_context():
        expected = _sent_by_sqlalchemy(statement, params)
        assert Binding(statement, db.engine.dialect).bind(params) == expected


LATE, _ = STATEMENTS[2]


def test_late_parameters_rendered_once_for_the_same_values(app: Flask) -> None:
    """The rendering is kept by the late parameters' values; the others are bound afresh
    on every call, and other values are rendered again (as SQLAlchemy renders them)."""
    later = SINCE + dt.timedelta(days=30)
    calls = [{"ids": [1, 2, 3], "since": SINCE, "at": "Town hall"},
             {"ids": [1, 2, 3], "since": later, "at": "Town hall"},  # kept, since rebound
             {"ids": [4, 5], "since": SINCE, "at": "Town hall"},  # another IN
             {"ids": [1, 2, 3], "since": SINCE, "at": "Library"},  # another literal
             {"ids": (1, 2, 3), "since": later, "at": "Town hall"},  # a tuple, not the list
             {"ids": [True, 2, 3], "since": SINCE, "at": "Town hall"}]  # equal, not the same
    with app.app_context():
        binding = Binding(LATE, db.engine.dialect)
        for params in calls:
            assert _typed(binding.bind(params)) == _typed(_sent_by_sqlalchemy(LATE, params))
    assert len(binding.expansions) == 5


@pytest.mark.parametrize("ids", [[1.0, 2.0], list(range(1, 100))],
                         ids=["floats", "a long list"])
def test_values_not_kept_by_are_rendered_each_time(app: Flask, ids: list[Any]) -> None:
    """Values whose equal ones may be written apart (floats: ``1.0 == 1``), and lists longer
    than LONGEST_KEPT, are rendered afresh each time, and bound as SQLAlchemy binds them."""
    params = {"ids": ids, "since": SINCE, "at": "Town hall"}
    with app.app_context():
        binding = Binding(LATE, db.engine.dialect)
        for _ in range(2):
            assert _typed(binding.bind(params)) == _typed(_sent_by_sqlalchemy(LATE, params))
    assert binding.expansions == {}


def test_an_in_given_by_its_compiled_name_is_rendered_for_that_value(app: Flask) -> None:
    """A statement's own IN (an anonymous parameter) given another value under its compiled
    name, as SQLAlchemy allows: rendered for the value given, not the statement's own."""
    statement = select(Meeting.id).where(Meeting.id.in_([1, 2])).order_by(Meeting.id)
    with app.app_context():
        binding = Binding(statement, db.engine.dialect)
        (name,) = binding.late_names
        for params in ({}, {name: [3, 4, 5]}, {}):
            assert _typed(binding.bind(params)) == _typed(_sent_by_sqlalchemy(statement,
                                                                              params))


def _typed(sent: tuple[str, Any]) -> tuple[str, Any]:
    """The SQL and each parameter with its type (``1.0 == 1``, and is bound apart)."""
    sql, args = sent
    if isinstance(args, dict):
        return sql, {name: (type(value), value) for name, value in args.items()}
    return sql, tuple((type(value), value) for value in args)


def test_only_the_latest_renderings_are_kept(app: Flask, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.setattr("core.binding.EXPANSIONS_KEPT", 2)
    with app.app_context():
        binding = Binding(LATE, db.engine.dialect)
        for ids in ([1], [1, 2], [1, 2, 3], [1, 2]):
            params = {"ids": ids, "since": SINCE, "at": "Town hall"}
            assert binding.bind(params) == _sent_by_sqlalchemy(LATE, params)
    # the first rendering let go when the third came; the second kept, and found again
    kept = sorted([item for _type, item in value[1:]] for key in binding.expansions
                  for value in key if value[0] is list)
    assert kept == [[1, 2], [1, 2, 3]]


def test_a_missing_parameter_is_refused_by_name(app: Flask) -> None:
    statement, _params = STATEMENTS[0]
    with app.app_context():
        binding = Binding(statement, db.engine.dialect)
    with pytest.raises(InvalidRequestError, match="slug"):
        binding.bind({})
