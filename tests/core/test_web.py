"""Error pages, navigation, and a fixed number of SQL statements per page and API endpoint."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.runtime import Context
from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session

from core.extensions import db
from core.models import Council, Membership, Person, Seat
from tests.conftest import OpenApps, counting_queries, sign_in, signed_in_admin
from tests.core.growth import grow, main, page, schedule_first_meeting

BRACKNELL, HEREFORDSHIRE, WIGHT, STAFFORDSHIRE = (
    "bracknell_forest", "herefordshire", "isle_of_wight", "staffordshire")
BOARD = "corporate-parenting-board"
PANEL = "corporate-parenting-panel"  # Herefordshire's
LOCAL_KEY = "local-own-measure"  # a local indicator of the Isle of Wight's, when counted

# --- error pages ---------------------------------------------------------------------------


def test_unknown_council_or_key_is_a_404_page(client: FlaskClient) -> None:
    for url in ("/nowhere/", "/nowhere/strategy", "/nowhere/pledges", "/nowhere/pledges/pledge-1",
                "/nowhere/panels", "/nowhere/panels/x", "/nowhere/reviews", "/nowhere/partners",
                "/nowhere/checks", "/nowhere/progress", f"/{BRACKNELL}/pledges/pledge-99",
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
    assert client.get(f"/{HEREFORDSHIRE}/panels/{BOARD}/attendance").status_code == 404
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


def test_admin_navigation_shows_each_user_the_pages_they_may_open(
        app: Flask, make_user: Callable[..., tuple[int, str]]) -> None:
    """The header's navigation is kept once rendered (core.layout.service_navigation): a
    council administrator and a panel administrator on the same page each see their own
    (only the first may manage the council's users), in either order."""
    _, council_admin = make_user(role="council_admin", council=BRACKNELL)
    _, panel_admin = make_user(role="panel_admin", council=BRACKNELL)
    seen = {}
    for email in (panel_admin, council_admin, panel_admin):
        client = app.test_client()
        assert sign_in(client, email).status_code == 302
        for url, current in [(f"/admin/{BRACKNELL}/", "Admin home"),
                             (f"/admin/{BRACKNELL}/pledges", "Action plan")]:
            items = navigation(page(client, url))
            assert [label for _, label, is_current in items if is_current] == [current]
            seen.setdefault(email, []).append([label for _, label, _ in items])
    assert all("Users" in labels for labels in seen[council_admin])
    assert not any("Users" in labels for labels in seen[panel_admin])


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


def test_the_layouts_links_follow_the_councils_colour_and_the_script_root(
        client: FlaskClient, app: Flask) -> None:
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == WIGHT))
        colour = council.colour
    before = page(client, f"/{WIGHT}/")
    assert f'href="/{WIGHT}/colour.css?v={colour[1:]}"' in before
    with app.app_context():
        db.session.scalar(select(Council).where(Council.slug == WIGHT)).colour = "#123456"
        db.session.commit()
    after = page(client, f"/{WIGHT}/")
    assert f'href="/{WIGHT}/colour.css?v=123456"' in after
    assert f"colour.css?v={colour[1:]}" not in after
    # under a prefix (a WSGI SCRIPT_NAME), every link of the layout has it
    mounted = client.get(f"/{WIGHT}/", base_url="http://localhost/cpt/").get_data(
        as_text=True)
    for link in (f'href="/cpt/{WIGHT}/colour.css?v=123456"', 'href="/cpt/static/build/app.css"',
                 'src="/cpt/static/app.js"', 'href="/cpt/api/openapi.json"', f'"/cpt/{WIGHT}/"'):
        assert link in mounted, link
    assert 'href="/static/build/app.css"' not in mounted


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
    (BRACKNELL, f"/{BRACKNELL}/progress"),
    (BRACKNELL, f"/{BRACKNELL}/progress.svg"),
    (BRACKNELL, f"/{BRACKNELL}/pledges/pledge-1/progress.svg"),
    (WIGHT, f"/{WIGHT}/panels"),
    (WIGHT, f"/{WIGHT}/panels/{BOARD}"),
    (WIGHT, f"/{WIGHT}/panels/{BOARD}/attendance"),
    (WIGHT, f"/{WIGHT}/panels/{BOARD}/attendance.svg"),
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
    (WIGHT, f"/api/councils/{WIGHT}/indicators"),
    (WIGHT, f"/api/councils/{WIGHT}/indicators.csv"),
    (WIGHT, f"/api/councils/{WIGHT}/indicators/health-assessments"),
    (BRACKNELL, "/api/councils.csv"),
    (WIGHT, f"/api/councils/{WIGHT}/priorities.csv"),
    (BRACKNELL, f"/api/councils/{BRACKNELL}/pledges.csv"),
    (BRACKNELL, f"/api/councils/{BRACKNELL}/actions.csv"),
    (BRACKNELL, f"/api/councils/{BRACKNELL}/actions?status=at_risk&due_before=2021-01-01"),
    (WIGHT, f"/api/councils/{WIGHT}/panels.csv"),
    (WIGHT, f"/api/councils/{WIGHT}/review-cycles.csv"),
    (WIGHT, f"/api/councils/{WIGHT}/partners.csv"),
    (WIGHT, f"/api/councils/{WIGHT}/protocols.csv"),
    (BRACKNELL, f"/api/councils/{BRACKNELL}/findings.csv"),
    (WIGHT, f"/api/councils/{WIGHT}/review-cycles/protocol-review"),
    (WIGHT, f"/api/councils/{WIGHT}/review-cycles/protocol-review/reviews"),
    (WIGHT, f"/api/councils/{WIGHT}/review-cycles/protocol-review/reviews.csv"),
    (HEREFORDSHIRE, f"/api/councils/{HEREFORDSHIRE}/meetings"),
    (HEREFORDSHIRE, f"/api/councils/{HEREFORDSHIRE}/meetings.csv"),
    (HEREFORDSHIRE, f"/api/councils/{HEREFORDSHIRE}/meetings/1"),
    (HEREFORDSHIRE, f"/api/councils/{HEREFORDSHIRE}/panels/{PANEL}/organization"),
    (HEREFORDSHIRE, f"/api/councils/{HEREFORDSHIRE}/panels/{PANEL}/memberships"),
    (HEREFORDSHIRE, f"/api/councils/{HEREFORDSHIRE}/panels/{PANEL}/memberships.csv"),
    (BRACKNELL, f"/{BRACKNELL}/pledges/action-plan.csv"),
    (BRACKNELL, f"/{BRACKNELL}/pledges/action-plan.xlsx"),
    (BRACKNELL, "/login"),
    (BRACKNELL, "/password/forgotten"),
    (HEREFORDSHIRE, f"/{HEREFORDSHIRE}/panels/{PANEL}/meetings.ics"),
    (HEREFORDSHIRE, f"/{HEREFORDSHIRE}/meetings/1.ics"),
    (HEREFORDSHIRE, f"/{HEREFORDSHIRE}/meetings/1"),
    (HEREFORDSHIRE, f"/{HEREFORDSHIRE}/meetings/1/agenda.pdf"),
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
    (BRACKNELL, f"/admin/{BRACKNELL}/pledges/action-plan.csv"),
    (BRACKNELL, f"/admin/{BRACKNELL}/pledges/action-plan.xlsx"),
    (BRACKNELL, f"/admin/{BRACKNELL}/actions/action-1.1"),
    (BRACKNELL, f"/admin/{BRACKNELL}/pledges/new"),
    (WIGHT, f"/admin/{WIGHT}/indicators"),
    (WIGHT, f"/admin/{WIGHT}/indicators/template.csv"),
    (WIGHT, f"/admin/{WIGHT}/indicators/template.xlsx"),
    (WIGHT, f"/admin/{WIGHT}/indicators/health-assessments"),
    (WIGHT, f"/admin/{WIGHT}/indicators/health-assessments/figures/new"),
    (WIGHT, f"/admin/{WIGHT}/indicators/health-assessments/figures/1/edit"),
    (WIGHT, f"/admin/{WIGHT}/indicators/new"),
    (WIGHT, f"/admin/{WIGHT}/indicators/{LOCAL_KEY}/edit"),
    (WIGHT, f"/admin/{WIGHT}/indicators/{LOCAL_KEY}/archive"),
    (BRACKNELL, f"/admin/{BRACKNELL}/pledges/local-1/edit"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/{PANEL}"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/attendance.svg"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/appoint"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/seats/seat-cabinet-member"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/memberships/1/end"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/memberships/1/correct"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/people/1"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/people/1/erase"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/panels/people/1/email"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/panels/{PANEL}"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/history"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/attendance"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/circulate"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/agenda.pdf"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/minutes.pdf"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/minutes"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/agenda/1"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/agenda/1/remove"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/panels/{PANEL}/work-programme"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/panels/{PANEL}/work-programme/1"),
    (HEREFORDSHIRE, f"/admin/{HEREFORDSHIRE}/meetings/1/actions/1/edit"),
    (WIGHT, f"/admin/{WIGHT}/desk"),
    (BRACKNELL, f"/admin/{BRACKNELL}/my-actions"),
    (WIGHT, f"/admin/{WIGHT}/users"),
    (WIGHT, f"/admin/{WIGHT}/users/invite"),
    (WIGHT, f"/admin/{WIGHT}/users/1"),
    (BRACKNELL, "/admin/users"),
    (BRACKNELL, "/admin/users/1"),
]

