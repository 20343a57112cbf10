"""The past months' counts stored with every change: what the history reads is what counting
every month live gives, after each kind of change, and a month not stored is counted live."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from flask import Flask
from sqlalchemy import delete, select, text

from core import revisions
from core.extensions import db
from core.models import Action, Council, Pledge, ProgressMonth, ProgressUpdate
from core.pledges.history import CATEGORIES, progress_history
from core.pledges.models import ActionStatus
from core.pledges.month_counts import (
    CATEGORY_KEYS,
    MONTHS,
    day_parameters,
    last_month_end_stored,
    live_counts,
    month_ends,
    refresh_progress_months,
)
from core.pledges.progress import post_update
from core.pledges.status import roll_up_for
from tests.conftest import QueryCounter
from tests.core.growth import grow

TODAY = dt.date(2026, 11, 15)
STATUSES = [ActionStatus.ON_TRACK, ActionStatus.AT_RISK, ActionStatus.OFF_TRACK,
            ActionStatus.COMPLETE]


def council_named(slug: str) -> Council:
    return db.session.scalar(select(Council).where(Council.slug == slug))


def counted_live(council: Council, pledge_id: int | None = None,
                 today: dt.date = TODAY) -> list[Counter[str]]:
    """Every month of the window counted live, as the history did before months were
    stored."""
    roll_up = roll_up_for(council, today)
    days = month_ends(today)
    params = {"council_id": council.id, "pledge_key": key_of(pledge_id),
              **day_parameters(days, roll_up.rule.grace_days)}
    counts: list[Counter[str]] = [Counter() for _day in days]
    for idx, category, count in db.session.execute(
            live_counts(MONTHS, pledge_id is not None), params):
        counts[idx][category] += count
    return counts


def key_of(pledge_id: int | None) -> str | None:
    """The key of pledge ``pledge_id`` (the counts of one pledge name it by its key)."""
    return None if pledge_id is None else db.session.get(Pledge, pledge_id).key


def stored_months(council: Council) -> set[dt.date]:
    return set(db.session.scalars(select(ProgressMonth.month_end).distinct().where(
        ProgressMonth.council_id == council.id)))


def with_random_updates(council: Council, seed: int) -> list[Action]:
    draw = random.Random(seed)
    actions = db.session.scalars(select(Action).where(Action.council_id == council.id)).all()
    for action in actions:
        for _ in range(draw.randint(0, 6)):
            db.session.add(ProgressUpdate(
                council_id=council.id, action_id=action.id, status=draw.choice(STATUSES),
                reported_on=TODAY - dt.timedelta(days=draw.randint(-20, 500)), note="",
                author="Test"))
    db.session.commit()
    refresh_progress_months(db.session, [council.id], today=TODAY)
    db.session.commit()
    return actions


def test_the_categories_are_the_stored_columns() -> None:
    assert tuple(key for key, _words, _colour in CATEGORIES) == CATEGORY_KEYS
    assert all(key in ProgressMonth.__table__.c for key in CATEGORY_KEYS)


def test_stored_months_read_as_counted_live_for_the_council_and_a_pledge(app: Flask) -> None:
    with app.app_context():
        council = council_named("bracknell_forest")
        actions = with_random_updates(council, seed=3)
        assert stored_months(council) == set(month_ends(TODAY)[:-1])
        for pledge_id in (None, actions[0].pledge_id, actions[-1].pledge_id):
            expected = counted_live(council, pledge_id)
            assert read_on(council, pledge_id=pledge_id) == expected, pledge_id


def test_the_history_reads_stored_months_and_today_in_one_statement(
        app: Flask, count_queries: Callable[[], AbstractContextManager[QueryCounter]]) -> None:
    with app.app_context():
        council = council_named("bracknell_forest")
        with_random_updates(council, seed=4)
        db.session.expire_all()
        roll_up = roll_up_for(council, TODAY)
        with count_queries() as counter:
            progress_history(council, roll_up)
        # the stored months and today's live count in one statement: the union of the two,
        # today's table of month ends one row (not a union of its own)
        assert len(counter.statements) == 1
        assert "progress_month" in counter.statements[0]
        assert counter.statements[0].upper().count("UNION ALL") == 1
        gone = month_ends(TODAY)[3]
        db.session.execute(delete(ProgressMonth.__table__).where(
            ProgressMonth.__table__.c.month_end == gone))
        with count_queries() as counter:
            progress_history(council, roll_up)
        # a month not stored: counted live by a second statement, that month alone
        assert len(counter.statements) == 2
        assert "UNION ALL" not in counter.statements[1].upper()


def test_postgresql_keeps_one_plan_of_the_history(app: Flask) -> None:
    """psycopg prepares the history's statement once a connection has run it a few times;
    PostgreSQL then keeps one plan for every run only when that plan costs no more than
    those it makes for each run's values. With today's day and the probes' limit bound,
    it costed the probes by a guess and planned the statement afresh on every request; they
    are written into the statement, and bound values are what is left."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's plans")
    grow(app, "bracknell_forest", 10)  # the guess tells once a council has dozens of actions
    with app.app_context():
        council = council_named("bracknell_forest")
        with_random_updates(council, seed=5)
        db.session.execute(text("ANALYZE"))  # the planner's statistics, as a live database has
        db.session.commit()
        driver = db.session.connection().connection.driver_connection
        for _ in range(12):
            progress_history(council, roll_up_for(council, TODAY))
        plans = driver.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE '%action_today%'").fetchall()
        assert plans, "the history's statement was not prepared"
        assert all(generic > 0 for generic, _custom in plans), plans


