"""Two app servers behind nginx on one PostgreSQL, sharing the page cache and the sign-in
limits in one Redis: the national host's shape, on loopback, measured once.

Each server is gunicorn with one sync worker (two servers of two workers would be four
workers on two cores), ``CPT_PAGE_CACHE=redis://…/0`` and ``CPT_RATELIMIT_STORAGE_URI=
redis://…/1``, ``CPT_PROXIES=1`` (nginx in front), ``CPT_TRUSTED_HOSTS=127.0.0.1`` (the
host nginx passes on; its port is not matched). Measured through nginx: the cached
dashboard, and the write path with clerks signed in through nginx.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import Engine

from bench import writes
from bench.accounts import sign_in
from bench.load import cached_warm, measure, write_lines
from bench.pages import PUBLIC, paths_of
from bench.servers import gunicorn, nginx, redis, redis_keys


def run(engine: Engine, env: dict[str, str], clerk_slugs: list[tuple[str, str]],
        args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    """The cluster's figures, or why it was not run."""
    dashboard = next(page for page in PUBLIC if page.name == "dashboard")
    paths = paths_of(engine, dashboard)
    try:
        with redis(workdir) as store:
            shared = {**env, "CPT_PAGE_CACHE": f"redis://127.0.0.1:{store.port}/0",
                      "CPT_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{store.port}/1",
                      "CPT_PROXIES": "1", "CPT_TRUSTED_HOSTS": "127.0.0.1"}
            with gunicorn("app-1", shared, workers=1, log=workdir / "app-1.log") as one, \
                    gunicorn("app-2", shared, workers=1, log=workdir / "app-2.log") as two, \
                    nginx(workdir, [one, two]) as front:
                lines_file = write_lines(workdir / "cluster-dashboard.txt", paths)
                read = measure("dashboard", "nginx + 2 servers", front.url, lines_file,
                               paths=len(paths),
                               warm=cached_warm(args.warm, len(paths), args.warm_cap),
                               duration=args.duration, connections=args.connections)
                kept = redis_keys(store.port, 0)
                clerks = [sign_in(front.port, slug, email, f"/admin/{slug}/")
                          for slug, email in clerk_slugs]
                written = writes.run(engine, clerks, front.url, "nginx + 2 servers", workdir,
                                     duration=args.duration, connections=args.connections)
                return {"ran": True, "read": asdict(read), "kept_in_redis": kept,
                        "writes": written}
    except (SystemExit, OSError, RuntimeError) as error:
        print(f"  cluster not run: {error}", flush=True)
        return {"ran": False, "why": str(error)}
