"""The national-scale benchmark: ``scripts/dev bench`` (``python -m bench.run``; the script
installs wrk, PostgreSQL, nginx and redis-server and starts a throwaway PostgreSQL).

For each scale (``--scale 0.1 1 10``) and database (SQLite, and PostgreSQL when
``--pg-url`` is given) it loads ``cpt demo --scale N`` (kept in ``bench/.data`` for the next
run; the load's time is recorded), makes a clerk account for a sample of councils, and:

1. renders a few paths of every page in-process with the page cache off, counting SQL
   statements and server milliseconds (:mod:`bench.inprocess`);
2. serves the app twice with gunicorn (2 sync workers, loopback): page cache on
   (``CPT_PAGE_CACHE=memory``) and off (``CPT_PAGE_CACHE=off``), and the floor, a minimal
   Flask app returning 20 KB (:mod:`bench.bare_floor`), on the same server; with Datasette
   (SQLite only) and a Flask-Admin app on the same data (:mod:`bench.compare`);
3. loads every page with wrk (2 threads, 16 connections), cached then uncached, each
   comparison right after the page it stands against, the floor at the start, the end and
   for two seconds before each public page (each page's ratios are to the mean of the
   floors before and after it), and the app's own floor route at the start and the end;
   then the admin pages of signed-in clerks and Flask-Admin's list;
4. posts progress updates under load and checks none was lost (:mod:`bench.writes`);
5. once (``--cluster``, by default at scale 1 on PostgreSQL): two app servers behind nginx
   sharing a Redis (:mod:`bench.cluster`);
6. with both databases, each public page whose PostgreSQL ÷ SQLite fell under the target
   is measured again on both, in alternating pairs (:mod:`bench.engine_pairs`).

Results go to ``bench/results/scale-<N>.json`` and ``.md``, and ``comparison.md`` across
the scales measured so far (:mod:`bench.report`). ``--quick`` is a smoke test of the
harness: three pages, two admin pages, 2-second measurements.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from bench import cluster, compare, engine_pairs, report, writes
from bench.accounts import Clerk, create_clerks, sign_in
from bench.cpu import Meter, database_server
from bench.inprocess import render_pages
from bench.load import Result, cached_warm, measure, uncached_warm, write_lines
from bench.pages import (
    ADMIN,
    APP_FLOOR,
    DRAWN_PER_WORKER,
    FLOOR,
    FLOOR_BEFORE,
    FLOOR_SECONDS,
    HEAVY,
    PUBLIC,
    QUICK,
    QUICK_ADMIN,
    Page,
    council_of,
    paths_of,
    sample_councils,
)
from bench.servers import (
    BENCH,
    BIN,
    Server,
    free_port,
    gunicorn,
    server_warnings,
    wait_for,
    worker_rss_mb,
)

#: The floor the ratios are to: a minimal Flask app (:mod:`bench.bare_floor`).
BARE_FLOOR_APP = "bench.bare_floor:app"

#: Settings of every server the benchmark starts.
BASE_ENV = {
    "CPT_SECRET_KEY": "benchmark",
    "CPT_BENCHMARK_FLOOR": "1",
    # plain HTTP on loopback, as `cpt run`
    "CPT_SECURE_COOKIES": "0",
    # sixteen clerks sign in from one address, on every server started
    "CPT_SIGN_IN_LIMIT_PER_ADDRESS": "10000 per minute",
    "CPT_SIGN_IN_LIMIT_PER_ACCOUNT": "10000 per minute",
    # a clerk's cookie is sent as it was at sign-in for the whole run
    "CPT_SESSION_IDLE_MINUTES": "720",
}


def cpt(env: dict[str, str], *args: str) -> str:
    """Run ``cpt ARGS`` in the project's virtualenv; its output."""
    done = subprocess.run([str(BIN / "cpt"), *args], env=env, check=True, text=True,
                          capture_output=True)
    return done.stdout


