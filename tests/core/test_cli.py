"""The `cpt` command, run as a user would run it."""

from __future__ import annotations

import gc
import html
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.cli import main
from core.councils.models import Directory
from core.extensions import db
from tests.core.database import database_rows
from tests.core.fakes import entry_point, reference_entry_points


@pytest.fixture
def cpt(make_app, database_url: str, instance_path: str, monkeypatch):
    """Run `cpt ARGS` against the test database; returns (exit code, output)."""
    make_app(sync=False)  # the test starts from empty tables
    monkeypatch.setenv("CPT_DATABASE_URL", database_url)
    monkeypatch.setenv("CPT_INSTANCE_PATH", instance_path)

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        return result.exit_code, result.output

    return run


def test_plugins_lists_the_four_councils(cpt) -> None:
    code, output = cpt("plugins")
    assert code == 0
    for slug in ("isle_of_wight", "staffordshire", "herefordshire", "bracknell_forest"):
        assert f"{slug} " in output and f"councils: {slug}" in output
    code, output = cpt("plugins", "--json")
    data = json.loads(output)
    assert {item["name"] for item in data} >= {"core.defaults", "herefordshire"}
    assert all(item["status"] == "active" for item in data)


#: What ``cpt sync`` and ``cpt run`` say when the plugins are those of the last complete sync.
SKIPPED = ("Sync: skipped, the plugins' definitions are unchanged since the last complete "
           "sync (`cpt sync --force` syncs anyway).\n")


def test_sync_twice_skips_the_second_unless_forced(cpt) -> None:
    code, first = cpt("sync")
    assert code == 0
    assert "herefordshire: seat seat-cabinet-member added" in first
    assert first.strip().endswith("Sync: 120 added.")
    assert cpt("sync") == (0, SKIPPED)
    assert cpt("sync", "--force") == (0, "Sync: No changes.\n")
    code, output = cpt("sync", "--dry-run")
    assert (code, output) == (0, "Sync: Dry run, nothing written. Would have made: No "
                                 "changes.\n")


def test_a_command_leaves_the_garbage_collector_as_it_found_it(cpt) -> None:
    """Start-up's objects are frozen out of the collector's way only while the command runs
    (core.cli.command_app), and a collector paused for start-up is resumed."""
    gc.disable()
    try:
        assert cpt("plugins")[0] == 0
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_check_reports_the_four_known_findings(cpt) -> None:
    cpt("sync")
    code, output = cpt("check")
    assert code == 0, output
    assert ("bracknell_forest: Actions 9.1, 9.2, 9.3, 9.4 (pledge 9) are word for word the "
            "same as actions 10.1, 10.2, 10.3, 10.4 (pledge 10).") in output
    assert "bracknell_forest: 45 actions have no wording of their own" in output
    assert ("isle_of_wight: Review overdue: The implementation of this protocol "
            "(due by 30 September 2025).") in output
    assert "staffordshire: 4 promises declared, 0 recorded: 4 still to be recorded." in output
    assert output.strip().endswith("0 error(s), 4 warning(s).")
    code, output = cpt("check", "--json")
    findings = json.loads(output)
    assert sorted(f["check"] for f in findings) == [
        "actions-without-wording", "declared-but-missing", "duplicated-actions",
        "overdue-review"]
    assert len(next(f for f in findings if f["check"] == "actions-without-wording")["items"]) == 45
    code, _ = cpt("check", "--strict")
    assert code == 1


def test_check_exits_non_zero_when_a_council_is_not_synced(cpt) -> None:
    code, output = cpt("check")
    assert code == 1
    assert "herefordshire is not in the database: run `cpt sync`." in output


