"""Reading a council's strategy and priorities, for the pages and the API that show them.

Only read, never changed here (the plugin's sync writes them), so they are read as rows of
their models' columns, each read by attribute as the model's would be, past the ORM's
loading (about 120 µs a statement on PostgreSQL, 50 on SQLite).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Row, Select, and_, bindparam, literal, select

from core import row_reads
from core.models import Council, Priority, Strategy

#: Built once: the API's strategy and priorities run them on every answer.
_STRATEGY_OF = (select(*row_reads.record_columns(Strategy))
                .where(Strategy.council_id == bindparam("council_id"),
                       Strategy.archived_at.is_(None))
                .order_by(Strategy.position, Strategy.id))
_PRIORITIES_OF = (select(*row_reads.record_columns(Priority))
                  .where(Priority.council_id == bindparam("council_id"),
                         Priority.archived_at.is_(None))
                  .order_by(Priority.position))


class StrategyRow(row_reads.row_class(Strategy)):  # type: ignore[misc]
    """A strategy as the pages read it from a joined row: each column by attribute."""

    __slots__ = ()


class PriorityRow(row_reads.row_class(Priority)):  # type: ignore[misc]
    """A priority as the pages read it from a joined row: each column by attribute."""

    __slots__ = ()


#: The id of the council's first live strategy (by position).
_FIRST_STRATEGY = (select(Strategy.id)
                   .where(Strategy.council_id == bindparam("council_id"),
                          Strategy.archived_at.is_(None))
                   .order_by(Strategy.position, Strategy.id).limit(1).scalar_subquery())


def _beside_priorities(*columns: Any) -> Select[Any]:
    """``columns`` of the council's first live strategy and of each of its live priorities
    in order (one row of no priority when there are none; nulls for no strategy)."""
    return (select(*columns)
            .select_from(select(literal(1).label("one")).subquery())
            .outerjoin(Strategy, Strategy.id == _FIRST_STRATEGY)
            .outerjoin(Priority, and_(Priority.council_id == bindparam("council_id"),
                                      Priority.archived_at.is_(None)))
            .order_by(Priority.position))


#: Built once: every column of the strategy and of its priorities (the strategy page).
_STRATEGY_AND_PRIORITIES = _beside_priorities(*row_reads.record_columns(Strategy),
                                              *row_reads.record_columns(Priority))
_STRATEGY_WIDTH = len(row_reads.record_columns(Strategy))


def strategy_and_priorities_read(council: Council) -> row_reads.Read:
    """The statement :func:`strategy_and_priorities` runs, for a page to send with
    others."""
    return row_reads.Read(_STRATEGY_AND_PRIORITIES, {"council_id": council.id})


def strategy_and_priorities(council: Council) -> tuple[StrategyRow | None, list[PriorityRow]]:
    """What :func:`strategy_of` and :func:`priorities_of` give, from one statement (the
    strategy page shows both; the overview reads :func:`strategy_headings`)."""
    return _split(strategy_and_priorities_read(council), _STRATEGY_WIDTH, StrategyRow,
                  PriorityRow)


def _split(read: row_reads.Read, width: int, strategy_row: Any, priority_row: Any
           ) -> tuple[Any, list[Any]]:
    """The rows of ``read`` (a strategy's ``width`` columns beside each priority's) as
    ``strategy_row`` (``None`` without a strategy) and a ``priority_row`` each."""
    strategy, priorities = None, []
    for row in row_reads.rows(*read):
        if strategy is None and row[0] is not None:
            strategy = strategy_row._make(row[:width])
        if row[width] is not None:
            priorities.append(priority_row._make(row[width:]))
    return strategy, priorities


class StrategyHeading(NamedTuple):
    """What the overview may show of a council's strategy: its columns of plain text and
    numbers (its title, period and vision), not its lists (the vision's items, purpose,
    principles and sections), which the strategy page shows."""

    id: int
    key: str
    title: str | None
    period_start: int | None
    period_end: int | None
    vision: str | None
    vision_intro: str | None


class PriorityHeading(NamedTuple):
    """What the overview may show of a priority: its number, title and description, not
    its list of principles."""

    id: int
    key: str
    number: int
    title: str
    description: str | None


_STRATEGY_HEADING = (Strategy.id, Strategy.key, Strategy.title, Strategy.period_start,
                     Strategy.period_end, Strategy.vision, Strategy.vision_intro)
_PRIORITY_HEADING = (Priority.id.label("priority_id"), Priority.key.label("priority_key"),
                     Priority.number, Priority.title.label("priority_title"),
                     Priority.description)
#: :data:`_STRATEGY_AND_PRIORITIES` without the JSON lists, which it read (and decoded)
#: once for each priority's row.
_HEADINGS = _beside_priorities(*_STRATEGY_HEADING, *_PRIORITY_HEADING)
_HEADING_WIDTH = len(_STRATEGY_HEADING)


def strategy_headings_read(council: Council) -> row_reads.Read:
    """The statement :func:`strategy_headings` runs, for a page to send with others."""
    return row_reads.Read(_HEADINGS, {"council_id": council.id})


def strategy_headings(council: Council
                      ) -> tuple[StrategyHeading | None, list[PriorityHeading]]:
    """What :func:`strategy_and_priorities` gives, without the lists (the overview shows
    none of them): :class:`StrategyHeading` and each priority's :class:`PriorityHeading`,
    in order (one statement)."""
    return _split(strategy_headings_read(council), _HEADING_WIDTH, StrategyHeading,
                  PriorityHeading)


def strategy_of(council: Council) -> Row[Any] | None:
    """The council's strategy (a row of :class:`~core.models.Strategy`'s columns), if its
    plugin defines one (the first by position, should it define more)."""
    return row_reads.rows(_STRATEGY_OF, {"council_id": council.id}).first()


def priorities_of(council: Council) -> list[Row[Any]]:
    """The strategy's priorities in order (rows of :class:`~core.models.Priority`'s
    columns)."""
    return list(row_reads.rows(_PRIORITIES_OF, {"council_id": council.id}))
