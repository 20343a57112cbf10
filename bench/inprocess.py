"""Statements and server milliseconds per page, rendered in-process with the page cache off.

The issue's first target is server time: every page well under 10 ms at scale 1, uncached,
with the same number of statements at every scale. This renders a few paths of each page
through Flask's test client (no HTTP, no gunicorn), after :data:`WARM_RENDERS` warm-up
requests of its first path and one of each other, counting the SQL statements each request
runs (:func:`core.raw_reads.listen`) and timing it, twice: by the app as it runs,
and by one without its markup memos or kept charts ("cold").
Admin pages are rendered for a clerk signed in through the login form.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

from bench.accounts import PASSWORD, csrf_token
from bench.pages import Page


@dataclass
class Rendered:
    """One page's in-process figures."""

    page: str
    paths: int
    median_ms: float
    max_ms: float
    statements: int
    #: whether every request of the page ran the same number of statements
    constant: bool
    status: int
    #: the median with no markup memo (every widget, table and chart drawn afresh)
    cold_ms: float | None = None


#: Warm-up renders of a page's first path: a worker's steady state, where on PostgreSQL
#: psycopg has prepared the page's statements (after five runs on a connection) and
#: PostgreSQL has had its five custom plans of each before settling on a generic one.
WARM_RENDERS = 10

#: Settings that turn off the memos of rendered markup (GOV.UK widgets and tables): a page
#: rendered "cold", as the first after a change to everything it shows. The kept charts
#: (a memo of the process, not of an app) are dropped before each cold render instead
#: (:func:`core.charts.service.forget_drawings`).
NO_MEMOS = {"WIDGET_MARKUP_ENTRIES": 0, "LARGE_MARKUP_ENTRIES": 0, "CARD_MARKUP_ENTRIES": 0}


def uncached_app(database_url: str, **config: Any) -> Any:
    """The app with the page cache off (``PAGE_CACHE_STORE``, as ``CPT_PAGE_CACHE=off``)
    and cookies allowed over plain HTTP; ``config`` adds settings (e.g. :data:`NO_MEMOS`).
    The garbage collector is then set as a worker sets it (:mod:`core.wsgi`), so that a
    page's time here is its time in a worker."""
    from core.app import create_app
    from core.collector import settle_after_start_up

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "PAGE_CACHE_STORE": "off",
                      "SESSION_COOKIE_SECURE": False, "BENCHMARK_FLOOR": True, **config})
    settle_after_start_up()
    return app


def _clients(app: Any, clerk_email: str | None) -> tuple[Any, Any]:
    """An anonymous test client of ``app``, and one signed in as the clerk."""
    anonymous, clerk = app.test_client(), app.test_client()
    if clerk_email:
        html = clerk.get("/login").get_data(as_text=True)
        signed = clerk.post("/login", data={"csrf_token": csrf_token(html),
                                             "email": clerk_email, "password": PASSWORD})
        if signed.status_code != 302:
            raise SystemExit(f"in-process sign-in answered {signed.status_code}")
    return anonymous, clerk


def render_pages(database_url: str, pages: dict[Page, list[str]], *, clerk_email: str | None,
                 per_page: int = 3, repeat: int = 5) -> list[dict[str, object]]:
    """For each page, its first ``per_page`` paths requested ``repeat`` times each, after
    warm-up requests (:data:`WARM_RENDERS`): by the app as it runs (``median_ms``: what a
    page costs when the page cache misses but the markup memos hold its unchanged parts) and
    by an app without the memos (``cold_ms``: every widget and table drawn afresh)."""
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    from core import raw_reads
    from core.charts.service import forget_drawings
    from core.extensions import close_connections, db

    apps = {"warm": uncached_app(database_url), "cold": uncached_app(database_url, **NO_MEMOS)}
    clients = {}
    for name, app in apps.items():
        with app.app_context():
            raw_reads.listen(db.engine, count)
        clients[name] = _clients(app, clerk_email)

    def timed(client: Any, paths: list[str], cold: bool = False
              ) -> tuple[list[float], list[int], int]:
        nonlocal statements
        times: list[float] = []
        counts: list[int] = []
        status = 200
        for path in paths[:1] * (WARM_RENDERS - 1):
            client.get(path)
        for path in paths[:per_page]:
            client.get(path)  # warm: templates compiled, plugin and ORM caches filled
            for _ in range(repeat):
                if cold:
                    forget_drawings()
                statements = 0
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                counts.append(statements)
                if response.status_code != 200:
                    status = response.status_code
        return times, counts, status

    results = []
    for page, paths in pages.items():
        which = 1 if page.kind == "admin" else 0
        times, counts, status = timed(clients["warm"][which], paths)
        if not times:
            continue
        cold, _, _ = timed(clients["cold"][which], paths, cold=True)
        rendered = Rendered(page.name, len(paths[:per_page]), round(statistics.median(times), 2),
                            round(max(times), 2), max(counts), min(counts) == max(counts),
                            status, round(statistics.median(cold), 2))
        print(f"  in-process {page.name:20} {rendered.median_ms:7.2f} ms  "
              f"(cold {rendered.cold_ms:7.2f} ms)  {rendered.statements:3} statements"
              f"{'' if rendered.constant else ' (varies)'}"
              f"{'' if status == 200 else f'  status {status}'}", flush=True)
        results.append(asdict(rendered))
    for app in apps.values():
        close_connections(app)
    return results
