"""The plan SQLite chooses for the statements a read sends, for tests that a read probes
the index it is meant to (a plan is not a timing, and it does not change with the machine)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core import raw_reads
from core.extensions import db


def sqlite_plans(read: Callable[[], Any]) -> list[str]:
    """Call ``read`` (inside an app context on SQLite) and return, for each statement it
    sent, SQLite's ``EXPLAIN QUERY PLAN`` as one line of its steps."""
    sent: list[tuple[str, Any]] = []

    def keep(statement: str, parameters: Any) -> None:
        sent.append((statement, parameters))

    raw_reads.listen(db.engine, keep)
    try:
        read()
    finally:
        raw_reads.unlisten(db.engine, keep)
    raw = db.session.connection().connection.driver_connection
    return [" ".join(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}",
                                                   parameters))
            for statement, parameters in sent]
