"""Error pages, navigation, and a fixed number of SQL statements per page and API endpoint."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.models import Council, Membership, Person, Seat
from tests.core.growth import grow, main, page, schedule_first_meeting

BRACKNELL, HEREFORDSHIRE, WIGHT, STAFFORDSHIRE = (
    "bracknell_forest", "herefordshire", "isle_of_wight", "staffordshire")
BOARD = "corporate-parenting-board"
PANEL = "corporate-parenting-panel"  # Herefordshire's

# --- error pages ---------------------------------------------------------------------------


def test_unknown_council_or_key_is_a_404_page(client: FlaskClient) -> None:
    for url in ("/nowhere/", "/nowhere/strategy", "/nowhere/pledges", "/nowhere/pledges/pledge-1",
                "/nowhere/panels", "/nowhere/panels/x", "/nowhere/reviews", "/nowhere/partners",
                "/nowhere/checks", f"/{BRACKNELL}/pledges/pledge-99",
                f"/{HEREFORDSHIRE}/panels/no-such-panel"):
        text = main(page(client, url, status=404))
        assert "Page not found. Check the address, or go to the list of councils." in text, url
        assert '<a class="govuk-link" href="/">All councils</a>' in text, url


def test_404_page_for_an_unknown_council_has_no_council_navigation(client: FlaskClient
                                                                   ) -> None:
    text = page(client, "/nowhere/pledges", status=404)
    assert "govuk-service-navigation__list" not in text
    assert "<title>Not Found – Corporate parenting</title>" in text


def test_404_page_under_a_known_council_keeps_the_council_header(client: FlaskClient
                                                                 ) -> None:
    text = page(client, f"/{BRACKNELL}/pledges/pledge-99", status=404)
    assert "<title>Not Found – Bracknell Forest Council</title>" in text
    assert 'aria-label="Pages about Bracknell Forest Council"' in text


def test_api_404_is_json(client: FlaskClient) -> None:
    for url in ("/api/councils/nowhere", "/api/councils/nowhere/pledges",
                f"/api/councils/{BRACKNELL}/pledges/pledge-99",
                f"/api/councils/{WIGHT}/panels/no-such-panel", "/api/no-such-thing"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.mimetype == "application/json", url
        assert response.get_json() == {"code": 404, "status": "Not Found"}, url


def test_pledge_key_of_one_council_is_a_404_under_another(client: FlaskClient) -> None:
    assert client.get(f"/{BRACKNELL}/pledges/pledge-1").status_code == 200
    for slug in (HEREFORDSHIRE, WIGHT, STAFFORDSHIRE):
        assert client.get(f"/{slug}/pledges/pledge-1").status_code == 404
        assert client.get(f"/api/councils/{slug}/pledges/pledge-1").status_code == 404


def test_panel_key_of_one_council_is_a_404_under_another(client: FlaskClient) -> None:
    assert client.get(f"/{WIGHT}/panels/{BOARD}").status_code == 200
    assert client.get(f"/{HEREFORDSHIRE}/panels/{BOARD}").status_code == 404
    assert client.get(f"/api/councils/{HEREFORDSHIRE}/panels/{BOARD}").status_code == 404


# --- navigation ----------------------------------------------------------------------------

NAV_ITEM = re.compile(
    r'<li class="govuk-service-navigation__item( govuk-service-navigation__item--active)?">'
    r'\s*<a class="govuk-service-navigation__link" href="([^"]+)"( aria-current="true")?>'
    r"(.*?)</a>", re.S)


def navigation(text: str) -> list[tuple[str, str, bool]]:
    """(href, label, current) of each item of the council navigation."""
    items = []
    for active, href, current, label in NAV_ITEM.findall(text):
        assert bool(active) == bool(current), href
        items.append((href, " ".join(re.sub(r"<[^>]+>", " ", label).split()), bool(current)))
    return items


@pytest.mark.parametrize(("slug", "pledges", "panels"), [
    (BRACKNELL, "Pledges", "Panels"), (WIGHT, "Pledges", "Boards"),
    (STAFFORDSHIRE, "Promises", "Panels"), (HEREFORDSHIRE, "Pledges", "Panels"),
])
def test_navigation_lists_the_council_pages_in_its_own_words(
        client: FlaskClient, slug: str, pledges: str, panels: str) -> None:
    text = page(client, f"/{slug}/strategy")
    assert [(href, label) for href, label, _ in navigation(text)] == [
        (f"/{slug}/", "Overview"), (f"/{slug}/strategy", "Strategy"),
        (f"/{slug}/pledges", pledges), (f"/{slug}/panels", panels),
        (f"/{slug}/reviews", "Reviews"), (f"/{slug}/partners", "Partners"),
        (f"/{slug}/checks", "Checks")]


def test_navigation_marks_the_current_section_only(client: FlaskClient) -> None:
    for url, current in [
        (f"/{BRACKNELL}/", "Overview"),
        (f"/{BRACKNELL}/checks", "Checks"),
        (f"/{BRACKNELL}/strategy", "Strategy"),
        (f"/{BRACKNELL}/pledges", "Pledges"),
        (f"/{BRACKNELL}/pledges/pledge-3", "Pledges"),
        (f"/{WIGHT}/panels", "Boards"),
        (f"/{WIGHT}/panels/{BOARD}", "Boards"),
        (f"/{WIGHT}/reviews", "Reviews"),
        (f"/{WIGHT}/partners", "Partners"),
    ]:
        marked = [label for _, label, is_current in navigation(page(client, url)) if is_current]
        assert marked == [current], url


def test_home_page_has_no_council_navigation(client: FlaskClient) -> None:
    text = page(client, "/")
    assert navigation(text) == []
    assert "<title>Councils – Corporate parenting</title>" in text


def test_page_title_names_the_page_and_the_council(client: FlaskClient) -> None:
    for url, title in [
        (f"/{BRACKNELL}/", "Overview – Bracknell Forest Council"),
        (f"/{STAFFORDSHIRE}/pledges", "Promises – Staffordshire County Council"),
        (f"/{BRACKNELL}/pledges/pledge-2", "Pledge 2 – Bracknell Forest Council"),
        (f"/{WIGHT}/panels/{BOARD}", "Isle of Wight Corporate Parenting Board – Isle of Wight "
         "Council"),
        (f"/{HEREFORDSHIRE}/checks", "Checks – Herefordshire Council"),
        (f"/{WIGHT}/strategy", "Strategy – Isle of Wight Council"),
    ]:
        text = page(client, url)
        assert f"<title>{title}</title>" in text, url
        assert '<html lang="en-GB"' in text, url


def test_footer_links_to_the_openapi_document(client: FlaskClient) -> None:
    text = page(client, f"/{WIGHT}/")
    assert 'href="/api/openapi.json"' in text
    assert "Content published by Isle of Wight Council." in text


# --- a fixed number of SQL statements, whatever the amount of data -------------------------

#: Every page and API endpoint, with the council whose data grows for it. Isle of Wight has
#: the panel, review cycles, partner and protocol; Bracknell Forest the pledges and actions.
URLS: list[tuple[str, str]] = [
    (BRACKNELL, "/"),
    (BRACKNELL, f"/{BRACKNELL}/"),
    (WIGHT, f"/{WIGHT}/checks"),
    (WIGHT, f"/{WIGHT}/colour.css"),
    (BRACKNELL, f"/{BRACKNELL}/checks"),
    (WIGHT, f"/{WIGHT}/strategy"),
    (BRACKNELL, f"/{BRACKNELL}/pledges"),
    (BRACKNELL, f"/{BRACKNELL}/pledges/pledge-1"),
    (WIGHT, f"/{WIGHT}/panels"),
    (WIGHT, f"/{WIGHT}/panels/{BOARD}"),
    (WIGHT, f"/{WIGHT}/reviews"),
    (WIGHT, f"/{WIGHT}/partners"),
    (BRACKNELL, "/api/councils"),
    (BRACKNELL, f"/api/councils/{BRACKNELL}"),
    (WIGHT, f"/api/councils/{WIGHT}/strategy"),
    (WIGHT, f"/api/councils/{WIGHT}/priorities"),
    (BRACKNELL, f"/api/councils/{BRACKNELL}/pledges"),
    (BRACKNELL, f"/api/councils/{BRACKNELL}/pledges/pledge-1"),
    (BRACKNELL, f"/api/councils/{BRACKNELL}/actions"),
    (WIGHT, f"/api/councils/{WIGHT}/panels"),
    (WIGHT, f"/api/councils/{WIGHT}/panels/{BOARD}"),
    (WIGHT, f"/api/councils/{WIGHT}/review-cycles"),
    (WIGHT, f"/api/councils/{WIGHT}/partners"),
    (WIGHT, f"/api/councils/{WIGHT}/protocols"),
    (BRACKNELL, f"/api/councils/{BRACKNELL}/findings"),
    (BRACKNELL, "/login"),
    (HEREFORDSHIRE, f"/{HEREFORDSHIRE}/panels/{PANEL}/meetings.ics"),
    (HEREFORDSHIRE, f"/{HEREFORDSHIRE}/meetings/1.ics"),
    (HEREFORDSHIRE, f"/{HEREFORDSHIRE}/meetings/1"),
]

#: Admin pages, counted for a signed-in site administrator (same growth as URLS).
ADMIN_URLS: list[tuple[str, str]] = [
    (BRACKNELL, "/admin/"),
    (BRACKNELL, "/admin/plugins"),
    (BRACKNELL, "/account/two-step"),
    (WIGHT, f"/admin/{WIGHT}/"),
    (WIGHT, f"/admin/{WIGHT}/reviews"),
    (WIGHT, f"/admin/{WIGHT}/reviews/protocol-review"),
    (BRACKNELL, f"/admin/{BRACKNELL}/pledges"),
    (BRACKNELL, f"/admin/{BRACKNELL}/pledges/pledge-1"),
    (BRACKNELL, f"/admin/{BRACKNELL}/actions/action-1.1"),
    (BRACKNELL, f"/admin/{BRACKNELL}/pledges/new"),
    (BRACKNELL, f"/admin/{BRACKNELL}/pledges/local-1/edit"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/{PANEL}"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/appoint"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/seats/seat-cabinet-member"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/memberships/1/end"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/people/1"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/people/1/erase"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/panels/{PANEL}"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/history"),
]

#: Routes with no query-count test: static files and the OpenAPI document (no database),
#: and the forms' POST endpoints, which write rather than show a page.
NOT_COUNTED = {"static", "api-docs.openapi_json", "auth.logout",
               # the second step of signing in: only with a sign-in waiting for it
               "auth.second_factor", "review_admin.record",
               "pledge_admin.post_progress", "pledge_admin.add_action_owner",
               "pledge_admin.remove_action_owner", "pledge_admin.create_pledge",
               "pledge_admin.update_pledge", "membership_admin.appoint_person",
               "membership_admin.end", "membership_admin.erase",
               "meeting_admin.schedule_from_cycle",
               "meeting_admin.confirm_cycle",
               "meeting_admin.schedule", "meeting_admin.update", "meeting_admin.add_agenda_item",
               "meeting_admin.change_agenda_item", "meeting_admin.attendance",
               "meeting_admin.minutes", "meeting_admin.add_action", "meeting_admin.action_status"}

#: Pages whose body does not change as one council's data grows.
SAME_BODY = {"/", f"/{WIGHT}/colour.css",
             "/api/councils", f"/api/councils/{BRACKNELL}", f"/api/councils/{WIGHT}/strategy",
             "/login", "/admin/", "/admin/plugins", "/account/two-step",
             f"/admin/{WIGHT}/reviews/protocol-review",
             # one action's updates, and the forms, do not grow with grow()
             f"/admin/{BRACKNELL}/actions/action-1.1", f"/admin/{BRACKNELL}/pledges/new",
             f"/admin/{BRACKNELL}/pledges/local-1/edit",
             # one seat's, membership's or person's history: grow() adds no memberships
             # (tests/core/panels/test_admin_views.py grows those)
             f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/seats/seat-cabinet-member",
             f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/memberships/1/end",
             f"/admin/{HEREFORDSHIRE}/panels/people/1",
             f"/admin/{HEREFORDSHIRE}/panels/people/1/erase",
             # one meeting's calendar file: when and where, whatever else grows
             f"/{HEREFORDSHIRE}/meetings/1.ics"}

#: Loads skipped while there is nothing to load. Bracknell Forest defines no panel, so its
#: overview loads seats and standing items (one statement each) only once a panel exists;
#: latest progress updates are read (one statement) only once an action has one.
LOADED_ONCE_ROWS_EXIST = {f"/{BRACKNELL}/": 3, f"/{BRACKNELL}/pledges/pledge-1": 1,
                          f"/admin/{BRACKNELL}/pledges": 1,
                          f"/admin/{BRACKNELL}/pledges/pledge-1": 1}


def test_every_route_has_a_query_count_test(app: Flask) -> None:
    adapter = app.url_map.bind("localhost")
    covered = {adapter.match(url)[0] for _, url in URLS + ADMIN_URLS}
    routes = {rule.endpoint for rule in app.url_map.iter_rules()} - NOT_COUNTED
    assert routes - covered == set(), "add a URL for each new route to URLS"


def assert_flat(app: Flask, client: FlaskClient, count_queries: Callable[[], Any], slug: str,
                url: str) -> None:
    """The page's SQL statement count is the same at base, +5 and +25 units of data."""
    counts, sizes = [], []
    for factor in (0, 5, 20):
        if factor:
            grow(app, slug, factor)
        with count_queries() as counted:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(counted))
        sizes.append(len(response.get_data()))
    base, grown_5, grown_25 = counts
    assert grown_5 == grown_25, f"{url}: {counts}"
    assert grown_5 == base + LOADED_ONCE_ROWS_EXIST.get(url, 0), f"{url}: {counts}"
    if url in SAME_BODY:
        assert sizes[0] == sizes[1] == sizes[2]
    else:
        assert sizes[0] < sizes[1] < sizes[2], f"{url}: the data grown does not show"


