"""The national-scale benchmark: ``scripts/dev bench`` (which runs this with PostgreSQL).

For each database (SQLite, and PostgreSQL when ``--pg-url`` is given) it loads
``cpt demo --scale N`` once into its own database (kept in ``bench/.data`` for the next
run), serves the app with gunicorn (2 sync workers) on loopback, and loads each page with
wrk (2 threads, 16 connections, a fixed duration), the council changing from request to
request. Each page is warmed first (``--warm`` seconds, or a second per 40 paths if that
is longer, so that both workers have kept every path), then measured. It prints
requests/s, p50 and p99 of every page and its requests/s as a fraction of the floor's (a
fixed 20 KB page of the same app and server) and writes them to ``bench/results/``, with
the demo's load time, the workers' resident memory and ``cpt run``'s time to its first
answer.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent

#: Page name, and the SQL giving its paths (one row each), ordered so that consecutive
#: paths belong to different councils.
PAGES: list[tuple[str, str]] = [
    ("floor", "SELECT '/_benchmark/floor'"),
    ("dashboard", "SELECT '/' || slug || '/' FROM council WHERE plugin = 'demo' ORDER BY id"),
    ("pledge actions",
     "SELECT '/' || c.slug || '/pledges/' || p.key FROM pledge p JOIN council c "
     "ON c.id = p.council_id WHERE c.plugin = 'demo' ORDER BY p.number, c.id"),
    ("API actions",
     "SELECT '/api/councils/' || slug || '/actions' FROM council WHERE plugin = 'demo' "
     "ORDER BY id"),
    ("panel membership",
     "SELECT '/' || c.slug || '/panels/' || p.key FROM panel p JOIN council c "
     "ON c.id = p.council_id WHERE c.plugin = 'demo' ORDER BY p.position, c.id"),
    ("meeting agenda",
     "SELECT '/' || c.slug || '/meetings/' || MAX(m.id) FROM meeting m JOIN council c "
     "ON c.id = m.council_id WHERE c.plugin = 'demo' GROUP BY c.id, c.slug, m.panel_id "
     "ORDER BY m.panel_id % 2, c.id"),
]


@dataclass
class Result:
    page: str
    paths: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    ratio_to_floor: float = 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpt(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(BIN / "cpt"), *args], env=env, check=True, text=True,
                          capture_output=True)
    return done.stdout


def prepare(name: str, url: str, scale: float, env: dict[str, str]) -> float | None:
    """Make sure the database holds the demo at ``scale``; the load's seconds if loaded."""
    marker = BENCH / ".data" / f"{name}-scale-{scale}.loaded"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            loaded = connection.execute(text(
                "SELECT COUNT(*) FROM council WHERE plugin = 'demo'")).scalar()
    except Exception:  # no schema yet
        loaded = None
    finally:
        engine.dispose()
    if marker.exists() and loaded:
        return None
    cpt(env, "db", "upgrade")
    cpt(env, "sync")
    started = time.perf_counter()
    print(cpt(env, "demo", "--scale", str(scale), "--replace").splitlines()[-1])
    seconds = time.perf_counter() - started
    marker.write_text(f"{seconds:.1f}\n")
    return seconds


