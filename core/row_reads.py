"""Statements of columns run on the session's connection, past the ORM's execution layer.

``db.session.execute`` gives every statement the ORM's treatment: its execution events,
its compile state, its loading of the result (even for a statement of plain columns,
whose rows come back as they are). For the narrow reads the pages are made of that was
35–80 µs a statement on SQLite (a panel's list: 67 µs, 33 of them the ORM's; a council's
pledges with their actions: 318 µs, 78 of them) — a few hundred microseconds a page.
:func:`rows` and :func:`scalar` run such a statement on the session's own connection
(the same transaction, or on PostgreSQL the same autocommit reading of a safe request:
:mod:`core.safe_requests`), flushing first, as the session's autoflush would, when it
holds changes not yet sent.

Only for statements of columns: a statement of models (``select(Panel)``) needs the ORM to
make its objects, and goes through ``db.session``. A read-only page that wants a model's
whole row reads its table's columns into a :func:`row_class`: a tuple with each column by
attribute, as the model has it, and whatever of the model's methods a mixin shares with it.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping
from typing import Any

from sqlalchemy import CursorResult, Executable, literal_column

from core.extensions import db
from core.planned_selects import PlannedResult, execute, tuple_maker

#: ``LIMIT 1`` written into a statement rather than bound (``.limit(LIMIT_ONE)``), for a
#: subquery run once a row. psycopg prepares a statement a connection runs often, and
#: PostgreSQL then keeps one plan for every value of its parameters when that plan costs no
#: more than the plans it makes for each: a bound limit's value is unknown to that plan, so
#: it costs each probe as if it read several rows, and the statement was planned afresh on
#: every request.
LIMIT_ONE = literal_column("1")


def rows(statement: Executable, params: Mapping[str, Any] | None = None
         ) -> CursorResult[Any] | PlannedResult:
    """The rows of ``statement`` (a select of columns), with ``params``: once the same
    statement object has run a few times, through its plan (:mod:`core.planned_selects`),
    its rows then named tuples."""
    session = db.session()  # the request's own: each attribute of the proxy looks it up
    if session.autoflush and (session.new or session.deleted or session.dirty):
        session.flush()
    return execute(session.connection(), statement, params)


def tuples(statement: Executable, params: Mapping[str, Any] | None = None) -> list[Any]:
    """The rows of ``statement``, with ``params``, as named tuples of its columns' names:
    for rows read by name many times over (an API page dumps a thousand fields; a template
    reads each council's slug and name), where a row's named attribute costs about 0.23 µs
    and a tuple's next to nothing. One class for each set of column names, made once."""
    result = rows(statement, params)
    if type(result) is PlannedResult:  # already named tuples of its columns
        return result.all()
    make = tuple_maker(tuple(result.keys()))
    # Fetched whole, then made: iterating a result fetches a row at a time, which on
    # PostgreSQL cost a third more (360 agenda items: 0.47 → 0.61 ms).
    return list(map(make, result.all()))


def scalar(statement: Executable, params: Mapping[str, Any] | None = None) -> Any:
    """The first column of the first row of ``statement``, or ``None``."""
    return rows(statement, params).scalar()


def row_class(model: Any, *mixins: type, extra: tuple[str, ...] = ()) -> Any:
    """A tuple class of ``model``'s table columns in order, each read by attribute as the
    model's would be, then the ``extra`` fields (what the page reads with the row, such as
    a relationship's rows), with the read-only methods of ``mixins`` (which the model
    shares, so both answer alike; each declares ``__slots__ = ()``). Made from a row of
    ``select(*model.__table__.c)`` (and the extra values) by its ``_make``."""
    name = f"{model.__name__}Row"
    fields = namedtuple(name, [*model.__table__.c.keys(), *extra])  # type: ignore[misc]
    return type(name, (fields, *mixins), {"__slots__": (), "__module__": model.__module__})