def test_a_month_not_stored_is_counted_live(app: Flask) -> None:
    with app.app_context():
        council = council_named("bracknell_forest")
        with_random_updates(council, seed=5)
        expected = counted_live(council)
        gone = month_ends(TODAY)[3]
        db.session.execute(delete(ProgressMonth.__table__).where(
            ProgressMonth.__table__.c.month_end == gone))
        assert read_on(council) == expected
        db.session.execute(delete(ProgressMonth.__table__))
        assert read_on(council) == expected


def test_a_backdated_update_and_an_archived_action_rewrite_the_past(app: Flask) -> None:
    """Changes made through the app, not by calling the refresh: the months stored after
    each are the live counts (the refresh takes the real today, so the window read here
    ends at real month ends)."""
    with app.app_context():
        council = council_named("bracknell_forest")
        today = dt.date.today()
        action = db.session.scalar(select(Action).where(
            Action.council_id == council.id, Action.archived_at.is_(None),
            Action.due.is_(None)).limit(1))
        roll_up = roll_up_for(council, today)
        before = [month.counts for month in progress_history(council, roll_up)]
        three_months_back = month_ends(today)[-4]
        post_update(action, reported_on=three_months_back, status=ActionStatus.OFF_TRACK,
                    note="Late news", author="Officer")
        assert stored_months(council) == set(month_ends(today)[:-1])
        history = [month.counts for month in progress_history(council, roll_up)]
        assert history == counted_live(council, today=today)
        off_track = ActionStatus.OFF_TRACK.value
        assert [m[off_track] - b[off_track] for m, b in zip(history, before, strict=True)] \
            == [0] * 8 + [1] * 4

        action.archived_at = dt.datetime.now(dt.UTC)
        db.session.commit()
        after = [month.counts for month in progress_history(council, roll_up)]
        assert after == counted_live(council, today=today)
        assert [sum(m.values()) for m in after] == [sum(m.values()) - 1 for m in history]


def test_a_new_grace_period_is_stored_with_the_rule_and_an_old_one_is_not_read(
        app: Flask) -> None:
    with app.app_context():
        council = council_named("bracknell_forest")
        with_random_updates(council, seed=6)
        council.status_rule = {"grace_days": 45, "past_due_counts_as": "at_risk"}
        db.session.commit()
        assert set(db.session.scalars(select(ProgressMonth.grace_days).where(
            ProgressMonth.council_id == council.id))) == {45}
        # months stored under another rule (a hand edit of the council row) are not read
        refresh_progress_months(db.session, [council.id], today=TODAY)
        db.session.execute(ProgressMonth.__table__.update().values(grace_days=0, past_due=0,
                                                                   complete=999))
        assert read_on(council) == counted_live(council)


