"""The priorities and pledges an indicator evidences, by number and title.

Two narrow statements, built once at import, read the council's live priorities and
pledges (key, number, title); the indicator's keys pick from them, in its own order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from core import row_reads
from core.indicators.reads import IndicatorLine
from core.models import Council, Pledge, Priority


@dataclass(frozen=True, slots=True)
class Evidenced:
    """A priority or pledge an indicator evidences."""

    key: str
    number: int
    title: str


_PRIORITIES = select(Priority.key, Priority.number, Priority.title).where(
    Priority.council_id == bindparam("council_id"), Priority.archived_at.is_(None))
_PLEDGES = select(Pledge.key, Pledge.number, Pledge.title).where(
    Pledge.council_id == bindparam("council_id"), Pledge.archived_at.is_(None))


def evidence_of(council: Council, line: IndicatorLine
                ) -> tuple[list[Evidenced], list[Evidenced]]:
    """The live priorities and pledges ``line`` evidences (none read when it names none)."""
    found = []
    for keys, statement in ((line.priorities, _PRIORITIES), (line.pledges, _PLEDGES)):
        rows = ({row.key: Evidenced(*row) for row in
                 row_reads.rows(statement, {"council_id": council.id})} if keys else {})
        found.append([rows[key] for key in keys if key in rows])
    return found[0], found[1]


def evidence_choices(council: Council) -> tuple[list[Evidenced], list[Evidenced]]:
    """Every live priority and pledge of ``council``, each by number: what a local
    indicator may evidence (two statements, whatever the council has)."""
    found = []
    for statement in (_PRIORITIES, _PLEDGES):
        rows = row_reads.rows(statement, {"council_id": council.id})
        found.append(sorted((Evidenced(*row) for row in rows),
                            key=lambda item: (item.number, item.key)))
    return found[0], found[1]
