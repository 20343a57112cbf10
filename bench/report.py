"""The benchmark's results as markdown: one file per scale, and the comparison across
scales (``bench/results/comparison.md``), with the ratios issue 11 names."""

from __future__ import annotations

import json
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.pages import APP_FLOOR, DOCUMENTS, FLOOR_BEFORE

Run = dict[str, Any]

#: The admin pages' p99 target at 16 connections.
ADMIN_P99_MS = 100
#: The least share of SQLite's requests/s PostgreSQL may answer on a page (within 1.5 ×).
ENGINES_TARGET = 1 / 1.5
#: The servers of a page measured again on both engines, pair by pair (``… 1``, ``… 2``:
#: :mod:`bench.engine_pairs`): a public page uncached, and an admin page signed in.
ENGINE_PAIR = "uncached engine pair"
SIGNED_IN_ENGINE_PAIR = "signed-in engine pair"
#: How each kind of page is measured in a run, and again in the engines' pairs.
ENGINE_SERVERS = {"uncached": ENGINE_PAIR, "signed-in": SIGNED_IN_ENGINE_PAIR}


def _ratio(a: float | None, b: float | None, digits: int = 2) -> str:
    return f"{a / b:.{digits}f}" if a and b else "–"


def _by(run: Run, server: str) -> dict[str, dict[str, Any]]:
    return {r["page"]: r for r in run["results"] if r["server"] == server}


def is_floor(page: str) -> bool:
    """Whether ``page`` is a measurement of a floor (the bare Flask app's or the app's own
    floor route), not of a page."""
    return page.startswith(("floor", APP_FLOOR.name))


def app_floor(run: Run) -> list[str]:
    """The app's own floor route (the same 20 KB through every hook of the app), as a share
    of the floor: what the app costs on every request before a page's own work. Runs made
    before it was measured have none (their floor was the app's route)."""
    own = [r["requests_per_s"] for r in run["results"] if r["page"].startswith(APP_FLOOR.name)]
    if not own:
        return ["The floor of this run was the app's own floor route (`/_benchmark/floor` "
                "served by the app with `CPT_BENCHMARK_FLOOR=1`), not a minimal Flask app.", ""]
    mean = sum(own) / len(own)
    return [f"The app's own floor route (the same 20 KB served by the app, through every "
            f"hook it runs on a request): {mean:.1f} req/s, the mean of {len(own)} "
            f"measurements (start and end), {_ratio(mean, floor_of(run))} × the floor.", ""]


def floor_of(run: Run) -> float:
    """The floor's requests/s: the mean of its measurements (at the start and the end, and
    before each public page)."""
    floors = [r["requests_per_s"] for r in run["results"] if r["page"].startswith("floor")]
    return sum(floors) / len(floors) if floors else 0.0


def page_floors(run: Run) -> dict[str, float]:
    """The floor each page is compared with: the mean of the floor measured just before
    it and the next measured after it (the one before the next page, or at the end), which
    bracket its measurements; a run made before floors were measured between pages: the
    mean of all, :func:`floor_of`, for every page."""
    floors = [(index, r) for index, r in enumerate(run["results"])
              if r["page"].startswith("floor")]
    bracketed: dict[str, float] = {}
    for position, (_index, result) in enumerate(floors):
        if result["page"].startswith(FLOOR_BEFORE):
            around = [result["requests_per_s"]]
            if position + 1 < len(floors):
                around.append(floors[position + 1][1]["requests_per_s"])
            bracketed[result["page"].removeprefix(FLOOR_BEFORE)] = sum(around) / len(around)
    mean = floor_of(run)
    return defaultdict(lambda: mean, bracketed)


def _table(head: list[str], rows: Iterable[list[object]]) -> list[str]:
    return ([f"| {' | '.join(head)} |", "|---|" + "---:|" * (len(head) - 1)]
            + [f"| {' | '.join(str(cell) for cell in row)} |" for row in rows] + [""])


def cpu_text(result: dict[str, Any]) -> str:
    """A measurement's processor milliseconds a request (:mod:`bench.cpu`): the app's
    workers', plus the database server's when it was measured; "–" when not measured."""
    cpu = result.get("cpu_ms") or {}
    if "app" not in cpu:
        return "–"
    if "database" in cpu:
        return f"{cpu['app']:.2f} + {cpu['database']:.2f}"
    return f"{cpu['app']:.2f}"


