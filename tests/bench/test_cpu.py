"""The processor time of a request under load (bench/cpu.py), read from /proc of real
processes, and how the report shows it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import cpu, report

#: A child that says it is ready, waits for a line, then runs on the processor for a third
#: of a second, says so, and stays alive (as a server's worker does between measurements)
#: until its input closes.
_BUSY_ON_CUE = ("import sys, time\n"
                "print('ready', flush=True)\n"
                "sys.stdin.readline()\n"
                "start = time.process_time()\n"
                "while time.process_time() - start < 0.3:\n"
                "    pass\n"
                "print('done', flush=True)\n"
                "sys.stdin.readline()\n")


def _busy_child() -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", _BUSY_ON_CUE], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "ready\n"
    return child


def _cue(child: subprocess.Popen[str]) -> None:
    """Set ``child`` working, and wait until it has worked its third of a second."""
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write("go\n")
    child.stdin.flush()
    assert child.stdout.readline() == "done\n"


def test_a_gone_process_has_no_parent_and_its_children_cannot_be_listed() -> None:
    with subprocess.Popen([sys.executable, "-c", "pass"]) as gone:
        gone.wait()
    assert cpu.parent_of(os.getpid()) == os.getppid()
    assert cpu.parent_of(gone.pid) is None
    with pytest.raises(OSError):
        cpu.children(gone.pid)


def test_a_meter_counts_its_parents_children_a_request() -> None:
    """A child's third of a second over three requests is about 100 ms a request."""
    with _busy_child() as child:
        assert child.pid in cpu.children(os.getpid())
        meter = cpu.Meter.of(os.getpid())
        before = meter.read()
        assert any(pid == child.pid for pid, _start in before["app"])
        _cue(child)
        measured = cpu.per_request(before, meter.read(), 3)
        assert set(measured) == {"app"}
        assert 95 <= measured["app"] <= 130, measured
        child.stdin.close()  # type: ignore[union-attr]
    assert cpu.per_request(before, before, 0) == {}


def test_a_child_that_ends_during_a_measurement_is_counted_to_its_end() -> None:
    """Its time after the first reading is found in what its parent collected of it."""
    with _busy_child() as child:
        meter = cpu.Meter.of(os.getpid())
        before = meter.read()
        _cue(child)
        child.stdin.close()  # type: ignore[union-attr]
        child.wait()  # collected by its parent, this process
    after = meter.read()
    assert not any(pid == child.pid for pid, _start in after["app"])
    assert 95 <= cpu.per_request(before, after, 3)["app"] <= 130


def test_children_started_during_a_measurement_are_counted_from_their_start() -> None:
    before = {"app": {cpu.ENDED: 2.0, (1, 10): 1.0}}
    after = {"app": {cpu.ENDED: 2.0, (1, 10): 1.5, (2, 20): 0.25}}
    assert cpu.per_request(before, after, 5) == {"app": 150.0}
    # the same id started again is another child: the first ended after 1.5 s in all (its
    # parent collected them; 0.5 s of it after the first reading), the second is counted
    # from its start
    reused = {"app": {cpu.ENDED: 3.5, (1, 30): 0.1}}
    assert cpu.per_request(before, reused, 6) == {"app": 100.0}


def test_only_a_postgresql_servers_work_for_clients_is_counted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Its backends and their parallel workers; not its own processes, nor anything that
    is not PostgreSQL's."""
    titles = {101: b"postgres: app cpt [local] idle\x00", 102: b"postgres: checkpointer\x00",
              103: b"postgres: autovacuum worker cpt\x00",
              104: b"postgres: parallel worker for PID 101\x00", 105: b"python3\x00-c\x00"}
    monkeypatch.setattr(cpu, "command_line", titles.__getitem__)
    assert [pid for pid in titles if cpu.is_client_work(pid)] == [101, 104]


def test_a_database_server_is_found_only_for_postgresql_on_this_machine(
        database_url: str) -> None:
    """SQLite runs in the app's workers: no server. PostgreSQL's backend is a child of its
    server, a process on this machine named postgres, and that server's client backends
    are what a meter of it counts."""
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    try:
        server = cpu.database_server(engine)
        if engine.dialect.name == "sqlite":
            assert server is None
            return
        assert server is not None
        assert Path(f"/proc/{server}/comm").read_text().strip() in ("postgres", "postmaster")
        with engine.connect() as connection:
            from sqlalchemy import text

            backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            kept = cpu.Meter.of(os.getpid(), server).read()["database"]
            assert any(pid == backend for pid, _start in kept)
            assert all(cpu.is_client_work(pid) for pid, _start in kept if pid)
    finally:
        engine.dispose()


def test_the_report_shows_a_requests_processor_time_where_it_was_measured() -> None:
    assert report.cpu_text({"cpu_ms": {"app": 1.5}}) == "1.50"
    assert report.cpu_text({"cpu_ms": {"app": 1.5, "database": 0.456}}) == "1.50 + 0.46"
    assert report.cpu_text({"requests_per_s": 10.0}) == "–"
    run = {"database": "postgresql", "inprocess": [], "clerks": 2,
           "writes": {"requests_per_s": 100.0, "p99_ms": 50.0}, "results": [
        {"page": "floor", "server": "bare", "requests_per_s": 4000.0, "p99_ms": 1.0,
         "errors": 0, "cpu_ms": {"app": 0.3}},
        {"page": "dashboard", "server": "cached", "requests_per_s": 3000.0, "p99_ms": 2.0,
         "errors": 0, "paths": 153},
        {"page": "dashboard", "server": "uncached", "requests_per_s": 900.0, "p99_ms": 9.0,
         "errors": 0, "paths": 153, "cpu_ms": {"app": 1.5, "database": 0.4}},
        {"page": "admin dashboard", "server": "signed-in", "requests_per_s": 800.0,
         "p50_ms": 5.0, "p99_ms": 20.0, "errors": 0, "paths": 2,
         "counts": {"ok": 4000, "login": 0}, "cpu_ms": {"app": 1.1, "database": 0.3}}]}
    table = "\n".join(report._pages(run))
    assert "the floor's: 0.30 ms" in table
    assert "| dashboard | 153 | 4000.0 | 3000.0 | 2.0 | 0.75 | 900.0 | 9.0 | 0.23 | 1.50 + 0.40 |" \
        in table
    assert "| admin dashboard | 2 | 800.0 | 5.0 | 20.0 | yes | 1.10 + 0.30 | 4000 | 0 | 0 |" \
        in "\n".join(report._admin(run))
    sqlite = {**run, "database": "sqlite", "results": [
        {**result, "cpu_ms": {"app": result["cpu_ms"]["app"]}} if "cpu_ms" in result
        else result for result in run["results"]]}
    engines = "\n".join(report._engines(sqlite, run))
    assert "| dashboard | uncached | 1.00 | 1.00 | 1.50 | 1.50 + 0.40 |" in engines
    assert "| dashboard | cached | 1.00 | 1.00 | – | – |" in engines