def prepare(name: str, url: str, scale: float, env: dict[str, str]) -> dict[str, object]:
    """Make sure the database holds the demo at ``scale``: the load's seconds, and whether
    it was loaded now or by an earlier run (kept in a marker file, with a digest of the
    demo's code: a demo that makes new kinds of records is loaded again)."""
    from core.bench import demo
    from core.bench.demo import councils_at

    marker = BENCH / ".data" / f"{name}-scale-{scale:g}.loaded"
    digest = hashlib.sha256(Path(demo.__file__).read_bytes()).hexdigest()[:16]
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            loaded = connection.execute(text(
                "SELECT COUNT(*) FROM council WHERE plugin = 'demo'")).scalar()
    except Exception:  # no schema yet
        loaded = None
    finally:
        engine.dispose()
    kept = marker.read_text().split() if marker.exists() else []
    # A kept database is brought to this release's schema and definitions (both are quick
    # when there is nothing to do).
    if len(kept) == 2 and kept[1] == digest and loaded == councils_at(scale) \
            and _upgraded(url, env):
        cpt(env, "sync")
        return {"load_seconds": float(kept[0]), "loaded_now": False}
    cpt(env, "db", "upgrade")
    cpt(env, "sync")
    started = time.perf_counter()
    print(cpt(env, "demo", "--scale", str(scale), "--replace").splitlines()[-1], flush=True)
    seconds = round(time.perf_counter() - started, 1)
    marker.write_text(f"{seconds} {digest}\n")
    return {"load_seconds": seconds, "loaded_now": True}


def _upgraded(url: str, env: dict[str, str]) -> bool:
    """Bring a kept database to this release's schema: whether it could be. A kept SQLite
    file that cannot (made by an older chain of migrations) is deleted, with its journal
    files, to be loaded afresh; on PostgreSQL (a throwaway server) the error stands."""
    try:
        cpt(env, "db", "upgrade")
    except subprocess.CalledProcessError as error:
        if not url.startswith("sqlite:///"):
            raise
        path = Path(url.removeprefix("sqlite:///"))
        last = (error.stderr or "").strip().splitlines()[-1:] or ["(no message)"]
        print(f"  the kept database {path} does not upgrade ({last[0]}): loading it afresh",
              flush=True)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        return False
    return True