#: Routes with no query-count test: static files and the OpenAPI document (no database),
#: and the forms' POST endpoints, which write rather than show a page.
NOT_COUNTED = {"static", "api-docs.openapi_json", "auth.logout",
               # where signing in leads: a redirect (tests/core/desk)
               "admin.start",
               # the second step of signing in: only with a sign-in waiting for it
               "auth.second_factor", "review_admin.record",
               "pledge_admin.post_progress", "pledge_admin.add_action_owner",
               "pledge_admin.remove_action_owner", "pledge_admin.create_pledge",
               "pledge_admin.update_pledge", "membership_admin.appoint_person",
               "membership_admin.end", "membership_admin.erase",
               "membership_admin.correct", "membership_admin.withdraw",
               "meeting_admin.schedule_from_cycle",
               "meeting_admin.confirm_cycle",
               "meeting_admin.schedule", "meeting_admin.update", "meeting_admin.add_agenda_item",
               "meeting_admin.change_agenda_item", "meeting_admin.attendance",
               "meeting_admin.minutes", "meeting_admin.add_action", "meeting_admin.action_status",
               "meeting_admin.approve_minutes", "meeting_admin.publish_minutes",
               "meeting_admin.add_declaration", "meeting_admin.remove_declaration",
               "meeting_admin.edit_agenda_item", "meeting_admin.remove_item",
               "meeting_admin.upload_paper", "meeting_admin.remove_paper",
               "meeting_admin.add_planned_item", "meeting_admin.update_planned_item",
               "meeting_admin.schedule_planned_item",
               # papers are files, not pages: tests/core/meetings/test_papers.py
               "meeting_admin.paper", "meeting_papers.download",
               "meeting_admin.circulate", "meeting_admin.resend",
               "review_admin.add_review_owner", "review_admin.remove_review_owner",
               "membership_admin.set_person_email",
               # public only once the minutes are published: counted as
               # a held meeting's actions grow in tests/core/meetings/test_documents.py
               "meetings.minutes_pdf",
               "meeting_admin.add_guest", "meeting_admin.remove_guest",
               "meeting_admin.edit_action_save",
               "user_admin.send_invitation", "user_admin.resend_invitation",
               "user_admin.withdraw_invitation", "user_admin.change_role",
               "user_admin.change_access", "account_admin.change_site_admin",
               "account_admin.change_account_access",
               # pages of one-time links, which need a link: counted as accounts and links
               # grow in tests/core/auth/test_account_pages.py
               "account.invitation", "account.reset_password",

               "indicator_admin.import_file", "indicator_admin.create_figure",
               "indicator_admin.update_figure", "indicator_admin.create_indicator",
               "indicator_admin.update_indicator", "indicator_admin.archive_indicator"}

