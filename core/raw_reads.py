"""A fixed read made on every request, through a pooled DBAPI connection.

The page cache reads a council's revision before every public page it may answer. Through
SQLAlchemy's ``Connection`` that read cost 72 µs on SQLite, most of it the connection
object, its events and the result's processing; through the pool's DBAPI connection and a
cursor, 9 µs (measured at national scale: see docs/performance.md). A
:class:`RawRead` keeps that shortcut correct: the statement is SQLAlchemy's, compiled once
for the engine's dialect; the connection comes from (and goes back to) the engine's pool;
on PostgreSQL it reads in autocommit, so no transaction is opened or rolled back, and the
connection is handed back as the pool gave it; after a driver's error the statement runs
again through SQLAlchemy, so a dropped connection, a locked database or a wrong statement
end as they would have without the shortcut (an answer, or SQLAlchemy's own error).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, Executable

#: Called with each raw read's SQL before it runs, as SQLAlchemy's ``before_cursor_execute``
#: listeners are for every other statement: how the tests count a page's statements.
LISTENERS: list[Callable[[str], None]] = []


class RawRead:
    """``statement`` (a SELECT with bound parameters), ready to run on ``engine``."""

    def __init__(self, engine: Engine, statement: Executable) -> None:
        self.engine = engine
        self.statement = statement
        self.compiled = statement.compile(dialect=engine.dialect)
        self.sql = str(self.compiled)
        #: The parameters' names in the order a positional driver (SQLite's) takes them.
        self.order: tuple[str, ...] | None = (
            tuple(self.compiled.positiontup or ()) if self.compiled.positional else None)
        self.autocommit = engine.dialect.name == "postgresql"

    def rows(self, **params: Any) -> list[tuple[Any, ...]]:
        """Every row the statement gives with ``params``, as the driver gives them (no
        type processing: for reads of text and numbers; an expanding ``IN`` is not
        supported).

        Should the driver refuse (a connection the server dropped, a database locked), the
        statement runs again through SQLAlchemy, which answers from another connection or
        raises its own error, with its handling of a lost server (every pooled connection
        renewed): the shortcut never changes what a request gets.
        """
        bound = self.compiled.construct_params(params)  # with the statement's own literals
        args: Any = (tuple(bound[name] for name in self.order) if self.order is not None
                     else bound)
        for listener in LISTENERS:
            listener(self.sql)
        connection = self.engine.raw_connection()
        driver: Any = connection.driver_connection
        was_autocommit = driver.autocommit if self.autocommit else None
        try:
            if self.autocommit:
                driver.autocommit = True
            cursor = driver.cursor()
            try:
                cursor.execute(self.sql, args)
                return cursor.fetchall()
            finally:
                cursor.close()
        except self.engine.dialect.loaded_dbapi.Error as error:
            if self.engine.dialect.is_disconnect(error, connection, None):  # type: ignore[arg-type]
                connection.invalidate(error)
        finally:
            try:
                if self.autocommit and connection.is_valid:
                    driver.autocommit = was_autocommit
            finally:
                connection.close()
        with self.engine.connect() as library:
            return [tuple(row) for row in library.execute(self.statement, params)]
