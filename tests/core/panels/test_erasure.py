"""Erasing a person's details (UK GDPR article 17) and the retention schedule: through the
service, the admin's erase page and `cpt people`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from core.audit import AuditEvent, acting_as
from core.cli import main as cpt_main
from core.extensions import db
from core.mail.messages import Message
from core.mail.models import SentMail
from core.mail.service import send
from core.meetings.models import ActionArising, Attendance, AttendanceStatus, Meeting
from core.meetings.services import (
    AttendanceEntry,
    add_action,
    attendance_fingerprint,
    attendance_of,
    local_datetime,
    record_attendance,
    schedule_meeting,
)
from core.models import Council, Membership, Panel, Person, Seat
from core.panels.erasure import (
    ERASE,
    ErasureReason,
    apply_retention,
    due_for_erasure,
    erase_person,
    years_before,
)
from core.panels.membership import appoint, end_membership, people_of
from tests.conftest import csrf_token, sign_in
from tests.core.database import database_rows
from tests.core.growth import page, plugin_of

HEREFORDSHIRE, WIGHT = "herefordshire", "isle_of_wight"
NAME, EMAIL = "Cllr Jane Doe", "jane.doe@example.org"
OTHER = "Cllr Sam Other"


@pytest.fixture
def app(make_app: Any) -> Flask:
    """Herefordshire and the Isle of Wight: one council to erase in, one foreign to it."""
    return make_app(plugins={HEREFORDSHIRE: plugin_of(HEREFORDSHIRE),
                             WIGHT: plugin_of(WIGHT)})


def _council(slug: str = HEREFORDSHIRE) -> Council:
    return db.session.scalar(select(Council).where(Council.slug == slug))


def _panel(council: Council) -> Panel:
    return db.session.scalar(select(Panel).where(Panel.council_id == council.id))


def _day(year: int, month: int, day: int) -> dt.datetime:
    return local_datetime(dt.date(year, month, day), dt.time(18, 0))


def _record(meeting: Meeting, entries: dict[int, AttendanceEntry]) -> None:
    record_attendance(meeting, entries,
                      fingerprint=attendance_fingerprint(attendance_of(meeting)))


def jane_and_her_records(app: Flask) -> dict[str, int]:
    """Jane Doe, as a clerk records her: a membership she ended (its reason naming her),
    her email, attendance as a member and as someone's substitute, and an action arising
    she owns, a message sent to her; and Sam Other with his own records, which erasing Jane
    must not touch."""
    with app.app_context(), acting_as(None, "Clerk"):
        council = _council()
        panel = _panel(council)
        jane = appoint(council, panel, seat_key="seat-cabinet-member", person_id=None,
                       new_name=NAME, start=dt.date(2018, 5, 1), end=None,
                       on_behalf_of="Cabinet")
        jane.person.email = EMAIL
        db.session.commit()
        sam = appoint(council, panel, seat_key="seat-councillors", person_id=None,
                      new_name=OTHER, start=dt.date(2018, 5, 1), end=None,
                      on_behalf_of="Liberal Democrats")
        first = schedule_meeting(council, panel, starts_at=_day(2019, 6, 4), location=None)
        _record(first, {jane.id: AttendanceEntry(AttendanceStatus.PRESENT),
                        sam.id: AttendanceEntry(AttendanceStatus.APOLOGIES)})
        end_membership(jane, end=dt.date(2020, 4, 30),
                       reason=f"{NAME} stood down; {EMAIL} no longer read")
        later = schedule_meeting(council, panel, starts_at=_day(2021, 6, 8), location=None)
        _record(later, {sam.id: AttendanceEntry(AttendanceStatus.SUBSTITUTE,
                                                substitute_id=jane.person_id)})
        owned = add_action(first, text="Write to the virtual school head",
                           owner=" cllr jane doe ", due=None)
        sams = add_action(later, text="Report on placements", owner=OTHER, due=None)
        # the agenda pack sent to her (the mail log keeps her address) and to Sam
        for address in (EMAIL.upper(), "sam.other@council.example"):
            send(Message(to=address, subject="Agenda pack", text="Attached"),
                 kind="agenda_pack", council_id=council.id, meeting_id=later.id)
        db.session.commit()
        return {"jane": jane.person_id, "jane_membership": jane.id, "sam": sam.person_id,
                "sam_membership": sam.id, "owned": owned.id,
                "sams": sams.id, "first": first.id, "later": later.id}


def events_json(where: Any = None) -> str:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if where is not None:
        query = query.where(where)
    return json.dumps([[e.record_type, e.record_id, e.action, e.before, e.after]
                       for e in db.session.scalars(query)])


def every_text_in_the_database() -> str:
    return json.dumps(database_rows(), default=str).lower()


def erase(app: Flask, person_id: int, reason: ErasureReason = ErasureReason.REQUEST
          ) -> None:
    with app.app_context(), acting_as(None, "Data protection officer"):
        erase_person(db.session.get(Person, person_id), reason)


# --- the service --------------------------------------------------------------------------


def test_erasure_replaces_the_name_everywhere_and_nowhere_else(app) -> None:
    ids = jane_and_her_records(app)
    with app.app_context():
        assert NAME.lower() in every_text_in_the_database()
        counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Person, Membership, Attendance, ActionArising, Meeting)}
        statuses = sorted((a.meeting_id, a.membership_id, a.status, a.substitute_id)
                          for a in db.session.scalars(select(Attendance)))
    erase(app, ids["jane"])
    with app.app_context():
        text = every_text_in_the_database()
        assert "jane" not in text and EMAIL not in text
        jane = db.session.get(Person, ids["jane"])
        assert (jane.name, jane.email) == ("Erased person", None)
        # the seat she held: panel, seat, dates and organisation kept; her name replaced
        held = db.session.get(Membership, ids["jane_membership"])
        assert (held.seat.key, held.start, held.end, held.on_behalf_of) == (
            "seat-cabinet-member", dt.date(2018, 5, 1), dt.date(2020, 4, 30), "Cabinet")
        assert held.ended_reason == "Erased person stood down; Erased person no longer read"
        # attendance: the same rows, statuses and substitutes; the substitute reads erased
        assert statuses == sorted((a.meeting_id, a.membership_id, a.status, a.substitute_id)
                                  for a in db.session.scalars(select(Attendance)))
        substituted = db.session.scalar(select(Attendance).where(
            Attendance.meeting_id == ids["later"]))
        assert substituted.substitute.name == "Erased person"
        assert counts == {model.__name__: db.session.scalar(
            select(func.count()).select_from(model))
            for model in (Person, Membership, Attendance, ActionArising, Meeting)}
        # actions arising: only the owner that is her name
        owners = {a.id: (a.owner, a.text) for a in db.session.scalars(select(ActionArising))}
        assert owners[ids["owned"]] == ("Erased person", "Write to the virtual school head")
        assert owners[ids["sams"]] == (OTHER, "Report on placements")
        # Sam's records and their history are untouched
        sam = db.session.get(Person, ids["sam"])
        assert sam.name == OTHER
        assert db.session.get(Membership, ids["sam_membership"]).on_behalf_of == \
            "Liberal Democrats"
        # the mail log: the message to her reads erased, Sam's is kept
        assert sorted(db.session.scalars(select(SentMail.recipient))) == [
            "Erased person", "sam.other@council.example"]


def test_the_audit_log_of_her_rows_is_rewritten_and_the_erasure_holds_no_erased_value(
        app) -> None:
    ids = jane_and_her_records(app)
    with app.app_context():
        before = events_json()
        assert NAME in before and EMAIL in before
        count = db.session.scalar(select(func.count(AuditEvent.id)))
    erase(app, ids["jane"], ErasureReason.NO_LONGER_NEEDED)
    with app.app_context():
        after = events_json()
        assert NAME.lower() not in after.lower() and EMAIL not in after
        assert "Erased person" in after
        events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        assert len(events) == count + 1  # the erasure's own, and no other
        erasure = events[-1]
        assert (erasure.action, erasure.record_type, erasure.record_id, erasure.user_id,
                erasure.actor) == (ERASE, "person", ids["jane"], None,
                                   "Data protection officer")
        assert erasure.before == {}
        assert erasure.after["reason"] == "no_longer_needed"
        assert erasure.after["memberships"] == 1
        text = json.dumps([erasure.before, erasure.after]).lower()
        assert "jane" not in text and "erased person" not in text and "@" not in text
        # the person's own events: name replaced, email removed, nothing else changed
        created = next(e for e in events if e.record_type == "person"
                       and e.record_id == ids["jane"] and e.action == "create")
        assert created.after["name"] == "Erased person"
        emailed = next(e for e in events if e.record_type == "person"
                       and e.record_id == ids["jane"] and e.action == "update")
        assert emailed.before == {"email": None} and emailed.after == {"email": None}


def test_sams_history_is_the_same_before_and_after(app) -> None:
    ids = jane_and_her_records(app)

    def sams() -> str:
        return events_json(
            ((AuditEvent.record_type == "person") & (AuditEvent.record_id == ids["sam"]))
            | ((AuditEvent.record_type == "membership")
               & (AuditEvent.record_id == ids["sam_membership"]))
            | ((AuditEvent.record_type == "action_arising")
               & (AuditEvent.record_id == ids["sams"])))
    with app.app_context():
        unchanged = sams()
        assert OTHER in unchanged
    erase(app, ids["jane"])
    with app.app_context():
        assert sams() == unchanged


def test_an_owner_or_wording_that_only_mentions_her_is_left_as_written(app) -> None:
    """Only an owner that is her name is hers; other text is the council's record (the
    erase page says to check it)."""
    ids = jane_and_her_records(app)
    with app.app_context(), acting_as(None, "Clerk"):
        shared = add_action(db.session.get(Meeting, ids["first"]),
                            text=f"{NAME} to brief the cabinet", owner=f"{NAME} and {OTHER}",
                            due=None).id
    erase(app, ids["jane"])
    with app.app_context():
        action = db.session.get(ActionArising, shared)
        assert (action.owner, action.text) == (f"{NAME} and {OTHER}",
                                               f"{NAME} to brief the cabinet")


def test_an_erased_person_is_not_offered_again_nor_erased_twice(app) -> None:
    ids = jane_and_her_records(app)
    erase(app, ids["jane"])
    with app.app_context():
        assert [p.name for p in people_of(_council())] == [OTHER]
        with acting_as(None, "DPO"), pytest.raises(ValueError, match="erased already"):
            erase_person(db.session.get(Person, ids["jane"]), ErasureReason.REQUEST)
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == ERASE)) == 1


def test_erasure_needs_an_actor(app) -> None:
    ids = jane_and_her_records(app)
    with app.app_context(), pytest.raises(RuntimeError):
        erase_person(db.session.get(Person, ids["jane"]), ErasureReason.REQUEST)


# --- the admin's erase page ---------------------------------------------------------------


def client_as(app: Flask, make_user: Any, role: str, council: str | None = HEREFORDSHIRE
              ) -> FlaskClient:
    client = app.test_client()
    _, email = make_user(role, None if role == "site_admin" else council)
    assert sign_in(client, email).status_code == 302
    return client


def erase_url(person_id: int, slug: str = HEREFORDSHIRE) -> str:
    return f"/admin/{slug}/panels/people/{person_id}/erase"


def test_a_council_admin_erases_through_the_page(app, make_user) -> None:
    ids = jane_and_her_records(app)
    client = client_as(app, make_user, "council_admin")
    person_page = page(client, f"/admin/{HEREFORDSHIRE}/panels/people/{ids['jane']}")
    assert f'href="{erase_url(ids["jane"])}"' in person_page
    text = page(client, erase_url(ids["jane"]))
    assert "What erasure does" in text and "Erasure cannot be undone." in text
    assert "Minutes, agenda items, the wording of actions arising and what is" in text
    token = csrf_token(text)
    # nothing chosen: field errors, nothing erased
    refused = client.post(erase_url(ids["jane"]), data={"csrf_token": token})
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "Choose why their details are being erased" in body
    assert "Confirm that you understand erasure cannot be undone" in body
    # without the CSRF token: refused
    assert client.post(erase_url(ids["jane"]), data={
        "reason": "request", "confirm": "y"}).status_code == 400
    with app.app_context():
        assert db.session.get(Person, ids["jane"]).name == NAME
    done = client.post(erase_url(ids["jane"]), data={"csrf_token": token,
                                                     "reason": "request", "confirm": "y"})
    assert done.status_code == 302
    assert done.location == f"/admin/{HEREFORDSHIRE}/panels/people/{ids['jane']}"
    shown = page(client, done.location)
    assert "Their details have been erased." in shown
    assert "Their details were erased on" in shown
    assert "Reason: The person asked for their details to be erased" in shown
    assert NAME not in shown and erase_url(ids["jane"]) not in shown
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == ERASE))
        assert event.actor == f"council_admin.{HEREFORDSHIRE}@example.org"
        assert event.user_id is not None
    # a second post changes nothing
    again = client.post(erase_url(ids["jane"]), data={"csrf_token": token,
                                                      "reason": "request", "confirm": "y"})
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == ERASE)) == 1


@pytest.mark.parametrize("role", ["viewer", "contributor", "panel_admin"])
def test_only_council_admins_may_erase(app, make_user, role) -> None:
    ids = jane_and_her_records(app)
    client = client_as(app, make_user, role)
    person_page = page(client, f"/admin/{HEREFORDSHIRE}/panels/people/{ids['jane']}")
    assert "/erase" not in person_page
    assert client.get(erase_url(ids["jane"])).status_code == 403
    token = csrf_token(page(client, "/admin/"))
    assert client.post(erase_url(ids["jane"]), data={
        "csrf_token": token, "reason": "request", "confirm": "y"}).status_code == 403
    with app.app_context():
        assert db.session.get(Person, ids["jane"]).name == NAME


def test_a_council_admin_elsewhere_gets_403_and_a_site_admin_may_erase(app,
                                                                       make_user) -> None:
    ids = jane_and_her_records(app)
    foreign = client_as(app, make_user, "council_admin", WIGHT)
    token = csrf_token(page(foreign, "/admin/"))
    assert foreign.get(erase_url(ids["jane"])).status_code == 403
    data = {"csrf_token": token, "reason": "request", "confirm": "y"}
    assert foreign.post(erase_url(ids["jane"]), data=data).status_code == 403
    # nor through their own council's address: the person is not theirs
    assert foreign.get(erase_url(ids["jane"], WIGHT)).status_code == 404
    assert foreign.post(erase_url(ids["jane"], WIGHT), data=data).status_code == 404
    with app.app_context():
        assert db.session.get(Person, ids["jane"]).name == NAME
    site = client_as(app, make_user, "site_admin")
    token = csrf_token(page(site, erase_url(ids["jane"])))
    assert site.post(erase_url(ids["jane"]), data={**data, "csrf_token": token}
                     ).status_code == 302
    with app.app_context():
        assert db.session.get(Person, ids["jane"]).name == "Erased person"


# --- `cpt people` ---------------------------------------------------------------------------


@pytest.fixture
def cpt(app: Flask, database_url: str, instance_path: str, monkeypatch: Any):
    """Run `cpt ARGS` against the test database; returns (exit code, output)."""
    monkeypatch.setenv("CPT_DATABASE_URL", database_url)
    monkeypatch.setenv("CPT_INSTANCE_PATH", instance_path)

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cpt_main, list(args))
        return result.exit_code, result.output

    return run


def test_cpt_people_erase(app, cpt) -> None:
    ids = jane_and_her_records(app)
    code, output = cpt("people", "erase", "--council", HEREFORDSHIRE, "--person",
                       str(ids["jane"]), "--reason", "request")
    assert code == 0, output
    assert output.startswith(f"{HEREFORDSHIRE}: person {ids['jane']} erased (request): "
                             "1 membership(s), ")
    assert "jane" not in output.lower()
    with app.app_context():
        assert NAME.lower() not in every_text_in_the_database()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == ERASE))
        assert event.actor.startswith("cpt people erase (")
        assert event.after["reason"] == "request"
    code, output = cpt("people", "erase", "--council", HEREFORDSHIRE, "--person",
                       str(ids["jane"]), "--reason", "request")
    assert (code, output) == (0, f"{HEREFORDSHIRE}: person {ids['jane']} was erased "
                                 "already; nothing changed.\n")


def test_cpt_people_erase_refuses_what_it_cannot_find(app, cpt) -> None:
    ids = jane_and_her_records(app)
    code, output = cpt("people", "erase", "--council", WIGHT, "--person", str(ids["jane"]),
                       "--reason", "request")
    assert code == 2 and f"no person {ids['jane']} in {WIGHT}" in output
    code, output = cpt("people", "erase", "--council", "nowhere", "--person", "1",
                       "--reason", "request")
    assert code == 2 and "no council 'nowhere'" in output
    code, output = cpt("people", "erase", "--council", HEREFORDSHIRE, "--person",
                       str(ids["jane"]), "--reason", "because I say so")
    assert code == 2 and "Invalid value for '--reason'" in output
    with app.app_context():
        assert db.session.get(Person, ids["jane"]).name == NAME


# --- retention ------------------------------------------------------------------------------

TODAY = dt.date(2026, 12, 1)
LIMIT = years_before(TODAY, 6)  # 1 December 2020: ended before it is more than 6 years ago


def people_with_ends(app: Flask, ends: dict[str, list[dt.date | None]],
                     slug: str = HEREFORDSHIRE) -> dict[str, int]:
    """A person per name, with a membership ending on each date given (None: no end)."""
    ids = {}
    with app.app_context(), acting_as(None, "Clerk"):
        council = _council(slug)
        seats = list(db.session.scalars(select(Seat).where(Seat.council_id == council.id)
                                        .order_by(Seat.id)))
        if not seats:  # the Isle of Wight's board publishes no seats: add one locally
            seats = [Seat(council_id=council.id, panel=_panel(council), key="local-seat",
                          role="A seat", origin="local")]
        for name, dates in ends.items():
            person = Person(council_id=council.id, name=name,
                            created_at=dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
            for n, end in enumerate(dates):
                db.session.add(Membership(council_id=council.id, seat=seats[n],
                                          person=person, start=dt.date(2010, 1, 1), end=end))
            db.session.add(person)
            db.session.flush()
            ids[name] = person.id
        db.session.commit()
    return ids


def test_retention_erases_those_whose_memberships_all_ended_before_the_limit(app) -> None:
    ids = people_with_ends(app, {
        "Ended the day before the limit": [LIMIT - dt.timedelta(days=1)],
        "Two seats, both long ended": [dt.date(2012, 1, 1), dt.date(2015, 5, 5)],
        "Ended on the limit": [LIMIT],
        "Ended recently": [dt.date(2025, 1, 1)],
        "Long ended, and another seat now": [dt.date(2012, 1, 1), None],
        "Never ended": [None],
        "A later end of term": [dt.date(2030, 1, 1)],
    })
    with app.app_context():
        due = due_for_erasure(6, TODAY)
        assert [d.person_id for d in due] == [ids["Ended the day before the limit"],
                                               ids["Two seats, both long ended"]]
        assert {d.council_slug for d in due} == {HEREFORDSHIRE}
        # the limit moves with the years: at 4 years, the recent-enough one is due as well
        assert ids["Ended on the limit"] in [d.person_id for d in due_for_erasure(4, TODAY)]
        with acting_as(None, "cron"):
            run = apply_retention(6, today=TODAY)
        assert (run.years, run.cutoff, len(run.due)) == (6, LIMIT, 2)
        names = {p.id: p.name for p in db.session.scalars(select(Person))}
        assert names[ids["Ended the day before the limit"]] == "Erased person"
        assert names[ids["Two seats, both long ended"]] == "Erased person"
        for kept in ("Ended on the limit", "Ended recently", "Long ended, and another seat now",
                     "Never ended", "A later end of term"):
            assert names[ids[kept]] == kept
        reasons = [e.after["reason"] for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == ERASE))]
        assert reasons == ["retention", "retention"]
        # idempotent: a second run finds no one
        with acting_as(None, "cron"):
            assert apply_retention(6, today=TODAY).due == []


def test_retention_keeps_a_substitute_seen_lately_and_erases_one_seen_long_ago(app) -> None:
    with app.app_context(), acting_as(None, "Clerk"):
        council = _council()
        panel = _panel(council)
        member = appoint(council, panel, seat_key="seat-councillors", person_id=None,
                         new_name="Cllr Member", start=dt.date(2015, 1, 1), end=None,
                         on_behalf_of=None)
        old = schedule_meeting(council, panel, starts_at=_day(2016, 3, 1), location=None)
        recent = schedule_meeting(council, panel, starts_at=_day(2025, 3, 4), location=None)
        _record(old, {member.id: AttendanceEntry(AttendanceStatus.SUBSTITUTE,
                                                 substitute_name="Long ago substitute")})
        _record(recent, {member.id: AttendanceEntry(AttendanceStatus.SUBSTITUTE,
                                                    substitute_name="Recent substitute")})
        db.session.add(Person(council_id=council.id, name="Recorded today, nothing else"))
        db.session.commit()
        due = [db.session.get(Person, d.person_id).name for d in due_for_erasure(6, TODAY)]
        assert due == ["Long ago substitute"]


def test_retention_dry_run_changes_nothing(app, cpt) -> None:
    limit = years_before(dt.date.today(), 6)
    long_ago = limit - dt.timedelta(days=1)
    ids = people_with_ends(app, {"Cllr Gone": [long_ago], "Cllr Here": [None]})
    wight = people_with_ends(app, {"Cllr Gone Too": [dt.date(2001, 1, 1)]}, WIGHT)
    with app.app_context():
        rows = database_rows()
    code, output = cpt("people", "apply-retention", "--dry-run")
    assert code == 0, output
    assert output.splitlines() == [
        f"{HEREFORDSHIRE}: person {ids['Cllr Gone']} would be erased",
        f"{WIGHT}: person {wight['Cllr Gone Too']} would be erased",
        f"Retention (6 years: memberships ended before {limit.isoformat()}): 2 people "
        "would be erased. Dry run: nothing changed."]
    with app.app_context():
        assert database_rows() == rows
    # one council alone, then every council: each person once, never by name
    code, output = cpt("people", "apply-retention", "--council", WIGHT)
    assert code == 0 and output.splitlines()[0] == (
        f"{WIGHT}: person {wight['Cllr Gone Too']} erased")
    code, output = cpt("people", "apply-retention")
    assert code == 0, output
    assert output.splitlines()[:-1] == [f"{HEREFORDSHIRE}: person {ids['Cllr Gone']} erased"]
    assert output.splitlines()[-1].endswith("1 person erased.")
    assert "Cllr" not in output
    code, output = cpt("people", "apply-retention")
    assert code == 0 and output.splitlines()[-1].endswith("0 people erased.")
    with app.app_context():
        assert db.session.get(Person, ids["Cllr Here"]).name == "Cllr Here"


def test_retention_years_come_from_the_setting(app, cpt, monkeypatch) -> None:
    ids = people_with_ends(app, {"Cllr Two Years Gone": [
        years_before(dt.date.today(), 2) - dt.timedelta(days=1)]})
    code, output = cpt("people", "apply-retention", "--dry-run")
    assert output.splitlines()[-1].startswith("Retention (6 years") and "0 people" in output
    monkeypatch.setenv("CPT_RETENTION_YEARS", "2")
    code, output = cpt("people", "apply-retention", "--dry-run")
    assert code == 0, output
    assert output.splitlines()[0] == (f"{HEREFORDSHIRE}: person {ids['Cllr Two Years Gone']} "
                                      "would be erased")
    code, output = cpt("people", "apply-retention", "--dry-run", "--years", "3")
    assert "0 people would be erased" in output
    monkeypatch.setenv("CPT_RETENTION_YEARS", "six")
    code, output = cpt("people", "apply-retention", "--dry-run")
    assert code != 0


def test_retention_leaves_someone_changed_meanwhile_for_the_next_run(app, cpt,
                                                                     monkeypatch) -> None:
    import core.panels.erasure as erasure
    from core.forms import EditConflict

    ids = people_with_ends(app, {"Cllr Busy": [dt.date(2001, 1, 1)],
                                 "Cllr Quiet": [dt.date(2001, 1, 1)]})
    real = erasure.erase_person

    def crossed(person: Person, reason: ErasureReason) -> Any:
        if person.id == ids["Cllr Busy"]:
            raise EditConflict
        return real(person, reason)

    monkeypatch.setattr(erasure, "erase_person", crossed)
    result = CliRunner().invoke(cpt_main, ["people", "apply-retention"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{HEREFORDSHIRE}: person {ids['Cllr Quiet']} erased"
    assert result.stdout.splitlines()[-1].endswith("1 person erased. 1 left for the next run.")
    assert f"person {ids['Cllr Busy']} not erased" in result.stderr
    with app.app_context():
        assert db.session.get(Person, ids["Cllr Busy"]).name == "Cllr Busy"
    monkeypatch.setattr(erasure, "erase_person", real)
    code, output = cpt("people", "apply-retention")
    assert code == 0 and output.splitlines() == [
        f"{HEREFORDSHIRE}: person {ids['Cllr Busy']} erased", output.splitlines()[-1]]


def test_an_erased_person_is_not_offered_as_a_substitute(app, make_user) -> None:
    jane_and_her_records(app)
    with app.app_context():
        council = _council()
        meeting = schedule_meeting(council, _panel(council), starts_at=_day(2022, 6, 7),
                                   location=None).id
    _, email = make_user("panel_admin", HEREFORDSHIRE)
    client = app.test_client()
    sign_in(client, email)
    url = f"/admin/{HEREFORDSHIRE}/meetings/{meeting}/attendance"
    assert f">{NAME}</option>" in client.get(url).get_data(as_text=True)
    with app.app_context():
        jane = db.session.scalar(select(Person).where(Person.name == NAME)).id
    erase(app, jane)
    page = client.get(url).get_data(as_text=True)
    assert f">{NAME}</option>" not in page and "Erased person</option>" not in page