def test_commands_needing_tables_say_how_to_create_them(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CPT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    monkeypatch.setenv("CPT_INSTANCE_PATH", str(tmp_path))
    result = CliRunner().invoke(main, ["sync"])
    assert result.exit_code == 1
    assert "The database has no tables yet: run `cpt db upgrade` first" in result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_run_migrates_syncs_and_serves_over_http(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "CPT_DATABASE_URL"}
    env["CPT_INSTANCE_PATH"] = str(tmp_path)
    cpt = Path(sys.executable).with_name("cpt")
    server = subprocess.Popen([str(cpt), "run", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = _first_page(server, port)
        for name in ("Isle of Wight Council", "Staffordshire County Council",
                     "Herefordshire Council", "Bracknell Forest Council"):
            assert name in page
        assert (tmp_path / "corporate-parenting.sqlite3").exists()
        url = f"http://127.0.0.1:{port}/api/councils/herefordshire/panels"
        with urllib.request.urlopen(url, timeout=5) as response:
            panels = json.load(response)
        assert len(panels[0]["seats"]) == 14
    finally:
        server.terminate()
        server.wait(timeout=10)
        first_output = server.stdout.read()
        server.stdout.close()
    assert "Running upgrade  -> 0001" in first_output and "Sync: 120 added." in first_output
    # Started again with nothing changed, it neither migrates nor syncs.
    server = subprocess.Popen([str(cpt), "run", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "Herefordshire Council" in _first_page(server, port)
    finally:
        server.terminate()
        server.wait(timeout=10)
        second_output = server.stdout.read()
        server.stdout.close()
    assert "Database: at the newest migration.\n" in second_output
    assert SKIPPED in second_output


def _first_page(server: subprocess.Popen, port: int) -> str:
    """The home page, once the server answers (or what it printed, if it never does)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                return response.read().decode()
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(server.stdout.read()) from None
            time.sleep(0.2)


def test_demo_loads_then_refuses_to_load_twice_without_replace(cpt) -> None:
    code, out = cpt("demo", "--scale", "0.007")
    assert code == 0, out
    assert "Loaded 1 demo councils in" in out and "2,880 progress_update" in out
    code, out = cpt("demo", "--scale", "0.007")
    assert code == 2 and "--replace" in out
    code, out = cpt("demo", "--scale", "0.007", "--replace")
    assert code == 0, out
    code, out = cpt("demo", "--scale", "0")
    assert code == 2 and "--scale" in out


def test_benchmark_floor_is_a_fixed_20_kb_page_only_when_asked_for(make_app,
                                                                   monkeypatch) -> None:
    assert make_app({}, sync=False).test_client().get("/_benchmark/floor").status_code == 404
    monkeypatch.setenv("CPT_BENCHMARK_FLOOR", "1")
    client = make_app({}, sync=False).test_client()
    first, second = (client.get("/_benchmark/floor") for _ in range(2))
    assert first.status_code == 200 and first.mimetype == "text/html"
    assert len(first.get_data()) == 20 * 1024
    assert first.get_data() == second.get_data()


# --- a plugin going wrong changes nothing of its council ------------------------------------


@pytest.fixture
def installed(monkeypatch):
    """``installed(entry, ...)``: the entry points the app finds (the reference ones, with
    any of the same name replaced, plus those given)."""
    from core.plugins import host

    def install(*extra: EntryPoint, replace: bool = False) -> None:
        names = {entry.name for entry in extra} if replace else set()
        entries = [e for e in reference_entry_points() if e.name not in names] + list(extra)
        monkeypatch.setattr(host, "entry_points", lambda group: entries)

    return install


def test_a_rival_distribution_claiming_herefordshire_changes_none_of_its_rows(
        cpt, installed, make_app) -> None:
    assert cpt("sync")[0] == 0
    app = make_app(sync=False)
    with app.app_context():
        before = database_rows()
    installed(entry_point("herefordshire", "tests.core.fakes:HEREFORDSHIRE_RIVAL",
                          "rival-plugin", "2.0"))
    code, output = cpt("plugins")
    assert code == 1
    assert "herefordshire (rival-plugin) 2.0  [refused]" in output
    assert ("error: plugin 'herefordshire', hook (entry point): the entry point "
            "'herefordshire' is installed by ") in output and "rival-plugin 2.0" in output
    assert "council herefordshire: not served from its plugin" in output
    code, output = cpt("sync")
    assert code == 1
    assert "herefordshire: left unchanged, its definitions could not be loaded" in output
    assert output.strip().endswith("1 council(s) left unchanged because their plugin has "
                                   "errors.")
    app = make_app(sync=False)
    with app.app_context():
        assert database_rows() == before
    client = app.test_client()
    overview = client.get("/herefordshire/").get_data(as_text=True)
    assert "could not be loaded from its plugin" in overview
    assert "Your Voice Matters" in client.get(
        "/herefordshire/panels/corporate-parenting-panel").get_data(as_text=True)
    checks = html.unescape(client.get("/herefordshire/checks").get_data(as_text=True))
    assert "the entry point 'herefordshire' is installed by" in checks
    assert "could not be loaded from its plugin" not in client.get(
        "/staffordshire/").get_data(as_text=True)


def test_a_plugin_that_stops_giving_its_panels_removes_nothing_unasked(cpt, installed,
                                                                       make_app) -> None:
    from core.models import Seat

    assert cpt("sync")[0] == 0
    app = make_app(sync=False)
    with app.app_context():
        before = database_rows()
        seats = {seat.key: seat.id for seat in db.session.scalars(select(Seat))}
    installed(entry_point("herefordshire", "tests.core.fakes:HEREFORDSHIRE_WITHOUT_PANELS"),
              replace=True)
    code, output = cpt("sync", "--dry-run")
    assert code == 1 and "herefordshire: held back, the sync would archive every panel" in output
    for _ in range(2):  # held back every time, never skipped
        code, output = cpt("sync")
        assert code == 1
        assert "herefordshire: seat seat-cabinet-member would be archived" in output
    with app.app_context():
        assert database_rows() == before
    code, output = cpt("sync", "--allow-removals")
    assert code == 0, output
    assert "herefordshire: panel corporate-parenting-panel archived (no longer defined)" in output
    installed()
    code, output = cpt("sync")
    assert code == 0
    assert "herefordshire: panel corporate-parenting-panel restored" in output
    with app.app_context():
        assert {seat.key: seat.id for seat in db.session.scalars(
            select(Seat).where(Seat.archived_at.is_(None)))} == seats


def test_a_dry_run_writes_nothing(cpt, make_app) -> None:
    code, output = cpt("sync", "--dry-run")
    assert code == 0
    assert "herefordshire: council added" in output
    assert output.strip().endswith("Dry run, nothing written. Would have made: 120 added.")
    app = make_app(sync=False)
    with app.app_context():
        rows = database_rows()
        assert len(rows.pop(Directory.__tablename__)) == 1  # made with the schema
        assert all(table == [] for table in rows.values())