#: Pages whose body does not change as one council's data grows.
SAME_BODY = {"/", f"/{WIGHT}/colour.css",
             "/api/councils", f"/api/councils/{BRACKNELL}", f"/api/councils/{WIGHT}/strategy",
             "/login", "/admin/", "/admin/plugins", "/account/two-step", "/password/forgotten",
             # accounts: grow() adds none (tests/core/auth/test_users_admin.py grows them)
             f"/admin/{WIGHT}/users", f"/admin/{WIGHT}/users/invite", f"/admin/{WIGHT}/users/1",
             "/admin/users", "/admin/users/1",
             "/api/councils.csv",
             # a cycle's own fields: grow() records reviews, which have their own list
             f"/api/councils/{WIGHT}/review-cycles/protocol-review",
             # one action's updates, and the forms, do not grow with grow()
             f"/admin/{BRACKNELL}/actions/action-1.1", f"/admin/{BRACKNELL}/pledges/new",
             f"/admin/{BRACKNELL}/pledges/local-1/edit",
             # the forms for one figure do not grow with grow()
             f"/admin/{WIGHT}/indicators/health-assessments/figures/new",
             f"/admin/{WIGHT}/indicators/health-assessments/figures/1/edit",
             # archiving a local indicator asks about it alone (grow() adds it no figure)
             f"/admin/{WIGHT}/indicators/{LOCAL_KEY}/archive",
             # one seat's, membership's or person's history: grow() adds no memberships
             # (tests/core/panels/test_admin_views.py grows those)
             f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/seats/seat-cabinet-member",
             f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/memberships/1/end",
             f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/memberships/1/correct",
             f"/admin/{HEREFORDSHIRE}/panels/people/1",
             f"/admin/{HEREFORDSHIRE}/panels/people/1/erase",
             f"/admin/{HEREFORDSHIRE}/panels/people/1/email",
             # grow() dates its meetings in 2090, outside the municipal year charted: the
             # chart is counted as this year's meetings grow in
             # tests/core/attendance/test_year_chart.py, its page in test_statistics.py
             f"/{WIGHT}/panels/{BOARD}/attendance",
             f"/{WIGHT}/panels/{BOARD}/attendance.svg",
             f"/admin/{HEREFORDSHIRE}/panels/{PANEL}/attendance.svg",
             # one meeting's calendar file: when and where, whatever else grows
             f"/{HEREFORDSHIRE}/meetings/1.ics",
             # the site administrator owns no action (tests/core/desk grows an owner's)
             f"/admin/{BRACKNELL}/my-actions"}


