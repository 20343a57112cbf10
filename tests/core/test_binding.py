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


@pytest.mark.parametrize(("statement", "params"), STATEMENTS,
                         ids=["literal", "escaped names", "late", "empty IN"])
def test_the_driver_gets_what_sqlalchemy_gives_it(app: Flask, statement: Any,
                                                   params: dict[str, Any]) -> None:
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, sql: str, parameters: Any, *_: Any) -> None:
        sent.append((sql, parameters))

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", keep)
        try:
            with engine.connect() as connection:
                connection.execute(statement, params).all()
        finally:
            event.remove(engine, "before_cursor_execute", keep)
        sql, args = Binding(statement, engine.dialect).bind(params)
    assert [(sql, args)] == [(found_sql, tuple(found) if isinstance(found, list) else found)
                             for found_sql, found in sent]


def test_a_missing_parameter_is_refused_by_name(app: Flask) -> None:
    statement, _params = STATEMENTS[0]
    with app.app_context():
        binding = Binding(statement, db.engine.dialect)
    with pytest.raises(InvalidRequestError, match="slug"):
        binding.bind({})