def _pages(run: Run) -> list[str]:
    cached, uncached = _by(run, "cached"), _by(run, "uncached")
    inproc = {r["page"]: r for r in run["inprocess"]}
    floors = page_floors(run)
    rows = []
    for page, on in cached.items():
        if page not in uncached or is_floor(page):
            continue
        off, here, floor = uncached[page], inproc.get(page, {}), floors[page]
        rows.append([page, on["paths"], f"{floor:.1f}", on["requests_per_s"], on["p99_ms"],
                     _ratio(on["requests_per_s"], floor), off["requests_per_s"], off["p99_ms"],
                     _ratio(off["requests_per_s"], floor), cpu_text(off),
                     here.get("median_ms", "–"),
                     here.get("cold_ms") or "–", here.get("statements", "–"),
                     on["errors"] + off["errors"]])
    measured = [r["requests_per_s"] for r in run["results"] if r["page"].startswith("floor")]
    return [f"Floor (a minimal Flask app on the same server, returning 20 KB: "
            f"`bench/bare_floor.py`): {floor_of(run):.1f} req/s, the mean of {len(measured)} "
            "measurements "
            f"(lowest {min(measured, default=0):.1f}, highest {max(measured, default=0):.1f}): "
            "at the start and the end, and just before each page; each page's ratios are "
            "to the mean of the floors measured just before and just after it (its own "
            "column). CPU ms: the processor time of a request under that load, in the "
            "server's workers and (on PostgreSQL) + in the database server, both on the same "
            f"cores (`bench/cpu.py`); the floor's: {_floor_cpu(run)}.", "",
            *_table(["page", "paths", "floor req/s", "cached req/s", "p99 ms", "× floor",
                     "uncached req/s", "p99 ms", "× floor", "uncached CPU ms",
                     "server ms (in-process, uncached)",
                     "cold ms (no memo)", "statements", "errors"], rows),
            *app_floor(run)]


def _floor_cpu(run: Run) -> str:
    """The median of the floor's measured processor milliseconds a request."""
    measured = [r["cpu_ms"]["app"] for r in run["results"]
                if r["page"].startswith("floor") and "app" in (r.get("cpu_ms") or {})]
    return f"{_median(measured):.2f} ms" if measured else "not measured"


def pair_ratios(run: Run, other: str, against: str) -> list[float]:
    """Each ratio ours ÷ theirs of the page ``against`` and the comparison page ``other``:
    the first measurements, then every alternating pair (``--pairs``)."""
    ratios: list[float] = []
    while True:
        suffix = f" pair {len(ratios)}" if ratios else ""
        ours = _by(run, f"uncached{suffix}").get(against)
        theirs = _by(run, f"datasette{suffix}").get(other)
        if ours is None or theirs is None:
            return ratios
        ratios.append(round(ours["requests_per_s"] / theirs["requests_per_s"], 2))


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else round(
        (ordered[middle - 1] + ordered[middle]) / 2, 2)


def _comparisons(run: Run) -> list[str]:
    from bench.compare import DATASETTE_PAGES, FLASK_ADMIN_PAGE

    uncached, cached = _by(run, "uncached"), _by(run, "cached")
    others = {**_by(run, "datasette"), **_by(run, "flask-admin")}
    rows = []
    for other, against in [*DATASETTE_PAGES, FLASK_ADMIN_PAGE]:
        theirs = others.get(other.name)
        ours = uncached.get(against) or cached.get(against)
        if theirs is None or ours is None:
            continue
        rows.append([other.name, theirs["requests_per_s"], theirs["p99_ms"], against,
                     ours["requests_per_s"], _ratio(ours["requests_per_s"],
                                                    theirs["requests_per_s"])])
    if not rows:
        return []
    pairs = [[other.name, against, ", ".join(f"{r:.2f}" for r in ratios),
              f"{_median(ratios):.2f}"]
             for other, against in DATASETTE_PAGES
             if len(ratios := pair_ratios(run, other.name, against)) > 1]
    lines = ["### Against Datasette and Flask-Admin (same data, same run)", "",
             "The project's page uncached (the admin is never cached) ÷ the other's "
             "requests/s; target ≥ 1.", "",
             *_table(["their page", "req/s", "p99 ms", "our page", "our req/s",
                      "ours ÷ theirs"], rows)]
    if pairs:
        lines += ["Measured again in alternating pairs (ours, then theirs, each for the same "
                  "time), each pair's ratio and their median:", "",
                  *_table(["their page", "our page", "ratios", "median"], pairs)]
    return lines


