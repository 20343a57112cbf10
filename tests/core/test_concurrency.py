"""Concurrent editors lose nothing: 2, 5, 10 and 20 clerks saving the same record at the
same instant, through real HTTP to gunicorn with two workers, on the suite's database.

Each editor signs in through the real sign-in form; the page with the form is opened, and
each editor posts that form (their own CSRF token, the version and every field as the
page gave them, with their own change) at the same moment as the others (a
:class:`threading.Barrier`). For a versioned record exactly one is saved and every other
gets the 409 page with what they typed; nothing is lost (the winner's values are in the
row and in the audit log), and no answer is a server error. Nothing here depends on timing.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import MultiDict

from core.audit import AuditEvent
from core.concurrency import RETRY_AFTER_SECONDS, is_busy
from core.extensions import db
from core.meetings.models import ActionArising, Attendance, Meeting
from core.models import Action, Council, Membership, Person, Pledge, ReviewCycle
from core.pledges.models import ProgressUpdate
from core.reviews.models import Review
from core.reviews.services import next_due_after
from tests.conftest import OWN, PASSWORD, sign_in
from tests.core.servers import gunicorn

#: How many editors collide in each round.
CROWDS = (2, 5, 10, 20)
ADMIN = f"/admin/{OWN}"


# --- a browser without a browser ---------------------------------------------------------


class _Forms(HTMLParser):
    """Every form of a page: its action and the values a browser would send unchanged
    (hidden and text inputs, checked radios and boxes, selected options, text areas); a
    form without an action posts to the page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self._form: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._first_option: tuple[str, str] | None = None
        self._chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = self.forms.setdefault(a.get("action") or self.page, [])
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._form.append((a["name"], a.get("value", "on")))
            elif kind != "submit":
                self._form.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._first_option, self._chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            option = (self._select, a.get("value", ""))
            self._first_option = self._first_option or option
            if "selected" in a:
                self._form.append(option)
                self._chosen = True
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._form is not None and self._select:
            if not self._chosen and self._first_option:
                self._form.append(self._first_option)
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea:
            self._form.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Answer:
    status: int
    body: str


class Editor:
    """One clerk with their own cookie jar (session), talking HTTP to the server."""

    def __init__(self, base: str, email: str) -> None:
        self.base, self.email = base, email
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects())

    def request(self, path: str, data: list[tuple[str, str]] | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=60) as reply:
                return Answer(reply.status, reply.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode())

    def form(self, page: str, action: str) -> list[tuple[str, str]]:
        """The form posting to ``action`` on ``page``, as the page gives it."""
        answer = self.request(page)
        assert answer.status == 200, (page, answer.status)
        parser = _Forms(page)
        parser.feed(answer.body)
        assert action in parser.forms, (action, sorted(parser.forms))
        return parser.forms[action]

    def sign_in(self) -> None:
        """Sign in through the real form, then keep the CSRF token of the session."""
        fields = dict(self.form("/login", "/login") or [])
        fields.update(email=self.email, password=PASSWORD)
        assert self.request("/login", list(fields.items())).status == 302
        page = f"{ADMIN}/pledges/local-1/edit"
        self.token = dict(self.form(page, page))["csrf_token"]

    def own(self, fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """A form another editor's browser was given, with this editor's CSRF token."""
        return [(name, self.token if name.endswith("csrf_token") else value)
                for name, value in fields]


def _with(fields: list[tuple[str, str]], *dates: list[tuple[str, str]], **changes: str
          ) -> list[tuple[str, str]]:
    """``fields`` with some values replaced (or added): ``changes`` by name, and whole
    date inputs (see :func:`_date`)."""
    added = [*(pair for date in dates for pair in date), *changes.items()]
    replaced = {name for name, _ in added}
    return [(name, value) for name, value in fields if name not in replaced] + added


def _date(name: str, day: dt.date) -> list[tuple[str, str]]:
    """A GOV.UK date input's three boxes (day, month, year), all named ``name``."""
    return [(name, str(day.day)), (name, str(day.month)), (name, str(day.year))]


# --- the server and the data ---------------------------------------------------------------


@pytest.fixture
def server(app: Flask, own_data: None, database_url: str, tmp_path: Path
           ) -> Iterator[str]:
    """gunicorn with two workers on the test database (as in test_page_cache), after
    ``own_data`` has put a meeting, an action arising, a local pledge and a membership in
    Isle of Wight; yields the base URL. The server's log is printed if a test fails."""
    with app.app_context():
        db.session.remove()
    log = tmp_path / "gunicorn.log"
    with gunicorn(database_url, tmp_path, "--timeout", "120", "--backlog", "64", log=log) as base:
        yield base
    text = log.read_text()
    assert "Traceback" not in text, text


@pytest.fixture
def editors(server: str, make_user: Callable[..., Any]) -> list[Editor]:
    """Twenty site administrators, each signed in through the real form."""
    crowd = [Editor(server, make_user("site_admin", email=f"clerk{n}@example.org")[1])
             for n in range(max(CROWDS))]
    _together([lambda e=e: e.sign_in() for e in crowd[:8]])
    _together([lambda e=e: e.sign_in() for e in crowd[8:]])
    return crowd


def _together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run each call in its own thread, all released at once; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except BaseException as error:  # reported below, in the calling thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def _collide(crowd: list[Editor], page: str, action: str,
             change: Callable[[int, list[tuple[str, str]]], list[tuple[str, str]]]
             ) -> list[Answer]:
    """The first editor opens ``page`` (so every editor has the form as it is now, each
    with their own CSRF token); then, all at once, each posts it to ``action`` with
    ``change(editor number, fields)``. No answer may be a server error."""
    form = crowd[0].form(page, action)
    answers = _together([lambda i=i, e=e: e.request(action, change(i, e.own(form)))
                         for i, e in enumerate(crowd)])
    assert all(a.status < 500 for a in answers), [(a.status, a.body[:3000]) for a in answers
                                                  if a.status >= 500]
    return answers