def test_every_route_has_a_query_count_test(app: Flask) -> None:
    adapter = app.url_map.bind("localhost")
    covered = {adapter.match(url.split("?")[0])[0] for _, url in URLS + ADMIN_URLS}
    routes = {rule.endpoint for rule in app.url_map.iter_rules()} - NOT_COUNTED
    assert routes - covered == set(), "add a URL for each new route to URLS"


#: The amounts of data each page is counted at: as synced, then grown by 5 and by 20 more.
FACTORS = (0, 5, 20)

#: What a URL needs before it is counted (its rows at base): a locally recorded pledge,
#: membership 1, meeting 1, minutes of meeting 1, action arising 1 of meeting 1, or figure 1.
LOCAL_PLEDGE, APPOINTED, FIRST_MEETING, MINUTES = (
    "local pledge", "membership 1", "meeting 1", "minutes of meeting 1")
FIRST_ACTION = "action arising 1 of meeting 1"
FIRST_FIGURE = "figure 1"
#: ... or a local indicator (added by the council's administrators; key LOCAL_KEY).
LOCAL_INDICATOR = "local indicator"


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
        if "/meetings/1" in url or "/work-programme/1" in url or (
                url.startswith("/api/") and ("/memberships" in url or "/meetings" in url)):
            # lists of meetings counted with one at base (its agenda is then read); grow()
            # appoints members on the first panel's seats at meeting 1
            needed.append(FIRST_MEETING)
        if url.endswith("/meetings/1/minutes.pdf"):
            needed.append(MINUTES)
        if "/meetings/1/actions/1/" in url:
            needed.append(FIRST_ACTION)
        if "/figures/1/" in url:
            needed.append(FIRST_FIGURE)
        if f"/indicators/{LOCAL_KEY}" in url:
            needed.append(LOCAL_INDICATOR)
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
        if MINUTES in self.needed:
            from core.meetings.minutes import save_minutes
            from core.meetings.services import meeting_or_404

            with app.app_context():
                council = db.session.scalar(select(Council).where(Council.slug == self.slug))
                meeting = meeting_or_404(council, 1, agenda=False)
                save_minutes(meeting, "Minutes of the first meeting.", str(meeting.version))
        if FIRST_ACTION in self.needed:
            from core.meetings.services import add_action, meeting_or_404

            with app.app_context():
                council = db.session.scalar(select(Council).where(Council.slug == self.slug))
                add_action(meeting_or_404(council, 1), text="Report back", owner="Clerk",
                           due=None)
        if FIRST_FIGURE in self.needed:
            add_first_figure(app, self.slug)
        if LOCAL_INDICATOR in self.needed:
            from core.indicators.local import LocalIndicatorValues, add_local_indicator

            with app.app_context():
                council = db.session.scalar(select(Council).where(Council.slug == self.slug))
                add_local_indicator(council, LocalIndicatorValues(
                    title="Own measure", definition="A measure of its own", unit="count",
                    higher_is_better=True, period="year"))


