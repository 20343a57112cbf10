"""Every API list pages, filters and comes as CSV the same way (core/api/listing.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient
from sqlalchemy import select, text, update

from core.api.listing import LINES_EXTENSION
from core.api.tables import NAMING_FIELDS, columns
from core.extensions import db
from core.headers import vary_on
from core.models import Action
from tests.core.growth import grow, schedule_first_meeting

BRACKNELL, WIGHT, HEREFORDSHIRE = "bracknell_forest", "isle_of_wight", "herefordshire"
ACTIONS = f"/api/councils/{BRACKNELL}/actions"
PANEL = "corporate-parenting-panel"


def json_of(client: FlaskClient, url: str, status: int = 200, **headers: str) -> Any:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code, response.data[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


def paging(response: Any) -> tuple[dict[str, int], dict[str, str]]:
    """The X-Pagination object and the Link header's URLs by rel."""
    links = dict((rel, url) for url, rel in re.findall(
        r'<([^>]+)>; rel="(\w+)"', response.headers.get("Link", "")))
    return json.loads(response.headers["X-Pagination"]), links


def csv_rows(response: Any) -> list[dict[str, str]]:
    """A CSV response's rows, checked as a spreadsheet would open it: UTF-8 with a BOM."""
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="')
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def flat(item: dict[str, Any]) -> dict[str, str]:
    """A JSON item as its CSV row (the rules of core/api/tables.py, written out again)."""
    row: dict[str, str] = {}
    for key, value in item.items():
        if isinstance(value, dict) and key not in ("vocabulary", "status_rule"):
            row.update({f"{key}.{k}": v for k, v in flat(value).items()})
        elif value is None:
            row[key] = ""
        elif isinstance(value, bool):
            row[key] = "true" if value else "false"
        elif isinstance(value, dict):
            row[key] = "\n".join(f"{k}: {v}" for k, v in sorted(value.items()))
        elif isinstance(value, list):
            row[key] = "\n".join(
                str(next(v[n] for n in NAMING_FIELDS if v.get(n) is not None))
                if isinstance(v, dict) else str(v) for v in value)
        else:
            row[key] = str(value)
    return row


def nulls_folded(row: dict[str, str]) -> dict[str, str]:
    """A CSV row with the empty columns of a null object (``cycle.text``, ...) folded back
    into one empty cell (``cycle``), as :func:`flat` gives a null."""
    folded: dict[str, str] = {}
    for column, value in row.items():
        parent = column.split(".")[0]
        if "." in column and all(v == "" for c, v in row.items() if c.startswith(f"{parent}.")):
            folded[parent] = ""
        else:
            folded[column] = value
    return folded


# --- paging --------------------------------------------------------------------------------


def test_a_list_pages_with_totals_and_links(client: FlaskClient) -> None:
    everything = json_of(client, ACTIONS)
    assert len(everything) == 45
    response = client.get(f"{ACTIONS}?per_page=10&page=2")
    assert [a["key"] for a in response.get_json()] == [a["key"] for a in everything[10:20]]
    meta, links = paging(response)
    assert meta == {"total": 45, "total_pages": 5, "first_page": 1, "last_page": 5, "page": 2,
                    "previous_page": 1, "next_page": 3}
    assert links == {rel: f"http://localhost{ACTIONS}?per_page=10&page={n}"
                     for rel, n in (("first", 1), ("prev", 1), ("next", 3), ("last", 5))}
    last = client.get(links["last"])
    assert [a["key"] for a in last.get_json()] == [a["key"] for a in everything[40:]]
    assert set(paging(last)[1]) == {"first", "prev", "last"}
    beyond = client.get(f"{ACTIONS}?per_page=10&page=9")
    assert beyond.get_json() == [] and paging(beyond)[0]["total"] == 45