def _one_winner(answers: list[Answer], losers: int = 409) -> int:
    """The number of the only editor saved; everyone else got ``losers``."""
    statuses = [a.status for a in answers]
    assert sorted(statuses) == sorted([302] + [losers] * (len(answers) - 1)), (
        statuses, [re.findall(r'govuk-error-message">(.*?)</', a.body, re.S) for a in answers])
    return statuses.index(302)


def _audited(app: Flask, record_type: str, record_id: int, actor: str,
             **after: Any) -> None:
    """The latest audit event of the record is the winner's, with the values saved."""
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.record_type == record_type,
                                     AuditEvent.record_id == record_id)
            .order_by(AuditEvent.id.desc()).limit(1))
        assert event is not None and event.actor == actor, (event and event.actor, actor)
        assert {key: event.after.get(key) for key in after} == after, event.after


def _row(app: Flask, model: type, **where: Any) -> Any:
    with app.app_context():
        found = db.session.scalar(select(model).filter_by(**where))
        db.session.expunge_all()
        return found


# --- the test -------------------------------------------------------------------------------


def test_simultaneous_editors_of_every_form_lose_nothing(
        app: Flask, editors: list[Editor]) -> None:
    meeting_page = f"{ADMIN}/meetings/1"
    with app.app_context():
        board = db.session.scalar(select(Membership).where(Membership.id == 1)).seat.panel.key
        council_id = db.session.scalar(select(Council.id).where(Council.slug == OWN))
        cycle = db.session.scalar(select(ReviewCycle).where(
            ReviewCycle.council_id == council_id, ReviewCycle.archived_at.is_(None))
            .order_by(ReviewCycle.position).limit(1))
        assert cycle is not None
        cycle_key, cycle_id = cycle.key, cycle.id
    statuses = ("present", "apologies", "absent")
    for round_, size in enumerate(CROWDS, start=1):
        crowd = editors[:size]
        tag = f"round {round_}"

        # attendance: the first recording, then changes to it
        want = statuses[round_ % 3]
        answers = _collide(crowd, f"{meeting_page}/attendance", f"{meeting_page}/attendance",
                           lambda i, f, want=want: _with(f, status_1=want))
        winner = crowd[_one_winner(answers)]
        row = _row(app, Attendance, meeting_id=1, membership_id=1)
        assert row.status == want
        _audited(app, "attendance", row.id, winner.email, status=want)

        # an action arising's status
        status = "done" if round_ % 2 else "open"
        answers = _collide(crowd, meeting_page, f"{meeting_page}/actions/1",
                           lambda i, f, s=status: _with(f, **{"action-1-status": s}))
        winner = crowd[_one_winner(answers)]
        assert _row(app, ActionArising, id=1).status == status
        _audited(app, "action_arising", 1, winner.email, status=status)

        # the meeting's details, then its minutes (one version for both)
        answers = _collide(crowd, meeting_page, meeting_page,
                           lambda i, f, t=tag: _with(f, location=f"Room {i} {t}"))
        number = _one_winner(answers)
        location = f"Room {number} {tag}"
        assert _row(app, Meeting, id=1).location == location
        _audited(app, "meeting", 1, crowd[number].email, location=location)
        for i, answer in enumerate(answers):
            if i != number:  # what they typed is kept on the 409 page
                assert f"Room {i} {tag}" in answer.body

        answers = _collide(crowd, meeting_page, f"{meeting_page}/minutes",
                           lambda i, f, t=tag: _with(f, minutes=f"Minutes {i} {t}"))
        number = _one_winner(answers)
        assert _row(app, Meeting, id=1).minutes == f"Minutes {number} {tag}"
        _audited(app, "meeting", 1, crowd[number].email, minutes=f"Minutes {number} {tag}")
        assert all(f"Minutes {i} {tag}" in a.body for i, a in enumerate(answers) if i != number)

        # a locally added pledge
        edit = f"{ADMIN}/pledges/local-1/edit"
        answers = _collide(crowd, edit, edit,
                           lambda i, f, t=tag: _with(f, title=f"Pledge {i} {t}"))
        number = _one_winner(answers)
        pledge = _row(app, Pledge, key="local-1", council_id=council_id)
        assert pledge.title == f"Pledge {number} {tag}"
        _audited(app, "pledge", pledge.id, crowd[number].email, title=pledge.title)
        assert all(f"Pledge {i} {tag}" in a.body for i, a in enumerate(answers) if i != number)

        # ending a membership (each round earlier than the one before, within its term)
        end = f"{ADMIN}/panels/{board}/memberships/1/end"
        last_day = dt.date(2027, 12, 31) - dt.timedelta(days=25 * round_)  # after meeting 1
        answers = _collide(crowd, end, end, lambda i, f, t=tag, d=last_day: _with(
            f, _date("end", d - dt.timedelta(days=i)), reason=f"Reason {i} {t}"))
        number = _one_winner(answers)
        membership = _row(app, Membership, id=1)
        assert (membership.ended_reason, membership.end) == (
            f"Reason {number} {tag}", last_day - dt.timedelta(days=number))
        _audited(app, "membership", 1, crowd[number].email, ended_reason=f"Reason {number} {tag}")

        # appointing the same new person: one appointment, the rest told they exist
        appoint = f"{ADMIN}/panels/{board}/appoint"
        name = f"New member {round_}"
        answers = _collide(crowd, f"{appoint}?seat=local-seat", appoint,
                           lambda i, f, n=name: _with(f, _date("start", dt.date(2026, 1, 5)),
                                                      seat="local-seat", person="",
                                                      new_name=n))
        number = _one_winner(answers, losers=400)
        assert all("already recorded" in a.body for i, a in enumerate(answers) if i != number)
        with app.app_context():
            people = db.session.scalars(select(Person.id).where(Person.name == name)).all()
            assert len(people) == 1
            assert len(db.session.scalars(select(Membership.id).where(
                Membership.person_id == people[0])).all()) == 1

        # progress updates: every one kept, the action showing the latest-dated
        action_page = f"{ADMIN}/actions/local-action"
        first = dt.date(2026, 1, 1) + dt.timedelta(days=25 * round_)
        answers = _collide(crowd, action_page, f"{action_page}/progress",
                           lambda i, f, t=tag, d=first: _with(
                               f, _date("reported_on", d + dt.timedelta(days=i)),
                               status=("on_track", "at_risk")[i % 2], note=f"Note {i} {t}"))
        assert [a.status for a in answers] == [302] * size
        latest = size - 1
        with app.app_context():
            action = db.session.scalar(select(Action).where(Action.key == "local-action"))
            assert (action.status, action.status_on) == (
                ("on_track", "at_risk")[latest % 2], first + dt.timedelta(days=latest))
            notes = db.session.scalars(select(ProgressUpdate.note).where(
                ProgressUpdate.note.endswith(f" {tag}"))).all()
            assert sorted(notes) == sorted(f"Note {i} {tag}" for i in range(size))
            recorded = db.session.scalars(select(AuditEvent.actor).where(
                AuditEvent.record_type == "progress_update",
                AuditEvent.after["note"].as_string().endswith(f" {tag}"))).all()
            assert sorted(recorded) == sorted(e.email for e in crowd)

        # reviews: every one kept, the next due date from the latest
        review = f"{ADMIN}/reviews/{cycle_key}"
        answers = _collide(crowd, review, review, lambda i, f, t=tag, d=first: _with(
            f, _date("done_on", d + dt.timedelta(days=i)), outcome=f"Outcome {i} {t}"))
        assert [a.status for a in answers] == [302] * size
        with app.app_context():
            outcomes = db.session.scalars(select(Review.outcome).where(
                Review.outcome.endswith(f" {tag}"))).all()
            assert sorted(outcomes) == sorted(f"Outcome {i} {tag}" for i in range(size))
            held = db.session.get(ReviewCycle, cycle_id)
            latest_done = max(db.session.scalars(select(Review.done_on).where(
                Review.review_cycle_id == cycle_id)))
            if held.every_months is not None and not held.interval_uncertain:
                assert held.next_due == next_due_after(held, latest_done)


