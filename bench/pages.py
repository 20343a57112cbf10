"""The pages the benchmark loads, and the SQL that lists each page's paths.

Each page's SQL gives one path a row, ordered so that consecutive paths belong to
different councils (wrk takes them round robin, :file:`bench/rotate.lua`). Only demo
councils are used (``cpt demo``), so a page's data is the same size at every scale.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

#: The demo councils, by id (the order every page's paths rotate in).
DEMO = "c.plugin = 'demo'"


@dataclass(frozen=True)
class Page:
    """A page: its name in the results, the SQL listing its paths, and its kind:
    ``floor``, ``public`` (a council's page), ``api`` (JSON) or ``admin`` (a signed-in
    clerk's page, never cached)."""

    name: str
    sql: str
    kind: str


def each_council(before: str, after: str = "") -> str:
    """SQL for one path per demo council: ``before`` + its slug + ``after``."""
    return (f"SELECT '{before}' || c.slug || '{after}' FROM council c WHERE {DEMO} "
            "ORDER BY c.id")


def signed_in(sql: str) -> str:
    """``sql`` restricted to the councils whose clerks are signed in (``{councils}``)."""
    return sql.replace("WHERE", "WHERE c.id IN ({councils}) AND", 1)


#: A pledge of every demo council, pledge by pledge (1,530 paths at scale 1).
_PLEDGES = ("SELECT '{base}/' || c.slug || '/pledges/' || p.key FROM pledge p JOIN council c "
            f"ON c.id = p.council_id WHERE {DEMO} ORDER BY p.number, c.id")
#: Each panel of every demo council.
_PANELS = ("SELECT '{base}/' || c.slug || '/panels/' || p.key FROM panel p JOIN council c "
           f"ON c.id = p.council_id WHERE {DEMO} ORDER BY p.position, c.id")
#: The attendance page of each panel of every demo council.
_ATTENDANCE = ("SELECT '{base}/' || c.slug || '/panels/' || p.key || '/attendance' FROM panel p "
               f"JOIN council c ON c.id = p.council_id WHERE {DEMO} ORDER BY p.position, c.id")
#: The latest meeting of each panel of every demo council.
_MEETINGS = ("SELECT '{base}/' || c.slug || '/meetings/' || MAX(m.id) FROM meeting m "
             f"JOIN council c ON c.id = m.council_id WHERE {DEMO} "
             "GROUP BY c.id, c.slug, m.panel_id ORDER BY m.panel_id % 2, c.id")

#: The agenda pack (a PDF printed by WeasyPrint) of the same meetings.
_AGENDA_PACKS = _MEETINGS.replace("MAX(m.id)", "MAX(m.id) || '/agenda.pdf'")
#: The agenda pack: its target is under 2 s to the first byte, cold.
AGENDA_PACK = "agenda pack PDF"
#: The progress chart: an SVG drawn by pygal, imported on the first chart.
PROGRESS_CHART = "progress chart"
#: The heavy outputs, whose first answers (cold, then kept) are timed on their own before
#: any load (:func:`bench.run.first_bytes`).
HEAVY = (AGENDA_PACK, PROGRESS_CHART)
#: Documents made on demand: judged by their first answer (under 2 s cold, then kept), not
#: by the pages' requests-per-second targets.
DOCUMENTS = (AGENDA_PACK,)
#: Pages whose drawing each worker makes on its first request for a path and keeps in its
#: own memory (the indicator charts are kept in the database as well, so they are not
#: here): measured uncached after a warm-up as long as a cached page's, so that both
#: workers have drawn every path, and the figure is the page's steady state, not the
#: first drawings of a run (those are timed on their own, cold and kept,
#: :func:`bench.run.first_bytes`). With two seconds' warm-up, the 153 progress charts'
#: first drawings (14 ms each, in each worker) spilled into the measured seconds.
DRAWN_PER_WORKER = (PROGRESS_CHART,)
#: Each indicator of every demo council, indicator by indicator.
_INDICATORS = ("SELECT '{base}/' || c.slug || '/indicators/' || i.key || '{after}' "
               f"FROM indicator i JOIN council c ON c.id = i.council_id WHERE {DEMO} "
               "ORDER BY i.position, c.id")

#: The floor every ratio is to: the 20 KB page of a minimal Flask app on the same server
#: (:mod:`bench.bare_floor`).
FLOOR = Page("floor", "SELECT '/_benchmark/floor'", "floor")
#: The same page served by the app itself (``CPT_BENCHMARK_FLOOR``), through every hook the
#: app runs on a request: measured at the start and the end, for what those hooks cost.
APP_FLOOR = Page("app's floor route", "SELECT '/_benchmark/floor'", "floor")
#: The name of the floor measured again just before a public page (this prefix, then the
#: page's name), and for how many seconds at most: each page is compared with the floor of
#: its own minute, the host's speed moving by a fifth within a run.
FLOOR_BEFORE = "floor before "
FLOOR_SECONDS = 2.0

#: Every public page of a council, and every API list.
PUBLIC: list[Page] = [
    Page("dashboard", each_council("/", "/"), "public"),
    Page("strategy", each_council("/", "/strategy"), "public"),
    Page("pledges index", each_council("/", "/pledges"), "public"),
    Page("pledge actions", _PLEDGES.format(base=""), "public"),
    Page("panels index", each_council("/", "/panels"), "public"),
    Page("panel membership", _PANELS.format(base=""), "public"),
    Page("panel attendance", _ATTENDANCE.format(base=""), "public"),
    Page("meeting agenda", _MEETINGS.format(base=""), "public"),
    Page(AGENDA_PACK, _AGENDA_PACKS.format(base=""), "public"),
    Page("partners", each_council("/", "/partners"), "public"),
    Page("reviews", each_council("/", "/reviews"), "public"),
    Page("indicators", each_council("/", "/indicators"), "public"),
    Page("indicator trend", _INDICATORS.format(base="", after=""), "public"),
    Page("indicator chart", _INDICATORS.format(base="", after="/chart.svg"), "public"),
    Page("action plan progress", each_council("/", "/progress"), "public"),
    Page(PROGRESS_CHART, each_council("/", "/progress.svg"), "public"),
    Page("API councils", "SELECT '/api/councils'", "api"),
    Page("API actions", each_council("/api/councils/", "/actions"), "api"),
    Page("API pledges", each_council("/api/councils/", "/pledges"), "api"),
    Page("API panels", each_council("/api/councils/", "/panels"), "api"),
    Page("API partners", each_council("/api/councils/", "/partners"), "api"),
    Page("API priorities", each_council("/api/councils/", "/priorities"), "api"),
    Page("API protocols", each_council("/api/councils/", "/protocols"), "api"),
    Page("API findings", each_council("/api/councils/", "/findings"), "api"),
    Page("API review cycles", each_council("/api/councils/", "/review-cycles"), "api"),
    Page("API meetings", each_council("/api/councils/", "/meetings"), "api"),
    Page("API meeting", _MEETINGS.format(base="/api/councils"), "api"),
    Page("API actions CSV", each_council("/api/councils/", "/actions.csv"), "api"),
    Page("action plan CSV", each_council("/", "/pledges/action-plan.csv"), "public"),
]

#: The pages ``--quick`` keeps.
QUICK = {"dashboard", "pledge actions", "API actions"}

#: Admin pages of a signed-in clerk; ``{councils}`` is the list of signed-in councils' ids.
ADMIN: list[Page] = [
    Page("admin dashboard", signed_in(each_council("/admin/", "/")), "admin"),
    Page("admin action plan", signed_in(each_council("/admin/", "/pledges")), "admin"),
    Page("admin pledge", signed_in(_PLEDGES.format(base="/admin")), "admin"),
    Page("admin meeting", signed_in(_MEETINGS.format(base="/admin")), "admin"),
    Page("admin membership", signed_in(_PANELS.format(base="/admin")), "admin"),
    Page("admin indicators", signed_in(each_council("/admin/", "/indicators")), "admin"),
    Page("admin indicator", signed_in(_INDICATORS.format(base="/admin", after="")), "admin"),
]

QUICK_ADMIN = {"admin dashboard", "admin action plan"}


def paths_of(engine: Engine, page: Page, councils: list[int] | None = None) -> list[str]:
    """The page's paths; an admin page's only in ``councils`` (ids)."""
    sql = page.sql.format(councils=",".join(str(c) for c in councils or [0]))
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text(sql))]


def council_of(path: str) -> str:
    """The council's slug in a page's path (``/<slug>/…``, ``/admin/<slug>/…``,
    ``/api/councils/<slug>/…``)."""
    parts = path.strip("/").split("/")
    if parts[0] == "admin":
        return parts[1]
    if parts[0] == "api":
        return parts[2]
    return parts[0]


def sample_councils(engine: Engine, count: int) -> list[tuple[int, str]]:
    """The first ``count`` demo councils: (id, slug); the councils whose clerks sign in."""
    with engine.connect() as connection:
        return [(row[0], row[1]) for row in connection.execute(text(
            "SELECT id, slug FROM council WHERE plugin = 'demo' ORDER BY id LIMIT :n"),
            {"n": count})]