def test_a_pages_links_are_the_requests_own_url(make_app: Any) -> None:
    """The links' base (kept by what makes it) follows the request's scheme, host, mount
    point and path, each on its own (rendered afresh: the page cache keeps one answer for
    a path, whatever the host asked)."""
    client = make_app(config={"PAGE_CACHE_STORE": "off"}).test_client()
    asked = [("http://localhost/", ACTIONS), ("https://localhost/", ACTIONS),
             ("http://other.example:8080/", ACTIONS), ("http://localhost/mounted/", ACTIONS),
             ("http://localhost/", ACTIONS.replace("/actions", "/pledges")),
             ("http://localhost/", ACTIONS)]
    for base_url, path in asked:
        response = client.get(f"{path}?per_page=1&page=2", base_url=base_url)
        assert response.status_code == 200, (base_url, path)
        assert paging(response)[1].get("first") == (
            f"{base_url.rstrip('/')}{path}?per_page=1&page=1"), (base_url, path)


def test_every_list_is_paged(app: Flask, client: FlaskClient) -> None:
    for url in list_urls(app):
        response = client.get(f"{url}?per_page=1")
        assert response.status_code == 200, url
        assert len(response.get_json()) <= 1, url
        meta, _ = paging(response)
        assert meta["total"] >= len(response.get_json()), url


def test_every_page_gives_the_whole_lists_total(app: Flask, client: FlaskClient,
                                                count_queries: Any) -> None:
    """Each row of a page carries the list's total (a count in a subquery): the same total from
    every page, first, middle, last, past the end, of an empty list; one statement for the
    list whatever the page, and a count only past the end."""
    grow(app, HEREFORDSHIRE, 1)
    for url in list_urls(app):
        total = len(json_of(client, f"{url}?per_page=500"))
        for per_page in sorted({1, 2, max(total - 1, 1), max(total, 1), total + 1}):
            pages = max(1, -(-total // per_page))
            for number in sorted({1, 2, pages, pages + 1}):
                response = client.get(f"{url}?per_page={per_page}&page={number}")
                assert response.status_code == 200, (url, per_page, number, response.data)
                assert paging(response)[0]["total"] == total, (url, per_page, number)
                assert len(response.get_json()) == max(0, min(
                    per_page, total - (number - 1) * per_page)), (url, per_page, number)
    with count_queries() as first:
        client.get(f"{ACTIONS}?per_page=10")
    with count_queries() as middle:
        client.get(f"{ACTIONS}?per_page=10&page=3")
    with count_queries() as beyond:
        client.get(f"{ACTIONS}?per_page=10&page=9")
    assert len(first) == len(middle) == len(beyond) - 1
    def counts(statements: list[str]) -> int:
        return sum(s.lstrip().upper().startswith("SELECT COUNT(*)") for s in statements)

    # the page's total is counted inside its statement, never by one of its own but past the end
    assert counts([*first.statements, *middle.statements]) == 0
    assert counts(beyond.statements) == 1
    assert all("OVER ()" not in s.upper() for s in [*first.statements, *middle.statements])


def test_paging_limits_are_refused_by_name(client: FlaskClient) -> None:
    for query, name in (("per_page=501", "per_page"), ("per_page=0", "per_page"),
                        ("page=0", "page"), ("page=100001", "page"), ("page=x", "page")):
        body = json_of(client, f"{ACTIONS}?{query}", status=422)
        assert list(body["errors"]["query"]) == [name], query


def test_the_list_of_councils_is_paged(client: FlaskClient) -> None:
    response = client.get("/api/councils?per_page=2&page=2")
    assert [c["slug"] for c in response.get_json()] == [WIGHT, "staffordshire"]
    assert paging(response)[0]["total"] == 4


def test_the_number_of_councils_is_remembered_until_a_council_changes(
        app: Flask, client: FlaskClient, make_app: Any) -> None:
    """Counted once and remembered as revisions are (for a minute here, so that only what
    the database tells forgets it); archiving a council in another app (which changes the
    directory's revision) shows at once on SQLite (the file's version) and once its notice
    arrives on PostgreSQL."""
    import time

    from core.models import Council
    from core.revisions import touch_directory

    app.config["REVISION_NOTICE_MAX_AGE"] = 60
    for _ in range(3):
        assert paging(client.get("/api/councils?per_page=2"))[0]["total"] == 4
    other = make_app(sync=False)
    # by a Core connection, as a writer of council rows outside the ORM does: an ORM
    # commit in this process would forget everything remembered here anyway
    with other.app_context(), db.engine.begin() as connection:
        connection.execute(update(Council).where(Council.slug == WIGHT)
                           .values(archived_at=dt.datetime.now(dt.UTC)))
        touch_directory(connection)
    deadline = time.monotonic() + 10
    while paging(client.get("/api/councils?per_page=2"))[0]["total"] != 3:
        assert time.monotonic() < deadline, "the archived council was still counted"
        time.sleep(0.05)
    assert WIGHT not in [c["slug"] for c in json_of(client, "/api/councils")]


# --- filters -------------------------------------------------------------------------------


def set_status(app: Flask, key: str, status: str) -> None:
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.key == key))
        action.status = status
        db.session.commit()


