"""A Herefordshire panel meeting, end to end through the real forms, as a panel administrator."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from core.extensions import db
from core.meetings import services
from core.meetings.models import ActionArising, Attendance
from core.models import Council, Meeting, Membership, Panel, Person, Seat
from tests.conftest import csrf_token, sign_in
from tests.core.growth import main, plain, table_rows

SLUG, PANEL = "herefordshire", "corporate-parenting-panel"
BASE = f"/admin/{SLUG}/meetings"
PANEL_URL = f"{BASE}/panels/{PANEL}"


def value_of(page: str, name: str) -> str:
    """The value of the input named ``name`` in ``page``."""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, f"no input {name}"
    found = re.search(r'value="([^"]*)"', match[0])
    return html.unescape(found[1]) if found else ""


def signed_in(app, make_user, role: str = "panel_admin", email: str | None = None):
    client = app.test_client()
    _, address = make_user(role, SLUG, email=email)
    assert sign_in(client, address).status_code == 302
    return client


@pytest.fixture
def members(app) -> dict[str, int]:
    """Four people holding Herefordshire seats from 2025 (memberships made directly)."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        seats = {seat.key: seat for seat in db.session.scalars(select(Seat).where(
            Seat.council_id == council.id))}
        found = {}
        for key, name in [("seat-cabinet-member", "Cllr Ann Chair"),
                          ("seat-director-children", "Dee Director"),
                          ("seat-your-voice-matters", "Jo"),
                          ("seat-lead-nurse", "Nia Nurse")]:
            membership = Membership(council_id=council.id, seat=seats[key],
                                    start=dt.date(2025, 1, 1),
                                    person=Person(council_id=council.id, name=name))
            db.session.add(membership)
            db.session.flush()
            found[name] = membership.id
        db.session.commit()
        return found


def herefordshire_panel() -> Panel:
    return db.session.scalar(select(Panel).join(Council, Panel.council_id == Council.id)
                             .where(Council.slug == SLUG, Panel.key == PANEL))


def meeting_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Meeting.id).order_by(Meeting.starts_at)))


def schedule_three(client) -> None:
    page = client.get(PANEL_URL).get_data(as_text=True)
    assert "The corporate parenting panel meets every two months." in page
    preview = client.post(f"{PANEL_URL}/cycle", data={
        "csrf_token": csrf_token(page), "cycle_first_on": ["14", "1", "2026"],
        "cycle_time": "18:00", "cycle_count": "3", "cycle_location": "Shire Hall, Hereford"})
    assert preview.status_code == 200, preview.get_data(as_text=True)
    response = client.post(f"{PANEL_URL}/cycle/confirm", data=confirmation(preview))
    assert response.status_code == 302, response.get_data(as_text=True)


def confirmation(preview) -> dict[str, object]:
    """What the preview's confirmation form posts: its hidden fields."""
    form = main(preview.get_data(as_text=True)).split('id="change"')[0]
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                                  form):
        data.setdefault(name, []).append(html.unescape(value))
    return data