def wait_for(port: int, path: str = "/", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing answered on port {port} within {timeout} s")


def first_answer(env: dict[str, str], runs: int = 3) -> float:
    """Median seconds from starting ``cpt run`` to its first answered request."""
    times = []
    for _ in range(runs):
        port = free_port()
        started = time.perf_counter()
        process = subprocess.Popen([str(BIN / "cpt"), "run", "--port", str(port)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port)
            times.append(time.perf_counter() - started)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return statistics.median(times)


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of ``master``)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = int(re.search(r"VmRSS:\s+(\d+) kB", status)[1])  # type: ignore[index]
        sizes.append(round(kb / 1024, 1))
    return sizes


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, paths_file: Path, seconds: int, connections: int) -> tuple[float, float,
                                                                                float, int]:
    """requests/s, p50 ms, p99 ms and errors (non-2xx answers and socket errors)."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-s", str(BENCH / "rotate.lua"), f"http://127.0.0.1:{port}"],
        env={**os.environ, "BENCH_PATHS": str(paths_file)}, check=True, text=True,
        capture_output=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    latency = {p: float(v) * UNITS[u] for p, v, u in LATENCY.findall(out)}
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return rate, latency["50"], latency["99"], errors


def bench_database(name: str, url: str, args: argparse.Namespace, workdir: Path) -> dict:
    instance = workdir / name
    instance.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CPT_DATABASE_URL": url, "CPT_INSTANCE_PATH": str(instance),
           "CPT_SECRET_KEY": "benchmark", "CPT_BENCHMARK_FLOOR": "1"}
    load_seconds = prepare(name, url, args.scale, env)
    engine = create_engine(url)
    with engine.connect() as connection:
        paths = {page: [row[0] for row in connection.execute(text(sql))]
                 for page, sql in PAGES}
    engine.dispose()

    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "core.wsgi:app"], env=env, cwd=ROOT)
    results: list[Result] = []
    try:
        wait_for(port, "/_benchmark/floor")
        for page, page_paths in paths.items():
            paths_file = workdir / f"{name}-{page.replace(' ', '-')}.txt"
            paths_file.write_text("\n".join(page_paths) + "\n")
            # long enough for both workers to render and keep every path once
            wrk(port, paths_file, max(args.warm, len(page_paths) // 40), args.connections)
            rate, p50, p99, errors = wrk(port, paths_file, args.duration, args.connections)
            results.append(Result(page, len(page_paths), round(rate, 1), round(p50, 2),
                                  round(p99, 2), errors))
            print(f"  {name:10} {page:17} {rate:9.1f} req/s  p50 {p50:6.2f} ms  "
                  f"p99 {p99:6.2f} ms  errors {errors}", flush=True)
        rss = worker_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    floor = results[0].requests_per_s
    for result in results:
        result.ratio_to_floor = round(result.requests_per_s / floor, 3)
    return {"database": name, "load_seconds": load_seconds, "worker_rss_mb": rss,
            "first_answer_s": round(first_answer(env), 2),
            "results": [asdict(result) for result in results]}


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory_gb": f"{int(memory) / 2**20:.0f}",
            "system": platform.platform(), "python": platform.python_version(),
            "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True
                                  ).stdout.split("\n")[0]}


def markdown(report: dict) -> str:
    lines = [f"# Benchmark at scale {report['scale']} ({report['date']})", "",
             f"Machine: {report['machine']['cpu']}, {report['machine']['cores']} cores, "
             f"{report['machine']['memory_gb']} GB; {report['machine']['system']}; "
             f"Python {report['machine']['python']}; {report['machine']['wrk']}.", "",
             f"gunicorn 2 sync workers; wrk 2 threads, {report['connections']} connections, "
             f"{report['warm']} s warm-up (or a second per 40 paths if longer) then "
             f"{report['duration']} s measured per page.", ""]
    for run in report["runs"]:
        lines += [f"## {run['database']}", "",
                  "| page | paths | requests/s | p50 ms | p99 ms | × floor | errors |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['page']} | {r['paths']} | {r['requests_per_s']} | {r['p50_ms']} | "
                  f"{r['p99_ms']} | {r['ratio_to_floor']} | {r['errors']} |"
                  for r in run["results"]]
        load = (f"{run['load_seconds']:.1f} s" if run["load_seconds"] is not None
                else "already loaded")
        lines += ["", f"Demo load: {load}. Worker memory (RSS): "
                  f"{', '.join(f'{mb} MB' for mb in run['worker_rss_mb'])}. "
                  f"`cpt run` to first answer: {run['first_answer_s']} s.", ""]
    if len(report["runs"]) == 2:
        sqlite, pg = (run["results"] for run in report["runs"])
        lines += ["## PostgreSQL against SQLite", "",
                  "| page | requests/s PG ÷ SQLite | p99 PG ÷ SQLite |", "|---|---:|---:|"]
        lines += [f"| {a['page']} | {b['requests_per_s'] / a['requests_per_s']:.2f} | "
                  f"{b['p99_ms'] / a['p99_ms']:.2f} |" for a, b in zip(sqlite, pg, strict=True)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--duration", type=int, default=10, help="measured seconds per page")
    parser.add_argument("--warm", type=int, default=5, help="warm-up seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pg-url", help="a PostgreSQL database to run against as well")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    (BENCH / ".data").mkdir(exist_ok=True)
    databases = [("sqlite", f"sqlite:///{BENCH / '.data' / f'scale-{args.scale}.sqlite3'}")]
    if args.pg_url and not args.sqlite_only:
        databases.append(("postgresql", args.pg_url))
    with tempfile.TemporaryDirectory(prefix="cpt-bench-") as workdir:
        runs = [bench_database(name, url, args, Path(workdir)) for name, url in databases]
    report = {"scale": args.scale, "date": time.strftime("%Y-%m-%d %H:%M"),
              "machine": machine(), "connections": args.connections,
              "duration": args.duration, "warm": args.warm, "runs": runs}
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stem = f"scale-{args.scale:g}"
    (out / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / f"{stem}.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
