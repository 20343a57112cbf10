"""The processor time of a request under load (bench/cpu.py), read from /proc of real
processes, and how the report shows it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench import cpu, report

#: A child that waits for a line, then runs on the processor for a third of a second and
#: stays alive (as a server's worker does between measurements).
_BUSY_ON_CUE = ("import sys, time\n"
                "sys.stdin.readline()\n"
                "start = time.process_time()\n"
                "while time.process_time() - start < 0.3:\n"
                "    pass\n"
                "print('done', flush=True)\n"
                "time.sleep(60)\n")


def test_a_processs_processor_seconds_grow_as_it_works_and_a_gone_one_has_none() -> None:
    before = cpu.processor_seconds(os.getpid())
    start = time.process_time()
    while time.process_time() - start < 0.05:
        pass
    after = cpu.processor_seconds(os.getpid())
    assert before is not None and after is not None and after > before
    with subprocess.Popen([sys.executable, "-c", "pass"]) as gone:
        gone.wait()
    assert cpu.processor_seconds(gone.pid) is None


def test_a_meter_counts_its_parents_children_a_request() -> None:
    """A child's third of a second over three requests is about 100 ms a request; a parent
    that has gone has no children."""
    with subprocess.Popen([sys.executable, "-c", _BUSY_ON_CUE], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as child:
        assert child.pid in cpu.children(os.getpid())
        meter = cpu.Meter.of(os.getpid())
        before = meter.read()
        assert child.pid in before["app"]
        child.stdin.write("go\n")  # type: ignore[union-attr]
        child.stdin.flush()  # type: ignore[union-attr]
        assert child.stdout.readline() == "done\n"  # type: ignore[union-attr]
        measured = cpu.per_request(before, meter.read(), 3)
        assert set(measured) == {"app"}
        assert 90 <= measured["app"] <= 150, measured
        child.kill()
    assert cpu.children(child.pid) == []
    assert cpu.per_request(before, before, 0) == {}


def test_a_process_started_during_a_measurement_is_counted_from_its_start() -> None:
    before = {"app": {1: 1.0}}
    after = {"app": {1: 1.5, 2: 0.25}}
    assert cpu.per_request(before, after, 5) == {"app": 150.0}


def test_a_database_server_is_found_only_for_postgresql(database_url: str) -> None:
    """SQLite runs in the app's workers: no server. PostgreSQL's backend is a child of its
    server, a process on this machine named postgres."""
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    try:
        server = cpu.database_server(engine)
    finally:
        engine.dispose()
    if engine.dialect.name == "sqlite":
        assert server is None
    else:
        assert server is not None
        assert b"postgres" in Path(f"/proc/{server}/cmdline").read_bytes()
    assert cpu.parent_of(os.getpid()) == os.getppid()


def test_the_report_shows_a_requests_processor_time_where_it_was_measured() -> None:
    assert report.cpu_text({"cpu_ms": {"app": 1.5}}) == "1.50"
    assert report.cpu_text({"cpu_ms": {"app": 1.5, "database": 0.456}}) == "1.50 + 0.46"
    assert report.cpu_text({"requests_per_s": 10.0}) == "–"
    run = {"database": "postgresql", "inprocess": [], "results": [
        {"page": "floor", "server": "bare", "requests_per_s": 4000.0, "p99_ms": 1.0,
         "errors": 0, "cpu_ms": {"app": 0.3}},
        {"page": "dashboard", "server": "cached", "requests_per_s": 3000.0, "p99_ms": 2.0,
         "errors": 0, "paths": 153},
        {"page": "dashboard", "server": "uncached", "requests_per_s": 900.0, "p99_ms": 9.0,
         "errors": 0, "paths": 153, "cpu_ms": {"app": 1.5, "database": 0.4}}]}
    table = "\n".join(report._pages(run))
    assert "the floor's: 0.30 ms" in table
    assert "| dashboard | 153 | 4000.0 | 3000.0 | 2.0 | 0.75 | 900.0 | 9.0 | 0.23 | 1.50 + 0.40 |" \
        in table
