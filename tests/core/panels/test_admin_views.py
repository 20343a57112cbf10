"""The membership admin: appointing and ending through the forms, edit conflicts, history,
who may do what, and a fixed number of SQL statements however many memberships there are."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit import acting_as
from core.extensions import db
from core.models import Membership, Person, Seat
from tests.conftest import csrf_token, sign_in
from tests.core.growth import main, page, plain, plugin_of

HEREFORDSHIRE = "herefordshire"
BASE = f"/admin/{HEREFORDSHIRE}/panels"
PANEL_URL = f"{BASE}/corporate-parenting-panel"
APPOINT = f"{PANEL_URL}/appoint"
CHAIR_ROLE = "Cabinet member for children and families (Chair)"


@pytest.fixture
def app(make_app: Any) -> Flask:
    """Herefordshire alone: quicker to sync than the four councils."""
    return make_app(plugins={HEREFORDSHIRE: plugin_of(HEREFORDSHIRE)})


def client_as(app: Flask, make_user: Any, role: str, email: str | None = None) -> FlaskClient:
    client = app.test_client()
    _, email = make_user(role, HEREFORDSHIRE, email=email)
    assert sign_in(client, email).status_code == 302
    return client


@pytest.fixture
def panel_admin(app: Flask, make_user: Any) -> FlaskClient:
    return client_as(app, make_user, "panel_admin")


def date(value: dt.date) -> list[str]:
    return [str(value.day), str(value.month), str(value.year)]


def post_appointment(client: FlaskClient, **fields: Any) -> Any:
    token = csrf_token(client.get(APPOINT).get_data(as_text=True))
    data = {"csrf_token": token, "seat": "seat-cabinet-member", "person": "", "new_name": "",
            "start": ["1", "5", "2024"], "end": ["", "", ""], "on_behalf_of": "", **fields}
    return client.post(APPOINT, data=data)


def end_url(membership_id: int) -> str:
    return f"{PANEL_URL}/memberships/{membership_id}/end"


def form_values(text: str) -> dict[str, str]:
    """The hidden fields of the end-membership form (its CSRF token and version)."""
    return {"csrf_token": csrf_token(text),
            "version": re.search(r'name="version"[^>]*value="([^"]*)"', text)[1]}


def page_of(response: Any) -> str:
    """A response's HTML with entities unescaped (whatever its status)."""
    return html.unescape(response.get_data(as_text=True))


def only_membership(app: Flask) -> Membership:
    with app.app_context():
        return db.session.scalars(select(Membership)).one()


def test_membership_is_in_the_admin_navigation(app, panel_admin) -> None:
    text = page(panel_admin, f"/admin/{HEREFORDSHIRE}/")
    assert re.search(rf'href="{BASE}">\s*Membership\s*</a>', text)
    listing = main(page(panel_admin, BASE))
    assert f'href="{PANEL_URL}">Corporate parenting panel</a>' in listing
    assert [cell.strip() for cell in re.findall(r'--numeric">(\d+)<', listing)] == [
        "14", "0", "14", "0"]


def test_appointing_someone_new_through_the_form(app, panel_admin) -> None:
    response = post_appointment(panel_admin, new_name=" Cllr Ellie Chowns ",
                                on_behalf_of="Cabinet", end=["30", "4", "2099"])
    assert response.status_code == 302 and response.location == PANEL_URL
    text = page(panel_admin, PANEL_URL)
    assert f"Appointed Cllr Ellie Chowns to {CHAIR_ROLE}." in text
    row = plain(text.split('id="seat-seat-cabinet-member"')[1].split("</tr>")[0])
    assert "Cllr Ellie Chowns From 1 May 2024 to 30 April 2099; on behalf of Cabinet" in row
    assert "Vacant" not in row
    assert "The chair's seat" not in main(text)  # the rule is met now
    assert "13 seats have vacancies." in text
    with app.app_context():
        person = db.session.scalars(select(Person)).one()
        assert person.name == "Cllr Ellie Chowns"
    # the same person again, chosen from the list, over an overlapping period: refused
    refused = post_appointment(panel_admin, person=str(person.id), start=["1", "1", "2025"])
    assert refused.status_code == 400
    assert ("Cllr Ellie Chowns already holds this seat from 1 May 2024 to 30 April 2099. "
            "Choose dates that do not overlap, or end that membership first.") in page_of(refused)
    # a second seat for them is fine
    assert post_appointment(panel_admin, person=str(person.id),
                            seat="seat-councillors").status_code == 302


