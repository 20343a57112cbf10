"""Where a page's server time goes: pyinstrument over in-process renders, cache off.

    python -m bench.profile --scale 1 "dashboard" "admin meeting"

Each named page (a name from :mod:`bench.pages`) is rendered through Flask's test client
against the kept demo database of that scale (``bench/.data``, made by ``scripts/dev
bench``), a few warm-up requests and then ``--renders`` timed ones of its first path, under
pyinstrument; the call tree is printed, trimmed to frames above ``--share`` of the time.
An admin page is rendered for the first benchmark clerk (made if missing). This is how the
profiles in docs/performance.md were taken. pyinstrument is a tool of the benchmark, not
of the app: ``pip install pyinstrument==5.1.3`` into the project's virtualenv
(``scripts/dev bench`` does).

With ``--timing`` the renders are timed instead, without the profiler: each page's median
and fastest milliseconds (wall clock, and the fastest in CPU time), its statements and its
size, as the admin pages' before and after in docs/performance.md were measured. With
``--cold`` the app keeps no memo of rendered markup (:data:`bench.inprocess.NO_MEMOS`) and
every chart is drawn afresh, as the benchmark's "cold" column.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text

from bench.accounts import PASSWORD, create_clerks, csrf_token
from bench.inprocess import NO_MEMOS, uncached_app
from bench.pages import ADMIN, PUBLIC, council_of, paths_of

DATA = Path(__file__).resolve().parent / ".data"


def _timed(client: Any, paths: list[str], renders: int, counted: list[int],
           before: Callable[[], None]) -> str:
    """One page's figures over ``renders`` requests, taking ``paths`` in turn (``counted``:
    the statements counter; ``before`` is called before each): milliseconds, the fewest
    and most statements a request ran, and the median size."""
    wall, cpu, statements, sizes = [], [], set(), []
    for number in range(renders):
        before()
        counted[0] = 0
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(paths[number % len(paths)])
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        statements.add(counted[0])
        sizes.append(len(response.get_data()))
    fewest, most = min(statements), max(statements)
    counts = str(most) if fewest == most else f"{fewest}–{most}"
    return (f"median {statistics.median(wall):.2f} ms, fastest {min(wall):.2f} ms "
            f"(CPU {min(cpu):.2f} ms), {counts} statements, "
            f"{statistics.median(sizes) // 1024:.0f} KB")


@dataclass
class Renderer:
    """An uncached app on a demo database, ready to render named pages of its first demo
    council: anonymously, or as a clerk of that council signed in through the login form."""

    engine: Engine
    council_id: int
    app: Any
    anonymous: Any
    clerk: Any
    #: Statements run since this was last set to 0 (:func:`core.raw_reads.listen`).
    counted: list[int]

    def paths_and_client(self, name: str, every: bool = False) -> tuple[list[str], Any]:
        """The first path of page ``name`` for the council (with ``every``, a public page's
        paths of every demo council, in the benchmark's order), and the client to ask it
        with."""
        page = PAGES[name]
        if page.kind == "admin":
            return paths_of(self.engine, page, [self.council_id])[:1], self.clerk
        if every:
            return paths_of(self.engine, page), self.anonymous
        return paths_of(self.engine, page, [self.council_id])[:1], self.anonymous

    def close(self) -> None:
        """Close the connections of the app and of the path lookups."""
        from core.extensions import close_connections

        close_connections(self.app)
        self.engine.dispose()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *_: object) -> None:
        """Close the connections, whatever happened (:meth:`close`)."""
        self.close()


#: Every page of the benchmark, by name.
PAGES = {page.name: page for page in [*PUBLIC, *ADMIN]}


def renderer(database_url: str, names: list[str], *, cold: bool = False) -> Renderer:
    """A :class:`Renderer` on ``database_url`` (with ``cold``, without the memos of rendered
    markup), after checking every one of ``names`` is a page."""
    unknown = sorted(set(names) - set(PAGES))
    if unknown:
        raise SystemExit(f"no page named {', '.join(unknown)}; pages: {', '.join(PAGES)}")
    engine = create_engine(database_url)
    slug = council_of(paths_of(engine, PAGES["dashboard"])[0])
    (clerk_email,) = create_clerks(database_url, [slug])
    with engine.connect() as connection:
        council_id = connection.execute(text("SELECT id FROM council WHERE slug = :s"),
                                        {"s": slug}).scalar_one()
    app = uncached_app(database_url, **(NO_MEMOS if cold else {}))
    counted = [0]
    with app.app_context():
        from core import raw_reads
        from core.extensions import db

        def count(*_: object) -> None:
            counted[0] += 1

        raw_reads.listen(db.engine, count)
    anonymous, clerk = app.test_client(), app.test_client()
    form = clerk.get("/login").get_data(as_text=True)
    clerk.post("/login", data={"csrf_token": csrf_token(form), "email": clerk_email,
                               "password": PASSWORD})
    return Renderer(engine, council_id, app, anonymous, clerk, counted)


def profile(database_url: str, names: list[str], renders: int, share: float,
            timing: bool = False, cold: bool = False, every: bool = False) -> None:
    """Profile (or with ``timing``, time) the pages ``names`` of the demo database at
    ``database_url``, ``renders`` requests each after a warm-up; with ``cold``, by an app
    without the memos of rendered markup; with ``every``, a public page of every demo
    council in turn, as the benchmark asks for them."""
    from core.charts.service import forget_drawings

    with renderer(database_url, names, cold=cold) as pages:
        counted = pages.counted
        before = forget_drawings if cold else (lambda: None)
        for name in names:
            paths, client = pages.paths_and_client(name, every)
            for path in (paths * 5)[:max(5, len(paths))]:  # every path once, at least 5
                assert client.get(path).status_code == 200, path
            shown = paths[0] if len(paths) == 1 else f"{paths[0]} and {len(paths) - 1} more"
            if every and len(paths) == 1:
                shown += " (an admin page: the clerk's council's only)"
            if timing:
                print(f"{name}: {shown}, {renders} renders: "
                      f"{_timed(client, paths, renders, counted, before)}", flush=True)
                continue
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
            for number in range(renders):
                before()
                client.get(paths[number % len(paths)])
            profiler.stop()
            print(f"== {name}: {shown}, {renders} renders")
            print(profiler.output_text(unicode=True, color=False, show_all=False,
                                       time="percent_of_total",
                                       processor_options={"filter_threshold": share}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", help="page names, as in bench/pages.py")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--share", type=float, default=0.02,
                        help="leave out frames below this share of the time")
    parser.add_argument("--database-url", help="instead of the kept SQLite demo database")
    parser.add_argument("--timing", action="store_true",
                        help="time the renders (no profiler): milliseconds and statements")
    parser.add_argument("--cold", action="store_true",
                        help="without the memos of rendered markup and charts (every table, "
                             "widget and chart drawn afresh, as when the page cache misses "
                             "after a change)")
    parser.add_argument("--every-council", action="store_true",
                        help="a public page of every demo council in turn, as the benchmark "
                             "asks for them (memos and the database's pages as under load)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{DATA / f'scale-{args.scale:g}.sqlite3'}"
    profile(url, args.pages, args.renders, args.share, args.timing, args.cold,
            args.every_council)


if __name__ == "__main__":
    main()
