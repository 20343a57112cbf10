"""A statement's SQL and its parameters as a DBAPI driver takes them, decided once.

What SQLAlchemy 2.1's execution context does with a compiled statement before it hands
the SQL to the driver, for the reads that run past it (:mod:`core.raw_reads`,
:mod:`core.planned_selects`): ``Compiled.construct_params`` by unescaped name (the
statement's own literals, and a missing parameter refused), each value through its type's
processor for the dialect, then in the order a positional driver (SQLite's) takes them or
under the names a named one (psycopg) does. Parameters rendered into the SQL as it runs (an
expanding ``IN``, a value written in with ``literal_execute``) are rendered by
``construct_expanded_state``, each expanded value through its processor and the others
through theirs. What it renders depends on the late parameters' values alone (a history's
days, the ids of an ``IN``), and rendering took 30–40 µs a statement, so it is kept for
the last :data:`EXPANSIONS_KEPT` sets of those values; the other parameters are bound
afresh each time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from typing import Any, NamedTuple

from sqlalchemy import Executable
from sqlalchemy.engine import Dialect

#: How many renderings of its late parameters a statement keeps (by their values).
EXPANSIONS_KEPT = 256
#: The longest list of values whose rendering is kept (a page's hundred meetings' ids
#: would make each rendering large, and seldom asked for again).
LONGEST_KEPT = 64
#: The types of late values a rendering is kept by: those whose equal values (of one type)
#: are written alike.
KEYED_TYPES = frozenset({int, str, bool, type(None), dt.date})


class Expansion(NamedTuple):
    """The SQL rendered for some values of the late parameters: its parameters' names in
    the driver's order (or, for a named driver, all of them), the late ones' values as
    rendered (an ``IN``'s values under the names it was given), and every processor."""

    sql: str
    names: tuple[str, ...]
    late_values: dict[str, Any]
    processors: Mapping[str, Callable[[Any], Any]]


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
        #: The late parameters' names, as ``construct_params`` names them, and the
        #: renderings kept by their values; none kept when a late parameter's value is
        #: computed as it runs.
        late = (*compiled.literal_execute_params,  # type: ignore[attr-defined]
                *compiled.post_compile_params)  # type: ignore[attr-defined]
        self.late_names: tuple[str, ...] | None = (
            None if any(bind.callable is not None for bind in late)
            else tuple(compiled.bind_names[bind] for bind in late))  # type: ignore[attr-defined]
        self.expansions: dict[Hashable, Expansion] = {}

    def bind(self, params: Mapping[str, Any] | None) -> tuple[str, Any]:
        """The SQL (any late parameter rendered for ``params``) and the driver's parameters.
        Raises SQLAlchemy's error for a missing parameter, and a processor's for a value
        its type refuses."""
        compiled, processors = self.compiled, self.processors
        if self.late:
            given = compiled.construct_params(params, escape_names=False)  # type: ignore[arg-type]
            expansion = self._expanded(params, given)
            sql, order, processors = expansion.sql, expansion.names, expansion.processors
            values = {**given, **expansion.late_values}
        else:
            sql, order = self.sql, self.order
            values = compiled.construct_params(params, escape_names=False)  # type: ignore[arg-type]
        if self.order is not None:
            return sql, tuple([processor(values[name]) if (processor := processors.get(name))
                               else values[name] for name in order])
        escaped = self.escaped
        names = values if order is None else order
        return sql, {escaped.get(name, name): processor(values[name])
                     if (processor := processors.get(name)) else values[name]
                     for name in names}

    def _expanded(self, params: Mapping[str, Any] | None, given: Mapping[str, Any]
                  ) -> Expansion:
        """The late parameters rendered for ``params`` (``given``: every parameter's value
        as ``construct_params`` finds it): kept, when the same values were rendered among
        the last :data:`EXPANSIONS_KEPT`, or by SQLAlchemy (and kept, the oldest let go,
        when the values can be a key)."""
        key = self._late_key(given)
        if key is not None:
            kept = self.expansions.get(key)
            if kept is not None:
                return kept
        state = self.compiled.construct_expanded_state(  # type: ignore[attr-defined]
            params, escape_names=False)
        expansion = Expansion(
            state.statement,
            tuple(state.positiontup) if self.order is not None else tuple(state.parameters),
            {name: value for name, value in state.parameters.items() if name not in given},
            {**self.processors, **state.processors} if state.processors else self.processors)
        if key is not None:
            self.expansions[key] = expansion
            if len(self.expansions) > EXPANSIONS_KEPT:
                with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                    # the oldest (another thread may be letting it go as well)
                    del self.expansions[next(iter(self.expansions))]
        return expansion

    def _late_key(self, given: Mapping[str, Any]) -> Hashable | None:
        """The late parameters' values (as ``construct_params`` found them) as a key
        (:func:`_keyed`), or ``None`` when one of them cannot be one."""
        if self.late_names is None:
            return None
        key = tuple(_keyed(given[name]) for name in self.late_names)
        return None if None in key else key


def _keyed(value: Any, outer: bool = True) -> Hashable | None:
    """``value`` as part of a key: with its type, and a list's or tuple's items each so
    (equal values, ``1``, ``1.0`` and ``True``, are rendered and bound apart). ``None`` for
    a value of another type than :data:`KEYED_TYPES` (whose equal values may be written
    differently: a ``Decimal``'s places, a datetime's offset), a list longer than
    :data:`LONGEST_KEPT`, or lists within a tuple IN's rows."""
    kind = type(value)
    if kind in KEYED_TYPES:
        return (kind, value)
    if (kind is list or kind is tuple) and (not outer or len(value) <= LONGEST_KEPT):
        if not outer and kind is list:
            return None
        items = [_keyed(item, outer=False) for item in value]
        return None if None in items else (kind, *items)
    return None
