"""The clerk's desk and "My actions": what they show, where people land after signing in,
and a fixed number of statements as the council grows."""

from __future__ import annotations

import datetime as dt
import io

from flask import Flask
from sqlalchemy import select

from core.extensions import db
from core.meetings.models import ActionArising, Attendance, AttendanceStatus
from core.meetings.papers import add_paper
from core.meetings.services import add_action, add_agenda_item, local_datetime, schedule_meeting
from core.models import Action, ActionOwner, Council, Membership, Panel, Person, Seat
from tests.conftest import SMALL_PDF, counting_queries, sign_in
from tests.core.growth import grow, main, page, plain

HEREFORDSHIRE, BRACKNELL = "herefordshire", "bracknell_forest"
PANEL = "corporate-parenting-panel"


def _council(slug: str = HEREFORDSHIRE) -> Council:
    return db.session.scalar(select(Council).where(Council.slug == slug))


def _signed_in(app: Flask, make_user, role: str, slug: str = HEREFORDSHIRE):
    client = app.test_client()
    _, email = make_user(role, slug)
    response = sign_in(client, email)
    assert response.status_code == 302
    return client, response


def test_a_clerk_of_one_council_lands_on_its_desk(app, make_user) -> None:
    client, response = _signed_in(app, make_user, "panel_admin")
    assert response.location == "/admin/start"
    landed = client.get("/admin/start")
    assert landed.status_code == 302
    assert landed.location == f"/admin/{HEREFORDSHIRE}/desk"
    text = main(page(client, landed.location))
    assert "<h1 class=\"govuk-heading-xl\">Desk</h1>" in text
    assert client.get("/admin/").status_code == 200  # the list stays where it was


def test_a_contributor_lands_on_my_actions_and_a_viewer_on_the_chooser(app, make_user) -> None:
    client, _ = _signed_in(app, make_user, "contributor")
    assert client.get("/admin/start").location == f"/admin/{HEREFORDSHIRE}/my-actions"
    viewer, _ = _signed_in(app, make_user, "viewer")
    assert viewer.get("/admin/start").location == "/admin/"


def test_a_clerk_of_several_councils_and_a_site_admin_keep_the_chooser(app, make_user,
                                                                       admin_client) -> None:
    from core.auth.models import RoleAssignment, User

    client = app.test_client()
    _, email = make_user("council_admin", HEREFORDSHIRE)
    with app.app_context():  # before signing in: a change of roles ends the user's sessions
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.add(RoleAssignment(user_id=user.id, council_id=_council("staffordshire").id,
                                      role="panel_admin"))
        db.session.commit()
    sign_in(client, email)
    assert client.get("/admin/start").location == "/admin/"
    assert admin_client.get("/admin/start").location == "/admin/"


def test_a_page_asked_for_before_signing_in_wins(app, make_user) -> None:
    from tests.conftest import PASSWORD, csrf_token

    client = app.test_client()
    _, email = make_user("panel_admin", HEREFORDSHIRE)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(f"/login?next=/admin/{HEREFORDSHIRE}/meetings", data={
        "csrf_token": token, "email": email, "password": PASSWORD})
    assert response.location == f"/admin/{HEREFORDSHIRE}/meetings"


def _next_meeting(app: Flask, *, apologies: int = 0, item: bool = False,
                  paper: bool = False) -> int:
    """A meeting of Herefordshire's panel in 30 days, with members on every voting seat and
    ``apologies`` of them sending apologies; the panel's quorum is set at 3 (its published
    terms give none)."""
    with app.app_context():
        council = _council()
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        day = dt.date.today() + dt.timedelta(days=30)
        meeting = schedule_meeting(council, panel, starts_at=local_datetime(day, dt.time(18)),
                                   location="Shire Hall")
        panel.quorum_count, panel.quorum_text = 3, "Quorum: 3"
        seats = [s for s in db.session.scalars(select(Seat).where(Seat.panel_id == panel.id))
                 if panel.counts_towards_quorum(s)]
        for n, seat in enumerate(seats):
            membership = Membership(council_id=council.id, seat=seat,
                                    start=dt.date(2020, 1, 1),
                                    person=Person(council_id=council.id, name=f"Cllr {n}"))
            db.session.add(membership)
            db.session.flush()
            if n < apologies:
                db.session.add(Attendance(council_id=council.id, meeting_id=meeting.id,
                                          membership_id=membership.id,
                                          status=AttendanceStatus.APOLOGIES))
        db.session.commit()
        if item:
            added = add_agenda_item(meeting, title="Report on placements", description="")
            if paper:
                add_paper(meeting, added, title="Placements report",
                          stream=io.BytesIO(SMALL_PDF), filename="report.pdf", public=True,
                          exemption=None)
        return meeting.id


