"""Statements and server milliseconds per page, rendered in-process with the page cache off.

The issue's first target is server time: every page well under 10 ms at scale 1, uncached,
with the same number of statements at every scale. This renders a few paths of each page
through Flask's test client (no HTTP, no gunicorn), after one warm-up request per path,
counting the SQL statements each request runs (SQLAlchemy's ``before_cursor_execute``) and
timing it. Admin pages are rendered for a clerk signed in through the login form.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import event

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


def uncached_app(database_url: str) -> Any:
    """The app with the page cache off (``PAGE_CACHE_STORE``, as ``CPT_PAGE_CACHE=off``)
    and cookies allowed over plain HTTP."""
    from core.app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "PAGE_CACHE_STORE": "off",
                       "SESSION_COOKIE_SECURE": False, "BENCHMARK_FLOOR": True})


def render_pages(database_url: str, pages: dict[Page, list[str]], *, clerk_email: str | None,
                 per_page: int = 3, repeat: int = 5) -> list[dict[str, object]]:
    """For each page, its first ``per_page`` paths requested ``repeat`` times each."""
    app = uncached_app(database_url)
    anonymous, clerk = app.test_client(), app.test_client()
    statements = 0

    with app.app_context():
        from core.extensions import db

        def count(*_: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(db.engine, "before_cursor_execute", count)

    if clerk_email:
        html = clerk.get("/login").get_data(as_text=True)
        signed = clerk.post("/login", data={"csrf_token": csrf_token(html),
                                             "email": clerk_email, "password": PASSWORD})
        if signed.status_code != 302:
            raise SystemExit(f"in-process sign-in answered {signed.status_code}")

    results = []
    for page, paths in pages.items():
        client = clerk if page.kind == "admin" else anonymous
        times: list[float] = []
        counts: list[int] = []
        status = 200
        for path in paths[:per_page]:
            client.get(path)  # warm: templates compiled, plugin and ORM caches filled
            for _ in range(repeat):
                statements = 0
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                counts.append(statements)
                if response.status_code != 200:
                    status = response.status_code
        if not times:
            continue
        rendered = Rendered(page.name, len(paths[:per_page]), round(statistics.median(times), 2),
                            round(max(times), 2), max(counts), min(counts) == max(counts),
                            status)
        print(f"  in-process {page.name:20} {rendered.median_ms:7.2f} ms  "
              f"{rendered.statements:3} statements"
              f"{'' if rendered.constant else ' (varies)'}"
              f"{'' if status == 200 else f'  status {status}'}", flush=True)
        results.append(asdict(rendered))
    return results