def first_answer(env: dict[str, str], runs: int = 3) -> float:
    """Median seconds from starting ``cpt run`` to its first answered request (asked every
    10 ms: at the usual tenth of a second, the wait between tries added 50 ms on average)."""
    times = []
    for _ in range(runs):
        port = free_port()
        started = time.perf_counter()
        process = subprocess.Popen([str(BIN / "cpt"), "run", "--port", str(port)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port, process=process, every=0.01)
            times.append(time.perf_counter() - started)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return round(statistics.median(times), 2)


def time_to_first_byte(url: str) -> float:
    """Seconds from sending a request for ``url`` to its answer's first byte (the status
    line and headers read); the body is then read and dropped."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as reply:
        first = time.perf_counter() - started
        reply.read()
    return first


def first_bytes(url: str, path: str) -> dict[str, object]:
    """A heavy output's time to first byte on a server that has not made it yet: ``cold``
    (made now, its library, WeasyPrint or pygal, imported by the worker on first use if it
    is the first it makes) and ``kept`` (the same document again, from the cache: the best of
    three, since each of the two workers keeps its own copy, so by the third request both
    have one)."""
    cold = time_to_first_byte(url + path)
    kept = min(time_to_first_byte(url + path) for _ in range(3))
    return {"path": path, "cold_s": round(cold, 3), "kept_s": round(kept, 4)}


def cache_is_off(url: str, path: str) -> bool:
    """Whether the server answers ``path`` without the page cache (a kept page carries the
    cache's ETag; a page rendered afresh, with the cache off, none)."""
    tags = []
    for _ in range(2):
        with urllib.request.urlopen(url + path, timeout=30) as reply:
            tags.append(reply.headers.get("ETag"))
    return tags[-1] is None


def pages_for(args: argparse.Namespace) -> tuple[list[Page], list[Page]]:
    """The public and admin pages this run measures."""
    if args.pages:
        unknown = set(args.pages) - {p.name for p in [*PUBLIC, *ADMIN]}
        if unknown:
            raise SystemExit(f"no page named {', '.join(sorted(unknown))}; pages: "
                             f"{', '.join(p.name for p in [*PUBLIC, *ADMIN])}")
        return ([p for p in PUBLIC if p.name in args.pages],
                [p for p in ADMIN if p.name in args.pages])
    if args.quick:
        return ([p for p in PUBLIC if p.name in QUICK], [p for p in ADMIN if p.name in QUICK_ADMIN])
    return PUBLIC, ADMIN


@dataclass
class Bench:
    """One database at one scale being measured: where its files go, what it measures and
    the results so far (each page's wrk figures, in the order measured)."""

    name: str
    engine: Engine
    args: argparse.Namespace
    workdir: Path
    paths: dict[Page, list[str]]
    results: list[Result] = field(default_factory=list)
    #: the PostgreSQL server's process, when it runs on this machine
    database: int | None = None

    def meter(self, server: Server) -> Meter:
        """What counts the processor time of ``server``'s requests: its workers', and the
        database server's when there is one here (:mod:`bench.cpu`)."""
        return Meter.of(server.process.pid, self.database)

    def load(self, page: Page, server: str, at: Server, lines: list[str], *, warm: float,
             count: bool = False, duration: float | None = None, metered: bool = True
             ) -> None:
        """Measure ``page`` as ``server`` on the server ``at``, one request per line of
        ``lines`` (for ``duration`` seconds, by default ``--duration``); unless not
        ``metered`` (another tool's server), the processor time a request as well."""
        lines_file = write_lines(
            self.workdir / f"{self.name}-{server}-{page.name.replace(' ', '-')}.txt", lines)
        self.results.append(measure(page.name, server, at.url, lines_file, paths=len(lines),
                                    warm=warm, duration=duration or self.args.duration,
                                    connections=self.args.connections, count=count,
                                    meter=self.meter(at) if metered else None))

    def other(self, page: Page, server: str, at: Server) -> None:
        """A comparison's page (Datasette, Flask-Admin), its paths from the database."""
        self.load(page, server, at, paths_of(self.engine, page), warm=min(self.args.warm, 2),
                  metered=False)

    def public(self, pages: list[Page], on: Server, off: Server, ds: Server | None,
               bare: Server) -> None:
        """Each public page: the floor again (:data:`FLOOR_BEFORE`, on the ``bare`` Flask
        app), the page cached, then uncached, then Datasette's equivalent if any."""
        for page in pages:
            paths = self.paths[page]
            self.load(replace(FLOOR, name=f"{FLOOR_BEFORE}{page.name}"), "bare", bare,
                      self.paths[FLOOR], warm=0, duration=min(self.args.duration, FLOOR_SECONDS))
            self.load(page, "cached", on, paths,
                      warm=cached_warm(self.args.warm, len(paths), self.args.warm_cap))
            self.load(page, "uncached", off, paths, warm=self.uncached_warm(page))
            for other, against in compare.DATASETTE_PAGES:
                if ds is not None and against == page.name:
                    self.other(other, "datasette", ds)
                    self.pairs(page, off, other, ds)

    def uncached_warm(self, page: Page) -> float:
        """Warm-up seconds for ``page`` uncached (:func:`bench.load.uncached_warm`)."""
        return uncached_warm(page.name, self.args.warm, len(self.paths[page]),
                             self.args.warm_cap)

    def pairs(self, page: Page, off: Server, other: Page, ds: Server) -> None:
        """``--pairs`` more measurements of ``page`` uncached and its Datasette
        equivalent, alternately (servers ``uncached pair N`` and ``datasette pair N``): on
        a machine whose speed moves from minute to minute, the ratio of each pair is
        measured under the same conditions, and their median is steadier than one."""
        for number in range(1, self.args.pairs + 1):
            self.load(page, f"uncached pair {number}", off, self.paths[page],
                      warm=self.uncached_warm(page))
            self.other(other, f"datasette pair {number}", ds)

    def admin(self, pages: list[Page], on: Server, clerks: list[Clerk],
              fa: Server | None) -> None:
        """Each admin page with its council's clerk's cookie, every answer counted; then
        Flask-Admin's list after the page it stands against."""
        cookies = {clerk.council: clerk.cookie for clerk in clerks}
        for page in pages:
            self.load(page, "signed-in", on,
                      [f"{path}\t{cookies[council_of(path)]}" for path in self.paths[page]],
                      warm=min(self.args.warm, 2), count=True)
            other, against = compare.FLASK_ADMIN_PAGE
            if fa is not None and against == page.name:
                self.other(other, "flask-admin", fa)


def server_env(url: str, instance: Path) -> dict[str, str]:
    """The environment of the app's servers on the database at ``url``, their instance
    folder ``instance``."""
    return {**os.environ, **BASE_ENV, "CPT_DATABASE_URL": url,
            "CPT_INSTANCE_PATH": str(instance)}


def bench_database(name: str, url: str, args: argparse.Namespace, scale: float,
                   workdir: Path) -> dict[str, object]:
    """Every measurement of one database at one scale."""
    instance = workdir / name
    instance.mkdir(parents=True, exist_ok=True)
    env = server_env(url, instance)
    load = prepare(name, url, scale, env)
    engine = create_engine(url)
    public, admin = pages_for(args)
    sample = sample_councils(engine, args.clerks)
    emails = create_clerks(url, [slug for _, slug in sample])
    councils = [council_id for council_id, _ in sample]
    run = Bench(name, engine, args, workdir,
                {page: paths_of(engine, page, councils) for page in [FLOOR, *public, *admin]},
                database=database_server(engine))

    print(f"== {name}, scale {scale:g}", flush=True)
    first = sample[0][1]
    inprocess = render_pages(url, {page: (p if page.kind != "admin" else
                                          [x for x in p if council_of(x) == first])
                                   for page, p in run.paths.items()},
                             clerk_email=emails[0])

    logs = {server: workdir / f"{name}-{server}.log" for server in ("cached", "uncached", "bare")}
    with gunicorn("cached", {**env, "CPT_PAGE_CACHE": "memory"}, log=logs["cached"]) as on, \
            gunicorn("uncached", {**env, "CPT_PAGE_CACHE": "off"}, log=logs["uncached"]) as off, \
            gunicorn("bare", env, app=BARE_FLOOR_APP, log=logs["bare"]) as bare:
        # before any load, so that the first answer is printed by a worker that has not
        # printed one yet
        heavy = {page.name: first_bytes(on.url, run.paths[page][0]) for page in public
                 if page.name in HEAVY and run.paths[page]}
        off_honoured = cache_is_off(off.url, run.paths[public[0]][0]) if public else True
        if not off_honoured:
            print("  WARNING: CPT_PAGE_CACHE=off is not honoured by this core: the uncached "
                  "figures are of cached pages", flush=True)
        with ExitStack() as others:
            ds = (others.enter_context(compare.datasette(Path(url.split(":///", 1)[1]),
                                                          workdir))
                  if name == "sqlite" and not args.no_compare else None)
            fa = (others.enter_context(compare.flask_admin(url, workdir))
                  if not args.no_compare else None)
            run.load(FLOOR, "bare", bare, run.paths[FLOOR], warm=args.warm)
            run.load(APP_FLOOR, "cached", on, run.paths[FLOOR], warm=args.warm)
            run.public(public, on, off, ds, bare)
            clerks = [sign_in(on.port, slug, email, f"/admin/{slug}/")
                      for (_, slug), email in zip(sample, emails, strict=True)]
            run.admin(admin, on, clerks, fa)
            run.load(replace(FLOOR, name="floor (end)"), "bare", bare, run.paths[FLOOR],
                     warm=0)
            run.load(replace(APP_FLOOR, name=f"{APP_FLOOR.name} (end)"), "cached", on,
                     run.paths[FLOOR], warm=0)
        rss = worker_rss_mb(on.process.pid)
        # Datasette is stopped: it reads the file as immutable.
        written = writes.run(engine, clerks, on.url, "signed-in", workdir,
                             duration=args.duration, connections=args.connections)

    warnings = server_warnings(logs)
    clustered: dict[str, object] = {"ran": False, "why": "not asked for (--cluster)"}
    if name == "postgresql" and _cluster_wanted(args, scale):
        clustered = cluster.run(engine, env, [(c.council, c.email) for c in clerks], args,
                                workdir)
    engine.dispose()
    return {"database": name, **load, "worker_rss_mb": rss,
            "first_answer_s": first_answer(env, 1 if args.quick else 3),
            "cache_off_honoured": off_honoured, "inprocess": inprocess,
            "first_bytes": heavy,
            "results": [asdict(result) for result in run.results], "writes": written,
            "cluster": clustered, "clerks": len(clerks), "server_warnings": warnings}


def _cluster_wanted(args: argparse.Namespace, scale: float) -> bool:
    return args.cluster if args.cluster is not None else scale == 1


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory_gb": f"{int(memory) / 2**20:.0f}",
            "system": platform.platform(), "python": platform.python_version(),
            "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True
                                  ).stdout.split("\n")[0]}