def test_appointing_beyond_the_seats_places_is_allowed_with_a_warning(app, panel_admin
                                                                      ) -> None:
    with app.app_context():
        db.session.scalar(select(Seat).where(Seat.key == "seat-councillors")).count = 1
        db.session.commit()
    assert post_appointment(panel_admin, seat="seat-councillors", new_name="Cllr A"
                            ).status_code == 302
    assert "Warning" not in page(panel_admin, PANEL_URL).split("Membership rules")[0]
    assert post_appointment(panel_admin, seat="seat-councillors", new_name="Cllr B"
                            ).status_code == 302
    text = page(panel_admin, PANEL_URL)
    assert ("Appointed Cllr B to Councillors from all the parties. Warning: Councillors from "
            "all the parties now has 2 members for 1 place.") in text
    assert "Councillors from all the parties has 2 members for 1 places." in text  # the rule
    assert "Over the number of places" in text


def test_the_appoint_form_offers_the_seats_and_people_and_says_how_to_name_young_people(
        app, panel_admin) -> None:
    post_appointment(panel_admin, new_name="A.B.", seat="seat-your-voice-matters")
    text = page(panel_admin, f"{APPOINT}?seat=seat-lay-member")
    assert '<option value="seat-lay-member" selected>' in text
    assert text.count("<option value=\"seat-") == 14
    assert re.search(r'<option value="\d+">A\.B\.</option>', text)
    assert ("Young people are recorded by their first name or initials only, for example Jo "
            "or J.B.") in text


def test_field_errors_are_named_and_nothing_is_saved(app, panel_admin) -> None:
    response = post_appointment(panel_admin, seat="", start=["31", "2", "2024"],
                                end=["1", "1", "2020"], on_behalf_of="x" * 301)
    text = page_of(response)
    assert response.status_code == 400
    assert "There is a problem" in text and "<title>Error:" in text
    for anchor, message in [("seat", "Choose a seat"),
                            ("person", "Choose someone already recorded or type the name of "
                                       "someone new"),
                            ("start", "Start must be a real date, like 27 3 2026"),
                            ("on_behalf_of", "Field cannot be longer than 300 characters.")]:
        assert f'<a href="#{anchor}">{message}</a>' in text, anchor
    both = page_of(post_appointment(panel_admin, new_name="X", person="1",
                                    start=["1", "5", "2024"], end=["1", "1", "2024"]))
    assert "Choose someone from the list" in both
    assert "End of term must be the same as or after the start" in both
    with app.app_context():
        assert db.session.scalars(select(Membership)).all() == []


def test_ending_a_membership_shows_on_the_panel_and_in_the_history(app, panel_admin) -> None:
    post_appointment(panel_admin, new_name="Cllr Jones")
    membership = only_membership(app)
    form = page(panel_admin, end_url(membership.id))
    assert "End the membership of Cllr Jones" in form
    empty = panel_admin.post(end_url(membership.id), data=form_values(form))
    assert empty.status_code == 400
    assert '<a href="#end">Enter the end date</a>' in page_of(empty)
    assert '<a href="#reason">Enter the reason</a>' in page_of(empty)
    early = panel_admin.post(end_url(membership.id), data={
        **form_values(form), "end": ["30", "4", "2024"], "reason": "x"})
    assert early.status_code == 400
    assert ("The end date must be the same as or after the start of the membership "
            "(1 May 2024)") in page_of(early)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    done = panel_admin.post(end_url(membership.id), data={
        **form_values(form), "end": date(yesterday), "reason": "Resigned from the cabinet"})
    assert done.status_code == 302
    text = page(panel_admin, PANEL_URL)
    assert f"Ended the membership of Cllr Jones ({CHAIR_ROLE})." in text
    assert "The chair's seat (Cabinet member for children and families (Chair)) is empty." in text
    seat = page(panel_admin, f"{PANEL_URL}/seats/seat-cabinet-member")
    assert "Cllr Jones" in seat and "Ended: Resigned from the cabinet" in seat
    assert "History of changes" in seat and "panel_admin.herefordshire@example.org" in seat
    assert f"end : – → {yesterday.isoformat()}" in plain(seat)
    assert "ended_reason : – → Resigned from the cabinet" in plain(seat)
    person = page(panel_admin, f"{BASE}/people/{membership.person_id}")
    assert "The person Cllr Jones" in person
    assert f"Cllr Jones in the seat {CHAIR_ROLE}" in person
    assert "name : – → Cllr Jones" in plain(person)


