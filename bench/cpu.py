"""The processor time a page costs under load, a request: the app server's workers' and,
for a PostgreSQL server on this machine, its backends'.

Requests per second tell how fast a page is on this host at that minute; they move with
the host. The processor time the page's requests took tells what a page costs, and where:
in the app's workers (Python: reading rows, rendering) or in PostgreSQL (planning and
running the statements, on the same two cores). A :class:`Meter` reads, from ``/proc``,
the processor time of the children of each process it is given (a gunicorn master's
workers; a PostgreSQL postmaster's client backends and parallel workers, not its
checkpointer, writers or autovacuum), before and after a measurement; divided by the
requests wrk counted, it is each one's milliseconds a request (:func:`per_request`).

A child is known by its process id and start time (a reused id is another child). One
started during the measurement is counted from its start. One that ended during it (a
pooled connection replaced after ``pool_recycle``, a worker restarted) is counted to its
end, from the time its parent has collected of its children since the first reading; so
is any other child of that parent that ended (on PostgreSQL, an autovacuum worker would
be: the run's pages only read).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text

#: Clock ticks a second: the unit of ``/proc/<pid>/stat``'s times.
TICKS = os.sysconf("SC_CLK_TCK")
#: A child: its process id and its start time (in ticks after boot).
Child = tuple[int, int]
#: The key of a reading's time of the parent's children that have ended and been collected.
ENDED: Child = (0, 0)
#: Processor seconds by child, and of the ended ones (:data:`ENDED`).
Times = dict[Child, float]


def _stat(pid: int) -> list[str]:
    """``/proc/<pid>/stat``'s fields after the command's name (which may hold spaces and
    parentheses): the state is field 0, utime 11, stime 12, cutime 13, cstime 14, the start
    time 19. Raises ``OSError`` when the process has gone."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _seconds(fields: list[str], first: int) -> float:
    """Seconds from the ticks of :func:`_stat`'s fields ``first`` and the next: user and
    system time, the process's own (11) or its collected children's (13)."""
    return (int(fields[first]) + int(fields[first + 1])) / TICKS


def children(pid: int) -> list[int]:
    """The process ids of ``pid``'s children; raises ``OSError`` when ``pid`` has gone or
    the kernel does not list children (``/proc/<pid>/task/<tid>/children``)."""
    found: list[int] = []
    for thread in Path(f"/proc/{pid}/task").iterdir():
        try:
            listed = (thread / "children").read_text()
        except FileNotFoundError:  # a thread that ended while being read
            if not thread.parent.exists():
                raise
            continue
        found.extend(int(child) for child in listed.split())
    return found


def command_line(pid: int) -> bytes:
    """``pid``'s command line (empty when it has gone); a PostgreSQL process shows its
    kind there (``postgres: checkpointer``, ``postgres: user db [local] idle``)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


#: PostgreSQL's own processes, by the title each sets (``postgres: <title>``): not a
#: client's work.
POSTGRES_OWN = (b"checkpointer", b"background writer", b"walwriter", b"autovacuum",
                b"logical replication", b"archiver", b"stats collector", b"walsender",
                b"walreceiver", b"startup", b"io worker", b"walsummarizer")


def is_client_work(pid: int) -> bool:
    """Whether a child of a PostgreSQL server works for clients: a backend of a connection,
    or a parallel worker of one."""
    line = command_line(pid)
    if not line.startswith(b"postgres: "):
        return False
    return not line[len(b"postgres: "):].startswith(POSTGRES_OWN)


def _any(_pid: int) -> bool:
    return True


@dataclass(frozen=True)
class Meter:
    """What is counted: the children of each named parent process (``app``: a gunicorn
    master; ``database``: a PostgreSQL postmaster), those each parent's filter keeps."""

    parents: Mapping[str, int]
    #: which children of a named parent count (every child, where none is given)
    keep: Mapping[str, Callable[[int], bool]] = field(default_factory=dict)

    @classmethod
    def of(cls, app: int, database: int | None = None) -> Meter:
        """A meter of the app server whose master is ``app``, and of the PostgreSQL server
        ``database`` (its clients' work: :func:`is_client_work`) when there is one on this
        machine (:func:`database_server`)."""
        if database is None:
            return cls({"app": app})
        return cls({"app": app, "database": database}, {"database": is_client_work})

    def read(self) -> dict[str, Times]:
        """Each name's children's processor seconds now, and its ended children's
        (:data:`ENDED`). Raises ``OSError`` when a parent has gone."""
        read: dict[str, Times] = {}
        for name, parent in self.parents.items():
            keep = self.keep.get(name, _any)
            fields = _stat(parent)
            times = read[name] = {ENDED: _seconds(fields, 13)}
            for child in children(parent):
                if not keep(child):
                    continue
                try:
                    stat = _stat(child)
                except OSError:  # ended since it was listed: counted as ended next time
                    continue
                times[(child, int(stat[19]))] = _seconds(stat, 11)
        return read


def per_request(before: Mapping[str, Times], after: Mapping[str, Times],
                requests: int) -> dict[str, float]:
    """Milliseconds of processor time a request, by name, between two readings of a
    :class:`Meter` over which ``requests`` were answered (empty for none): each child's
    time since the first reading (since its start, for one started since), and for the
    children that ended between the two, their time from the first reading to their end
    (their parent's collected time since the first reading, less what the first reading
    had already counted of them)."""
    if requests <= 0:
        return {}
    spent: dict[str, float] = {}
    for name, now in after.items():
        then = before.get(name, {})
        ended = now.get(ENDED, 0.0) - then.get(ENDED, 0.0)
        counted_before = sum(seconds for child, seconds in then.items()
                             if child != ENDED and child not in now)
        running = sum(seconds - then.get(child, 0.0) for child, seconds in now.items()
                      if child != ENDED)
        spent[name] = round((running + ended - counted_before) * 1000 / requests, 3)
    return spent


def parent_of(pid: int) -> int | None:
    """``pid``'s parent process id, or ``None`` when it has gone."""
    try:
        return int(_stat(pid)[1])
    except OSError:
        return None


def database_server(engine: Engine) -> int | None:
    """The process id of the PostgreSQL server ``engine`` reads, when it runs on this
    machine: the parent of the connection's backend, when that process is a PostgreSQL
    backend whose parent is a PostgreSQL server (a server elsewhere, or in a container of
    its own, gives an id that means nothing here). ``None`` otherwise, and for SQLite, which
    runs in the app's own workers."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    server = parent_of(backend) if is_client_work(backend) else None
    if server is None:
        return None
    try:
        name = Path(f"/proc/{server}/comm").read_text().strip()
    except OSError:
        return None
    return server if name in ("postgres", "postmaster") else None