# --- a write that cannot get the database in time ------------------------------------------


def test_a_write_kept_waiting_too_long_is_a_503_to_try_again(
        app: Flask, own_data: None, make_user: Callable[..., Any]) -> None:
    """Another connection holds the meeting's row (PostgreSQL) or the database's write lock
    (SQLite) for longer than a write waits: the clerk gets a 503 with Retry-After and a page
    saying nothing was saved and to try again, and the row is as it was."""
    client = app.test_client()
    assert sign_in(client, make_user("site_admin")[1]).status_code == 302
    page = f"{ADMIN}/meetings/1"
    parser = _Forms(page)
    parser.feed(client.get(page).get_data(as_text=True))
    form = _with(parser.forms[f"{page}/minutes"], minutes="Typed while the database was busy")
    with app.app_context():
        before = db.session.get(Meeting, 1).minutes
        db.session.rollback()
        with db.engine.connect() as other:
            if other.dialect.name == "sqlite":
                other.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                other.execute(select(Meeting.id).where(Meeting.id == 1).with_for_update())
            answer = client.post(f"{page}/minutes", data=MultiDict(form))
            other.rollback()
        db.session.expire_all()
        assert db.session.get(Meeting, 1).minutes == before
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Nothing you sent has been saved" in answer.get_data(as_text=True)