#: A page's status, SQL statement count, body size, the models its statements loaded (by
#: name, in order) and the template contexts it left in reference cycles, at each of FACTORS.
Counts = list[tuple[int, int, int, tuple[str, ...], int]]


@contextmanager
def contexts_left_in_cycles() -> Iterator[list[int]]:
    """``[n]``: how many Jinja contexts of the templates rendered meanwhile were left in
    reference cycles, so that only the garbage collector frees them, with everything the
    page was given. (A macro a page defines for itself, or a template imported with the
    page's context, and that context refer to each other.) The collector is held off
    meanwhile and the cycles found by collecting the youngest objects alone: what the
    request made."""
    found = [0]
    enabled, debug = gc.isenabled(), gc.get_debug()
    gc.collect(0)  # what was made before
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield found
        gc.collect(0)
        found[0] = sum(type(thing) is Context for thing in gc.garbage)
    finally:
        gc.set_debug(debug)
        gc.garbage.clear()
        if enabled:
            gc.enable()


@contextmanager
def models_loaded() -> Iterator[list[str]]:
    """The names of the models each ORM select run meanwhile loaded, as they run."""
    loaded: list[str] = []

    def record(state: ORMExecuteState) -> None:
        if state.is_select:
            loaded.extend(mapper.class_.__name__ for mapper in state.all_mappers)

    event.listen(Session, "do_orm_execute", record)
    try:
        yield loaded
    finally:
        event.remove(Session, "do_orm_execute", record)


def count_while_growing(app: Flask, growth: Growth, urls: list[tuple[FlaskClient, str]]
                        ) -> dict[str, Counts]:
    """Each URL's counts (fetched with its client) at base, then after each growth of the
    council by FACTORS."""
    counts: dict[str, Counts] = {url: [] for _, url in urls}
    for factor in FACTORS:
        if factor:
            grow(app, growth.slug, factor)
        for client, url in urls:
            with counting_queries(app) as counted, models_loaded() as models, \
                    contexts_left_in_cycles() as contexts:
                response = client.get(url)
            counts[url].append((response.status_code, len(counted), len(response.get_data()),
                                tuple(models), contexts[0]))
    return counts