def test_the_desk_shows_what_is_missing_for_the_next_meeting(app, make_user) -> None:
    meeting_id = _next_meeting(app, apologies=99)
    client, _ = _signed_in(app, make_user, "panel_admin")
    text = plain(main(page(client, f"/admin/{HEREFORDSHIRE}/desk")))
    assert "Missing Nothing on the agenda beyond the standing items." in text
    assert "At risk" in text and "apologies recorded" in text
    assert f"/admin/{HEREFORDSHIRE}/meetings/{meeting_id}" in page(
        client, f"/admin/{HEREFORDSHIRE}/desk")


def test_the_desk_says_nothing_is_missing_when_nothing_is(app, make_user) -> None:
    _next_meeting(app, apologies=0, item=True, paper=True)
    client, _ = _signed_in(app, make_user, "panel_admin")
    text = plain(main(page(client, f"/admin/{HEREFORDSHIRE}/desk")))
    assert "1 item beyond the standing items." in text
    assert "Every item has its papers." in text
    assert "At risk" not in text and "Missing" not in text


def test_the_desk_shows_items_still_waiting_for_their_papers(app, make_user) -> None:
    _next_meeting(app, apologies=0, item=True)
    client, _ = _signed_in(app, make_user, "panel_admin")
    text = plain(main(page(client, f"/admin/{HEREFORDSHIRE}/desk")))
    assert "Missing 1 item has no paper yet." in text


def test_the_desk_lists_overdue_actions_arising_terms_ending_and_reviews(app,
                                                                        make_user) -> None:
    meeting_id = _next_meeting(app)
    with app.app_context():
        council = _council()
        from core.meetings.services import meeting_or_404
        meeting = meeting_or_404(council, meeting_id)
        add_action(meeting, text="Send the report to cabinet", owner="Head of service",
                   due=dt.date.today() - dt.timedelta(days=3))
        add_action(meeting, text="Not due yet", owner="Someone",
                   due=dt.date.today() + dt.timedelta(days=3))
        membership = db.session.scalar(select(Membership).where(
            Membership.council_id == council.id).order_by(Membership.id).limit(1))
        membership.end = dt.date.today() + dt.timedelta(days=10)
        db.session.commit()
    client, _ = _signed_in(app, make_user, "panel_admin")
    text = plain(main(page(client, f"/admin/{HEREFORDSHIRE}/desk")))
    assert "Send the report to cabinet Head of service" in text
    assert "Not due yet" not in text
    assert "Cllr 0" in text.split("Terms ending within 60 days")[1]
    assert "Reviews due and overdue" in text


def _own_actions(app: Flask, email: str, slug: str = BRACKNELL) -> None:
    """Three actions of the council owned by the user: one overdue, one due in five days,
    one complete."""
    from core.auth.models import User

    with app.app_context():
        council = _council(slug)
        user = db.session.scalar(select(User).where(User.email == email))
        actions = list(db.session.scalars(select(Action).where(
            Action.council_id == council.id).order_by(Action.id).limit(3)))
        today = dt.date.today()
        for action, due, status in zip(actions, (today - dt.timedelta(days=5),
                                                 today + dt.timedelta(days=5), None),
                                       ("on_track", "at_risk", "complete"), strict=True):
            action.due, action.status = due, status
            db.session.add(ActionOwner(council_id=council.id, action_id=action.id,
                                       user_id=user.id))
        db.session.commit()


