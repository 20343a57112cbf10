"""The engines measured again in pairs: only for the pages a run found under the target."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bench import engine_pairs


def _run(rates: dict[str, float]) -> dict[str, Any]:
    return {"results": [{"page": page, "server": "uncached", "requests_per_s": rate,
                         "p99_ms": 10.0, "errors": 0} for page, rate in rates.items()],
            "server_warnings": []}


def test_no_page_under_the_target_starts_no_server(tmp_path: Path) -> None:
    """Nothing is started (the databases' URLs here reach no database), nothing added."""
    runs = [_run({"dashboard": 900.0, "strategy": 1000.0}),
            _run({"dashboard": 600.0, "strategy": 1500.0})]
    before = [list(run["results"]) for run in runs]
    engine_pairs.measure_again(
        [("sqlite", "sqlite:////nonexistent/none.db", {}),
         ("postgresql", "postgresql+psycopg://nobody@/none?host=/nonexistent", {})],
        runs, argparse.Namespace(engine_pairs=4, warm=2, warm_cap=30, duration=5,
                                 connections=16), tmp_path)
    assert [run["results"] for run in runs] == before
    assert not list(tmp_path.iterdir())