def keys(client: FlaskClient, query: str) -> list[str]:
    return [a["key"] for a in json_of(client, f"{ACTIONS}?{query}")]


def test_actions_filter_by_status_pledge_owner_and_due(app: Flask, client: FlaskClient
                                                       ) -> None:
    set_status(app, "action-3.2", "at_risk")
    set_status(app, "action-5.1", "at_risk")
    assert keys(client, "status=at_risk") == ["action-3.2", "action-5.1"]
    assert keys(client, "status=at_risk&pledge=pledge-5") == ["action-5.1"]
    everything = json_of(client, ACTIONS)
    assert keys(client, "pledge=pledge-2") == [a["key"] for a in everything
                                               if a["pledge"] == "pledge-2"]
    virtual = [a["key"] for a in everything if "virtual school" in (a["officer"] or "").lower()]
    assert virtual and keys(client, "owner=VIRTUAL%20School") == virtual
    assert keys(client, "owner=%25") == []  # a per cent sign is taken literally
    before = [a["key"] for a in everything if a["due"] and a["due"] < "2025-10-01"]
    after = [a["key"] for a in everything if a["due"] and a["due"] > "2026-03-31"]
    assert before and after
    assert keys(client, "due_before=2025-10-01") == before
    assert keys(client, "due_after=2026-03-31") == after
    assert keys(client, "due_after=2026-03-31&due_before=2025-10-01") == []
    assert keys(client, "pledge=no-such-pledge") == []


@pytest.mark.parametrize(("query", "name"), [
    ("status=late", "status"), ("due_before=tomorrow", "due_before"),
    ("due_after=2025-13-01", "due_after"), ("owner=", "owner"), (f"owner={'x' * 201}", "owner"),
])
def test_a_bad_filter_is_a_422_naming_it(client: FlaskClient, query: str, name: str) -> None:
    body = json_of(client, f"{ACTIONS}?{query}", status=422)
    assert body["code"] == 422
    assert list(body["errors"]["query"]) == [name]
    csv_body = client.get(f"{ACTIONS}.csv?{query}")
    assert csv_body.status_code == 422 and csv_body.mimetype == "application/json"


def test_meetings_filter_by_panel_status_and_day(app: Flask, client: FlaskClient) -> None:
    grow(app, HEREFORDSHIRE, 2)
    first = schedule_first_meeting(app, HEREFORDSHIRE)
    url = f"/api/councils/{HEREFORDSHIRE}/meetings"
    meetings = json_of(client, url)
    assert len(meetings) == 2 + 2 + 1  # a grown panel's, two earlier, and the first
    assert [m["starts_at"] for m in meetings] == sorted(m["starts_at"] for m in meetings)
    assert [m["id"] for m in json_of(client, f"{url}?panel={PANEL}")] == [
        m["id"] for m in meetings if m["panel"] == PANEL]
    scheduled = json_of(client, f"{url}?status=scheduled")
    assert {m["status"] for m in scheduled} == {"scheduled"}
    assert json_of(client, f"{url}?status=cancelled") == []
    assert [m["id"] for m in json_of(client, f"{url}?after=2090-01-09")] == [first]
    assert first not in [m["id"] for m in json_of(client, f"{url}?before=2090-01-10")]
    assert json_of(client, f"{url}?status=soon", status=422)["errors"]["query"].keys() == {
        "status"}