@pytest.fixture(scope="module")
def grown(open_apps: OpenApps) -> Callable[[str, str], Counts]:
    """``grown(slug, url)``: the counts of a URL of URLS or ADMIN_URLS as its council's data
    grows.

    On the first call for a :class:`Growth`, every URL of that growth is counted on one app
    of its own, without the page cache, with the four reference councils synced and only
    the rows the growth needs at base: the URLs of URLS with a client of the app, those of
    ADMIN_URLS with one signed in as a site administrator; then the council grows, and they
    are counted again.
    """
    done: dict[Growth, dict[str, Counts]] = {}

    def counts_of(slug: str, url: str) -> Counts:
        growth = Growth.of(slug, url)
        if growth not in done:
            with open_apps() as make_app:
                # renders counted, not kept pages (a listing of councils stays kept while
                # only a council's other rows grow)
                app = make_app(config={"PAGE_CACHE": False})
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
    for status, *_ in counts:
        assert status == 200, url
    (_, base, size_0, *_), (_, grown_5, size_5, *_), (_, grown_25, size_25, *_) = counts
    assert grown_5 == grown_25, f"{url}: {[count for _, count, *_ in counts]}"
    # the same statements whatever exists: a pledge's pages (public and a clerk's) read the
    # latest updates with the cards, from the actions' rows
    assert grown_5 == base, f"{url}: {[count for _, count, *_ in counts]}"
    if url in SAME_BODY:
        assert size_0 == size_5 == size_25
    else:
        assert size_0 < size_5 < size_25, f"{url}: the data grown does not show"


@pytest.mark.parametrize(("slug", "url"), URLS, ids=[url for _, url in URLS])
def test_query_count_does_not_grow_with_data(grown: Callable[[str, str], Counts], slug: str,
                                             url: str) -> None:
    assert_flat(url, grown(slug, url))


#: Public pages that load models, and which. Every other public page reads rows of the
#: columns it shows (docs/architecture.md, "A public page loads no model"); these are the
#: agenda pack (printed once per change of the council and kept) and the calendar files,
#: which hand the models to their writers.
LOADS_MODELS = {
    f"/{HEREFORDSHIRE}/meetings/1/agenda.pdf": ("Meeting",),
    f"/{HEREFORDSHIRE}/panels/{PANEL}/meetings.ics": ("Panel", "Meeting"),
    f"/{HEREFORDSHIRE}/meetings/1.ics": ("Meeting",),
}


@pytest.mark.parametrize(("slug", "url"), URLS, ids=[url for _, url in URLS])
def test_public_pages_load_no_model(grown: Callable[[str, str], Counts], slug: str,
                                    url: str) -> None:
    """What a public page shows it reads as rows, at every amount of data: the ORM's loading
    of objects that track their changes is for the pages that change them."""
    loaded = {model for *_, models, _ in grown(slug, url) for model in models}
    assert loaded == set(LOADS_MODELS.get(url, ())), f"{url} loaded {sorted(loaded)}"


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


@pytest.mark.parametrize(("slug", "url"), URLS + ADMIN_URLS,
                         ids=[url for _, url in URLS + ADMIN_URLS])
def test_pages_leave_no_template_context_in_a_reference_cycle(
        grown: Callable[[str, str], Counts], slug: str, url: str) -> None:
    """A page's template context (and all it was given) is freed as the response is sent:
    left in a reference cycle, it waits for the garbage collector, whose every collection
    in the meantime walks it (docs/performance.md, "Garbage the collector had to find").
    Counted after the data has grown: the first request of a page may leave the one-off
    garbage of what is made once (templates compiled, memos of markup)."""
    left = [contexts for *_, contexts in grown(slug, url)]
    assert left[1:] == [0] * (len(FACTORS) - 1), f"{url}: {left}"


@pytest.mark.parametrize(("slug", "url"), ADMIN_URLS, ids=[url for _, url in ADMIN_URLS])
def test_admin_query_count_does_not_grow_with_data(
        grown: Callable[[str, str], Counts], slug: str, url: str) -> None:
    assert_flat(url, grown(slug, url))
