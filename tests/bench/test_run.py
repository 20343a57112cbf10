"""The benchmark's kept databases (bench/run.py): one that no longer upgrades to this
release's schema is loaded afresh instead of stopping the run."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench import run
from core.bench import demo

SMALL = 0.013  # two councils


def test_a_kept_sqlite_database_that_does_not_upgrade_is_loaded_afresh(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "BENCH", tmp_path)
    (tmp_path / ".data").mkdir()
    path = tmp_path / "kept.sqlite3"
    # as an older chain of migrations left it: at 0011, with 0012's table already made
    with sqlite3.connect(path) as kept:
        kept.executescript(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY);"
            "INSERT INTO alembic_version VALUES ('0011');"
            "CREATE TABLE council (id INTEGER PRIMARY KEY, plugin TEXT);"
            "INSERT INTO council (plugin) VALUES ('demo'), ('demo');"
            "CREATE TABLE minutes_revision (id INTEGER PRIMARY KEY);")
    digest = hashlib.sha256(Path(demo.__file__).read_bytes()).hexdigest()[:16]
    (tmp_path / ".data" / f"kept-scale-{SMALL:g}.loaded").write_text(f"1.0 {digest}\n")
    url = f"sqlite:///{path}"
    env = {**os.environ, "CPT_DATABASE_URL": url, "CPT_INSTANCE_PATH": str(tmp_path / "i")}

    loaded = run.prepare("kept", url, SMALL, env)

    assert loaded["loaded_now"] is True
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text(
            "SELECT COUNT(*) FROM council WHERE plugin = 'demo'")).scalar() == 2
        assert connection.execute(text("SELECT COUNT(*) FROM progress_update")).scalar()
    engine.dispose()


def test_a_page_each_worker_draws_is_warmed_up_uncached_as_a_cached_page_is() -> None:
    """The progress charts are drawn by each worker on its first request for a path: their
    uncached warm-up lets both workers draw every path (a second per 40 paths, capped), so
    that the measured seconds are the page's steady state; other pages keep two seconds."""
    from argparse import Namespace

    from bench.pages import PROGRESS_CHART, PUBLIC

    pages = {page.name: page for page in PUBLIC}
    chart, overview = pages[PROGRESS_CHART], pages["dashboard"]
    bench = run.Bench("sqlite", None, Namespace(warm=2, warm_cap=30), Path("."),  # type: ignore[arg-type]
                      {chart: ["/x/progress.svg"] * 153, overview: ["/x/"] * 153})
    assert bench.uncached_warm(chart) == pytest.approx(153 / 40)
    assert bench.uncached_warm(overview) == 2
    bench.paths[chart] = ["/x/progress.svg"] * 4000
    assert bench.uncached_warm(chart) == 30