def test_a_meeting_counts_as_held_from_the_day_after_it_as_kept_answers_do(
        app: Flask, client: FlaskClient) -> None:
    """Status and the status filter decide by the day (the page cache's key), not the time:
    a meeting that started earlier today is still ``scheduled``, one of yesterday ``held``."""
    from core.dates import today
    from core.meetings.services import LONDON, schedule_meeting
    from core.models import Council, Panel

    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == HEREFORDSHIRE))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id))
        midnight = dt.datetime.combine(today(), dt.time(), tzinfo=LONDON)
        earlier_today = schedule_meeting(council, panel, starts_at=midnight
                                         + dt.timedelta(minutes=1), location="Room 1").id
        yesterday = schedule_meeting(council, panel, starts_at=midnight
                                     - dt.timedelta(minutes=1), location="Room 2").id
        db.session.commit()
    url = f"/api/councils/{HEREFORDSHIRE}/meetings"
    status = {m["id"]: m["status"] for m in json_of(client, url)}
    assert (status[earlier_today], status[yesterday]) == ("scheduled", "held")
    assert yesterday in [m["id"] for m in json_of(client, f"{url}?status=held")]
    scheduled = [m["id"] for m in json_of(client, f"{url}?status=scheduled")]
    assert earlier_today in scheduled and yesterday not in scheduled
    detail = json_of(client, f"{url}/{earlier_today}")
    assert detail["status"] == "scheduled"


def test_review_cycles_filter_by_state(client: FlaskClient) -> None:
    url = f"/api/councils/{WIGHT}/review-cycles"
    assert [c["key"] for c in json_of(client, f"{url}?state=overdue")] == ["protocol-review"]
    assert "protocol-review" not in [c["key"] for c in json_of(client,
                                                              f"{url}?state=not_scheduled")]


# --- CSV -----------------------------------------------------------------------------------


def list_urls(app: Flask) -> list[str]:
    """Every list of the API, as a URL with example values."""
    values = {"council": WIGHT, "key": "protocol-review"}
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule.endswith(".csv"):
            url = rule.rule.removesuffix(".csv")
            if "/panels/<key>" in url:
                url = url.replace("<council>", HEREFORDSHIRE).replace("<key>", PANEL)
            urls.append(re.sub(r"<(\w+)>", lambda m: values[m.group(1)], url))
    return sorted(urls)


def test_every_list_comes_as_csv_with_the_same_rows_as_the_json(app: Flask,
                                                                client: FlaskClient) -> None:
    grow(app, HEREFORDSHIRE, 1)
    urls = list_urls(app)
    assert len(urls) >= 12
    for url in urls:
        items = json_of(client, url)
        by_suffix = csv_rows(client.get(f"{url}.csv"))
        by_accept = csv_rows(client.get(url, headers={"Accept": "text/csv"}))
        assert by_suffix == by_accept, url
        assert [nulls_folded(row) for row in by_suffix] == [flat(item) for item in items], url


def test_csv_columns_follow_the_schema_even_for_an_empty_list(client: FlaskClient) -> None:
    from core.pledges.schemas import ActionSchema

    response = client.get(f"{ACTIONS}.csv?status=complete")
    assert response.get_data().decode("utf-8-sig").splitlines() == [",".join(
        columns(ActionSchema()))]


def test_csv_quotes_commas_quotes_and_lines(client: FlaskClient) -> None:
    actions = json_of(client, ACTIONS)
    index, action = next((i, a) for i, a in enumerate(actions) if len(a["outcomes"]) > 1)
    body = client.get(f"{ACTIONS}.csv").get_data().decode("utf-8-sig")
    assert '"' + "\n".join(action["outcomes"]) + '"' in body  # one quoted cell
    assert csv_rows(client.get(f"{ACTIONS}.csv"))[index]["outcomes"] == "\n".join(
        action["outcomes"])


def test_csv_gives_every_row_unless_paging_is_asked(app: Flask, client: FlaskClient) -> None:
    grow(app, BRACKNELL, 8)  # 45 + 8 * 9 actions: more than a page of JSON
    everything = client.get(ACTIONS)
    total = paging(everything)[0]["total"]
    assert total == 117 and len(everything.get_json()) == 100
    whole = client.get(f"{ACTIONS}.csv")
    assert len(csv_rows(whole)) == total
    assert "Link" not in whole.headers
    assert whole.headers["Content-Disposition"] == (
        f'attachment; filename="{BRACKNELL}-actions.csv"')
    page = client.get(f"{ACTIONS}.csv?page=2&per_page=50")
    assert [r["key"] for r in csv_rows(page)] == [
        a["key"] for a in json_of(client, f"{ACTIONS}?page=2&per_page=50")]
    assert page.headers["Content-Disposition"].endswith('-actions-page-2.csv"')
    assert paging(page)[0]["page"] == 2


