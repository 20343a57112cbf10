"""The action plan's progress over the last months: the counts the database gives
are those every update gives (an action's latest update before the window decides its
status there)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import replace

from flask import Flask
from sqlalchemy import select, update

from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges.history import PAST_DUE, counts_today, month_ends, progress_history
from core.pledges.models import ActionStatus, is_overdue
from core.pledges.reads import carded_today, pledge_card
from core.pledges.status import RollUp, roll_up_for

STATUSES = [ActionStatus.ON_TRACK.value, ActionStatus.AT_RISK.value,
            ActionStatus.OFF_TRACK.value, ActionStatus.COMPLETE.value]


def _every_update_counts(council: Council, roll_up, pledge_id: int | None) -> list[Counter]:
    """The counts as the whole history of updates gives them."""
    query = select(Action).where(Action.council_id == council.id,
                                 Action.archived_at.is_(None))
    if pledge_id is not None:
        query = query.where(Action.pledge_id == pledge_id)
    actions = db.session.scalars(query).all()
    grace = dt.timedelta(days=roll_up.rule.grace_days)
    result = []
    for day in month_ends(roll_up.today):
        counts: Counter[str] = Counter()
        for action in actions:
            updates = db.session.scalars(
                select(ProgressUpdate).where(ProgressUpdate.action_id == action.id,
                                             ProgressUpdate.reported_on <= day)
                .order_by(ProgressUpdate.reported_on, ProgressUpdate.id)).all()
            status = updates[-1].status if updates else ActionStatus.NOT_STARTED.value
            counts[PAST_DUE if is_overdue(action.due, status, day - grace) else status] += 1
        result.append(counts)
    return result


def test_counts_read_from_the_window_are_those_of_every_update(app: Flask) -> None:
    today = dt.date(2026, 11, 15)
    draw = random.Random(7)
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "bracknell_forest"))
        actions = db.session.scalars(select(Action).where(
            Action.council_id == council.id)).all()
        for action in actions:
            # updates over three years, some on the same day, some after "today"
            for _ in range(draw.randint(0, 9)):
                day = today - dt.timedelta(days=draw.randint(-40, 3 * 365))
                for _ in range(draw.choice((1, 1, 2))):
                    db.session.add(ProgressUpdate(
                        council_id=council.id, action_id=action.id, reported_on=day,
                        status=draw.choice(STATUSES), note="", author="Test"))
        db.session.commit()
        roll_up = roll_up_for(council, today)
        for pledge_id in (None, actions[0].pledge_id):
            key = None if pledge_id is None else db.session.get(Pledge, pledge_id).key
            got = [month.counts for month in progress_history(council, roll_up, key)]
            assert got == _every_update_counts(council, roll_up, pledge_id), pledge_id


def test_month_ends_are_the_last_eleven_months_then_today() -> None:
    """Every month end from eleven months back to last month's, none skipped, then today
    (last month's end was once left out: the chart went from November to "Today" in
    January)."""
    assert month_ends(dt.date(2026, 11, 15)) == [
        dt.date(2025, 12, 31), dt.date(2026, 1, 31), dt.date(2026, 2, 28),
        dt.date(2026, 3, 31), dt.date(2026, 4, 30), dt.date(2026, 5, 31),
        dt.date(2026, 6, 30), dt.date(2026, 7, 31), dt.date(2026, 8, 31),
        dt.date(2026, 9, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 15)]
    january = month_ends(dt.date(2028, 1, 1), months=3)
    assert january == [dt.date(2027, 11, 30), dt.date(2027, 12, 31), dt.date(2028, 1, 1)]
    assert month_ends(dt.date(2024, 3, 31), months=2) == [dt.date(2024, 2, 29),
                                                          dt.date(2024, 3, 31)]


def test_todays_counts_from_the_pages_rows_are_the_databases(app: Flask) -> None:
    """A pledge's page counts today's from its cards (:func:`counts_today`): the same
    counts as the database's, for every pledge, with grace days or none, for actions never
    updated (not started, whatever their row says) and for others; and when an update is
    dated after today, the database counts today's instead."""
    today = dt.date(2026, 11, 15)
    draw = random.Random(11)
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "bracknell_forest"))
        actions = db.session.scalars(select(Action).where(
            Action.council_id == council.id, Action.archived_at.is_(None))).all()
        assert len(actions) > 6
        for action in actions[3:]:  # the first three never updated
            action.due = today - dt.timedelta(days=draw.randint(-30, 30))
            for _ in range(draw.randint(1, 4)):
                db.session.add(ProgressUpdate(
                    council_id=council.id, action_id=action.id,
                    reported_on=today - dt.timedelta(days=draw.randint(0, 400)),
                    status=draw.choice(STATUSES), note="", author="Test"))
        actions[0].due = None
        db.session.commit()
        # a row's status without an update, as a Core write may leave it: not started today
        db.session.execute(update(Action).where(Action.id == actions[0].id).values(
            status=ActionStatus.ON_TRACK.value))
        db.session.commit()
        assert db.session.get(Action, actions[0].id).status_on is None
        pledges = db.session.scalars(select(Pledge).where(
            Pledge.council_id == council.id, Pledge.archived_at.is_(None))).all()

        def both_ways(roll_up: RollUp) -> None:
            for pledge in pledges:
                cards = pledge_card(council, pledge.key).actions
                from_cards = counts_today(carded_today(cards), roll_up)
                assert from_cards is not None, pledge.key
                one = _every_update_counts(council, roll_up, pledge.id)
                assert +from_cards == one[-1], pledge.key
                assert [m.counts for m in progress_history(
                    council, roll_up, pledge.key, today_from=carded_today(cards))] == one

        rule = roll_up_for(council, today).rule
        for grace_days in (0, 10):
            both_ways(RollUp(replace(rule, grace_days=grace_days), today))
        assert _every_update_counts(council, roll_up_for(council, today), None)[-1][PAST_DUE]

        # an update dated after today: today's status is an earlier update's
        db.session.add(ProgressUpdate(council_id=council.id, action_id=actions[4].id,
                                      reported_on=today + dt.timedelta(days=3),
                                      status=ActionStatus.COMPLETE.value, note="",
                                      author="Test"))
        db.session.commit()
        roll_up = roll_up_for(council, today)
        later = db.session.get(Pledge, actions[4].pledge_id)
        cards = pledge_card(council, later.key).actions
        assert counts_today(carded_today(cards), roll_up) is None
        assert [m.counts for m in progress_history(
            council, roll_up, later.key, today_from=carded_today(cards))] == (
            _every_update_counts(council, roll_up, later.id))