def main() -> None:
    """Measure every scale asked for; write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, nargs="+", default=[1.0],
                        help="one or more scales, e.g. --scale 0.1 1 10")
    parser.add_argument("--duration", type=float, default=10, help="measured seconds per page")
    parser.add_argument("--warm", type=float, default=5, help="warm-up seconds per page")
    parser.add_argument("--pages", nargs="+", metavar="NAME",
                        help="only these pages (names as in bench/pages.py; results then go "
                             "to scale-<N>-pages.*)")
    parser.add_argument("--warm-cap", type=float, default=60,
                        help="at most this many seconds of warm-up for a cached page (a "
                             "shorter cap leaves part of a large scale's paths unkept)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pairs", type=int, default=2,
                        help="more measurements of each page compared with Datasette "
                             "(not the engines': --engine-pairs), "
                             "alternating with Datasette's (their median ratio is reported)")
    parser.add_argument("--engine-pairs", type=int, default=4,
                        help="after both databases, the pages under the PostgreSQL ÷ SQLite "
                             "target measured again this many times on each, alternately "
                             "(an even number: each engine first in half of them; 0: none)")
    parser.add_argument("--clerks", type=int, default=16, help="councils with a signed-in clerk")
    parser.add_argument("--pg-url", help="a PostgreSQL database to run against as well")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--no-compare", action="store_true",
                        help="without Datasette and Flask-Admin")
    parser.add_argument("--cluster", action=argparse.BooleanOptionalAction, default=None,
                        help="two servers behind nginx (default: at scale 1, PostgreSQL)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke test: 3 pages, 2 admin pages, 2 s each, 4 clerks")
    args = parser.parse_args()
    if args.engine_pairs < 0 or args.engine_pairs % 2:
        parser.error("--engine-pairs must be an even number (each engine first in half of "
                     "the pairs), or 0")
    if args.quick:
        args.duration, args.warm, args.clerks = 2, 1, min(args.clerks, 4)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    if not args.no_compare:
        compare.ensure_tools()
    (BENCH / ".data").mkdir(exist_ok=True)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    for scale in args.scale:
        databases = [("sqlite", f"sqlite:///{BENCH / '.data' / f'scale-{scale:g}.sqlite3'}")]
        if args.pg_url and not args.sqlite_only:
            databases.append(("postgresql", args.pg_url))
        with tempfile.TemporaryDirectory(prefix="cpt-bench-") as workdir:
            runs = [bench_database(name, url, args, scale, Path(workdir))
                    for name, url in databases]
            if len(runs) == 2 and args.engine_pairs and not args.quick:
                engine_pairs.measure_again(
                    [(name, url, server_env(url, Path(workdir) / name))
                     for name, url in databases], runs, args, Path(workdir))
        result = {"scale": scale, "date": time.strftime("%Y-%m-%d %H:%M"), "quick": args.quick,
                  "machine": machine(), "connections": args.connections,
                  "duration": args.duration, "warm": args.warm, "warm_cap": args.warm_cap,
                  "drawn_per_worker": list(DRAWN_PER_WORKER),
                  "tools": compare.TOOLS,
                  "runs": runs}
        stem = f"scale-{scale:g}" + ("-quick" if args.quick else "-pages" if args.pages else "")
        (out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
        (out / f"{stem}.md").write_text(report.markdown(result))
        print(report.markdown(result), flush=True)
    (out / "comparison.md").write_text(report.across_scales(out))


if __name__ == "__main__":
    main()