def test_an_edit_conflict_names_who_saved_first_and_overwrites_nothing(
        app, make_user, panel_admin) -> None:
    post_appointment(panel_admin, new_name="Cllr Jones")
    membership = only_membership(app)
    other = client_as(app, make_user, "council_admin", "other.clerk@example.org")
    first_form = page(panel_admin, end_url(membership.id))
    second_form = page(other, end_url(membership.id))
    first = panel_admin.post(end_url(membership.id), data={
        **form_values(first_form), "end": ["1", "6", "2024"], "reason": "Resigned"})
    assert first.status_code == 302
    second = other.post(end_url(membership.id), data={
        **form_values(second_form), "end": ["1", "7", "2024"], "reason": "Term completed"})
    text = page_of(second)
    assert second.status_code == 409
    assert "Someone else changed this" in text
    assert re.search(r"panel_admin\.herefordshire@example\.org saved a change to this "
                     r"membership on \d{1,2} \w+ \d{4} at \d\d:\d\d, after you opened it\. "
                     r"Nothing you typed has been saved", text)
    assert "Term completed" in text  # what they typed is kept in the form
    with app.app_context():
        saved = db.session.get(Membership, membership.id)
        assert (saved.end, saved.ended_reason, saved.version) == (
            dt.date(2024, 6, 1), "Resigned", 2)
    # the form now carries the current version: saving again is a deliberate overwrite
    assert form_values(text)["version"] == "2"


def test_a_viewer_sees_the_pages_but_cannot_change_anything(app, make_user,
                                                            panel_admin) -> None:
    post_appointment(panel_admin, new_name="Cllr Jones")
    membership = only_membership(app)
    viewer = client_as(app, make_user, "viewer")
    text = page(viewer, PANEL_URL)
    assert "Cllr Jones" in text
    assert "Appoint someone" not in text and "End this membership" not in text
    for url in (f"{PANEL_URL}/seats/seat-cabinet-member", f"{BASE}/people/{membership.person_id}",
                BASE):
        assert viewer.get(url).status_code == 200, url
    token = csrf_token(page(viewer, BASE))
    assert viewer.get(APPOINT).status_code == 403
    assert viewer.post(APPOINT, data={"csrf_token": token, "new_name": "X", "seat":
                                      "seat-lay-member", "start": ["1", "1", "2024"]}
                       ).status_code == 403
    assert viewer.get(end_url(membership.id)).status_code == 403
    assert viewer.post(end_url(membership.id), data={
        "csrf_token": token, "version": "1", "end": ["1", "6", "2024"], "reason": "x"}
    ).status_code == 403
    assert only_membership(app).ended_reason is None


def test_unknown_seats_people_and_memberships_are_404(app, panel_admin) -> None:
    for url in (f"{BASE}/no-such-panel", f"{PANEL_URL}/seats/no-such-seat",
                f"{BASE}/people/999", end_url(999)):
        assert panel_admin.get(url).status_code == 404, url


def grow_memberships(app: Flask, n: int) -> None:
    """``n`` more people, each with a past, a current and a future membership, and ``n`` more
    past memberships of person 1; every one audited as created."""
    today = dt.date.today()
    with app.app_context(), acting_as(None, "growth@example.org"):
        seats = db.session.scalars(select(Seat).order_by(Seat.position)).all()
        first = db.session.get(Person, 1)
        offset = db.session.query(Person).count()
        for i in range(offset, offset + n):
            person = Person(council_id=first.council_id, name=f"Person {i}")
            for j, (start, end) in enumerate([
                    (dt.date(2020, 1, 1), dt.date(2021, 1, 1)),
                    (dt.date(2022, 1, 1), today + dt.timedelta(days=i % 90)),
                    (today + dt.timedelta(days=30), None)]):
                db.session.add(Membership(
                    council_id=first.council_id, person=person, start=start, end=end,
                    seat=seats[0] if j == 0 else seats[(i + j) % len(seats)],
                    on_behalf_of=f"Body {i}", ended_reason="Grown" if j == 0 else None))
            db.session.add(Membership(council_id=first.council_id, person=first,
                                      seat=seats[i % len(seats)], start=dt.date(2000 + i, 1, 1),
                                      end=dt.date(2000 + i, 12, 31), ended_reason="Grown"))
        db.session.commit()


def test_pages_run_a_fixed_number_of_statements_however_many_memberships(
        app, panel_admin, count_queries) -> None:
    post_appointment(panel_admin, new_name="Cllr Jones")  # person 1, membership 1
    urls = [BASE, PANEL_URL, APPOINT, f"{PANEL_URL}/seats/seat-cabinet-member",
            f"{BASE}/people/1", end_url(1)]
    counts: dict[str, list[int]] = {url: [] for url in urls}
    sizes: dict[str, list[int]] = {url: [] for url in urls}
    for n in (0, 5, 20):
        grow_memberships(app, n)
        for url in urls:
            with count_queries() as counted:
                response = panel_admin.get(url)
            assert response.status_code == 200, url
            counts[url].append(len(counted))
            sizes[url].append(len(response.get_data()))
    for url in urls:
        assert len(set(counts[url])) == 1, (url, counts[url])
    for url in urls[1:5]:  # the grown memberships show
        assert sizes[url][0] < sizes[url][1] < sizes[url][2], (url, sizes[url])
    print("statements per page:", {url: counts[url][0] for url in urls})
