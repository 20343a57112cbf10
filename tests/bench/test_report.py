"""The benchmark's report: ratios against Datasette, including the alternating pairs."""

from __future__ import annotations

import json
from typing import Any

from bench import report


def _result(page: str, server: str, rate: float) -> dict[str, Any]:
    return {"page": page, "server": server, "requests_per_s": rate, "p99_ms": 10.0,
            "errors": 0}


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


def _floored_run(before: dict[str, float]) -> dict[str, Any]:
    """A run of two pages, the floor at 4,000 and 3,000 req/s at the start and the end,
    and measured again before the pages in ``before``."""
    results = [_result("floor", "cached", 4000.0)]
    for page in ("dashboard", "strategy"):
        if page in before:
            results.append(_result(f"floor before {page}", "cached", before[page]))
        results += [{**_result(page, "cached", 3000.0), "paths": 153, "errors": 0},
                    {**_result(page, "uncached", 900.0), "paths": 153, "errors": 0}]
    results.append(_result("floor (end)", "cached", 3000.0))
    return {"database": "sqlite", "results": results, "inprocess": [],
            "writes": {"lost": 0, "committed": 1, "busy": 0}}


def test_each_page_is_compared_with_the_floors_measured_around_it() -> None:
    """The floor before a page and the next after it (before the next page, or at the
    end) bracket its measurements."""
    run = _floored_run({"dashboard": 5000.0, "strategy": 2000.0})
    assert report.floor_of(run) == (4000 + 5000 + 2000 + 3000) / 4
    floors = report.page_floors(run)
    assert (floors["dashboard"], floors["strategy"]) == (3500.0, 2500.0)
    table = "\n".join(report._pages(run))
    assert "| dashboard | 153 | 3500.0 | 3000.0 | 10.0 | 0.86 | 900.0 | 10.0 | 0.26 |" in table
    assert "| strategy | 153 | 2500.0 | 3000.0 | 10.0 | 1.20 | 900.0 | 10.0 | 0.36 |" in table
    targets = "\n".join(report._targets(run))
    assert "uncached ≥ 0.25 × floor: 2 of 2 pages; lowest 0.26 (dashboard)" in targets


def test_a_run_without_floors_between_pages_compares_each_with_the_mean() -> None:
    run = _floored_run({})
    assert report.page_floors(run)["dashboard"] == 3500.0
    assert "uncached ≥ 0.25 × floor: 2 of 2 pages; lowest 0.26 (dashboard)" in "\n".join(
        report._targets(run))


def test_the_apps_own_floor_route_is_a_share_of_the_floor_and_no_page() -> None:
    """The app's floor route (measured on the cached server at the start and the end) is
    reported against the floor; it is neither a floor the pages are compared with nor a
    page of the tables."""
    run = _floored_run({"dashboard": 5000.0})
    run["results"][1:1] = [_result("app's floor route", "cached", 2000.0)]
    run["results"].append(_result("app's floor route (end)", "cached", 3000.0))
    assert report.floor_of(run) == (4000 + 5000 + 3000) / 3
    table = "\n".join(report._pages(run))
    assert "| app's floor route |" not in table
    assert ("The app's own floor route (the same 20 KB served by the app, through every hook "
            "it runs on a request): 2500.0 req/s, the mean of 2 measurements (start and end), "
            "0.62 × the floor.") in table
    assert "app's floor route" not in "\n".join(report._targets(run))


def test_a_run_before_the_bare_floor_says_its_floor_was_the_apps_route() -> None:
    table = "\n".join(report._pages(_floored_run({})))
    assert "The floor of this run was the app's own floor route" in table


def test_across_scales_reads_full_runs_only(tmp_path) -> None:
    """A run of some pages, a quick one, and such a run kept under its date are not
    scales of their own."""
    def full(scale: float, ms: float) -> dict[str, Any]:
        return {"scale": scale, "runs": [{"database": "sqlite", "inprocess": [
            {"page": "dashboard", "median_ms": ms, "statements": 6}]}]}

    for name, scale, ms in (("scale-0.1", 0.1, 2.0), ("scale-1", 1, 2.2),
                            ("scale-1-pages", 1, 9.0), ("scale-1-quick", 1, 9.0),
                            ("scale-1-pages-2026-12-04-2020", 1, 9.0)):
        (tmp_path / f"{name}.json").write_text(json.dumps(full(scale, ms)))
    table = report.across_scales(tmp_path)
    assert "| page | scale 0.1 | scale 1 | time 1 ÷ 0.1 | statements equal |" in table
    assert "| dashboard | 2.0 ms / 6 | 2.2 ms / 6 | 1.10 | yes |" in table


def _engine_runs(pages: dict[str, tuple[float, float]],
                 pairs: dict[str, list[tuple[float, float]]]) -> tuple[dict[str, Any], ...]:
    """SQLite's run and PostgreSQL's, each page uncached at the (SQLite, PostgreSQL)
    requests/s given, then in the pairs given."""
    runs: tuple[dict[str, Any], ...] = ({"results": []}, {"results": []})
    for page, rates in pages.items():
        for run, rate in zip(runs, rates, strict=True):
            run["results"].append(_result(page, "uncached", rate))
    for page, measured in pairs.items():
        for number, rates in enumerate(measured, start=1):
            for run, rate in zip(runs, rates, strict=True):
                run["results"].append(_result(page, f"{report.ENGINE_PAIR} {number}", rate))
    return runs


