"""Loading a server with wrk (2 threads, a fixed number of connections and seconds), the
path changing from request to request (:file:`bench/rotate.lua`)."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.cpu import Meter, per_request
from bench.pages import DRAWN_PER_WORKER
from bench.servers import BENCH

LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
COUNTS = re.compile(r"BENCH_COUNTS (.*)$", re.M)
ANSWERED = re.compile(r"^\s*(\d+) requests in ", re.M)


@dataclass
class Result:
    """One page measured on one server."""

    page: str
    server: str
    paths: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    #: non-2xx/3xx answers and socket errors (wrk's own counts)
    errors: int
    #: answers by kind, when counted (see rotate.lua): ok, redirect, login, busy, other
    counts: dict[str, int] = field(default_factory=dict)
    #: processor milliseconds a request, when measured (:mod:`bench.cpu`): ``app``, the
    #: server's workers; ``database``, a PostgreSQL server on this machine
    cpu_ms: dict[str, float] = field(default_factory=dict)


def write_lines(path: Path, lines: list[str]) -> Path:
    """Write rotate.lua's lines (one request each) to ``path``."""
    path.write_text("\n".join(lines) + "\n")
    return path


@dataclass
class Loaded:
    """What one run of wrk gives."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    #: the answers by kind, when counted (see rotate.lua)
    counts: dict[str, int]
    #: how many requests were answered
    requests: int


def wrk(url: str, lines_file: Path, seconds: float, connections: int, *,
        count: bool = False) -> Loaded:
    """requests/s, p50 ms, p99 ms, errors, (with ``count``) the answers by kind, and the
    requests answered."""
    env = {**os.environ, "BENCH_PATHS": str(lines_file)}
    if count:
        env["BENCH_COUNT"] = "1"
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
         "--latency", "-s", str(BENCH / "rotate.lua"), url],
        env=env, check=True, text=True, capture_output=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    latency = {p: float(v) * UNITS[u] for p, v, u in LATENCY.findall(out)}
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    counts: dict[str, int] = {}
    if match := COUNTS.search(out):
        counts = {k: int(v) for k, v in (pair.split("=") for pair in match[1].split())}
    answered = ANSWERED.search(out)
    return Loaded(rate, latency.get("50", 0.0), latency.get("99", 0.0), errors, counts,
                  int(answered[1]) if answered else 0)


def cached_warm(warm: float, paths: int, cap: float = 60) -> float:
    """Warm-up seconds for a cached page: long enough for both workers to render and keep
    every path (a second per 40 paths), at least ``warm``, at most ``cap`` (a minute)."""
    return min(max(warm, paths / 40), cap)


def uncached_warm(page: str, warm: float, paths: int, cap: float = 60) -> float:
    """Warm-up seconds for ``page`` uncached: ``warm``, at most two, or a cached page's
    (:func:`cached_warm`) for a page each worker draws once a path
    (:data:`bench.pages.DRAWN_PER_WORKER`)."""
    if page in DRAWN_PER_WORKER:
        return cached_warm(warm, paths, cap)
    return min(warm, 2)


def measure(page: str, server: str, url: str, lines_file: Path, *, paths: int, warm: float,
            duration: float, connections: int, count: bool = False,
            meter: Meter | None = None) -> Result:
    """Warm for ``warm`` seconds (skipped at 0), then measure for ``duration``; with
    ``meter``, the processor time a request as well."""
    if warm > 0:
        wrk(url, lines_file, warm, connections)
    before = meter.read() if meter else {}
    loaded = wrk(url, lines_file, duration, connections, count=count)
    cpu = per_request(before, meter.read(), loaded.requests) if meter else {}
    result = Result(page, server, paths, round(loaded.requests_per_s, 1),
                    round(loaded.p50_ms, 2), round(loaded.p99_ms, 2), loaded.errors,
                    loaded.counts, cpu)
    extra = f"  {loaded.counts}" if loaded.counts else ""
    if cpu:
        extra += "  CPU " + " + ".join(f"{name} {ms:.3f}" for name, ms in cpu.items()) + " ms"
    print(f"  {server:22} {page:20} {loaded.requests_per_s:9.1f} req/s  "
          f"p50 {loaded.p50_ms:7.2f} ms  p99 {loaded.p99_ms:7.2f} ms  "
          f"errors {loaded.errors}{extra}", flush=True)
    return result
