"""PostgreSQL against SQLite again, in alternating pairs, for the pages a run found under
the target.

A run measures SQLite's pages, then PostgreSQL's, each engine for about a quarter of an
hour. On a host whose speed moves from minute to minute (a shared virtual machine), a
page's PostgreSQL ÷ SQLite ratio then carries that drift as well as the engines'
difference: the same page's ratio has moved by a tenth or more between runs of the same
code. After both runs, each page whose ratio fell under the target
(:data:`bench.report.ENGINES_TARGET`, within 1.5 ×) is measured ``--engine-pairs`` more
times on each engine (4 by default), both uncached servers up, one engine right after the
other, each engine first in half of the pairs, so that each pair's ratio is of the same
minutes: a public page uncached, an admin page by the run's clerks, signed in again on each
engine's server. The report gives the run's ratio, each pair's, and the median of the pairs
(:func:`bench.report.engine_ratios`), with the target's verdict on both.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine

from bench.accounts import email_of, sign_in
from bench.cpu import Meter, database_server
from bench.load import measure, uncached_warm, write_lines
from bench.pages import ADMIN, PUBLIC, Page, council_of, paths_of, sample_councils
from bench.report import ENGINE_SERVERS, engines_under_target
from bench.servers import gunicorn, server_warnings


class Clerks:
    """The session cookies of the run's clerks on one engine's server, by council, signed
    in on first use (the accounts are the run's, kept in each database)."""

    def __init__(self, engine: Engine, port: int, count: int) -> None:
        self.engine, self.port, self.count = engine, port, count
        self.councils: list[int] = []
        self.cookies: dict[str, str] = {}

    def lines(self, page: Page) -> list[str]:
        """Each path of the admin ``page`` in the clerks' councils, with its clerk's
        cookie (as the run's own lines)."""
        if not self.cookies:
            sample = sample_councils(self.engine, self.count)
            self.councils = [council_id for council_id, _ in sample]
            self.cookies = {slug: sign_in(self.port, slug, email_of(slug),
                                          f"/admin/{slug}/").cookie for _, slug in sample}
        return [f"{path}\t{self.cookies[council_of(path)]}"
                for path in paths_of(self.engine, page, self.councils)]


def measure_again(databases: Sequence[tuple[str, str, Mapping[str, str]]],
                  runs: list[dict[str, Any]], args: argparse.Namespace, workdir: Path) -> None:
    """Measure each page of ``runs`` (SQLite's, then PostgreSQL's) under the target again on
    both ``databases`` (name, URL, the servers' environment; in the runs' order),
    ``args.engine_pairs`` times each, alternately; each measurement goes into its run's
    results as ``<pair> <n>`` (:data:`bench.report.ENGINE_SERVERS`), and the servers'
    warnings into its run's."""
    pages = {page.name: page for page in (*PUBLIC, *ADMIN)}
    under = [name for name in engines_under_target(*runs) if name in pages]
    if not under:
        return
    print(f"== PostgreSQL ÷ SQLite again, in alternating pairs: {', '.join(under)}",
          flush=True)
    logs = [workdir / f"{name}-engine-pairs.log" for name, _url, _env in databases]
    engines = [create_engine(url) for _name, url, _env in databases]
    try:
        with ExitStack() as servers:
            serving = [servers.enter_context(gunicorn(
                f"{name} engine pairs", {**env, "CPT_PAGE_CACHE": "off"}, log=log))
                for (name, _url, env), log in zip(databases, logs, strict=True)]
            clerks = [Clerks(engine, server.port, args.clerks)
                      for engine, server in zip(engines, serving, strict=True)]
            meters = [Meter.of(server.process.pid, database_server(engine))
                      for engine, server in zip(engines, serving, strict=True)]
            for name in under:
                page = pages[name]
                signed_in = page.kind == "admin"
                lines = [one.lines(page) if signed_in else paths_of(engine, page)
                         for engine, one in zip(engines, clerks, strict=True)]
                if not all(lines):
                    continue
                files = [write_lines(workdir / f"{database}-engine-pair-"
                                     f"{name.replace(' ', '-')}.txt", paths)
                         for (database, _url, _env), paths in zip(databases, lines, strict=True)]
                pair = ENGINE_SERVERS["signed-in" if signed_in else "uncached"]
                for number in range(1, args.engine_pairs + 1):
                    for index in ((0, 1) if number % 2 else (1, 0)):
                        # warmed as the run warms each kind of page
                        warm = (min(args.warm, 2) if signed_in else
                                uncached_warm(name, args.warm, len(lines[index]),
                                              args.warm_cap))
                        result = measure(
                            name, f"{pair} {number}", serving[index].url, files[index],
                            paths=len(lines[index]), warm=warm, duration=args.duration,
                            connections=args.connections, count=signed_in,
                            meter=meters[index])
                        runs[index]["results"].append(asdict(result))
    finally:
        for engine in engines:
            engine.dispose()
    for (name, _url, _env), run, log in zip(databases, runs, logs, strict=True):
        run["server_warnings"] = [*run.get("server_warnings", []),
                                  *server_warnings({f"{name} engine pairs": log})]
