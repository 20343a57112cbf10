"""Scheduling, agendas, quorum and actions arising, through the services."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool
from werkzeug.exceptions import NotFound

from core import row_reads
from core.concurrency import lock_for_write
from core.extensions import db
from core.forms import EditConflict
from core.meetings import services
from core.meetings.minutes import save_minutes
from core.meetings.models import (
    ActionArising,
    ActionArisingStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
)
from core.meetings.services import AttendanceEntry, MeetingError, local_datetime
from core.models import Council, Meeting, Membership, Panel, Person, Seat
from core.panels.membership import current_memberships, people_of
from core.plugins import make_plugin_host
from core.sync import sync_all
from tests.core.fakes import DictCouncil, small_council

HEREFORDSHIRE, PANEL = "herefordshire", "corporate-parenting-panel"
WIGHT, BOARD = "isle_of_wight", "corporate-parenting-board"
SIX_PM = dt.time(18, 0)


def council_and_panel(slug: str, key: str) -> tuple[Council, Panel]:
    council = db.session.scalar(select(Council).where(Council.slug == slug))
    return council, services.panel_or_404(council, key)


def schedule(slug: str, key: str, day: dt.date, time: dt.time = SIX_PM) -> Meeting:
    council, panel = council_and_panel(slug, key)
    return services.schedule_meeting(council, panel, starts_at=local_datetime(day, time),
                                     location="Shire Hall")


def titles(meeting: Meeting) -> list[tuple[str, str]]:
    db.session.refresh(meeting)
    return [(item.kind, item.title) for item in meeting.agenda]


def test_a_meeting_record_reads_what_the_model_gives(app, count_queries) -> None:
    """The public pages' meeting (one statement): the model's columns, its panel's key and
    name, its agenda in order with where each item came from; another council's meeting,
    or none, is a 404."""
    with app.app_context():
        meeting = schedule(WIGHT, BOARD, dt.date(2026, 3, 2))
        services.add_agenda_item(meeting, title="Added for this meeting", description="Why")
        empty = schedule(HEREFORDSHIRE, PANEL, dt.date(2026, 3, 3))
        db.session.execute(AgendaItem.__table__.delete().where(
            AgendaItem.meeting_id == empty.id))
        db.session.commit()
        council = db.session.scalar(select(Council).where(Council.slug == WIGHT))
        model = services.meeting_or_404(council, meeting.id)
        with count_queries() as counted:
            record = services.meeting_record_or_404(council, meeting.id)
        assert len(counted) == 1
        columns = row_reads.record_columns(Meeting)
        assert tuple(record[:len(columns)]) == tuple(
            getattr(model, column.key) for column in columns)
        # all but what the row keeps for another reader: the API's agenda, deferred
        assert {column.key for column in Meeting.__table__.c} - {
            column.key for column in columns} == {"agenda_json"}
        assert not hasattr(record, "agenda_json")
        assert (record.panel.id, record.panel.key, record.panel.name) == (
            model.panel.id, model.panel.key, model.panel.name)
        assert [(i.id, i.title, i.kind, i.standing, i.added) for i in record.agenda] == [
            (i.id, i.title, i.kind, i.standing, i.added) for i in model.agenda]
        assert record.agenda[-1].added and record.agenda[-1].title == "Added for this meeting"
        assert services.local_start(record) == services.local_start(model)
        other = db.session.scalar(select(Council).where(Council.slug == HEREFORDSHIRE))
        assert services.meeting_record_or_404(other, empty.id).agenda == []
        for council_, meeting_id in ((other, meeting.id), (council, 10**6)):
            with pytest.raises(NotFound):
                services.meeting_record_or_404(council_, meeting_id)


# --- scheduling ----------------------------------------------------------------------------


def test_scheduling_from_the_cycle_gives_dates_every_two_months_at_the_same_local_time(
        app) -> None:
    with app.app_context():
        council, panel = council_and_panel(HEREFORDSHIRE, PANEL)
        meetings = services.schedule_from_cycle(
            council, panel, first=local_datetime(dt.date(2026, 1, 31), SIX_PM), count=4,
            location=None)
        starts = [services.local_start(m) for m in meetings]
        # Saturday 31 January and Sunday 31 May move to the Monday after
        assert [s.date() for s in starts] == [dt.date(2026, 2, 2), dt.date(2026, 3, 31),
                                             dt.date(2026, 6, 1), dt.date(2026, 7, 31)]
        # 18:00 in London in winter (GMT) and in summer (BST) alike
        assert {s.time() for s in starts} == {SIX_PM}
        stored = db.session.scalars(select(Meeting.starts_at).order_by(Meeting.id)).all()
        assert services.as_utc(stored[0]).hour == 18 and services.as_utc(stored[2]).hour == 17


def test_dates_are_counted_from_the_first_so_month_ends_do_not_drift(app) -> None:
    with app.app_context():
        _, panel = council_and_panel(HEREFORDSHIRE, PANEL)
        panel.cycle_every_months = 1
        dates = [d.date() for d in services.cycle_dates(
            panel, local_datetime(dt.date(2026, 1, 31), SIX_PM), 3)]
        assert dates == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)]
        db.session.rollback()


def test_scheduling_from_a_cycle_without_an_interval_is_refused(app) -> None:
    with app.app_context():
        council, panel = council_and_panel(WIGHT, BOARD)
        assert panel.cycle_every_months is None
        with pytest.raises(MeetingError) as refused:
            services.schedule_from_cycle(council, panel, first=local_datetime(
                dt.date(2026, 1, 1), SIX_PM), count=3, location=None)
        assert "Schedule each meeting by hand" in refused.value.message
        assert db.session.scalar(select(Meeting)) is None


def test_scheduling_by_hand_and_refusing_a_second_meeting_on_the_same_day(app) -> None:
    with app.app_context():
        meeting = schedule(WIGHT, BOARD, dt.date(2026, 6, 3), dt.time(10, 30))
        assert services.local_start(meeting).time() == dt.time(10, 30)
        assert meeting.location == "Shire Hall" and not meeting.cancelled
        with pytest.raises(MeetingError) as refused:
            schedule(WIGHT, BOARD, dt.date(2026, 6, 3), dt.time(14, 0))
        assert "already has a meeting on 3 June 2026" in refused.value.message
        services.update_meeting(meeting, starts_at=services.local_start(meeting),
                                location=None, cancelled=True, version=str(meeting.version))
        schedule(WIGHT, BOARD, dt.date(2026, 6, 3), dt.time(14, 0))  # the first was cancelled


def test_meetings_around_a_day_are_those_from_it_on_and_the_latest_before_it(
        app, count_queries) -> None:
    """From the day on, earliest first (a meeting at midnight that day included); the
    latest ``past`` before it, latest first; cancelled ones too; another panel's never."""
    with app.app_context():
        days = [dt.date(2026, month, 2) for month in range(1, 10)]
        for day in days:
            schedule(WIGHT, BOARD, day)
        midnight = schedule(WIGHT, BOARD, dt.date(2026, 6, 10), dt.time(0, 0))
        services.update_meeting(midnight, starts_at=services.local_start(midnight),
                                location=None, cancelled=True, version=str(midnight.version))
        schedule(HEREFORDSHIRE, PANEL, dt.date(2026, 6, 20))
        _council, panel = council_and_panel(WIGHT, BOARD)
        with count_queries() as counted:
            upcoming, past = services.meetings_around(panel, dt.date(2026, 6, 10), past=3)
        assert len(counted) == 1
        day = lambda meeting: services.local_start(meeting).date()  # noqa: E731
        assert [day(meeting) for meeting in upcoming] == [
            dt.date(2026, 6, 10), *days[6:]]
        assert [day(meeting) for meeting in past] == [
            dt.date(2026, 6, 2), dt.date(2026, 5, 2), dt.date(2026, 4, 2)]
        assert upcoming[0].cancelled
        _upcoming, everything = services.meetings_around(panel, dt.date(2027, 1, 1), past=20)
        assert not _upcoming and len(everything) == 10


