"""The processor time a page costs under load, a request: the app server's workers' and,
for a database server on this machine, its own.

Requests per second tell how fast a page is on this host at that minute; they move with
the host. The processor time the page's requests took tells what a page costs, and where:
in the app's workers (Python: reading rows, rendering) or in PostgreSQL (planning and
running the statements, on the same two cores). A :class:`Meter` reads the processor time
of the children of each process it is given (a gunicorn master's workers, a PostgreSQL
postmaster's backends) from ``/proc`` before and after a measurement; divided by the
requests wrk counted, it is each one's milliseconds a request (:func:`per_request`). A
process started during the measurement is counted from its start; one that ended during it
is not counted (the app's workers and the pool's backends live for the whole run).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

#: Clock ticks a second: the unit of ``/proc/<pid>/stat``'s times.
TICKS = os.sysconf("SC_CLK_TCK")
#: Processor seconds of each process, by id.
Times = dict[int, float]


def processor_seconds(pid: int) -> float | None:
    """User and system seconds ``pid`` has run, or ``None`` when it has gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # after the command's name (in parentheses, which may hold spaces): state is field 0,
    # utime field 11, stime field 12
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(pid: int) -> list[int]:
    """The process ids of ``pid``'s children (none when it has gone)."""
    found: list[int] = []
    try:
        threads = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for thread in threads:
        try:
            found.extend(int(child) for child in (thread / "children").read_text().split())
        except OSError:
            continue
    return found


@dataclass(frozen=True)
class Meter:
    """What is counted: the children of each named parent process (``app``: a gunicorn
    master; ``database``: a PostgreSQL postmaster)."""

    parents: Mapping[str, int]

    @classmethod
    def of(cls, app: int, database: int | None = None) -> Meter:
        """A meter of the app server whose master is ``app``, and of the database server
        ``database`` when there is one on this machine (:func:`database_server`)."""
        return cls({"app": app} if database is None else {"app": app, "database": database})

    def read(self) -> dict[str, Times]:
        """Each name's children's processor seconds now."""
        read: dict[str, Times] = {}
        for name, parent in self.parents.items():
            times = read[name] = {}
            for child in children(parent):
                seconds = processor_seconds(child)
                if seconds is not None:
                    times[child] = seconds
        return read


def per_request(before: Mapping[str, Times], after: Mapping[str, Times],
                requests: int) -> dict[str, float]:
    """Milliseconds of processor time a request, by name, between two readings of a
    :class:`Meter` over which ``requests`` were answered (empty for none)."""
    if requests <= 0:
        return {}
    return {name: round(sum(seconds - before.get(name, {}).get(pid, 0.0)
                            for pid, seconds in times.items()) * 1000 / requests, 3)
            for name, times in after.items()}


def parent_of(pid: int) -> int | None:
    """``pid``'s parent process id, or ``None`` when it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("PPid:"):
            return int(line.split()[1])
    return None


def database_server(engine: Engine) -> int | None:
    """The process id of the PostgreSQL server ``engine`` reads (the parent of its
    backend), when it runs on this machine; ``None`` for SQLite, which runs in the app's
    own workers, and for a server elsewhere."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    return parent_of(backend)
