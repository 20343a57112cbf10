"""Attendance statistics per member and per seat for a municipal year: the year's bounds,
the counts, and the pages (admin panel and person pages; the public panel page, where young
people are never named), with one statement however many meetings there are."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from sqlalchemy import select

from core.attendance.statistics import MunicipalYear, panel_statistics, year_asked
from core.attendance.year_chart import year_attendance
from core.extensions import db
from core.meetings.models import Attendance, Meeting
from core.meetings.services import as_utc, local_datetime, meetings_around
from core.models import Council, Membership, Panel, Person, Seat
from tests.conftest import counting_queries, sign_in
from tests.core.growth import main, page, plain, table_rows
from tests.core.plans import sqlite_plans

SLUG, PANEL = "herefordshire", "corporate-parenting-panel"
TODAY = dt.date.today()
YEAR = MunicipalYear.containing(TODAY)


def test_the_municipal_year_runs_from_may_to_april() -> None:
    assert MunicipalYear.containing(dt.date(2026, 4, 30)) == MunicipalYear(2025)
    assert MunicipalYear.containing(dt.date(2026, 5, 1)) == MunicipalYear(2026)
    year = MunicipalYear(2025)
    assert (year.first_day, year.last_day, year.label) == (
        dt.date(2025, 5, 1), dt.date(2026, 4, 30), "2025/26")
    start, end = year.bounds()
    assert start == dt.datetime(2025, 4, 30, 23, 0, tzinfo=dt.UTC)  # midnight, summer time
    assert end == dt.datetime(2026, 4, 30, 23, 0, tzinfo=dt.UTC)
    assert MunicipalYear(1999).following.label == "2000/01"


def test_a_year_asked_for_must_have_begun() -> None:
    today = dt.date(2026, 12, 2)
    assert year_asked("2024", today) == MunicipalYear(2024)
    for bad in (None, "", "2027", "1999", "20x4", "-1"):
        assert year_asked(bad, today) == MunicipalYear(2026), bad


def _record(app: Flask, meetings: int = 3, slug: str = SLUG) -> dict[str, int]:
    """A chair (Cllr Ann Chair) and a young person (Jo) on the panel, at ``meetings``
    meetings of this municipal year (present, apologies, substitute in turn for the chair;
    present for Jo), plus a cancelled meeting and one of the year before."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == slug))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        seats = {s.key: s for s in db.session.scalars(select(Seat).where(
            Seat.panel_id == panel.id))}
        chair = Membership(council_id=council.id, seat=seats["seat-cabinet-member"],
                           start=dt.date(2000, 1, 1),
                           person=Person(council_id=council.id, name="Cllr Ann Chair"))
        young = Membership(council_id=council.id, seat=seats["seat-your-voice-matters"],
                           start=dt.date(2000, 1, 1),
                           person=Person(council_id=council.id, name="Jo"))
        db.session.add_all([chair, young])
        substitute = Person(council_id=council.id, name="Cllr Sub")
        days = [YEAR.first_day + dt.timedelta(days=n) for n in range(meetings)]
        plan = [(day, False) for day in days] + [(YEAR.first_day + dt.timedelta(days=40), True),
                                                 (YEAR.first_day - dt.timedelta(days=1), False)]
        statuses = ("present", "apologies", "substitute")
        for n, (day, cancelled) in enumerate(plan):
            meeting = Meeting(council_id=council.id, panel_id=panel.id, cancelled=cancelled,
                              starts_at=as_utc(local_datetime(day, dt.time(18))))
            db.session.add(meeting)
            db.session.flush()
            status = statuses[n % 3]
            db.session.add_all([
                Attendance(council_id=council.id, meeting_id=meeting.id, membership=chair,
                           status=status,
                           substitute=substitute if status == "substitute" else None),
                Attendance(council_id=council.id, meeting_id=meeting.id, membership=young,
                           status="present")])
        db.session.commit()
        return {"chair": chair.id, "young": young.id, "chair_person": chair.person_id,
                "panel": panel.id}


def test_counts_per_member_and_per_seat(app) -> None:
    ids = _record(app, meetings=4)
    with app.app_context():
        panel = db.session.get(Panel, ids["panel"])
        stats = panel_statistics(panel, YEAR)
    by_member = {line.membership_id: line.counts.values() for line in stats.members}
    # the cancelled meeting and the one of the year before are left out
    assert by_member[ids["chair"]] == (2, 1, 1, 0)
    assert by_member[ids["young"]] == (4, 0, 0, 0)
    seats = {seat.role: seat for seat in stats.seats}
    assert len(seats) == 2 and all(seat.counts.recorded == 4 for seat in seats.values())
    with app.app_context():
        panel = db.session.get(Panel, ids["panel"])
        assert panel_statistics(panel, YEAR.previous).members[0].counts.recorded == 1


def test_the_tables_rows_name_members_but_never_young_people_under_their_seat(app) -> None:
    ids = _record(app, meetings=4)
    with app.app_context():
        panel = db.session.get(Panel, ids["panel"])
        stats = panel_statistics(panel, YEAR)
    assert [[cell["text"] for cell in row] for row in stats.member_rows()] == [
        [line.name, line.role, *map(str, line.counts.values())] for line in stats.members]
    assert {row[0]["text"] for row in stats.member_rows(by_panel=True)} == {panel.name}
    named = [[cell["text"] for cell in row] for row in stats.seat_rows(name_members=True)]
    young = next(seat for seat in stats.seats if seat.young_people)
    assert [young.role, "4", "0", "0", "0"] in named
    assert [young.members[0].name, "4", "0", "0", "0"] not in named
    assert ["Cllr Ann Chair", "2", "1", "1", "0"] in named
    assert len(stats.seat_rows()) == len(stats.seats)


