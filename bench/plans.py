"""What PostgreSQL does with each statement of a page: its plan's timings, and every
sequential scan over more rows than a council holds.

    python -m bench.plans --database-url postgresql+psycopg://…/cpt dashboard "API actions"

Each named page (a name from :mod:`bench.pages`; every page but the agenda pack when none is
named) is rendered once for the first demo council, as :mod:`bench.profile` renders it, and
each statement it ran is explained again with ``EXPLAIN (ANALYZE)`` on a connection of its own.
A statement is listed when its plan reads a table sequentially over more than ``--rows`` rows
(the rows of every council: a page of one council that does so grows with the number of
councils, as the action checks did when they joined every council's pledges) or when it
executes in more than ``--slower-than`` milliseconds. A page's pages stay flat only if none
is listed for the first reason; the second is where its database time goes.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from bench.profile import PAGES, renderer

#: Pages left out unless named: the agenda pack's time is WeasyPrint's.
UNLESS_NAMED = frozenset({"agenda pack PDF"})
_SEQUENTIAL = re.compile(r"Seq Scan on (\w+).*?actual time=[\d.]+\.\.[\d.]+ rows=(\d+)")
_EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
_PLANNING = re.compile(r"Planning Time: ([\d.]+) ms")


def plans(database_url: str, names: list[str], *, rows: int, slower_than: float,
          show: bool = False) -> int:
    """Print the statements of the pages ``names`` that PostgreSQL reads sequentially over
    more than ``rows`` rows or runs for more than ``slower_than`` ms, with ``show`` each
    with its plan; return how many read sequentially."""
    if not database_url.startswith("postgresql"):
        raise SystemExit("bench.plans explains statements on PostgreSQL: give --database-url")
    with renderer(database_url, names) as pages:
        ran: list[tuple[str, Any]] = []
        with pages.app.app_context():
            from core import raw_reads
            from core.extensions import db

            def keep(statement: str, parameters: Any) -> None:
                ran.append((statement, parameters))

            raw_reads.listen(db.engine, keep)
        scanning = 0
        explained: set[str] = set()
        with pages.engine.raw_connection() as raw:
            raw.driver_connection.autocommit = True  # type: ignore[union-attr]
            cursor = raw.cursor()
            for name in names:
                (path,), client = pages.paths_and_client(name)
                ran.clear()
                assert client.get(path).status_code == 200, path
                for statement, parameters in ran:
                    if statement in explained or not statement.lstrip().upper().startswith(
                            ("SELECT", "WITH")):
                        continue
                    explained.add(statement)
                    cursor.execute("EXPLAIN (ANALYZE) " + statement, parameters)
                    plan = "\n".join(line for (line,) in cursor.fetchall())
                    scans = [(table, int(count)) for table, count in _SEQUENTIAL.findall(plan)
                             if int(count) > rows]
                    executed = float(_EXECUTION.search(plan)[1])  # type: ignore[index]
                    planned = float(_PLANNING.search(plan)[1])  # type: ignore[index]
                    if scans or executed > slower_than:
                        scanning += bool(scans)
                        read = ", ".join(f"{table} ({count} rows)" for table, count in scans)
                        print(f"{name}: executed {executed:.2f} ms, planned {planned:.2f} ms"
                              f"{'; sequential: ' + read if read else ''}\n    "
                              f"{' '.join(statement.split())[:200]}", flush=True)
                        if show:
                            print("      " + plan.replace("\n", "\n      "), flush=True)
        return scanning


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="page names, as in bench/pages.py "
                        "(default: every page but the agenda pack)")
    parser.add_argument("--database-url", required=True,
                        help="a PostgreSQL demo database (cpt demo)")
    parser.add_argument("--rows", type=int, default=100,
                        help="list a sequential scan over more rows than this")
    parser.add_argument("--slower-than", type=float, default=0.5,
                        help="list a statement executing in more milliseconds than this")
    parser.add_argument("--show", action="store_true",
                        help="print each listed statement's plan as EXPLAIN (ANALYZE) gives it")
    args = parser.parse_args()
    names = args.pages or [name for name in PAGES if name not in UNLESS_NAMED]
    scanning = plans(args.database_url, names, rows=args.rows, slower_than=args.slower_than,
                     show=args.show)
    print(f"{scanning} statement(s) read a table sequentially over {args.rows} rows")


if __name__ == "__main__":
    main()
