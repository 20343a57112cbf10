"""Error pages, navigation, and a fixed number of SQL statements per page and API endpoint."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.models import Council, Membership, Person, Seat
from tests.conftest import OpenApps, counting_queries, signed_in_admin
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
        (f"/{slug}/pledges", pledges), (f"/{slug}/indicators", "Indicators"),
        (f"/{slug}/panels", panels),
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
        (f"/{WIGHT}/indicators", "Indicators"),
        (f"/{WIGHT}/indicators/health-assessments", "Indicators"),
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
    (WIGHT, f"/{WIGHT}/indicators"),
    (WIGHT, f"/{WIGHT}/indicators/health-assessments"),
    (WIGHT, f"/{WIGHT}/indicators/health-assessments/chart.svg"),
    (BRACKNELL, f"/{BRACKNELL}/progress.svg"),
    (BRACKNELL, f"/{BRACKNELL}/pledges/pledge-1/progress.svg"),
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
    (WIGHT, f"/admin/{WIGHT}/indicators"),
    (WIGHT, f"/admin/{WIGHT}/indicators/template.csv"),
    (WIGHT, f"/admin/{WIGHT}/indicators/template.xlsx"),
    (WIGHT, f"/admin/{WIGHT}/indicators/health-assessments"),
    (WIGHT, f"/admin/{WIGHT}/indicators/health-assessments/figures/new"),
    (WIGHT, f"/admin/{WIGHT}/indicators/health-assessments/figures/1/edit"),
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
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/attendance"),
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
               "meeting_admin.minutes", "meeting_admin.add_action", "meeting_admin.action_status",
               "indicator_admin.import_file", "indicator_admin.create_figure",
               "indicator_admin.update_figure"}

#: Pages whose body does not change as one council's data grows.
SAME_BODY = {"/", f"/{WIGHT}/colour.css",
             "/api/councils", f"/api/councils/{BRACKNELL}", f"/api/councils/{WIGHT}/strategy",
             "/login", "/admin/", "/admin/plugins", "/account/two-step",
             f"/admin/{WIGHT}/reviews/protocol-review",
             # one action's updates, and the forms, do not grow with grow()
             f"/admin/{BRACKNELL}/actions/action-1.1", f"/admin/{BRACKNELL}/pledges/new",
             f"/admin/{BRACKNELL}/pledges/local-1/edit",
             # the forms for one figure do not grow with grow()
             f"/admin/{WIGHT}/indicators/health-assessments/figures/new",
             f"/admin/{WIGHT}/indicators/health-assessments/figures/1/edit",
             # one seat's, membership's or person's history: grow() adds no memberships
             # (tests/core/panels/test_admin_views.py grows those)
             f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/seats/seat-cabinet-member",
             f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/memberships/1/end",
             f"/admin/{HEREFORDSHIRE}/panels/people/1",
             f"/admin/{HEREFORDSHIRE}/panels/people/1/erase",
             # one meeting's calendar file: when and where, whatever else grows
             f"/{HEREFORDSHIRE}/meetings/1.ics"}

#: Loads skipped while there is nothing to load: a pledge's page reads latest progress
#: updates (one statement) only once an action has one. (The overview and the action plan
#: read the same statements whatever exists.)
LOADED_ONCE_ROWS_EXIST = {f"/{BRACKNELL}/pledges/pledge-1": 1,
                          f"/admin/{BRACKNELL}/pledges/pledge-1": 1}


def test_every_route_has_a_query_count_test(app: Flask) -> None:
    adapter = app.url_map.bind("localhost")
    covered = {adapter.match(url)[0] for _, url in URLS + ADMIN_URLS}
    routes = {rule.endpoint for rule in app.url_map.iter_rules()} - NOT_COUNTED
    assert routes - covered == set(), "add a URL for each new route to URLS"


#: The amounts of data each page is counted at: as synced, then grown by 5 and by 20 more.
FACTORS = (0, 5, 20)

#: What a URL needs before it is counted (its rows at base): a locally recorded pledge,
#: membership 1, or meeting 1.
LOCAL_PLEDGE, APPOINTED, FIRST_MEETING = "local pledge", "membership 1", "meeting 1"
FIRST_FIGURE = "figure 1"


@dataclasses.dataclass(frozen=True)
class Growth:
    """The rows a URL is counted on: its council grown, and what it needs at base. URLs
    with the same growth are counted on one database, grown once for them all."""

    slug: str
    needed: tuple[str, ...]

    @classmethod
    def of(cls, slug: str, url: str) -> Growth:
        needed = []
        if "/local-1/" in url:
            needed.append(LOCAL_PLEDGE)
        if "/memberships/1/" in url or "/people/1" in url:
            needed.append(APPOINTED)
        if "/meetings/1" in url:
            needed.append(FIRST_MEETING)
        if "/figures/1/" in url:
            needed.append(FIRST_FIGURE)
        return cls(slug, tuple(needed))

    def prepare(self, app: Flask) -> None:
        """Record what the URLs need at base."""
        if LOCAL_PLEDGE in self.needed:
            from core.pledges.progress import record_local_pledge

            with app.app_context():
                council = db.session.scalar(select(Council).where(Council.slug == self.slug))
                record_local_pledge(council, number=99, title="Recorded locally",
                                    statement=None)
        if APPOINTED in self.needed:
            appoint_one(app, self.slug)
        if FIRST_MEETING in self.needed:
            schedule_first_meeting(app, self.slug)
        if FIRST_FIGURE in self.needed:
            add_first_figure(app, self.slug)


#: A page's status, SQL statement count and body size, at each of FACTORS.
Counts = list[tuple[int, int, int]]


def count_while_growing(app: Flask, growth: Growth, urls: list[tuple[FlaskClient, str]]
                        ) -> dict[str, Counts]:
    """Each URL's counts (fetched with its client) at base, then after each growth of the
    council by FACTORS."""
    counts: dict[str, Counts] = {url: [] for _, url in urls}
    for factor in FACTORS:
        if factor:
            grow(app, growth.slug, factor)
        for client, url in urls:
            with counting_queries(app) as counted:
                response = client.get(url)
            counts[url].append((response.status_code, len(counted), len(response.get_data())))
    return counts


@pytest.fixture(scope="module")
def grown(open_apps: OpenApps) -> Callable[[str, str], Counts]:
    """``grown(slug, url)``: the counts of a URL of URLS or ADMIN_URLS as its council's data
    grows.

    On the first call for a :class:`Growth`, every URL of that growth is counted on one app
    of its own with the four reference councils synced and only the rows the growth needs
    at base: the URLs of URLS with a client of the app, those of ADMIN_URLS with one signed
    in as a site administrator; then the council grows, and they are counted again.
    """
    done: dict[Growth, dict[str, Counts]] = {}

    def counts_of(slug: str, url: str) -> Counts:
        growth = Growth.of(slug, url)
        if growth not in done:
            with open_apps() as make_app:
                app = make_app()
                public, admin = app.test_client(), signed_in_admin(app)
                urls = [(public, other) for other_slug, other in URLS
                        if Growth.of(other_slug, other) == growth]
                urls += [(admin, other) for other_slug, other in ADMIN_URLS
                         if Growth.of(other_slug, other) == growth]
                growth.prepare(app)
                done[growth] = count_while_growing(app, growth, urls)
        return done[growth][url]

    return counts_of


def assert_flat(url: str, counts: Counts) -> None:
    """The page's SQL statement count is the same at base, +5 and +25 units of data."""
    for status, _, _ in counts:
        assert status == 200, url
    (_, base, size_0), (_, grown_5, size_5), (_, grown_25, size_25) = counts
    assert grown_5 == grown_25, f"{url}: {[count for _, count, _ in counts]}"
    assert grown_5 == base + LOADED_ONCE_ROWS_EXIST.get(url, 0), (
        f"{url}: {[count for _, count, _ in counts]}")
    if url in SAME_BODY:
        assert size_0 == size_5 == size_25
    else:
        assert size_0 < size_5 < size_25, f"{url}: the data grown does not show"