def test_the_pages_show_the_statistics_and_never_name_young_people_in_public(
        app, make_user) -> None:
    ids = _record(app)
    text = main(page(app.test_client(), f"/{SLUG}/panels/{PANEL}/attendance"))
    public = text.split('id="attendance"')[1]
    rows = table_rows(public)
    assert ["Cllr Ann Chair", "1", "1", "1", "0"] in rows
    assert "Jo" not in plain(public)
    assert any(row[1:] == ["3", "0", "0", "0"] for row in rows)  # the young people's seat

    client = app.test_client()
    _, email = make_user("viewer", SLUG)
    sign_in(client, email)
    admin = main(page(client, f"/admin/{SLUG}/panels/{PANEL}"))
    members = table_rows(admin.split('id="attendance-statistics"')[1])
    assert [row[2:] for row in members if row[0] == "Jo"] == [["3", "0", "0", "0"]]
    person = main(page(client, f"/admin/{SLUG}/panels/people/{ids['chair_person']}"))
    assert "Attendance, municipal year" in person
    held = table_rows(person.split('id="attendance-statistics"')[1])
    assert held[0][2:] == ["1", "1", "1", "0"]
    before = main(page(client, f"/admin/{SLUG}/panels/people/{ids['chair_person']}"
                                f"?year={YEAR.previous.start_year}"))
    assert table_rows(before.split('id="attendance-statistics"')[1])[0][2:] == [
        "0", "1", "0", "0"]  # the meeting of the year before: apologies


def test_one_statement_however_many_meetings(app, make_user) -> None:
    client = app.test_client()
    _, email = make_user("viewer", SLUG)
    sign_in(client, email)
    ids = _record(app, meetings=1)
    urls = [f"/{SLUG}/panels/{PANEL}", f"/{SLUG}/panels/{PANEL}/attendance",
            f"/admin/{SLUG}/panels/{PANEL}",
            f"/admin/{SLUG}/panels/people/{ids['chair_person']}"]
    counts: dict[str, list[int]] = {url: [] for url in urls}
    for more in (0, 5, 20):
        if more:
            _record(app, meetings=more)
        for url in urls:
            with counting_queries(app) as counted:
                assert client.get(url).status_code == 200
            counts[url].append(len(counted))
    for url, seen in counts.items():
        assert seen[0] == seen[1] == seen[2], (url, seen)


def test_the_tables_are_kept_by_what_they_show(app) -> None:
    """A table of counts is the table its rows make, kept by its caption, headings, names
    and counts: the same lines are one entry; other counts, another table."""
    from core.widgets import FIGURES_EXTENSION, kept_component, kept_figures

    ids = _record(app, meetings=4)
    head = [{"text": "Seat"}, {"text": "Present", "format": "numeric"}]
    app.extensions.pop(FIGURES_EXTENSION, None)
    with app.test_request_context("/"):
        panel = db.session.get(Panel, ids["panel"])
        stats = panel_statistics(panel, YEAR)
        tables = [stats.seat_table("Per seat", head), stats.seat_table("Per seat", head, True),
                  stats.member_table("Per member", head), stats.member_table("Per panel",
                                                                             head, True)]
        for table in tables:
            assert str(kept_figures(table)) == str(kept_component("table", "govukTable", {
                "caption": table.caption, "captionClasses": "govuk-table__caption--s",
                "head": head, "rows": table.rows()}))
        assert kept_figures(panel_statistics(panel, YEAR).seat_table("Per seat", head)) \
            == kept_figures(tables[0])
        earlier = panel_statistics(panel, YEAR.previous).seat_table("Per seat", head)
        assert earlier.key() != tables[0].key()
    memo = app.extensions[FIGURES_EXTENSION]
    assert (len(memo.entries), memo.hits) == (4, 2)


def test_a_panels_meetings_of_a_span_are_sought_not_walked_on_sqlite(app) -> None:
    """A panel's year (member by member, and meeting by meeting) and its meetings around
    today seek the panel's meetings of the span in the index of meetings by panel and start
    (migration 0031), rather than walking every meeting of the council, whose number grows
    with its history; and the year's attendance is read from its meetings (given the
    council's id on the attendance too, SQLite's planner walked all of the council's
    attendance, every panel and every year)."""
    ids = _record(app, meetings=4)
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        panel = db.session.get(Panel, ids["panel"])
        (members,) = sqlite_plans(lambda: panel_statistics(panel, YEAR))
        (meetings,) = sqlite_plans(lambda: year_attendance(panel, YEAR))
        (around,) = sqlite_plans(lambda: meetings_around(panel, TODAY))
    year_span = ("SEARCH meeting USING INDEX ix_meeting_panel_starts (panel_id=? AND "
                 "starts_at>? AND starts_at<?)")
    # the year's attendance is counted first, in a subquery SQLite materializes
    assert re.sub(r"^MATERIALIZE \w+ ", "", members).startswith(year_span), members
    assert "ix_attendance_council_id" not in members, members
    assert meetings.startswith(year_span), meetings
    # the meetings from today on and the latest before it (at most ``past``, the only rows
    # SQLite sorts again), each sought in the index and merged
    for part in ("(panel_id=? AND starts_at>?)", "(panel_id=? AND starts_at<?)"):
        assert f"SEARCH meeting USING INDEX ix_meeting_panel_starts {part}" in around, around
    assert "ix_meeting_council_id" not in members + meetings + around