@pytest.mark.parametrize(("message", "sqlstate", "busy"), [
    ("database is locked", None, True),
    ("canceling statement due to lock timeout", "55P03", True),
    ("could not serialize access due to concurrent update", "40001", True),
    ("deadlock detected", "40P01", True),
    ("no such table: meeting", None, False),
])
def test_which_database_errors_mean_busy(message: str, sqlstate: str | None,
                                         busy: bool) -> None:
    class Original(Exception):
        pass

    original = Original(message)
    original.sqlstate = sqlstate  # type: ignore[attr-defined]
    assert is_busy(OperationalError("UPDATE meeting ...", {}, original)) is busy


# --- a long write leaves room for others ---------------------------------------------------


def test_a_demo_load_commits_batch_by_batch_and_others_write_in_between(
        make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    """``cpt demo`` commits each batch of whole councils, so a clerk's write waits for one
    batch at most; a write made between batches (here, from another connection after the
    first commit) is kept and takes no id the load goes on to use."""
    from core.bench import demo

    app = make_app({})
    monkeypatch.setattr(demo, "BATCH", 1)  # one council a batch
    begun: list[int] = []
    begin_batch = demo._begin_batch
    with app.app_context():
        council = Council(slug="elsewhere", name="Elsewhere", plugin="elsewhere")
        db.session.add(council)
        db.session.commit()
        council_id = council.id

        def a_clerk_writes_between_batches() -> Any:
            begun.append(1)
            if len(begun) == 2:  # the first batch is committed, the second not begun
                with db.engine.begin() as other:
                    other.execute(Person.__table__.insert().values(
                        council_id=council_id, name="Added between batches"))
            return begin_batch()

        monkeypatch.setattr(demo, "_begin_batch", a_clerk_writes_between_batches)
        report = demo.load_demo(0.02)  # three councils
        assert report.councils == 3 and len(begun) == 3
        names = db.session.scalars(select(Person.name).where(Person.council_id == council_id))
        assert list(names) == ["Added between batches"]
        demo_people = db.session.scalar(select(func.count(Person.id)).where(
            Person.council_id != council_id))
        assert demo_people == report.rows["person"]