def _admin(run: Run) -> list[str]:
    rows = [[r["page"], r["paths"], r["requests_per_s"], r["p50_ms"], r["p99_ms"],
             "yes" if r["p99_ms"] <= ADMIN_P99_MS else "**no**", cpu_text(r),
             r["counts"].get("ok", 0), r["counts"].get("login", 0), r["errors"]]
            for r in run["results"] if r["server"] == "signed-in"]
    if not rows:
        return []
    return [f"### Admin pages of signed-in clerks ({run['clerks']} councils)", "",
            *_table(["page", "paths", "req/s", "p50 ms", "p99 ms",
                     f"p99 ≤ {ADMIN_P99_MS} ms", "CPU ms", "200s", "signed out", "errors"],
                    rows)]


def _writes(figures: dict[str, Any], title: str) -> list[str]:
    return [f"### {title}", "",
            *_table(["req/s", "p50 ms", "p99 ms", "committed (redirects)", "rows added",
                     "lost", "busy (503)", "signed out", "other", "in flight at stop"],
                    [[figures["requests_per_s"], figures["p50_ms"], figures["p99_ms"],
                      figures["committed"], figures["rows_added"], figures["lost"],
                      figures["busy"], figures["signed_out"], figures["other"],
                      figures["in_flight_at_stop"]]])]


def heavy_outputs(run: Run) -> list[str]:
    """The heavy outputs' first answers, cold and kept (runs before them have none; the
    first runs timed only the agenda pack, as ``agenda_pack_first_byte``)."""
    outputs = run.get("first_bytes") or {}
    if not outputs and run.get("agenda_pack_first_byte"):
        outputs = {"agenda pack PDF": run["agenda_pack_first_byte"]}
    if not outputs:
        return []
    return [*(f"{name[:1].upper()}{name[1:]}, time to first byte: cold {figures['cold_s']} s, kept "
              f"{figures['kept_s'] * 1000:.1f} ms (`{figures['path']}`)."
              for name, figures in outputs.items()),
            "(Target for the agenda pack: under 2 s cold.)", ""]


def _database(run: Run) -> list[str]:
    load = (f"{run['load_seconds']:.1f} s" + ("" if run["loaded_now"] else
                                              " (by an earlier run)"))
    lines = [f"## {run['database']}", ""]
    if not run["cache_off_honoured"]:
        lines += ["**The server started with `CPT_PAGE_CACHE=off` still cached pages: the "
                  "uncached figures are not uncached.**", ""]
    lines += _pages(run) + _comparisons(run) + _admin(run)
    lines += _writes(run["writes"], "Write path: progress updates (16 connections)")
    cluster = run.get("cluster") or {}
    if cluster.get("ran"):
        read = cluster["read"]
        lines += ["### Two app servers behind nginx, shared Redis", "",
                  f"Cached dashboard through nginx: {read['requests_per_s']} req/s, p99 "
                  f"{read['p99_ms']} ms, {read['errors']} errors; pages kept in Redis "
                  f"afterwards: {cluster['kept_in_redis']}.", "",
                  *_writes(cluster["writes"], "Write path through nginx")]
    elif run["database"] == "postgresql":
        lines += [f"Two app servers behind nginx: not run ({cluster.get('why', '')}).", ""]
    lines += _targets(run)
    if run.get("server_warnings"):
        lines += ["**The servers logged warnings or errors during the run** (figures across "
                  "them are suspect):", "",
                  *(f"- `{line}`" for line in run["server_warnings"]), ""]
    lines += heavy_outputs(run)
    lines += [f"Demo load: {load}. Worker memory (RSS): "
              f"{', '.join(f'{mb} MB' for mb in run['worker_rss_mb'])}. "
              f"`cpt run` to first answer: {run['first_answer_s']} s.", ""]
    return lines


def _engine_server(sqlite: Run, page: str) -> str:
    """How ``page`` was measured in the run: uncached (a public page) or signed in (an
    admin page, never cached)."""
    return "uncached" if page in _by(sqlite, "uncached") else "signed-in"


