"""What the project's pages are compared with, on the same data in the same run: Datasette
(SQLite only) and Flask-Admin, installed into their own virtualenv ``bench/.tools``
(git-ignored; never the project's dependencies), at the versions pinned here.

Datasette serves the SQLite demo database read-only (``--immutable``, loopback) with two
canned queries written into a metadata file here: **dashboard**, one council's pledges with
their actions rolled up and the latest update (what ``/<council>/`` shows), and **council
actions**, one council's actions with their latest status and update (what
``/<council>/pledges/<key>`` and ``/api/councils/<council>/actions`` show). Their HTML
pages are measured with the council rotating as for the project's pages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from bench.pages import Page, each_council
from bench.servers import BENCH, TOOLS_BIN, Server, free_port, gunicorn, serving

#: The comparison tools and what they run on, pinned (also in shared STACK.md).
TOOLS = ["datasette==0.65.5", "flask-admin==2.2.1", "flask==3.1.3", "sqlalchemy==2.1.9",
         "flask-sqlalchemy==3.1.1",  # Flask-Admin 2.2.1 imports its session type
         "gunicorn==27.0.1", "psycopg[binary]==3.3.9"]
TOOLS_DIR = BENCH / ".tools"
#: Datasette's name for the database (the file is linked under this name).
DB_NAME = "cpt"

#: A late action counts as at least "At risk"; a pledge is complete or not started only when
#: every action is, else its most concerning open status (core/pledges/status.py's default
#: rule, without days of grace).
_LATE = "(a.status <> 'complete' AND a.due < date('now'))"

DASHBOARD_SQL = f"""\
SELECT p.number, p.title,
  COUNT(a.id) AS actions,
  SUM(a.status = 'complete') AS complete,
  SUM(a.status = 'on_track' AND NOT {_LATE}) AS on_track,
  SUM(a.status = 'at_risk' OR (a.status IN ('on_track', 'not_started') AND {_LATE})) AS at_risk,
  SUM(a.status = 'off_track') AS off_track,
  CASE WHEN SUM(a.status = 'complete') = COUNT(a.id) THEN 'Complete'
       WHEN SUM(a.status = 'not_started' AND NOT {_LATE}) = COUNT(a.id) THEN 'Not started'
       WHEN SUM(a.status = 'off_track') > 0 THEN 'Off track'
       WHEN SUM(a.status = 'at_risk' OR {_LATE}) > 0 THEN 'At risk'
       ELSE 'On track' END AS status,
  (SELECT u.reported_on || ' ' || u.status || ': ' || u.note || ' (' || u.author || ')'
     FROM action a2 JOIN progress_update u
       ON u.action_id = a2.id AND u.reported_on = a2.status_on
    WHERE a2.pledge_id = p.id AND a2.archived_at IS NULL
    ORDER BY u.reported_on DESC, u.id DESC LIMIT 1) AS latest_update
FROM council c
JOIN pledge p ON p.council_id = c.id AND p.archived_at IS NULL
JOIN action a ON a.pledge_id = p.id AND a.archived_at IS NULL
WHERE c.slug = :council
GROUP BY p.id
ORDER BY p.position"""

COUNCIL_ACTIONS_SQL = """\
SELECT p.number AS pledge, a.key, a.wording, a.officer, a.due, a.status, a.status_on,
  u.note AS latest_note, u.author AS latest_author
FROM council c
JOIN action a ON a.council_id = c.id AND a.archived_at IS NULL
JOIN pledge p ON p.id = a.pledge_id AND p.archived_at IS NULL
LEFT JOIN progress_update u ON u.id = (
  SELECT MAX(u2.id) FROM progress_update u2
   WHERE u2.action_id = a.id AND u2.reported_on = a.status_on)
WHERE c.slug = :council
ORDER BY p.position, a.position"""

#: Datasette's pages, and the project's page each stands against.
DATASETTE_PAGES: list[tuple[Page, str]] = [
    (Page("Datasette dashboard", each_council(f"/{DB_NAME}/dashboard?council="), "compare"),
     "dashboard"),
    (Page("Datasette council actions",
          each_council(f"/{DB_NAME}/council_actions?council="), "compare"), "pledge actions"),
]
#: Flask-Admin's list of a council's actions, against the clerk's action plan.
FLASK_ADMIN_PAGE = (Page("Flask-Admin actions", each_council("/admin/action/?council="),
                         "compare"), "admin action plan")


def ensure_tools() -> None:
    """Create ``bench/.tools`` from the interpreter the app runs on, and install
    :data:`TOOLS`, unless already there; made again when the app's interpreter has changed
    (``scripts/dev`` chooses it), so that Datasette and Flask-Admin run on the same one."""
    stamp = TOOLS_DIR / ".pins"
    base = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    wanted = "\n".join([*TOOLS, f"python={base}"])
    if stamp.exists() and stamp.read_text() == wanted:
        return
    print(f"installing {', '.join(TOOLS)} into bench/.tools ({base})", flush=True)
    if TOOLS_DIR.exists():
        shutil.rmtree(TOOLS_DIR)
    subprocess.run([base, "-m", "venv", str(TOOLS_DIR)], check=True)
    subprocess.run([str(TOOLS_BIN / "python"), "-m", "pip", "install", "-q", *TOOLS],
                   check=True)
    stamp.write_text(wanted)


def metadata() -> dict[str, object]:
    """Datasette's metadata: the two canned queries."""
    return {"title": "Corporate parenting demo (benchmark)", "databases": {DB_NAME: {
        "queries": {
            "dashboard": {"title": "Dashboard", "sql": DASHBOARD_SQL},
            "council_actions": {"title": "Council actions", "sql": COUNCIL_ACTIONS_SQL}}}}}


@contextmanager
def datasette(sqlite_file: Path, workdir: Path) -> Iterator[Server]:
    """Datasette serving ``sqlite_file`` read-only on loopback, with the canned queries."""
    folder = workdir / "datasette"
    folder.mkdir(exist_ok=True)
    linked = folder / f"{DB_NAME}.db"
    if not linked.exists():
        linked.symlink_to(sqlite_file)
    meta = folder / "metadata.json"
    meta.write_text(json.dumps(metadata(), indent=2))
    port = free_port()
    with serving("datasette", [
            str(TOOLS_BIN / "datasette"), "serve", "--immutable", str(linked), "-m", str(meta),
            "-h", "127.0.0.1", "-p", str(port), "--setting", "sql_time_limit_ms", "5000"],
            {"PATH": "/usr/bin:/bin"}, f"/{DB_NAME}", port,
            log=folder / "datasette.log") as server:
        yield server


def flask_admin(database_url: str, workdir: Path) -> AbstractContextManager[Server]:
    """The Flask-Admin app (:mod:`bench.flask_admin_app`) under gunicorn, 2 workers."""
    return gunicorn("flask-admin", {"BENCH_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
                    app="bench.flask_admin_app:app", ready_path="/admin/", bin_dir=TOOLS_BIN,
                    log=workdir / "flask-admin.log")
