"""`cpt remind` against a real SMTP server on loopback, on a clock set by the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import func, select

from core.auth.models import Role
from core.auth.services import create_user
from core.cli import main
from core.extensions import db
from core.mail.models import SentMail
from core.mail.settings import ENVIRONMENT
from core.modelbase import ORIGIN_LOCAL
from core.models import (
    Action,
    ActionOwner,
    Council,
    Membership,
    Panel,
    Person,
    Pledge,
    ReviewCycle,
    ReviewOwner,
    Seat,
)
from core.pledges.models import ActionStatus
from core.reminders import run
from core.reminders.run import remind
from tests.conftest import PASSWORD, counting_queries
from tests.core.growth import grow

TODAY = dt.date(2027, 2, 1)
PUBLIC = "https://cpt.council.example"
SLUG = "herefordshire"
OWNER, REVIEWER, CLERK = ("owner@herefordshire.example", "reviewer@herefordshire.example",
                          "clerk@herefordshire.example")


@pytest.fixture
def clock(monkeypatch) -> dict[str, dt.datetime]:
    """The time the mail service (and so ``cpt remind``) reads: 09:00 on :data:`TODAY`,
    moved by setting ``clock["now"]``."""
    now = {"now": dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)}
    monkeypatch.setattr("core.mail.service.utcnow", lambda: now["now"])
    return now


def _council(slug: str) -> Council:
    return db.session.scalar(select(Council).where(Council.slug == slug))


def add_due(app: Flask, slug: str, n: int, owner: str, reviewer: str) -> None:
    """``n`` of each thing reminded of in ``slug``, owned by ``owner`` and ``reviewer``,
    and as many that are not (later, or complete)."""
    with app.app_context():
        council = _council(slug)
        users = {u.email: u for u in [owner_user(owner, slug), owner_user(reviewer, slug)]}
        start = db.session.scalar(select(func.count(ReviewCycle.id)).where(
            ReviewCycle.key.startswith("remind-"), ReviewCycle.council_id == council.id))
        pledge = Pledge(council_id=council.id, key=f"remind-pledge-{start}",
                        number=500 + start, title="Reminded pledge", origin=ORIGIN_LOCAL)
        db.session.add(pledge)
        for index in range(4 * n):
            action = Action(council_id=council.id, pledge=pledge, key=f"remind-{start}.{index}",
                            number=index + 1, wording=f"Reminded action {start}.{index}",
                            origin=ORIGIN_LOCAL, due=TODAY + dt.timedelta(
                                days=(5, -10, 30, -3)[index % 4]),
                            status=(ActionStatus.COMPLETE if index % 4 == 3
                                    else ActionStatus.AT_RISK))
            db.session.add(action)
            db.session.flush()
            db.session.add(ActionOwner(council_id=council.id, action_id=action.id,
                                       user_id=users[owner].id))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id)
                                  .order_by(Panel.position).limit(1))
        for i in range(start, start + n):
            for part, days, owned in (("a", 3, True), ("b", -1, False), ("c", 40, True)):
                cycle = ReviewCycle(council_id=council.id, key=f"remind-{i}{part}",
                                    subject=f"Review {i}{part}", origin=ORIGIN_LOCAL,
                                    position=900 + i, next_due=TODAY + dt.timedelta(days))
                db.session.add(cycle)
                db.session.flush()
                if owned:
                    db.session.add(ReviewOwner(council_id=council.id, review_cycle_id=cycle.id,
                                               user_id=users[reviewer].id))
            seat = Seat(council_id=council.id, panel=panel, key=f"remind-seat-{i}",
                        role=f"Seat {i}", origin=ORIGIN_LOCAL, position=900 + i)
            for person, days in ((f"Ending Member {i}", 20), (f"Staying Member {i}", 90)):
                db.session.add(Membership(council_id=council.id, seat=seat,
                                          person=Person(council_id=council.id, name=person),
                                          start=dt.date(2024, 1, 1),
                                          end=TODAY + dt.timedelta(days)))
        db.session.commit()


def owner_user(email: str, slug: str, role: Role = Role.CONTRIBUTOR) -> Any:
    from core.auth.services import user_by_email

    return user_by_email(email) or create_user(email, PASSWORD, role=role, council_slug=slug)


@pytest.fixture
def due(app: Flask) -> None:
    add_due(app, SLUG, 1, OWNER, REVIEWER)
    with app.app_context():
        owner_user(CLERK, SLUG, Role.PANEL_ADMIN)
        owner_user("viewer@herefordshire.example", SLUG, Role.VIEWER)


@pytest.fixture
def cpt(monkeypatch, database_url: str, instance_path: str, smtp_server
        ) -> Callable[..., Result]:
    """``cpt remind ...`` as cron runs it: settings from the environment."""
    monkeypatch.setenv("CPT_DATABASE_URL", database_url)
    monkeypatch.setenv("CPT_INSTANCE_PATH", instance_path)
    monkeypatch.setenv("CPT_PUBLIC_URL", PUBLIC)
    for key, value in smtp_server.config().items():
        monkeypatch.setenv(ENVIRONMENT[key], value)
    return lambda *args: CliRunner().invoke(main, ["remind", *args])


def test_each_reminder_goes_once_a_day(app, due, clock, cpt, smtp_server) -> None:
    result = cpt()
    assert result.exit_code == 0, result.output
    assert "Reminders: 3 sent." in result.output
    by_recipient = {m.rcpt_tos[0]: m for m in smtp_server.messages}
    assert sorted(by_recipient) == sorted([OWNER, REVIEWER, CLERK])
    assert len(smtp_server.messages) == 3

    owner = by_recipient[OWNER]
    assert owner.message["From"] == "Herefordshire Council <cpt@council.example>"
    assert owner.message["Subject"] == "Herefordshire Council: 2 of your actions are due or overdue"
    assert "overdue since 22 January 2027" in owner.text and "due 6 February 2027" in owner.text
    assert f"{PUBLIC}/admin/{SLUG}/actions/" in owner.text
    assert "due 3 March 2027" not in owner.text  # 30 days ahead: not yet
    reviewer = by_recipient[REVIEWER].text
    assert "Review 0a, due 4 February 2027" in reviewer
    assert f"{PUBLIC}/admin/{SLUG}/reviews/remind-0a" in reviewer
    assert "Review 0b" not in reviewer and "Review 0c" not in reviewer
    clerk = by_recipient[CLERK].text
    assert "Ending Member 0, Seat 0" in clerk and "ends 21 February 2027" in clerk
    assert "Staying Member 0" not in clerk
    assert "Review 0b, overdue since 31 January 2027" in clerk  # nobody owns it
    assert "Review 0a" not in clerk

    again = cpt()
    assert again.exit_code == 0, again.output
    assert "Reminders: 3 already sent today." in again.output
    assert len(smtp_server.messages) == 3

    clock["now"] += dt.timedelta(days=1)
    assert cpt().exit_code == 0
    assert len(smtp_server.messages) == 6


def test_a_server_that_puts_everything_off_is_reported_and_the_next_run_sends(
        app, due, clock, cpt, smtp_server) -> None:
    smtp_server.put_off()
    result = cpt()
    assert result.exit_code == 1
    assert "failed: actions reminder to owner@herefordshire.example" in result.output
    assert "451" in result.output
    assert "3 failed. Those not sent will be sent by the next run." in result.output
    assert smtp_server.messages == []
    smtp_server.put_off(False)
    clock["now"] += dt.timedelta(hours=1)
    result = cpt()
    assert result.exit_code == 0, result.output
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == sorted([OWNER, REVIEWER,
                                                                          CLERK])


def test_after_failures_in_a_row_the_rest_wait_for_the_next_run(
        app, due, clock, cpt, smtp_server, monkeypatch) -> None:
    monkeypatch.setattr(run, "MAX_FAILURES_IN_A_ROW", 1)
    smtp_server.put_off()
    result = cpt()
    assert result.exit_code == 1
    assert "1 failed, 2 not tried." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(SentMail.id))) == 1
    smtp_server.put_off(False)
    assert cpt().exit_code == 0
    assert len(smtp_server.messages) == 3


def test_a_dry_run_lists_and_sends_nothing(app, due, clock, cpt, smtp_server) -> None:
    result = cpt("--dry-run")
    assert result.exit_code == 0, result.output
    assert "would send: clerk's reminder to clerk@herefordshire.example" in result.output
    assert "Reminders: 3 would send." in result.output
    assert smtp_server.messages == []
    with app.app_context():
        assert db.session.scalar(select(func.count(SentMail.id))) == 0


def test_one_council_only(app, due, clock, cpt, smtp_server) -> None:
    result = cpt("--council", "isle_of_wight")
    assert result.exit_code == 0, result.output
    assert "Reminders: nothing is due." in result.output
    assert cpt("--council", "nowhere").exit_code == 1
    assert cpt("--council", SLUG).exit_code == 0
    assert len(smtp_server.messages) == 3


def test_without_a_public_url_it_says_so_and_sends_without_links(
        app, due, clock, cpt, smtp_server, monkeypatch) -> None:
    monkeypatch.delenv("CPT_PUBLIC_URL")
    result = cpt()
    assert result.exit_code == 0
    assert "CPT_PUBLIC_URL is not set" in result.output
    assert all("http" not in m.text for m in smtp_server.messages)


def _reads(app: Flask, dry_run: bool) -> int:
    with app.app_context(), counting_queries(app) as counted:
        remind(TODAY, dry_run=dry_run)
        db.session.rollback()
    return len(counted)


def test_the_queries_do_not_grow_with_the_data(app, clock, smtp_server) -> None:
    """Reads: a fixed number of statements whatever the councils and things due; sending:
    a fixed number per message."""
    add_due(app, SLUG, 1, OWNER, REVIEWER)
    with app.app_context():
        owner_user(CLERK, SLUG, Role.PANEL_ADMIN)
    small = _reads(app, dry_run=True)
    grow(app, SLUG, 3)
    add_due(app, SLUG, 3, OWNER, REVIEWER)
    add_due(app, "isle_of_wight", 2, "owner@wight.example", "reviewer@wight.example")
    add_due(app, "staffordshire", 2, "owner@staffs.example", "reviewer@staffs.example")
    assert _reads(app, dry_run=True) == small == 6
    # sending: the same three recipients whatever they are reminded of
    with app.app_context(), counting_queries(app) as counted:
        report = remind(TODAY, council=SLUG)
    assert report.count(run.SENT) == 3
    sent_large = len(counted)
    with app.app_context():
        db.session.execute(SentMail.__table__.delete())
        db.session.commit()
    add_due(app, SLUG, 5, OWNER, REVIEWER)
    with app.app_context(), counting_queries(app) as counted:
        remind(TODAY, council=SLUG)
    assert len(counted) == sent_large