def answered_rate(result: dict[str, Any]) -> float:
    """Requests/s of a measurement that were answered with the page: where answers were
    counted (a signed-in page), the share of them that were a 2xx (a clerk sent to sign in
    answers faster than a page would); otherwise as measured."""
    counts = result.get("counts") or {}
    total = sum(counts.values())
    rate: float = result["requests_per_s"]
    return rate * counts.get("ok", 0) / total if total else rate


def engine_ratios(sqlite: Run, pg: Run, page: str) -> list[float]:
    """PostgreSQL ÷ SQLite requests/s of ``page`` uncached (an admin page: signed in, of
    the answers that were the page: :func:`answered_rate`), to three places: the runs' own
    measurements, then each alternating pair's (:data:`ENGINE_SERVERS`); none once
    SQLite's rate is nothing (every request failed)."""
    ratios: list[float] = []
    server = _engine_server(sqlite, page)
    pair = ENGINE_SERVERS[server]
    while True:
        ours, theirs = _by(sqlite, server).get(page), _by(pg, server).get(page)
        if ours is None or theirs is None or not answered_rate(ours):
            return ratios
        ratios.append(round(answered_rate(theirs) / answered_rate(ours), 3))
        server = f"{pair} {len(ratios)}"


def engine_pages(sqlite: Run, pg: Run) -> list[str]:
    """The pages both runs measured uncached, documents made on demand aside (judged by
    their first answer), then the admin pages both measured signed in."""
    pages: list[str] = []
    for server in ENGINE_SERVERS:
        theirs = _by(pg, server)
        pages += [page for page in _by(sqlite, server)
                  if page in theirs and not is_floor(page) and page not in DOCUMENTS]
    return pages


def engines_under_target(sqlite: Run, pg: Run) -> list[str]:
    """The pages whose PostgreSQL ÷ SQLite requests/s in the runs (uncached; an admin page
    signed in) is under
    :data:`ENGINES_TARGET` (as :func:`engine_ratios` gives it, to three places)."""
    return [page for page in engine_pages(sqlite, pg)
            if (found := engine_ratios(sqlite, pg, page)) and found[0] < ENGINES_TARGET]


def failed(result: dict[str, Any]) -> int:
    """Answers of a measurement that were not the page: wrk's errors (sockets, and every
    status from 400: a busy server's 503 among them), and where answers were counted
    (a signed-in page) the redirects, to the sign-in page or elsewhere."""
    counts = result.get("counts") or {}
    return result["errors"] + counts.get("login", 0) + counts.get("redirect", 0)


def _in_pairs(run: Run, page: str) -> list[dict[str, Any]]:
    """``page``'s measurements in the engines' pairs (:data:`ENGINE_SERVERS`)."""
    pairs = tuple(ENGINE_SERVERS.values())
    return [result for result in run["results"]
            if result["page"] == page and result["server"].startswith(pairs)]


def _pair_errors(sqlite: Run, pg: Run, page: str) -> int:
    return sum(failed(result) for run in (sqlite, pg) for result in _in_pairs(run, page))


def pairs_cpu(run: Run, page: str) -> str:
    """The medians of ``page``'s processor milliseconds a request in the engines' pairs
    (as :func:`cpu_text`), "–" when none was measured."""
    measured = [result["cpu_ms"] for result in _in_pairs(run, page)
                if "app" in (result.get("cpu_ms") or {})]
    if not measured:
        return "–"
    return cpu_text({"cpu_ms": {name: _median([cpu[name] for cpu in measured])
                                for name in measured[0]}})


