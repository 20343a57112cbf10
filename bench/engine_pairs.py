"""PostgreSQL against SQLite again, in alternating pairs, for the pages a run found under
the target.

A run measures SQLite's pages, then PostgreSQL's, each engine for about a quarter of an
hour. On a host whose speed moves from minute to minute (a shared virtual machine), a
page's PostgreSQL ÷ SQLite ratio then carries that drift as well as the engines'
difference: the same page's ratio has moved by a tenth or more between runs of the same
code. After both runs, each public page whose uncached ratio fell under the target
(:data:`bench.report.ENGINES_TARGET`, within 1.5 ×) is measured ``--pairs`` + 1 more times
on each engine, both uncached servers up, one engine right after the other and the order
swapped each pair, so that each pair's ratio is of the same minutes. The report gives each
pair's ratio and their median beside the run's own (:func:`bench.report.engine_ratios`);
the run's own ratio is still the one the target is first judged by.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from bench.load import measure, uncached_warm, write_lines
from bench.pages import PUBLIC, paths_of
from bench.report import ENGINE_PAIR, engines_under_target
from bench.servers import gunicorn


def measure_again(databases: Sequence[tuple[str, str, Mapping[str, str]]],
                  runs: list[dict[str, Any]], args: argparse.Namespace, workdir: Path) -> None:
    """Measure each page of ``runs`` (SQLite's, then PostgreSQL's) under the target again on
    both ``databases`` (name, URL, the servers' environment; in the runs' order), in
    alternating pairs; each measurement goes into its run's results as
    ``<ENGINE_PAIR> <n>``."""
    pages = {page.name: page for page in PUBLIC}
    under = [name for name in engines_under_target(*runs) if name in pages]
    if not under:
        return
    print(f"== PostgreSQL ÷ SQLite again, in alternating pairs: {', '.join(under)}",
          flush=True)
    with ExitStack() as servers:
        serving = [servers.enter_context(gunicorn(
            f"{name} engine pairs", {**env, "CPT_PAGE_CACHE": "off"},
            log=workdir / f"{name}-engine-pairs.log")) for name, _url, env in databases]
        engines = [create_engine(url) for _name, url, _env in databases]
        try:
            for name in under:
                lines = [paths_of(engine, pages[name]) for engine in engines]
                files = [write_lines(workdir / f"{database}-engine-pair-{name.replace(' ', '-')}"
                                     ".txt", paths)
                         for (database, _url, _env), paths in zip(databases, lines, strict=True)]
                for number in range(1, args.pairs + 2):
                    order = (0, 1) if number % 2 else (1, 0)
                    for index in order:
                        result = measure(
                            name, f"{ENGINE_PAIR} {number}", serving[index].url, files[index],
                            paths=len(lines[index]),
                            warm=uncached_warm(name, args.warm, len(lines[index]),
                                               args.warm_cap),
                            duration=args.duration, connections=args.connections)
                        runs[index]["results"].append(asdict(result))
        finally:
            for engine in engines:
                engine.dispose()
