"""The desk's reads: the next meeting of each panel and the quorum expected from the
apologies recorded, by the meeting page's own quorum rule."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.attendance.services import everyone_present
from core.desk.reads import desk, my_actions
from core.extensions import db
from core.meetings.models import Attendance
from core.meetings.services import as_utc, local_datetime, schedule_meeting
from core.models import Council, Membership, Panel, Person, Seat

SLUG, PANEL = "herefordshire", "corporate-parenting-panel"


def _setup(app, statuses: dict[str, str | None], *, quorum: int = 2,
           young_count: bool = False):
    """Members on the chair's, director's and young people's seats; a meeting in ten days
    (and a cancelled one before it) with ``statuses`` recorded by member name."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        day = dt.date.today() + dt.timedelta(days=10)
        cancelled = schedule_meeting(council, panel, location="", starts_at=local_datetime(
            day - dt.timedelta(days=3), dt.time(18)))
        cancelled.cancelled = True
        meeting = schedule_meeting(council, panel, location="Hall",
                                   starts_at=local_datetime(day, dt.time(18)))
        panel.quorum_count, panel.quorum_young_people_count = quorum, young_count
        seats = {s.key: s for s in db.session.scalars(select(Seat).where(
            Seat.panel_id == panel.id))}
        for key, name in [("seat-cabinet-member", "Ann"), ("seat-director-children", "Dee"),
                          ("seat-your-voice-matters", "Jo")]:
            membership = Membership(council_id=council.id, seat=seats[key],
                                    start=dt.date(2020, 1, 1),
                                    person=Person(council_id=council.id, name=name))
            db.session.add(membership)
            db.session.flush()
            status = statuses.get(name)
            if status:
                db.session.add(Attendance(
                    council_id=council.id, meeting_id=meeting.id, membership_id=membership.id,
                    status=status, substitute=Person(council_id=council.id, name=f"Sub {name}")
                    if status == "substitute" else None))
        db.session.commit()
        return meeting.id


def _next(app):
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        line = next(p for p in desk(council).panels if p.panel.key == PANEL)
        return line.next_meeting


def test_the_next_meeting_skips_cancelled_ones(app) -> None:
    meeting_id = _setup(app, {})
    assert _next(app).id == meeting_id


def test_nothing_recorded_means_everyone_is_expected(app) -> None:
    _setup(app, {})
    found = _next(app)
    assert (found.expected.counted, found.apologies, found.quorum_at_risk) == (2, 0, False)


def test_apologies_put_the_quorum_at_risk_and_young_people_count_only_if_the_rule_says(
        app) -> None:
    _setup(app, {"Ann": "apologies"})
    found = _next(app)
    assert (found.expected.counted, found.apologies, found.quorum_at_risk) == (1, 1, True)


def test_a_substitute_keeps_the_seat_counted(app) -> None:
    _setup(app, {"Ann": "substitute", "Dee": "present"})
    assert _next(app).quorum_at_risk is False


def test_young_people_count_when_the_rule_says_so(app) -> None:
    _setup(app, {"Ann": "apologies"}, young_count=True)
    found = _next(app)
    assert (found.expected.counted, found.quorum_at_risk) == (2, False)


def test_no_quorum_number_is_never_at_risk(app) -> None:
    _setup(app, {"Ann": "apologies", "Dee": "apologies"}, quorum=0)
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        panel.quorum_count = None
        db.session.commit()
    assert _next(app).quorum_at_risk is False


def test_everyone_present_keeps_what_was_chosen() -> None:
    assert everyone_present([1, 2, 3], {1: "apologies", 2: None}) == {
        1: "apologies", 2: "present", 3: "present"}


def test_my_actions_of_someone_who_owns_none_is_empty(app) -> None:
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        assert my_actions(council, user_id=999).count == 0


def test_as_utc_bounds_are_used_for_the_next_meeting(app) -> None:
    """A meeting earlier today has started: the desk looks from now, not from midnight."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        now = as_utc(local_datetime(dt.date.today() + dt.timedelta(days=40), dt.time(12)))
        later = schedule_meeting(council, panel, location="", starts_at=local_datetime(
            dt.date.today() + dt.timedelta(days=40), dt.time(18)))
        schedule_meeting(council, panel, location="", starts_at=local_datetime(
            dt.date.today() + dt.timedelta(days=39), dt.time(9)))
        line = next(p for p in desk(council, now=now).panels if p.panel.key == PANEL)
        assert line.next_meeting.id == later.id