def _engine_pairs(sqlite: Run, pg: Run) -> list[str]:
    """The target's verdict on the runs, and on the pages measured again in pairs (the
    median of the pairs' ratios, the run's own left out: it is the one that carried the
    drift)."""
    ratios = {page: found for page in engine_pages(sqlite, pg)
              if (found := engine_ratios(sqlite, pg, page))}
    if not ratios:
        return []
    target = f"≥ {ENGINES_TARGET:.3f} (within 1.5 ×)"
    lines = [f"Uncached (the admin pages: signed in), PostgreSQL ÷ SQLite {target}: "
             f"{_met([(page, found[0]) for page, found in ratios.items()], ENGINES_TARGET, 3)}"
             " (each engine measured in its own part of the run).", ""]
    again = {page: (found[1:], statistics.median(found[1:]))
             for page, found in ratios.items() if len(found) > 1}
    if again:
        medians = [(page, median) for page, (_, median) in again.items()]
        lines += ["The pages under it measured again on both engines in alternating pairs "
                  "(as in the run, one engine right after the other, the order swapped each "
                  f"pair); the pairs' medians {target}: "
                  f"{_met(medians, ENGINES_TARGET, 3)}:", "",
                  *_table(["page", "in the run", "each pair", "median of the pairs",
                           "CPU ms in the pairs, SQLite", "PostgreSQL",
                           "errors in the pairs"],
                          [[page, f"{ratios[page][0]:.3f}",
                            ", ".join(f"{r:.3f}" for r in pairs), f"{median:.3f}",
                            pairs_cpu(sqlite, page), pairs_cpu(pg, page),
                            _pair_errors(sqlite, pg, page)]
                           for page, (pairs, median) in again.items()])]
    return lines


def _engines(sqlite: Run, pg: Run) -> list[str]:
    rows = [["floor (mean)", "", _ratio(floor_of(pg), floor_of(sqlite)), "–", "–", "–"]]
    for server in ("cached", "uncached", "signed-in"):
        a, b = _by(sqlite, server), _by(pg, server)
        rows += [[page, server, _ratio(b[page]["requests_per_s"], a[page]["requests_per_s"]),
                  _ratio(b[page]["p99_ms"], a[page]["p99_ms"]), cpu_text(a[page]),
                  cpu_text(b[page])]
                 for page in a if page in b and not is_floor(page)]
    return ["## PostgreSQL against SQLite", "", "Target: within 1.5 × on every page. CPU ms: "
            "a request's processor time (`bench/cpu.py`), on PostgreSQL the app's workers' + "
            "the database server's.", "",
            *_table(["page", "server", "req/s PG ÷ SQLite", "p99 PG ÷ SQLite",
                     "CPU ms SQLite", "CPU ms PostgreSQL"], rows),
            *_table(["write path", "req/s PG ÷ SQLite", "p99 PG ÷ SQLite"],
                    [["progress update",
                      _ratio(pg["writes"]["requests_per_s"], sqlite["writes"]["requests_per_s"]),
                      _ratio(pg["writes"]["p99_ms"], sqlite["writes"]["p99_ms"])]]),
            *_engine_pairs(sqlite, pg)]


def _worst(rows: list[tuple[str, float]], lowest: bool = True, digits: int = 2) -> str:
    page, value = (min if lowest else max)(rows, key=lambda row: row[1])
    return f"{value:.{digits}f} ({page})"


def _met(rows: list[tuple[str, float]], target: float, digits: int = 2, *,
         lowest: bool = True) -> str:
    """How many of ``rows`` meet ``target`` (at least it, or with ``lowest`` false at most
    it), and the worst figure to ``digits`` places."""
    met = sum(value >= target if lowest else value <= target for _, value in rows)
    return (f"{met} of {len(rows)} pages; {'lowest' if lowest else 'highest'} "
            f"{_worst(rows, lowest, digits)}")


