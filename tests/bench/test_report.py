"""The benchmark's report: ratios against Datasette, including the alternating pairs."""

from __future__ import annotations

from typing import Any

from bench import report


def _result(page: str, server: str, rate: float) -> dict[str, Any]:
    return {"page": page, "server": server, "requests_per_s": rate, "p99_ms": 10.0}


def _run(pairs: list[tuple[float, float]]) -> dict[str, Any]:
    """A run whose dashboard and Datasette's were measured once, then in ``pairs``."""
    (ours, theirs), *more = pairs
    results = [_result("dashboard", "uncached", ours),
               _result("Datasette dashboard", "datasette", theirs)]
    for number, (ours, theirs) in enumerate(more, start=1):
        results += [_result("dashboard", f"uncached pair {number}", ours),
                    _result("Datasette dashboard", f"datasette pair {number}", theirs)]
    return {"results": results}


def test_each_pair_gives_a_ratio_and_the_median_is_reported() -> None:
    run = _run([(300, 400), (360, 400), (420, 400)])
    assert report.pair_ratios(run, "Datasette dashboard", "dashboard") == [0.75, 0.9, 1.05]
    lines = "\n".join(report._comparisons(run))
    assert "| Datasette dashboard | dashboard | 0.75, 0.90, 1.05 | 0.90 |" in lines


def test_a_run_without_pairs_reports_one_ratio() -> None:
    run = _run([(300, 400)])
    assert report.pair_ratios(run, "Datasette dashboard", "dashboard") == [0.75]
    lines = "\n".join(report._comparisons(run))
    assert "alternating pairs" not in lines
    assert report._median([0.8, 1.0]) == 0.9
