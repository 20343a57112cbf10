"""The write path: progress updates posted by signed-in clerks under load, none lost.

Each request posts a progress update to the next action of a list that goes round the
clerks' councils (one clerk per council) and through each council's actions, so that
concurrent posts go to different actions. A post answered with a redirect (to the action's
page) has been committed; wrk counts the answers by kind (rotate.lua's ``BENCH_COUNTS``): a
503 is the database being busy past its wait (the client is asked to try again; nothing
was written), a redirect to the sign-in page a lost session. **Lost** is redirects seen
minus rows added (must be 0); rows added may exceed the redirects seen by the posts still in
flight or queued at the server when wrk stopped, so rows are counted once their number
stops moving.

Afterwards the posted rows are taken out again, their audit events too, and the clerks'
councils touched (:func:`core.revisions.touch`, as any Core writer does), so that the app's
own refresh works out again everything kept from the updates (each action's status, day,
latest words and JSON, each pledge's latest update, the stored months) and the kept
database stays the demo's from run to run. Putting back the columns it knew of by hand, as
it did, left each action's latest words and each pledge's as the posts had made them.
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import Engine, bindparam, text

import core.models  # noqa: F401  (every refresh of kept data registered)
from bench.accounts import Clerk
from bench.load import measure, write_lines
from core.revisions import touch

#: The note every posted update carries.
NOTE = "Benchmark progress update."


@dataclass
class Snapshot:
    """What the database held before the posts."""

    rows: int
    last_update_id: int
    last_audit_id: int
    #: The clerks' councils, whose kept data the posts change.
    council_ids: list[int]


def _actions(engine: Engine, clerks: list[Clerk]) -> list[tuple[str, str]]:
    """(council slug, action key) of every live action of the clerks' councils, action by
    action, council by council."""
    slugs = {clerk.council for clerk in clerks}
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT c.slug, a.key FROM action a JOIN council c ON c.id = a.council_id "
            "JOIN pledge p ON p.id = a.pledge_id WHERE a.archived_at IS NULL "
            "ORDER BY p.position, a.position, c.id")).all()
    return [(slug, key) for slug, key in rows if slug in slugs]


def lines(engine: Engine, clerks: list[Clerk]) -> list[str]:
    """rotate.lua's lines: ``path TAB cookie TAB body``, one per action."""
    by_council = {clerk.council: clerk for clerk in clerks}
    today = dt.date.today()
    out = []
    for slug, key in _actions(engine, clerks):
        clerk = by_council[slug]
        body = urllib.parse.urlencode([
            ("csrf_token", clerk.csrf_token), ("reported_on", str(today.day)),
            ("reported_on", str(today.month)), ("reported_on", str(today.year)),
            ("status", "on_track"), ("note", NOTE)])
        out.append(f"/admin/{slug}/actions/{key}/progress\t{clerk.cookie}\t{body}")
    return out


def snapshot(engine: Engine, clerks: list[Clerk]) -> Snapshot:
    """The row count, last ids and the clerks' councils before the posts."""
    slugs = sorted({clerk.council for clerk in clerks})
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT COUNT(*) FROM progress_update")).scalar_one()
        last = connection.execute(text("SELECT MAX(id) FROM progress_update")).scalar()
        audit = connection.execute(text("SELECT MAX(id) FROM audit_event")).scalar()
        councils = connection.execute(
            text("SELECT id FROM council WHERE slug IN :slugs")
            .bindparams(bindparam("slugs", expanding=True)), {"slugs": slugs}).scalars().all()
    return Snapshot(rows, last or 0, audit or 0, list(councils))


def rows_now(engine: Engine) -> int:
    """How many progress updates there are."""
    with engine.connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM progress_update")).scalar_one()


def settled_rows(engine: Engine, *, every: float = 0.5, limit: float = 30) -> int:
    """The progress update count once it stops moving: posts that were waiting in the
    server's queue when wrk stopped are still being committed for a moment."""
    count, deadline = rows_now(engine), time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(every)
        now = rows_now(engine)
        if now == count:
            break
        count = now
    return count


def undo(engine: Engine, before: Snapshot) -> None:
    """Take out every update and audit event added since ``before``, and touch the clerks'
    councils, so that what the app keeps from their updates is worked out again from
    those left."""
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM progress_update WHERE id > :id"),
                           {"id": before.last_update_id})
        connection.execute(text("DELETE FROM audit_event WHERE id > :id"),
                           {"id": before.last_audit_id})
        touch(connection, before.council_ids)


@dataclass
class WriteResult:
    """The write path's figures: wrk's, and the rows the database gained."""

    server: str
    requests_per_s: float
    p99_ms: float
    p50_ms: float
    committed: int
    busy: int
    signed_out: int
    other: int
    rows_added: int
    lost: int
    in_flight_at_stop: int


def run(engine: Engine, clerks: list[Clerk], url: str, server: str, workdir: Path, *,
        duration: float, connections: int) -> dict[str, object]:
    """Post for ``duration`` seconds at ``url``, count, then undo the posts."""
    posts = lines(engine, clerks)
    lines_file = write_lines(workdir / f"writes-{server}.txt", posts)
    before = snapshot(engine, clerks)
    try:
        result = measure("progress update", server, url, lines_file, paths=len(posts),
                         warm=0, duration=duration, connections=connections, count=True)
        added = settled_rows(engine) - before.rows
    finally:
        undo(engine, before)
    counts = result.counts
    committed = counts.get("redirect", 0)
    figures = WriteResult(
        server=server, requests_per_s=result.requests_per_s, p99_ms=result.p99_ms,
        p50_ms=result.p50_ms, committed=committed, busy=counts.get("busy", 0),
        signed_out=counts.get("login", 0), other=counts.get("other", 0) + counts.get("ok", 0),
        rows_added=added, lost=max(0, committed - added),
        in_flight_at_stop=max(0, added - committed))
    print(f"  {server:22} writes: {figures.committed} committed, {figures.rows_added} rows "
          f"added, {figures.lost} lost, {figures.busy} busy (503)", flush=True)
    return asdict(figures)