@pytest.mark.parametrize(("slug", "url"), URLS, ids=[url for _, url in URLS])
def test_query_count_does_not_grow_with_data(
        app: Flask, client: FlaskClient, count_queries: Callable[[], Any], slug: str,
        url: str) -> None:
    if "/meetings/1" in url:
        schedule_first_meeting(app, slug)
    assert_flat(app, client, count_queries, slug, url)


def appoint_one(app: Flask, slug: str) -> None:
    """Membership 1: person 1 in the chair's seat of Herefordshire's panel."""
    with app.app_context():
        seat = db.session.scalar(select(Seat).join(Council, Seat.council_id == Council.id)
                                 .where(Council.slug == slug, Seat.key == "seat-cabinet-member"))
        membership = Membership(council_id=seat.council_id, seat=seat, start=dt.date(2025, 5, 1),
                                person=Person(council_id=seat.council_id, name="Cllr A"))
        db.session.add(membership)
        db.session.commit()
        assert (membership.id, membership.person_id) == (1, 1), slug


@pytest.mark.parametrize(("slug", "url"), ADMIN_URLS, ids=[url for _, url in ADMIN_URLS])
def test_admin_query_count_does_not_grow_with_data(
        app: Flask, admin_client: FlaskClient, count_queries: Callable[[], Any], slug: str,
        url: str) -> None:
    if "/local-1/" in url:
        from core.pledges.progress import record_local_pledge

        with app.app_context():
            council = db.session.scalar(select(Council).where(Council.slug == slug))
            record_local_pledge(council, number=99, title="Recorded locally", statement=None)
    if "/memberships/1/" in url or "/people/1" in url:
        appoint_one(app, slug)
    if "/meetings/1" in url:
        schedule_first_meeting(app, slug)
    assert_flat(app, admin_client, count_queries, slug, url)