# --- agenda --------------------------------------------------------------------------------


def test_the_agenda_opens_with_the_standing_items_then_actions_arising_then_added_items(
        app) -> None:
    with app.app_context():
        first = schedule(HEREFORDSHIRE, PANEL, dt.date(2026, 1, 14))
        assert titles(first) == [("standing", "Your Voice Matters")]
        item = first.agenda[0]
        assert item.standing and not item.added and item.standing_item_id is not None
        assert item.description.startswith("Our children in care council")

        services.add_action(first, text="Write to schools", owner="Virtual school", due=None)
        second = schedule(HEREFORDSHIRE, PANEL, dt.date(2026, 3, 11))
        services.add_agenda_item(second, title="Report card", description=None)
        services.add_agenda_item(second, title="Annual report", description="Draft")
        assert titles(second) == [
            ("standing", "Your Voice Matters"),
            ("actions_arising", "Actions arising from previous meetings"),
            ("added", "Report card"), ("added", "Annual report")]


def test_an_item_added_while_another_clerk_holds_the_meeting_takes_the_next_place(
        app) -> None:
    """Two clerks add an item to one meeting at once; the second's lock waits for the
    first's commit. On PostgreSQL a statement that waited for a lock reads only the rows it
    holds again, so the agenda must be read after the lock, not joined to it: the second
    item then takes the place after the first (it took the same place when it was)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite holds the whole database before anything is read")
        meeting_id = schedule(WIGHT, BOARD, dt.date(2026, 6, 3)).id
        council_id = council_and_panel(WIGHT, BOARD)[0].id
    first_holds, failures = threading.Event(), []

    def first() -> None:
        with app.app_context():
            meeting = services.meeting_or_404(db.session.get(Council, council_id), meeting_id)
            lock_for_write(meeting)
            meeting.agenda.append(AgendaItem(
                council_id=council_id, title="First", kind=AgendaItemKind.ADDED,
                position=1 + max((item.position for item in meeting.agenda), default=-1)))
            db.session.flush()
            first_holds.set()
            _wait_for_a_writer_waiting_for_a_lock()
            db.session.commit()

    def second() -> None:
        with app.app_context():
            meeting = services.meeting_or_404(db.session.get(Council, council_id), meeting_id)
            first_holds.wait(10)
            services.add_agenda_item(meeting, title="Second", description=None)

    def run(call: Callable[[], None]) -> threading.Thread:
        def guarded() -> None:
            try:
                call()
            except BaseException as error:  # reported in the test's thread
                failures.append(error)
                first_holds.set()
        thread = threading.Thread(target=guarded)
        thread.start()
        return thread

    for thread in [run(first), run(second)]:
        thread.join(30)
    assert not failures, failures
    with app.app_context():
        added = {title: position for title, position in db.session.execute(
            select(AgendaItem.title, AgendaItem.position).where(
                AgendaItem.meeting_id == meeting_id,
                AgendaItem.kind == AgendaItemKind.ADDED))}
    assert added["Second"] == added["First"] + 1, added


def _wait_for_a_writer_waiting_for_a_lock() -> None:
    """Until another connection of this database waits for a row lock (ten seconds at
    most), read on a connection of its own."""
    watcher = create_engine(db.engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with watcher.connect() as connection:
            for _ in range(1000):
                if connection.execute(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND datname = current_database()")).scalar():
                    return
                time.sleep(0.01)
        raise AssertionError("the second clerk never waited for the lock")
    finally:
        watcher.dispose()


def test_added_items_move_and_go_but_standing_items_stay(app) -> None:
    with app.app_context():
        meeting = schedule(HEREFORDSHIRE, PANEL, dt.date(2026, 1, 14))
        for title in ("A", "B", "C"):
            services.add_agenda_item(meeting, title=title, description=None)
        by_title = {item.title: item.id for item in meeting.agenda}
        services.change_agenda_item(meeting, by_title["C"], "up")
        services.change_agenda_item(meeting, by_title["A"], "up")  # already first: stays
        assert [t for _, t in titles(meeting)] == ["Your Voice Matters", "A", "C", "B"]
        services.change_agenda_item(meeting, by_title["C"], "remove")
        assert [t for _, t in titles(meeting)] == ["Your Voice Matters", "A", "B"]
        with pytest.raises(MeetingError):
            services.change_agenda_item(meeting, by_title["Your Voice Matters"], "down")


def test_an_action_added_later_gives_meetings_already_scheduled_the_actions_arising_item(
        app) -> None:
    with app.app_context():
        council, panel = council_and_panel(HEREFORDSHIRE, PANEL)
        first, second, third = services.schedule_from_cycle(
            council, panel, first=local_datetime(dt.date(2026, 1, 14), SIX_PM), count=3,
            location=None)
        services.add_agenda_item(third, title="Added", description=None)
        services.add_action(second, text="Visit a children's home", owner="Chair", due=None)
        assert AgendaItemKind.ACTIONS_ARISING not in {kind for kind, _ in titles(first)}
        assert AgendaItemKind.ACTIONS_ARISING not in {kind for kind, _ in titles(second)}
        assert [t for _, t in titles(third)] == [
            "Your Voice Matters", "Actions arising from previous meetings", "Added"]


def test_standing_items_come_from_the_synced_definitions(make_app) -> None:
    data = small_council()
    data["panels"][0]["standing_items"].append({"key": "annual", "title": "Annual report"})
    app = make_app(plugins={"testshire": DictCouncil(data)})
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "testshire"))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id))
        june = services.schedule_meeting(council, panel, location=None,
                                         starts_at=local_datetime(dt.date(2026, 6, 2), SIX_PM))
        assert [t for _, t in titles(june)] == ["Young people's voice", "Annual report"]
        assert all(item.standing and item.standing_item_id for item in june.agenda)
        data["panels"][0]["standing_items"].pop()
        sync_all(make_plugin_host({"testshire": DictCouncil(data)}), allow_removals=True)
        july = services.schedule_meeting(council, panel, location=None,
                                         starts_at=local_datetime(dt.date(2026, 7, 7), SIX_PM))
        assert [t for _, t in titles(july)] == ["Young people's voice"]
        assert [t for _, t in titles(june)] == ["Young people's voice", "Annual report"]


# --- attendance and quorum -----------------------------------------------------------------


def _seat(council: Council, panel: Panel, key: str, *, voting: bool | None = None,
          young_people: bool = False) -> Seat:
    seat = Seat(council_id=council.id, panel=panel, key=key, role=f"Role {key}",
                origin="local", voting=voting, young_people=young_people)
    db.session.add(seat)
    return seat


def _member(council: Council, seat: Seat, name: str, start: dt.date = dt.date(2025, 1, 1),
            end: dt.date | None = None) -> Membership:
    membership = Membership(council_id=council.id, seat=seat, start=start, end=end,
                            person=Person(council_id=council.id, name=name))
    db.session.add(membership)
    return membership


@pytest.fixture
def board(app):
    """The Isle of Wight board with five seats held, one meeting on 10 March 2026."""
    with app.app_context():
        council, panel = council_and_panel(WIGHT, BOARD)
        seats = {
            "chair": _seat(council, panel, "chair", voting=True),
            "member": _seat(council, panel, "member"),  # voting not stated: counts
            "adviser": _seat(council, panel, "adviser", voting=False),
            "young": _seat(council, panel, "young", young_people=True),
            "officer": _seat(council, panel, "officer"),
        }
        people = {key: _member(council, seat, f"Person {key}") for key, seat in seats.items()}
        _member(council, seats["member"], "Former member", end=dt.date(2025, 12, 31))
        _member(council, seats["member"], "Future member", start=dt.date(2026, 4, 1))
        db.session.commit()
        meeting = schedule(WIGHT, BOARD, dt.date(2026, 3, 10))
        yield meeting.id, {key: m.id for key, m in people.items()}


def _quorum(meeting: Meeting):
    memberships = current_memberships(meeting.panel, services.meeting_date(meeting))
    return services.quorum(meeting.panel, memberships, services.attendance_of(meeting))


def _record(meeting: Meeting, entries: dict[int, AttendanceEntry]) -> None:
    services.record_attendance(meeting, entries, fingerprint=services.attendance_fingerprint(
        services.attendance_of(meeting)))


def test_attendance_lists_the_memberships_current_on_the_meeting_date(app, board) -> None:
    meeting_id, _ = board
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        names = [m.person.name for m in current_memberships(
            meeting.panel, services.meeting_date(meeting))]
        assert names == ["Person chair", "Person member", "Person adviser", "Person young",
                         "Person officer"]


def test_quorum_counts_present_voting_members_and_substitutes(app, board) -> None:
    meeting_id, members = board
    present = AttendanceEntry(AttendanceStatus.PRESENT)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        _record(meeting, {
            members["chair"]: present,
            members["member"]: AttendanceEntry(AttendanceStatus.SUBSTITUTE,
                                               substitute_name="Sam Stand-in"),
            members["adviser"]: present,  # non-voting seat
            members["young"]: present,  # young people: not counted unless the rule says so
            members["officer"]: AttendanceEntry(AttendanceStatus.APOLOGIES),
        })
        result = _quorum(meeting)
        assert result.counted == 2
        assert (result.needed, result.met, result.stated) == (None, None, False)

        meeting.panel.quorum_text, meeting.panel.quorum_count = "Quorum: 3", 3
        assert (_quorum(meeting).counted, _quorum(meeting).met) == (2, False)
        meeting.panel.quorum_young_people_count = True
        assert (_quorum(meeting).counted, _quorum(meeting).met) == (3, True)
        meeting.panel.quorum_young_people_count = False
        assert _quorum(meeting).counted == 2
        db.session.rollback()
        substitute = db.session.scalar(select(Attendance).where(
            Attendance.membership_id == members["member"]))
        assert substitute.substitute.name == "Sam Stand-in"


def test_the_register_read_as_narrow_rows_is_the_memberships_and_attendance(app, board) -> None:
    meeting_id, members = board
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        _record(meeting, {
            members["chair"]: AttendanceEntry(AttendanceStatus.PRESENT),
            members["member"]: AttendanceEntry(AttendanceStatus.SUBSTITUTE,
                                               substitute_name="Sam Stand-in"),
            members["young"]: AttendanceEntry(AttendanceStatus.PRESENT),
            members["officer"]: AttendanceEntry(AttendanceStatus.APOLOGIES),
        })  # the adviser not recorded
        lines, recorded = services.register_of(meeting)
        memberships = current_memberships(meeting.panel, services.meeting_date(meeting))
        attendance = services.attendance_of(meeting)
        assert [(m.id, m.person_id, m.person.name, m.seat.role, m.seat.voting,
                 m.seat.young_people) for m in lines] == [
            (m.id, m.person_id, m.person.name, m.seat.role, m.seat.voting, m.seat.young_people)
            for m in memberships]
        assert {key: (row.status, row.substitute_id, row.substitute and row.substitute.name)
                for key, row in recorded.items()} == {
            key: (row.status, row.substitute_id, row.substitute and row.substitute.name)
            for key, row in attendance.items()}
        assert recorded[members["member"]].substitute.name == "Sam Stand-in"
        assert members["adviser"] not in recorded
        for young_people_count in (None, True, False):
            meeting.panel.quorum_young_people_count = young_people_count
            assert services.quorum(meeting.panel, lines, recorded) == services.quorum(
                meeting.panel, memberships, attendance)
        db.session.rollback()


def test_a_typed_substitute_who_is_already_recorded_is_not_recorded_twice(app, board) -> None:
    meeting_id, members = board
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        council = db.session.get(Council, meeting.council_id)
        before = len(people_of(council))
        _record(meeting, {members["member"]: AttendanceEntry(
            AttendanceStatus.SUBSTITUTE, substitute_name="person CHAIR ")})
        assert len(people_of(council)) == before
        with pytest.raises(MeetingError):
            _record(meeting, {members["chair"]: AttendanceEntry(
                AttendanceStatus.SUBSTITUTE, substitute_name="Person chair")})


def test_attendance_recorded_from_an_older_state_is_a_conflict(app, board) -> None:
    meeting_id, members = board
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        stale = services.attendance_fingerprint(services.attendance_of(meeting))
        _record(meeting, {members["chair"]: AttendanceEntry(AttendanceStatus.PRESENT)})
        with pytest.raises(EditConflict):
            services.record_attendance(
                meeting, {members["chair"]: AttendanceEntry(AttendanceStatus.ABSENT)},
                fingerprint=stale)


def test_quorum_with_no_seat_counted_is_zero(app) -> None:
    panel = Panel(quorum_count=2, quorum_text="Two members", quorum_young_people_count=None)
    result = services.quorum(panel, [], {})
    assert (result.counted, result.needed, result.met) == (0, 2, False)


# --- minutes and actions arising -----------------------------------------------------------


def test_minutes_saved_from_an_older_version_are_refused(app) -> None:
    with app.app_context():
        meeting = schedule(WIGHT, BOARD, dt.date(2026, 3, 10))
        version = str(meeting.version)
        save_minutes(meeting, "First draft", version)
        with pytest.raises(EditConflict):
            save_minutes(meeting, "Crossed edit", version)
        db.session.refresh(meeting)
        assert meeting.minutes == "First draft"


def test_open_actions_are_carried_forward_until_closed(app) -> None:
    with app.app_context():
        council, panel = council_and_panel(HEREFORDSHIRE, PANEL)
        meetings = services.schedule_from_cycle(
            council, panel, first=local_datetime(dt.date(2026, 1, 14), SIX_PM), count=4,
            location=None)
        first, second, third, fourth = meetings
        kept = services.add_action(first, text="Kept open", owner="Chair",
                                   due=dt.date(2026, 4, 1))
        closed = services.add_action(first, text="Closed at the third", owner="Director",
                                     due=None)
        later = services.add_action(second, text="From the second", owner="Nurse", due=None)

        assert [a.text for a in services.actions_raised_at(first)] == ["Kept open",
                                                                      "Closed at the third"]
        assert services.carried_forward(first) == []
        assert [a.text for a in services.carried_forward(second)] == [
            "Kept open", "Closed at the third"]

        services.set_action_status(third, closed, ActionArisingStatus.DONE,
                                   str(closed.version))
        assert closed.closed_at_meeting_id == third.id
        assert [a.text for a in services.carried_forward(third)] == [
            "Kept open", "Closed at the third", "From the second"]  # closed here: still shown
        assert [a.text for a in services.carried_forward(fourth)] == [
            "Kept open", "From the second"]
        assert [a.text for a in services.carried_forward(second)] == [
            "Kept open", "Closed at the third"]  # it was open then

        services.set_action_status(fourth, later, ActionArisingStatus.DROPPED,
                                   str(later.version))
        services.set_action_status(fourth, kept, ActionArisingStatus.DONE, str(kept.version))
        fifth = schedule(HEREFORDSHIRE, PANEL, dt.date(2026, 9, 9))
        assert services.carried_forward(fifth) == []
        assert [k for k, _ in titles(fifth)] == ["standing"]  # nothing open: no item

        services.set_action_status(fourth, kept, ActionArisingStatus.OPEN, str(kept.version))
        assert kept.closed_at_meeting_id is None
        assert [a.text for a in services.carried_forward(fifth)] == ["Kept open"]
        assert [k for k, _ in titles(fifth)] == ["standing", "actions_arising"]

        extra = services.add_action(third, text="Raised at the third", owner="Clerk", due=None)
        services.add_action(third, text="Another at the third", owner="Clerk", due=None)
        services.set_action_status(third, extra, ActionArisingStatus.DONE, str(extra.version))
        for meeting in (first, second, third, fourth, fifth):  # the admin page's one statement
            carried, raised = services.carried_and_raised(meeting)
            assert [a.id for a in carried] == [a.id for a in services.carried_forward(meeting)]
            assert [(a.id, a.text, a.raised_at, a.closed_at) for a in raised] == [
                (a.id, a.text, a.meeting.starts_at,
                 a.closed_at_meeting and a.closed_at_meeting.starts_at)
                for a in services.actions_raised_at(meeting)]
            # the public page's rows tell what the admin's models tell
            assert [(a.text, a.is_open, a.overdue_on(dt.date(2026, 5, 1))) for a in carried] \
                == [(a.text, a.is_open, a.overdue_on(dt.date(2026, 5, 1)))
                    for a in services.carried_forward(meeting)]
        assert [[a.text for a in part] for part in services.carried_and_raised(third)] == [
            ["Kept open", "Closed at the third", "From the second"],
            ["Raised at the third", "Another at the third"]]


def test_an_action_changed_from_an_older_version_is_a_conflict(app) -> None:
    with app.app_context():
        meeting = schedule(WIGHT, BOARD, dt.date(2026, 3, 10))
        action = services.add_action(meeting, text="A", owner="B", due=None)
        version = str(action.version)
        services.set_action_status(meeting, action, ActionArisingStatus.DONE, version)
        with pytest.raises(EditConflict):
            services.set_action_status(meeting, action, ActionArisingStatus.DROPPED, version)
        assert action.status == ActionArisingStatus.DONE


@pytest.mark.parametrize(("status", "due", "overdue"), [
    ("open", dt.date(2026, 5, 1), True),
    ("open", dt.date(2026, 5, 2), False),
    ("open", None, False),
    ("done", dt.date(2026, 1, 1), False),
    ("dropped", dt.date(2026, 1, 1), False),
])
def test_an_action_arising_is_overdue_when_open_past_its_due_date(
        status: str, due: dt.date | None, overdue: bool) -> None:
    action = ActionArising(text="A", owner="B", status=status, due=due)
    assert action.overdue_on(dt.date(2026, 5, 2)) is overdue


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_dates_from_a_cycle_move_off_weekends_and_the_nations_bank_holidays(
        app, nation: str) -> None:
    with app.app_context():
        council, panel = council_and_panel(HEREFORDSHIRE, PANEL)
        council.nation = nation
        proposed = services.proposed_meetings(
            council, panel, local_datetime(dt.date(2025, 12, 3), SIX_PM), 3)
        assert [(services.as_utc(p.starts_at).astimezone(services.LONDON).date(), p.asked,
                 p.holiday) for p in proposed] == [
            (dt.date(2025, 12, 3), None, None),
            (dt.date(2026, 2, 3), None, None),
            # 3 April 2026 is Good Friday: the Tuesday after Easter Monday
            (dt.date(2026, 4, 7), dt.date(2026, 4, 3), "Good Friday")]
        assert all(p.starts_at.astimezone(services.LONDON).time() == SIX_PM for p in proposed)
        assert services.proposal_digest(proposed) == services.proposal_digest(
            services.proposed_meetings(council, panel,
                                       local_datetime(dt.date(2025, 12, 3), SIX_PM), 3))
        db.session.rollback()