def test_a_panel_meeting_end_to_end(app, make_user, members) -> None:
    client = signed_in(app, make_user)
    schedule_three(client)
    page = client.get(PANEL_URL).get_data(as_text=True)
    assert "3 meetings scheduled." in page
    # 14 March 2026 is a Saturday: that meeting moved to the Monday
    for when in ("Wednesday 14 January 2026, 18:00", "Monday 16 March 2026, 18:00",
                 "Thursday 14 May 2026, 18:00"):
        assert when in page
    first, second, third = meeting_ids(app)

    # the agenda opens with Your Voice Matters, the plugin's standing item
    url = f"{BASE}/{first}"
    page = client.get(url).get_data(as_text=True)
    agenda = main(page).split('id="agenda"')[1].split('id="carried"')[0]
    assert "Your Voice Matters" in agenda and "Standing item" in agenda
    assert "Quorum rule not stated." in page

    # attendance, on its own page (linked from the meeting's), with a substitute typed in
    ids = members
    assert f'href="{url}/attendance"' in page
    page = client.get(f"{url}/attendance").get_data(as_text=True)
    response = client.post(f"{url}/attendance", data={
        "csrf_token": csrf_token(page), "recorded": value_of(page, "recorded"),
        f"status_{ids['Cllr Ann Chair']}": "present",
        f"status_{ids['Dee Director']}": "substitute",
        f"substitute_name_{ids['Dee Director']}": "Sam Deputy",
        f"status_{ids['Jo']}": "present",
        f"status_{ids['Nia Nurse']}": "apologies"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Attendance saved." in page
    assert "Quorum rule not stated. 2 voting members present." in plain(page)
    assert "Substitute: Sam Deputy" in page
    page = client.get(f"{url}/attendance").get_data(as_text=True)
    director = ids["Dee Director"]
    assert re.search(rf'name="status_{director}" type="radio" value="substitute" checked', page)
    assert re.search(r'<option value="\d+" selected>Sam Deputy</option>', page)
    with app.app_context():
        row = db.session.scalar(select(Attendance).where(
            Attendance.membership_id == ids["Dee Director"]))
        assert row.status == "substitute" and row.substitute.name == "Sam Deputy"
        panel = herefordshire_panel()
        panel.quorum_text, panel.quorum_count = "Quorum: 3", 3
        db.session.commit()
    text = plain(client.get(url).get_data(as_text=True))
    assert "Quorum: 3 needed, 2 counted. Not quorate" in text
    assert "Terms of reference: “Quorum: 3”" in text
    with app.app_context():
        herefordshire_panel().quorum_young_people_count = True
        db.session.commit()
    assert "Quorum: 3 needed, 3 counted. Quorate" in plain(client.get(url).get_data(
        as_text=True))

    # minutes
    page = client.get(url).get_data(as_text=True)
    response = client.post(f"{url}/minutes", data={
        "csrf_token": csrf_token(page), "minutes_version": value_of(page, "minutes_version"),
        "minutes": "Your Voice Matters presented their survey."})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Minutes saved." in page and "Your Voice Matters presented their survey." in page

    # an action arising, carried to the next meetings until closed
    response = client.post(f"{url}/actions", data={
        "csrf_token": csrf_token(page), "action_text": "Invite care leavers to speak",
        "action_owner": "Head of service", "action_due": ["1", "3", "2026"]})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    raised = main(page).split('id="actions"')[1]
    assert "Invite care leavers to speak" in raised and "1 March 2026" in raised
    next_page = client.get(f"{BASE}/{second}").get_data(as_text=True)
    carried = main(next_page).split('id="carried"')[1].split('id="attendance"')[0]
    assert "Invite care leavers to speak" in carried and "Head of service" in carried
    assert "Actions arising from previous meetings" in main(next_page).split(
        'id="carried"')[0]
    assert "Invite care leavers to speak" in client.get(f"{BASE}/{third}").get_data(
        as_text=True)

    with app.app_context():
        action_id = db.session.scalar(select(ActionArising.id))
    prefix = f"action-{action_id}"
    response = client.post(f"{BASE}/{second}/actions/{action_id}", data={
        f"{prefix}-csrf_token": csrf_token(next_page),
        f"{prefix}-version": value_of(next_page, f"{prefix}-version"),
        f"{prefix}-status": "done"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"{BASE}/{second}").get_data(as_text=True)
    assert "Action status saved." in page and "closed at this meeting" in page
    assert "Invite care leavers to speak" not in client.get(f"{BASE}/{third}").get_data(
        as_text=True)
    with app.app_context():
        assert db.session.get(ActionArising, action_id).closed_at_meeting_id == second

    # the public calendar file and the history
    assert client.get(f"/{SLUG}/meetings/{first}.ics").status_code == 200
    history = plain(client.get(f"{BASE}/{first}/history").get_data(as_text=True))
    assert "Attendance added" in history and "Action arising added" in history
    assert "panel_admin.herefordshire@example.org" in history
    assert "Your Voice Matters presented their survey." in history


def test_scheduling_by_hand_and_changing_the_agenda(app, make_user) -> None:
    client = signed_in(app, make_user)
    page = client.get(PANEL_URL).get_data(as_text=True)
    response = client.post(PANEL_URL, data={
        "csrf_token": csrf_token(page), "starts_on": ["9", "9", "2026"], "starts_time": "5:30pm",
        "location": ""})
    assert response.status_code == 302
    (meeting,) = meeting_ids(app)
    assert response.location == f"{BASE}/{meeting}"
    url = f"{BASE}/{meeting}"
    page = client.get(url).get_data(as_text=True)
    assert "Wednesday 9 September 2026, 17:30" in page
    for title in ("Report card", "Annual report"):
        response = client.post(f"{url}/agenda", data={"csrf_token": csrf_token(page),
                                                      "item_title": title})
        assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    with app.app_context():
        annual = db.session.scalar(select(Meeting).where(Meeting.id == meeting)).agenda[-1]
        assert annual.title == "Annual report"
        annual_id = annual.id
    response = client.post(f"{url}/agenda/change", data={
        "csrf_token": csrf_token(page), "item": annual_id, "change": "up"})
    assert response.status_code == 302
    agenda = main(client.get(url).get_data(as_text=True)).split('id="agenda"')[1]
    assert agenda.index("Annual report") < agenda.index("Report card")
    assert agenda.index("Your Voice Matters") < agenda.index("Annual report")

    # cancelling marks it cancelled in its calendar file
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={
        "csrf_token": csrf_token(page), "version": value_of(page, "version"),
        "starts_on": ["9", "9", "2026"], "starts_time": "17:30", "cancelled": "y"})
    assert response.status_code == 302
    assert "Meeting cancelled." in client.get(url).get_data(as_text=True)
    assert "STATUS:CANCELLED" in client.get(f"/{SLUG}/meetings/{meeting}.ics").get_data(
        as_text=True)


def test_minutes_saved_by_two_people_at_once_are_a_conflict_naming_who(app, make_user
                                                                        ) -> None:
    first = signed_in(app, make_user, email="first@example.org")
    second = signed_in(app, make_user, "council_admin", email="second@example.org")
    schedule_three(first)
    url = f"{BASE}/{meeting_ids(app)[0]}"
    page_1, page_2 = (c.get(url).get_data(as_text=True) for c in (first, second))

    def save(client, page, text):
        return client.post(f"{url}/minutes", data={
            "csrf_token": csrf_token(page), "minutes": text,
            "minutes_version": value_of(page, "minutes_version")})

    assert save(first, page_1, "The first person's minutes.").status_code == 302
    response = save(second, page_2, "The second person's minutes.")
    assert response.status_code == 409
    text = plain(html.unescape(response.get_data(as_text=True)))
    assert "Someone else changed this" in text
    assert re.search(r"first@example\.org changed this meeting on \d+ \w+ \d{4} at \d\d:\d\d, "
                     r"after you opened this page\. Nothing you typed has been saved", text)
    assert "The minutes saved now The first person's minutes." in text
    assert "The second person's minutes." in text  # kept in the form
    with app.app_context():
        assert db.session.scalar(select(Meeting.minutes).where(Meeting.id == meeting_ids(
            app)[0])) == "The first person's minutes."
    # saving again, now knowing, replaces them
    page = response.get_data(as_text=True)
    assert save(second, page, "The second person's minutes.").status_code == 302


def test_field_errors_name_the_field(app, make_user, members) -> None:
    client = signed_in(app, make_user)
    page = client.get(PANEL_URL).get_data(as_text=True)
    response = client.post(PANEL_URL, data={
        "csrf_token": csrf_token(page), "starts_on": ["31", "2", "2026"], "starts_time": "25:00"})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "There is a problem" in text and "<title>Error:" in text
    assert "Date must be a real date, like 27 3 2026" in text and 'href="#starts_on"' in text
    assert "Start time must be a real time, like 17:30" in text and 'href="#starts_time"' in text
    assert 'value="31"' in text and 'value="25:00"' in text

    response = client.post(f"{PANEL_URL}/cycle", data={
        "csrf_token": csrf_token(page), "cycle_first_on": ["1", "1", "2026"],
        "cycle_time": "18:00", "cycle_count": "0"})
    assert response.status_code == 400
    assert "Enter a number from 1 to 24" in response.get_data(as_text=True)

    schedule_three(client)
    url = f"{BASE}/{meeting_ids(app)[0]}"
    page = client.get(url).get_data(as_text=True)
    response = client.post(f"{url}/actions", data={
        "csrf_token": csrf_token(page), "action_text": "Something", "action_owner": ""})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Enter who will do it" in text and 'href="#action_owner"' in text
    assert "Something" in text

    substitute = members["Dee Director"]
    page = client.get(f"{url}/attendance").get_data(as_text=True)
    response = client.post(f"{url}/attendance", data={
        "csrf_token": csrf_token(page), "recorded": value_of(page, "recorded"),
        f"status_{substitute}": "substitute"})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Choose who substituted for Dee Director or type their name" in text
    assert f'href="#substitute_{substitute}"' in text

    response = client.post(f"{url}/attendance", data={
        "csrf_token": csrf_token(page), "recorded": value_of(page, "recorded")})
    assert response.status_code == 400
    assert ("Choose present, apologies, absent or substitute for at least one member"
            in html.unescape(response.get_data(as_text=True)))


def test_the_cycle_form_is_replaced_by_a_refusal_where_no_interval_is_stated(
        app, make_user) -> None:
    client = app.test_client()
    _, email = make_user("panel_admin", "isle_of_wight")
    sign_in(client, email)
    url = "/admin/isle_of_wight/meetings/panels/corporate-parenting-board"
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "does not say how many months apart its meetings are" in page
    assert "cycle_first_on" not in page
    response = client.post(f"{url}/cycle", data={
        "csrf_token": csrf_token(page), "cycle_first_on": ["1", "1", "2026"],
        "cycle_time": "18:00", "cycle_count": "3"})
    assert response.status_code == 400
    assert "Schedule each meeting by hand." in html.unescape(response.get_data(as_text=True))


def test_a_viewer_sees_the_meeting_but_no_form_and_may_not_post(app, make_user) -> None:
    admin = signed_in(app, make_user)
    schedule_three(admin)
    url = f"{BASE}/{meeting_ids(app)[0]}"
    viewer = signed_in(app, make_user, "viewer")
    page = viewer.get(url).get_data(as_text=True)
    assert "Your Voice Matters" in page
    assert "Save the minutes" not in page and "Add an action" not in page
    assert "No minutes recorded yet." in page
    token = csrf_token(viewer.get("/admin/").get_data(as_text=True))
    for path in ("/minutes", "/actions", "/attendance", "/agenda", ""):
        assert viewer.post(f"{url}{path}", data={"csrf_token": token,
                                                 "minutes": "x"}).status_code == 403
    assert viewer.post(PANEL_URL, data={"csrf_token": token}).status_code == 403


def test_another_councils_meeting_is_not_found(app, make_user) -> None:
    admin = signed_in(app, make_user)
    schedule_three(admin)
    meeting = meeting_ids(app)[0]
    site = app.test_client()
    _, email = make_user("site_admin")
    sign_in(site, email)
    assert site.get(f"/admin/isle_of_wight/meetings/{meeting}").status_code == 404
    assert site.get(f"/admin/{SLUG}/meetings/{meeting}").status_code == 200


def test_overdue_actions_arising_are_marked_where_raised_and_where_carried(app, make_user
                                                                        ) -> None:
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        panel = herefordshire_panel()
        first = services.schedule_meeting(council, panel, location=None, starts_at=dt.datetime(
            2026, 2, 2, 18, tzinfo=dt.UTC))
        second = services.schedule_meeting(council, panel, location=None, starts_at=dt.datetime(
            2026, 4, 6, 18, tzinfo=dt.UTC))
        services.add_action(first, text="Late report", owner="Officer",
                            due=dt.date(2026, 3, 1))
        services.add_action(first, text="Later report", owner="Officer",
                            due=dt.date.today() + dt.timedelta(days=10))
        ids = first.id, second.id
    client = signed_in(app, make_user, role="viewer")
    for meeting_id, section in zip(ids, ("actions", "carried"), strict=True):
        text = main(client.get(f"{BASE}/{meeting_id}").get_data(as_text=True))
        start = text.index(f'id="{section}"')
        cards = {re.search(r"<h3[^>]*>(.*?)</h3>", card)[1]: plain(card) for card in
                 re.split(r'<div class="govuk-summary-card"', text[start:])[1:]}
        assert "Status Open Overdue" in cards["Late report"], meeting_id
        assert "Overdue" not in cards["Later report"], meeting_id


def test_the_clerk_sees_the_dates_moved_to_working_days_before_any_is_scheduled(
        app, make_user) -> None:
    client = signed_in(app, make_user)
    page = client.get(PANEL_URL).get_data(as_text=True)
    assert "You will see the dates before any meeting is scheduled." in page
    # every two months from Friday 3 October 2025: 3 April 2026 is Good Friday
    preview = client.post(f"{PANEL_URL}/cycle", data={
        "csrf_token": csrf_token(page), "cycle_first_on": ["3", "10", "2025"],
        "cycle_time": "10:00", "cycle_count": "5", "cycle_location": ""})
    assert preview.status_code == 200
    text = html.unescape(main(preview.get_data(as_text=True)))
    assert "Check the dates of the meetings" in text
    assert "moves to the next working day" in text and "in England" in text
    assert table_rows(text) == [
        ["1", "Friday 3 October 2025, 10:00", ""],
        ["2", "Wednesday 3 December 2025, 10:00", ""],
        ["3", "Tuesday 3 February 2026, 10:00", ""],
        ["4", "Tuesday 7 April 2026, 10:00",
         "Moved from Friday 3 April 2026 (Good Friday, a bank holiday)"],
        ["5", "Wednesday 3 June 2026, 10:00", ""]]
    assert meeting_ids(app) == []  # nothing scheduled yet

    # a confirmation whose dates are not those shown is refused, and shows them again
    tampered = {**confirmation(preview), "cycle_count": ["4"]}
    refused = client.post(f"{PANEL_URL}/cycle/confirm", data=tampered)
    assert refused.status_code == 400
    assert "The dates worked out now are not the ones you were shown" in html.unescape(
        refused.get_data(as_text=True))
    assert meeting_ids(app) == []

    response = client.post(f"{PANEL_URL}/cycle/confirm", data=confirmation(preview))
    assert response.status_code == 302
    assert "5 meetings scheduled." in client.get(PANEL_URL).get_data(as_text=True)
    with app.app_context():
        days = [services.local_start(m).date() for m in db.session.scalars(
            select(Meeting).order_by(Meeting.starts_at))]
    assert dt.date(2026, 4, 7) in days and dt.date(2026, 4, 3) not in days
    assert all(day.weekday() < 5 for day in days)

    # previewing again now shows the clash with the meetings just scheduled, and no button
    page = client.get(PANEL_URL).get_data(as_text=True)
    again = client.post(f"{PANEL_URL}/cycle", data={
        "csrf_token": csrf_token(page), "cycle_first_on": ["3", "10", "2025"],
        "cycle_time": "10:00", "cycle_count": "2"})
    assert again.status_code == 400
    text = html.unescape(again.get_data(as_text=True))
    assert "already has a meeting on 3 October 2025, 3 December 2025" in text
    assert 'id="confirm-cycle"' not in text


def test_a_single_meeting_may_still_be_scheduled_by_hand_on_any_day(app, make_user) -> None:
    client = signed_in(app, make_user)
    page = client.get(PANEL_URL).get_data(as_text=True)
    response = client.post(PANEL_URL, data={
        "csrf_token": csrf_token(page), "starts_on": ["3", "4", "2026"], "starts_time": "10:00"})
    assert response.status_code == 302
    assert "Friday 3 April 2026, 10:00" in client.get(response.location).get_data(as_text=True)


def test_the_preview_form_refuses_what_it_cannot_read_with_field_errors(app, make_user
                                                                       ) -> None:
    client = signed_in(app, make_user)
    page = client.get(PANEL_URL).get_data(as_text=True)
    response = client.post(f"{PANEL_URL}/cycle", data={
        "csrf_token": csrf_token(page), "cycle_first_on": ["31", "2", "2026"],
        "cycle_time": "25:00", "cycle_count": "99"})
    assert response.status_code == 400
    text = html.unescape(response.get_data(as_text=True))
    assert "Date of the first meeting must be a real date" in text
    assert "Start time must be a real time" in text
    assert "Enter a number from 1 to 24" in text
    no_token = client.post(f"{PANEL_URL}/cycle/confirm", data={"cycle_count": "1"})
    assert no_token.status_code == 400 and meeting_ids(app) == []