def test_json_and_csv_of_one_url_are_kept_apart_by_the_page_cache(client: FlaskClient
                                                                  ) -> None:
    for _ in range(2):  # the second time, both come from the page cache
        as_json = client.get(ACTIONS)
        as_csv = client.get(ACTIONS, headers={"Accept": "text/csv"})
        assert as_json.mimetype == "application/json" and as_csv.mimetype == "text/csv"
        assert "Accept" in as_json.headers["Vary"] and "Accept" in as_csv.headers["Vary"]
        assert as_csv.headers["Content-Disposition"].endswith('-actions.csv"')
        assert as_json.headers["X-Pagination"] and as_json.headers["Link"]
    browser = client.get(ACTIONS, headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.mimetype == "application/json"


@pytest.mark.parametrize(("accept", "mimetype"), [
    (None, "application/json"), ("", "application/json"), ("*/*", "application/json"),
    (" */* ", "application/json"), ("text/csv", "text/csv"),
    ("*/*;q=0.1, text/csv", "text/csv"), ("text/csv;q=0.5, application/json",
                                          "application/json"),
    ("*/*, text/csv;q=0.1", "application/json"), ("text/*", "text/csv")])
def test_a_list_answers_in_the_format_accept_prefers(make_app: Any, accept: str | None,
                                                    mimetype: str) -> None:
    """JSON unless ``Accept`` prefers CSV; an ``Accept`` of anything (none, empty, ``*/*``)
    gives the first format without being parsed, as a parsed one would."""
    client = make_app(config={"PAGE_CACHE_STORE": "off"}).test_client()
    headers = {} if accept is None else {"Accept": accept}
    assert client.get(ACTIONS, headers=headers).mimetype == mimetype



def test_a_page_of_pledges_holds_whole_pledges_with_their_live_actions(
        app: Flask, client: FlaskClient) -> None:
    """The pledges' actions are joined to a page of pledges (core/api/reads.py): a page
    smaller than the list holds that many pledges, each with every live action and no
    archived one."""
    url = f"/api/councils/{BRACKNELL}/pledges"
    everything = json_of(client, url)
    with app.app_context():
        archived = db.session.scalar(select(Action).where(Action.key == "action-1.2"))
        archived.archived_at = dt.datetime.now(dt.UTC)
        db.session.commit()
    whole = json_of(client, url)
    pages = [json_of(client, f"{url}?per_page=2&page={n}") for n in (1, 2)]
    assert [len(page) for page in pages] == [2, 2]
    assert [pledge["key"] for page in pages for pledge in page] == [
        pledge["key"] for pledge in whole[:4]]
    assert [page_pledge for page in pages for page_pledge in page] == whole[:4]
    before = {pledge["key"]: [a["key"] for a in pledge["actions"]] for pledge in everything}
    after = {pledge["key"]: [a["key"] for a in pledge["actions"]] for pledge in whole}
    assert "action-1.2" in before["pledge-1"] and after["pledge-1"] == [
        key for key in before["pledge-1"] if key != "action-1.2"]
    assert len(pages[0][0]["actions"]) == len(after["pledge-1"]) > 1

# --- CORS ----------------------------------------------------------------------------------


def test_the_api_is_open_to_every_origin(client: FlaskClient) -> None:
    for url in (ACTIONS, f"{ACTIONS}.csv", "/api/openapi.json", "/api/councils/nowhere"):
        response = client.get(url, headers={"Origin": "https://example.org"})
        assert response.headers["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in response.headers
        assert "X-Pagination" in response.headers["Access-Control-Expose-Headers"]
        # what only a preflight needs is not repeated on every answer
        assert "Access-Control-Allow-Methods" not in response.headers, url
    preflight = client.options(ACTIONS, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert preflight.headers["Access-Control-Allow-Headers"] == (
        "Accept, Accept-Language, If-None-Match")
    assert preflight.headers["Access-Control-Max-Age"] == "86400"


@pytest.mark.parametrize("url", [f"/{BRACKNELL}/pledges", "/login", "/admin/",
                                 f"/admin/{BRACKNELL}/pledges"])
def test_pages_and_the_admin_are_not_opened_to_other_origins(client: FlaskClient, url: str
                                                             ) -> None:
    response = client.get(url, headers={"Origin": "https://example.org"})
    assert not any(name.startswith("Access-Control-") for name, _ in response.headers), url


@pytest.mark.parametrize(("before", "after"), [
    (None, "Accept"),
    ("Accept-Encoding, Cookie", "Accept-Encoding, Cookie, Accept"),
    ("Accept-Encoding, Cookie, Accept", "Accept-Encoding, Cookie, Accept"),
    ("accept", "accept"),
])
def test_an_answer_varies_on_accept_once(before: str | None, after: str) -> None:
    response = Response("{}", headers={"Vary": before} if before else {})
    vary_on(response, "Accept")
    assert response.headers["Vary"] == after


def test_the_actions_csv_lines_are_kept_by_their_rows(make_app: Any) -> None:
    """The actions' CSV with its lines kept (asked twice) is the file written afresh (no
    memo), and a changed action's line is written again, its links stored as JSON null
    written as an empty cell as the JSON's null is: the page cache off, so each request
    reads the rows (core/api/listing.py, ``Paged.lines``)."""
    kept = make_app(config={"PAGE_CACHE_STORE": "off"})
    fresh = make_app(config={"PAGE_CACHE_STORE": "off", "CARD_MARKUP_ENTRIES": 0})
    url = f"{ACTIONS}.csv"
    first, again = (kept.test_client().get(url).get_data() for _ in range(2))
    assert first == again == fresh.test_client().get(url).get_data()
    assert len(kept.extensions[LINES_EXTENSION].entries) == len(csv_rows_of(first))
    assert not fresh.extensions[LINES_EXTENSION].entries
    with kept.app_context():
        action = db.session.scalar(select(Action).where(Action.key == "action-1.6"))
        action.officer, action.outcomes = 'New "officer", with a comma', ["One", "Two"]
        db.session.commit()
        db.session.execute(text("UPDATE action SET links = 'null', outcomes = 'null' "
                                "WHERE key = 'action-10.5'"))
        db.session.commit()
    client = kept.test_client()
    rows = csv_rows(client.get(url))
    changed = {row["key"]: row for row in rows}
    assert changed["action-1.6"]["officer"] == 'New "officer", with a comma'
    assert changed["action-1.6"]["outcomes"] == "One\nTwo"
    assert changed["action-10.5"]["links"] == changed["action-10.5"]["outcomes"] == ""
    assert [nulls_folded(row) for row in rows] == [flat(item) for item in json_of(client,
                                                                                  ACTIONS)]
    assert [row for row in rows if row["key"] not in ("action-1.6", "action-10.5")] == [
        row for row in csv_rows(fresh.test_client().get(url))
        if row["key"] not in ("action-1.6", "action-10.5")]


def test_a_kept_line_serves_a_filtered_list_and_outlives_a_new_item(make_app: Any) -> None:
    """A line is kept by its row, not by the list's total: asked for with a filter after
    the whole list, every line is found kept; after actions are added, only theirs are
    written."""
    kept = make_app(config={"PAGE_CACHE_STORE": "off"})
    client = kept.test_client()
    whole = csv_rows(client.get(f"{ACTIONS}.csv"))
    memo = kept.extensions[LINES_EXTENSION]
    misses = memo.misses
    assert misses == len(whole)
    first_pledge = csv_rows(client.get(f"{ACTIONS}.csv?pledge=pledge-1&per_page=3"))
    assert len(first_pledge) == 3 and memo.misses == misses
    grow(kept, BRACKNELL, 1)
    grown = csv_rows(client.get(f"{ACTIONS}.csv"))
    assert len(grown) > len(whole)
    assert memo.misses == misses + len(grown) - len(whole)
    assert [nulls_folded(row) for row in grown] == [
        flat(item) for item in json_of(client, ACTIONS)]


def csv_rows_of(body: bytes) -> list[list[str]]:
    """The rows of a CSV file's body, its header left out."""
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))[1:]