def test_progress_in_words_is_kept_by_what_it_says(app: Flask) -> None:
    """``progress_text`` says what ``_progress_text`` says, kept by the locale, the subject
    and each month's day and counts: the same figures are the same words, and a changed
    count, subject, month or locale is words of their own."""
    from flask_babel import force_locale

    from core.pledges.history import TEXTS_EXTENSION, Month, _progress_text, progress_text

    app.extensions.pop(TEXTS_EXTENSION, None)
    days = month_ends(dt.date(2026, 11, 15))
    history = [Month(day, Counter({ActionStatus.ON_TRACK.value: i, PAST_DUE: 1}))
               for i, day in enumerate(days)]
    with app.test_request_context("/"):
        first = progress_text(history, "the action plan")
        assert first == _progress_text(history, "the action plan")
        assert progress_text([Month(m.day, Counter(m.counts)) for m in history],
                             "the action plan") is first
        changed = [*history[:-1], Month(days[-1], Counter({ActionStatus.COMPLETE.value: 11,
                                                            PAST_DUE: 1}))]
        assert progress_text(changed, "the action plan") == _progress_text(
            changed, "the action plan") != first
        assert "11 complete" in progress_text(changed, "the action plan").summary[0]
        assert progress_text(history, "pledge 1") == _progress_text(history, "pledge 1")
        moved = [Month(m.day + dt.timedelta(days=1), m.counts) for m in history]
        assert progress_text(moved, "the action plan").table.rows[0][0] != first.table.rows[0][0]
        with force_locale("cy"):
            assert progress_text(history, "the action plan") == _progress_text(
                history, "the action plan")
        memo = app.extensions[TEXTS_EXTENSION]
        assert (memo.hits, memo.misses) == (2, 5)