def test_a_change_to_other_rows_stores_nothing_again(app: Flask,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with app.app_context():
        council = council_named("bracknell_forest")
        refreshed: list[list[int]] = []
        monkeypatch.setattr(revisions, "_DERIVED", [
            *revisions._DERIVED,
            revisions.Derived((Action,), lambda _c, ids, _written: refreshed.append(ids))])
        pledge = db.session.scalar(select(Pledge).where(Pledge.council_id == council.id)
                                   .limit(1))
        pledge.statement = "Changed"
        db.session.commit()
        assert refreshed == []
        action = db.session.scalar(select(Action).where(
            Action.council_id == council.id).limit(1))
        action.officer = "Someone else"
        db.session.commit()
        assert refreshed == [[council.id]]


def test_an_update_counts_its_pledge_again_and_leaves_the_others(
        app: Flask, count_queries: Callable[[], AbstractContextManager[QueryCounter]]) -> None:
    """With the window stored, a progress update rewrites its pledge's months only (the
    other pledges' rows keep their values, hand-marked here); stored for another window, the
    whole council is counted again."""
    with app.app_context():
        council = council_named("bracknell_forest")
        today = dt.date.today()
        refresh_progress_months(db.session, [council.id], today=today - dt.timedelta(days=62))
        db.session.commit()
        action, other = _two_actions_of_two_pledges(council)
        back = month_ends(today)[-3]
        post_update(action, reported_on=back, status=ActionStatus.OFF_TRACK, note="",
                    author="Officer")
        # another window was stored: every pledge counted again, for this window
        assert stored_months(council) == set(month_ends(today)[:-1])
        assert read_on(council, today) == counted_live(council, today=today)

        table = ProgressMonth.__table__
        db.session.execute(table.update().where(table.c.pledge_id == other.pledge_id)
                           .values(complete=table.c.complete + 1000))
        db.session.commit()
        with count_queries() as counted:
            post_update(action, reported_on=back, status=ActionStatus.AT_RISK, note="",
                        author="Officer")
        marked = db.session.scalars(select(ProgressMonth.complete).where(
            ProgressMonth.pledge_id == other.pledge_id)).all()
        assert marked and all(count >= 1000 for count in marked)
        db.session.execute(table.update().where(table.c.pledge_id == other.pledge_id)
                           .values(complete=table.c.complete - 1000))
        assert read_on(council, today) == counted_live(council, today=today)
        assert sum("progress_month" in statement.lower() for statement in counted.statements) \
            == 3  # the window's months, then the pledge's rows out and in


def test_an_action_moved_to_another_pledge_counts_both_again(app: Flask) -> None:
    with app.app_context():
        council = council_named("bracknell_forest")
        today = dt.date.today()
        action, other = _two_actions_of_two_pledges(council)
        post_update(action, reported_on=month_ends(today)[-5], status=ActionStatus.ON_TRACK,
                    note="", author="Officer")
        before = {pledge: read_on(council, today, pledge)
                  for pledge in (action.pledge_id, other.pledge_id)}
        action.pledge_id = other.pledge_id
        db.session.commit()
        for pledge in before:
            assert read_on(council, today, pledge) == counted_live(council, pledge, today)
        assert read_on(council, today, other.pledge_id) != before[other.pledge_id]


def _two_actions_of_two_pledges(council: Council) -> tuple[Action, Action]:
    """Two live actions of different pledges."""
    actions = db.session.scalars(select(Action).where(
        Action.council_id == council.id, Action.archived_at.is_(None))
        .order_by(Action.id)).all()
    first = actions[0]
    second = next(action for action in actions if action.pledge_id != first.pledge_id)
    return first, second


def read_on(council: Council, today: dt.date = TODAY, pledge_id: int | None = None
            ) -> list[Counter[str]]:
    """What the history reads (stored months, and the others counted live)."""
    return [month.counts for month in progress_history(council, roll_up_for(council, today),
                                                       key_of(pledge_id))]


def stored_now() -> tuple[Council, Action]:
    """Bracknell Forest with this window's months stored, and one of its actions."""
    council = council_named("bracknell_forest")
    action, _other = _two_actions_of_two_pledges(council)
    refresh_progress_months(db.session, [council.id])
    db.session.commit()
    return council, action


def test_what_cannot_change_a_past_month_counts_nothing_again(
        app: Flask, count_queries: Callable[[], AbstractContextManager[QueryCounter]]) -> None:
    """An update dated this month, an action's new wording or status (what an update sets),
    the council's colour: no stored month is read or written."""
    with app.app_context():
        council, action = stored_now()
        today = dt.date.today()
        with count_queries() as counted:
            post_update(action, reported_on=today, status=ActionStatus.AT_RISK, note="",
                        author="Officer")
            action.wording = "New words"
            council.colour = "#112233"
            db.session.commit()
        assert not [statement for statement in counted.statements
                    if "progress_month" in statement.lower()]
        assert read_on(council, today) == counted_live(council, today=today)


def test_a_deleted_backdated_update_counts_its_pledge_again(app: Flask) -> None:
    with app.app_context():
        council, action = stored_now()
        today = dt.date.today()
        update = post_update(action, reported_on=month_ends(today)[-6],
                             status=ActionStatus.COMPLETE, note="", author="Officer")
        with_update = read_on(council, today)
        assert with_update == counted_live(council, today=today)
        db.session.delete(update)
        db.session.commit()
        without = read_on(council, today)
        assert without == counted_live(council, today=today)
        assert without != with_update


def test_an_update_moved_to_another_pledges_action_counts_both_again(app: Flask) -> None:
    with app.app_context():
        council, action = stored_now()
        _first, other = _two_actions_of_two_pledges(council)
        today = dt.date.today()
        update = post_update(action, reported_on=month_ends(today)[-5],
                             status=ActionStatus.COMPLETE, note="", author="Officer")
        update = db.session.get(ProgressUpdate, update.id)
        update.action_id = other.id
        db.session.commit()
        for pledge in (action.pledge_id, other.pledge_id):
            assert read_on(council, today, pledge) == counted_live(council, pledge, today)


def test_changes_made_on_expired_objects_count_again(app: Flask) -> None:
    """After a commit every object is expired, and an attribute set then has no old value
    in its history: a re-dated update and a moved action count the council again."""
    with app.app_context():
        council, action = stored_now()
        _first, other = _two_actions_of_two_pledges(council)
        today = dt.date.today()
        other_pledge = other.pledge_id
        update = post_update(action, reported_on=month_ends(today)[-5],
                             status=ActionStatus.COMPLETE, note="", author="Officer")
        update.reported_on = today  # expired by the commit: the old date is not loaded
        db.session.commit()
        assert read_on(council, today) == counted_live(council, today=today)
        first_pledge = db.session.get(Action, action.id).pledge_id
        db.session.commit()
        action.pledge_id = other_pledge  # expired again
        db.session.commit()
        for pledge in (first_pledge, other_pledge):
            assert read_on(council, today, pledge) == counted_live(council, pledge, today)


def test_a_rule_changed_outside_the_session_is_never_mixed(app: Flask) -> None:
    """A new grace period written without the ORM (a hand edit, or a new default rule for
    councils that state none): the next write counts the whole council again rather than
    one pledge under the new rule beside the others under the old."""
    with app.app_context():
        council, action = stored_now()
        today = dt.date.today()
        db.session.execute(Council.__table__.update().where(Council.id == council.id).values(
            status_rule={"grace_days": 45, "past_due_counts_as": "at_risk"}))
        db.session.commit()
        action = db.session.get(Action, action.id)
        post_update(action, reported_on=month_ends(today)[-5], status=ActionStatus.ON_TRACK,
                    note="", author="Officer")
        db.session.expire_all()
        assert read_on(council_named("bracknell_forest"), today) == counted_live(
            council_named("bracknell_forest"), today=today)
        assert set(db.session.scalars(select(ProgressMonth.grace_days).where(
            ProgressMonth.council_id == council.id))) == {45}



def test_the_last_month_end_stored_allows_for_a_clock_a_day_ahead() -> None:
    """Another process's clock may be in tomorrow: on a month's last day it may have stored
    today's month end, so an update dated today counts again; on other days the last month
    end stored is last month's."""
    assert last_month_end_stored(dt.date(2027, 1, 15)) == dt.date(2026, 12, 31)
    assert last_month_end_stored(dt.date(2027, 1, 30)) == dt.date(2026, 12, 31)
    assert last_month_end_stored(dt.date(2027, 1, 31)) == dt.date(2027, 1, 31)
    assert last_month_end_stored(dt.date(2028, 2, 29)) == dt.date(2028, 2, 29)
    assert last_month_end_stored(dt.date(2026, 12, 31)) == dt.date(2026, 12, 31)