def _targets(run: Run) -> list[str]:
    """Issue 11's targets, each with the worst page's figure."""
    from bench.compare import DATASETTE_PAGES

    floor = page_floors(run)
    cached, uncached, signed = _by(run, "cached"), _by(run, "uncached"), _by(run, "signed-in")
    pages = [page for page in uncached
             if not is_floor(page) and page not in DOCUMENTS]
    lines = [f"### Against the targets ({run['database']})", "",
             "How many pages meet each, and the worst page's figure. Documents made on "
             f"demand ({', '.join(DOCUMENTS)}) are judged by their first answer, below.", ""]
    if pages:
        lines += [
            f"- uncached ≥ 0.25 × floor: "
            f"{_met([(p, uncached[p]['requests_per_s'] / floor[p]) for p in pages], 0.25)}",
            f"- cached ≥ 0.6 × floor: "
            f"{_met([(p, cached[p]['requests_per_s'] / floor[p]) for p in pages], 0.6)}",
            f"- cached p99 ≤ 50 ms: "
            f"{_met([(p, cached[p]['p99_ms']) for p in pages], 50, lowest=False)}"]
    for other, against in DATASETTE_PAGES:
        ratios = pair_ratios(run, other.name, against)
        if ratios:
            median = f" (median of {len(ratios)} alternating measurements: {_median(ratios):.2f})" \
                if len(ratios) > 1 else ""
            lines.append(f"- uncached {against} ≥ {other.name}: {ratios[0]:.2f} ×{median}")
    if signed:
        admin = [(p, r["p99_ms"]) for p, r in signed.items()]
        lines.append(f"- admin p99 ≤ {ADMIN_P99_MS} ms: "
                     f"{_met(admin, ADMIN_P99_MS, lowest=False)}")
    inproc = [(r["page"], r["median_ms"]) for r in run["inprocess"]
              if not is_floor(r["page"]) and r["page"] not in DOCUMENTS]
    if inproc:
        lines.append(f"- server time under 10 ms uncached (in-process median): "
                     f"{_met(inproc, 10, lowest=False)}")
    lines.append(f"- writes: {run['writes']['lost']} lost of {run['writes']['committed']} "
                 f"committed, {run['writes']['busy']} busy")
    return [*lines, ""]


def markdown(report: dict[str, Any]) -> str:
    """One scale's results."""
    m = report["machine"]
    lines = [f"# Benchmark at scale {report['scale']:g} ({report['date']})"
             + (" — quick smoke test, not figures" if report.get("quick") else ""), "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['system']}; "
             f"Python {m['python']}; {m['wrk']}.", "",
             f"gunicorn 2 sync workers (one server with the page cache on, one with it off); "
             f"wrk 2 threads, {report['connections']} connections, {report['warm']:g} s "
             f"warm-up (cached, and uncached for a page each worker draws once a path "
             f"({', '.join(report.get('drawn_per_worker', []))}): a second per 40 paths if "
             f"longer, at most {report.get('warm_cap', 60):g} s) then "
             f"{report['duration']:g} s measured per page. Comparison tools: "
             f"{', '.join(report.get('tools', []))}.", ""]
    for run in report["runs"]:
        lines += _database(run)
    if len(report["runs"]) == 2:
        lines += _engines(*report["runs"])
    return "\n".join(lines) + "\n"


def across_scales(results: Path) -> str:
    """Server time and statements of every page at each scale measured (full runs only),
    and the largest scale's time ÷ the smallest's (target: within 1.25 ×, statements
    equal)."""
    # a full run's file only (scale-<N>.json): not a quick one, nor a run of some pages,
    # nor such a run kept under its date (scale-<N>-pages-<date>.json)
    reports = sorted((json.loads(path.read_text()) for path in results.glob("scale-*.json")
                      if re.fullmatch(r"scale-[0-9.]+", path.stem)), key=lambda r: r["scale"])
    reports = [r for r in reports if "inprocess" in r["runs"][0]]
    lines = ["# Across scales", "",
             "Server milliseconds (in-process, page cache off; median) and SQL statements per "
             "page, from `bench/results/scale-*.json`. Target: flat from scale 0.1 to 10 "
             "(times within 1.25 ×, statements equal).", ""]
    if len(reports) < 2:
        return "\n".join([*lines, "Fewer than two scales measured so far.", ""])
    scales = [r["scale"] for r in reports]
    names = sorted({run["database"] for r in reports for run in r["runs"]})
    for name in names:
        figures: dict[str, dict[float, dict[str, Any]]] = {}
        for r in reports:
            for run in r["runs"]:
                if run["database"] == name:
                    for row in run["inprocess"]:
                        figures.setdefault(row["page"], {})[r["scale"]] = row
        rows = []
        for page, at in figures.items():
            first, last = at.get(scales[0]), at.get(scales[-1])
            rows.append([page, *(f"{at[s]['median_ms']} ms / {at[s]['statements']}"
                                 if s in at else "–" for s in scales),
                         _ratio(last and last["median_ms"], first and first["median_ms"]),
                         "yes" if len({at[s]["statements"] for s in at}) == 1 else "**no**"])
        lines += [f"## {name}", "",
                  *_table(["page", *(f"scale {s:g}" for s in scales),
                           f"time {scales[-1]:g} ÷ {scales[0]:g}", "statements equal"], rows)]
    return "\n".join(lines) + "\n"
