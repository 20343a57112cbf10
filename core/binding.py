"""A statement's SQL and its parameters as a DBAPI driver takes them, decided once.

What SQLAlchemy 2.1's execution context does with a compiled statement before it hands
the SQL to the driver, for the reads that run past it (:mod:`core.raw_reads`,
:mod:`core.planned_selects`): ``Compiled.construct_params`` by unescaped name (the
statement's own literals, and a missing parameter refused), each value through its type's
processor for the dialect, then in the order a positional driver (SQLite's) takes them or
under the names a named one (psycopg) does. Parameters rendered into the SQL as it runs (an
expanding ``IN``, a value written in with ``literal_execute``) are rendered by
``construct_expanded_state``, each expanded value through its processor and the others
through theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.engine import Dialect


class Binding:
    """``statement`` compiled for ``dialect``, and how its parameters are bound."""

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.compiled = compiled
        self.sql = compiled.string
        #: Whether parameters are rendered into the SQL as it runs, as SQLAlchemy renders
        #: them each time.
        self.late = bool(compiled.literal_execute_params  # type: ignore[attr-defined]
                         or compiled.post_compile_params)  # type: ignore[attr-defined]
        #: The parameters' names in the order a positional driver takes them.
        self.order: tuple[str, ...] | None = (
            tuple(compiled.positiontup or ()) if compiled.positional else None)
        #: Each parameter's processor by name (SQLAlchemy's ``_bind_processors``: the
        #: type's own for the dialect).
        self.processors: dict[str, Callable[[Any], Any]] = {
            name: processor for name, bind in compiled.binds.items()  # type: ignore[attr-defined]
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect))}
        #: A named driver's names for parameters whose names it cannot take as they are.
        self.escaped: Mapping[str, str] = compiled.escaped_bind_names  # type: ignore[attr-defined]

    def bind(self, params: Mapping[str, Any] | None) -> tuple[str, Any]:
        """The SQL (any late parameter rendered for ``params``) and the driver's parameters.
        Raises SQLAlchemy's error for a missing parameter, and a processor's for a value
        its type refuses."""
        compiled, processors = self.compiled, self.processors
        if self.late:
            state = compiled.construct_expanded_state(  # type: ignore[attr-defined]
                params, escape_names=False)
            sql, values, order = state.statement, state.parameters, state.positiontup
            if state.processors:
                processors = {**processors, **state.processors}
        else:
            sql, order = self.sql, self.order
            values = compiled.construct_params(params, escape_names=False)  # type: ignore[arg-type]
        if self.order is not None:
            return sql, tuple([processor(values[name]) if (processor := processors.get(name))
                               else values[name] for name in order])
        escaped = self.escaped
        return sql, {escaped.get(name, name): processor(value)
                     if (processor := processors.get(name)) else value
                     for name, value in values.items()}