@pytest.mark.parametrize(("slug", "url"), URLS, ids=[url for _, url in URLS])
def test_query_count_does_not_grow_with_data(grown: Callable[[str, str], Counts], slug: str,
                                             url: str) -> None:
    assert_flat(url, grown(slug, url))


def add_first_figure(app: Flask, slug: str) -> None:
    """Figure 1: the council's health assessments in the year to March 2025."""
    from core.indicators.models import Indicator, IndicatorFigure

    with app.app_context():
        indicator = db.session.scalar(
            select(Indicator).join(Council, Indicator.council_id == Council.id)
            .where(Council.slug == slug, Indicator.key == "health-assessments"))
        figure = IndicatorFigure(council_id=indicator.council_id, indicator_id=indicator.id,
                                 period_end=dt.date(2025, 3, 31), value=90.0, numerator=90,
                                 denominator=100, target=88.0)
        db.session.add(figure)
        db.session.commit()
        assert figure.id == 1, slug


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
        grown: Callable[[str, str], Counts], slug: str, url: str) -> None:
    assert_flat(url, grown(slug, url))


def test_url_maker_fills_in_ids_as_url_for_would(app: Flask) -> None:
    from flask import url_for

    from core.web import url_maker

    with app.test_request_context("/"):
        person = url_maker("membership_admin.person", "person_id", council=HEREFORDSHIRE)
        end = url_maker("membership_admin.end_form", "membership_id", council=HEREFORDSHIRE,
                        panel=PANEL)
        for number in (1, 42, 8_675_309):
            assert person(number) == url_for("membership_admin.person", person_id=number,
                                             council=HEREFORDSHIRE)
            assert end(number) == url_for("membership_admin.end_form", membership_id=number,
                                          council=HEREFORDSHIRE, panel=PANEL)
        with pytest.raises(ValueError):
            person("1/../../other")  # only whole numbers go in