def test_my_actions_sorts_what_is_due(app, make_user) -> None:
    client = app.test_client()
    _, email = make_user("contributor", BRACKNELL)
    _own_actions(app, email)
    sign_in(client, email)
    text = main(page(client, f"/admin/{BRACKNELL}/my-actions"))
    assert "You own 3 actions of the action plan." in plain(text)
    overdue = text.split('id="overdue"')[1].split('id="due-soon"')[0]
    soon = text.split('id="due-soon"')[1].split('id="complete"')[0]
    assert "Due date passed" in overdue and "Report progress" in overdue
    assert "Due date passed" not in soon and "Report progress" in soon
    assert "#progress" in overdue


def test_my_actions_without_any(app, make_user) -> None:
    client, _ = _signed_in(app, make_user, "contributor")
    text = plain(main(page(client, f"/admin/{HEREFORDSHIRE}/my-actions")))
    assert "You do not own any action of the action plan." in text


def _counts_while_growing(app: Flask, client, slug: str, url: str,
                          after_growth=lambda: None) -> list[tuple[int, int]]:
    """(statements, body size) of the page as synced, then grown by 5 and 20 more."""
    seen = []
    for factor in (0, 5, 20):
        if factor:
            grow(app, slug, factor)
            after_growth()
        with counting_queries(app) as counted:
            response = client.get(url)
        assert response.status_code == 200
        seen.append((len(counted), len(response.get_data())))
    return seen


def _assert_flat(url: str, seen: list[tuple[int, int]]) -> None:
    statements, sizes = [n for n, _ in seen], [size for _, size in seen]
    assert statements[0] == statements[1] == statements[2], (url, statements)
    assert sizes[0] < sizes[1] < sizes[2], (url, sizes)


def test_the_desk_runs_a_fixed_number_of_statements(app, make_user) -> None:
    """Grown by 5 and then 20 more of everything (tests/core/growth.py: panels, meetings,
    members, overdue actions arising, review cycles), the desk runs the same statements
    and shows more."""
    _next_meeting(app, apologies=1)
    client, _ = _signed_in(app, make_user, "panel_admin")
    url = f"/admin/{HEREFORDSHIRE}/desk"
    _assert_flat(url, _counts_while_growing(app, client, HEREFORDSHIRE, url))


def test_my_actions_runs_a_fixed_number_of_statements(app, make_user) -> None:
    from core.auth.models import User

    client = app.test_client()
    _, email = make_user("contributor", BRACKNELL)
    _own_actions(app, email)
    sign_in(client, email)

    def own_the_grown_actions() -> None:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            owned = set(db.session.scalars(select(ActionOwner.action_id)))
            for action in db.session.scalars(select(Action).where(
                    Action.council_id == _council(BRACKNELL).id,
                    Action.key.startswith("grow-"))):
                if action.id not in owned:
                    db.session.add(ActionOwner(council_id=action.council_id,
                                               action_id=action.id, user_id=user.id))
            db.session.commit()

    url = f"/admin/{BRACKNELL}/my-actions"
    _assert_flat(url, _counts_while_growing(app, client, BRACKNELL, url, own_the_grown_actions))


def test_overdue_actions_arising_of_another_council_never_show(app, make_user) -> None:
    with app.app_context():
        other = _council("staffordshire")
        panel = db.session.scalar(select(Panel).where(Panel.council_id == other.id))
        meeting = schedule_meeting(other, panel, starts_at=local_datetime(
            dt.date.today() - dt.timedelta(days=40), dt.time(18)), location="")
        db.session.add(ActionArising(council_id=other.id, panel_id=panel.id,
                                     meeting_id=meeting.id, text="Foreign action",
                                     owner="X", due=dt.date(2020, 1, 1)))
        db.session.commit()
    client, _ = _signed_in(app, make_user, "panel_admin")
    assert "Foreign action" not in page(client, f"/admin/{HEREFORDSHIRE}/desk")