def test_pages_under_the_engines_target_are_those_postgresql_answers_under_two_thirds_of(
        ) -> None:
    sqlite, pg = _engine_runs({"dashboard": (900, 599), "strategy": (900, 601),
                               "floor before strategy": (4000, 1000),
                               "agenda pack PDF": (9, 1)}, {})
    assert report.engines_under_target(sqlite, pg) == ["dashboard"]
    assert report.engine_pages(sqlite, pg) == ["dashboard", "strategy"]


def test_each_engine_pair_gives_a_ratio_and_the_pairs_median_is_judged() -> None:
    """The run's own ratio, which carried the drift between the engines' parts of the run,
    is shown but left out of the median."""
    sqlite, pg = _engine_runs({"dashboard": (1000, 600), "strategy": (900, 900)},
                              {"dashboard": [(1000, 800), (900, 630), (1000, 750),
                                             (1000, 720)]})
    assert report.engine_ratios(sqlite, pg, "dashboard") == [0.6, 0.8, 0.7, 0.75, 0.72]
    assert report.engine_ratios(sqlite, pg, "strategy") == [1.0]
    lines = "\n".join(report._engine_pairs(sqlite, pg))
    assert "PostgreSQL ÷ SQLite ≥ 0.667 (within 1.5 ×): 1 of 2 pages; lowest 0.600 (dashboard)" \
        in lines
    assert "medians ≥ 0.667 (within 1.5 ×): 1 of 1 pages; lowest 0.735 (dashboard)" in lines
    assert "| dashboard | 0.600 | 0.800, 0.700, 0.750, 0.720 | 0.735 | – | – | 0 |" in lines


def test_the_engines_pairs_show_the_median_processor_time_of_each_engine() -> None:
    sqlite, pg = _engine_runs({"dashboard": (1000, 600)},
                              {"dashboard": [(1000, 800), (900, 630), (1000, 750)]})
    for run, cpus in ((sqlite, [1.2, 1.4, 1.3]), (pg, [1.5, 1.7, 1.6])):
        pairs = [r for r in run["results"] if r["server"].startswith(report.ENGINE_PAIR)]
        for result, app in zip(pairs, cpus, strict=True):
            result["cpu_ms"] = {"app": app, **({"database": app / 4} if run is pg else {})}
    assert report.pairs_cpu(sqlite, "dashboard") == "1.30"
    assert report.pairs_cpu(pg, "dashboard") == "1.60 + 0.40"
    assert report.pairs_cpu(pg, "strategy") == "–"
    assert "| 0.750 | 1.30 | 1.60 + 0.40 | 0 |" in "\n".join(report._engine_pairs(sqlite, pg))


def test_the_printed_ratio_agrees_with_the_verdict() -> None:
    """Ratios are judged as printed, to three places: 0.6667 is 0.667, within 1.5 ×."""
    sqlite, pg = _engine_runs({"dashboard": (1000, 665), "strategy": (10000, 6667)}, {})
    assert report.engines_under_target(sqlite, pg) == ["dashboard"]
    lines = "\n".join(report._engine_pairs(sqlite, pg))
    assert "1 of 2 pages; lowest 0.665 (dashboard)" in lines
    assert "alternating pairs" not in lines


def test_a_page_that_answered_nothing_on_sqlite_gives_no_ratio() -> None:
    sqlite, pg = _engine_runs({"dashboard": (0.0, 600)}, {})
    assert report.engine_ratios(sqlite, pg, "dashboard") == []
    assert report.engines_under_target(sqlite, pg) == []
    assert report._engine_pairs(sqlite, pg) == []


def test_admin_pages_are_judged_signed_in_by_the_answers_that_were_the_page() -> None:
    """An admin page is never cached: its ratio is of the run's signed-in measurements and
    of the pairs that measured it signed in again, each rate counting only the answers
    that were the page; the pairs' failed answers are wrk's errors (every status from
    400, a busy 503 among them) and the redirects, each counted once."""
    sqlite, pg = _engine_runs({"dashboard": (1000, 900)}, {})
    for run, rate in ((sqlite, 800.0), (pg, 480.0)):
        run["results"].append(_result("admin indicator", "signed-in", rate))
    # (SQLite's rate and counts, PostgreSQL's): in the second pair a quarter of
    # PostgreSQL's answers sent its clerk to sign in, two were a 503 and one a 500
    pairs = [((800, {"ok": 100}), (600, {"ok": 100})),
             ((700, {"ok": 100}), (800, {"ok": 72, "login": 25, "busy": 2, "other": 1}))]
    for number, pair in enumerate(pairs, start=1):
        for run, (rate, counts) in zip((sqlite, pg), pair, strict=True):
            result = _result("admin indicator", f"{report.SIGNED_IN_ENGINE_PAIR} {number}",
                             rate)
            result["counts"] = counts
            result["errors"] = counts.get("busy", 0) + counts.get("other", 0)
            run["results"].append(result)
    assert report.engine_pages(sqlite, pg) == ["dashboard", "admin indicator"]
    assert report.engines_under_target(sqlite, pg) == ["admin indicator"]
    assert report.engine_ratios(sqlite, pg, "admin indicator") == [0.6, 0.75, 0.823]
    lines = "\n".join(report._engine_pairs(sqlite, pg))
    assert "(the admin pages: signed in), PostgreSQL ÷ SQLite ≥ 0.667 (within 1.5 ×): 1 of 2 " \
        "pages; lowest 0.600 (admin indicator)" in lines
    assert "| admin indicator | 0.600 | 0.750, 0.823 | 0.786 | – | – | 28 |" in lines
