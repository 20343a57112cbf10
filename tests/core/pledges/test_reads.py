"""Pledges read as narrow rows (core/pledges/reads.py) say what the ORM's objects say, and
the pages built from them are the same bytes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import selectinload, with_loader_criteria

from core.councils import views as council_views
from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges import views
from core.pledges.models import ActionStatus
from core.pledges.reads import (
    pledge_card,
    pledge_lines,
    pledge_lines_read,
    pledge_page_card,
    pledge_plans,
    pledge_tallies,
)
from core.pledges.sections import plan_actions
from core.pledges.status import RollUp, roll_up_for
from tests.core.growth import COUNCILS, grow
from tests.core.plans import sqlite_plans

TODAY = dt.date(2026, 12, 3)


def _by_orm(council: Council) -> list[Pledge]:
    """The council's live pledges with their live actions, as the ORM loads them."""
    return list(db.session.scalars(
        select(Pledge).where(Pledge.council_id == council.id, Pledge.archived_at.is_(None))
        .order_by(Pledge.origin.desc(), Pledge.position, Pledge.number)
        .options(selectinload(Pledge.actions),
                 with_loader_criteria(Action, Action.archived_at.is_(None)))))


def _said(pledge: Any) -> tuple[Any, ...]:
    return (pledge.id, pledge.key, pledge.number, pledge.title, pledge.statement,
            pledge.added_locally, pledge.overdue_actions_on(TODAY),
            [(action.id, action.key, action.number, action.status, action.due,
              action.wording, action.officer, action.timeline_text, action.links,
              action.outcomes, action.status_on, action.overdue_on(TODAY))
             for action in pledge.actions])


def _planned(pledge: Any) -> tuple[Any, ...]:
    """What the page of pledges shows of a pledge and its actions."""
    return (pledge.id, pledge.key, pledge.number, pledge.title, pledge.statement,
            pledge.added_locally, plan_actions(pledge),
            [action.overdue_on(TODAY) for action in plan_actions(pledge)])


def _council(slug: str) -> Council:
    council = db.session.scalar(select(Council).where(Council.slug == slug))
    assert council is not None
    return council


@pytest.mark.parametrize("slug", COUNCILS)
def test_plans_and_cards_say_what_the_orm_says(app: Flask, slug: str, count_queries: Any) -> None:
    grow(app, slug, 2)  # local pledges, actions added to a published pledge
    with app.app_context():
        council = _council(slug)
        orm = _by_orm(council)
        with count_queries() as counted:
            plans = pledge_plans(council)
        assert len(counted) == 2  # the pledges, then their actions
        assert [_planned(plan) for plan in plans] == [_planned(pledge) for pledge in orm]
        assert sum(len(plan.actions) for plan in plans) > len(plans)
        for pledge in orm:
            with count_queries() as counted:
                assert _said(pledge_card(council, pledge.key)) == _said(pledge)
            assert len(counted) == 1


def test_archived_rows_are_left_out_and_a_pledge_without_actions_is_kept(
        app: Flask) -> None:
    from werkzeug.exceptions import NotFound

    with app.app_context():
        council, (first, second, *_) = next(
            (council, pledges) for council in map(_council, COUNCILS)
            if len(pledges := _by_orm(council)) >= 2 and pledges[0].actions)
        archived_action = first.actions[0]
        archived_action.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        for action in second.actions:
            action.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        db.session.commit()
        plans = {plan.key: plan for plan in pledge_plans(council)}
        assert archived_action.key not in [action.key for action in plans[first.key].actions]
        assert archived_action.id not in [
            action.id for action in pledge_card(council, first.key).actions]
        assert plans[second.key].actions == () and pledge_card(council, second.key).actions == []
        second.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        db.session.commit()
        assert second.key not in [plan.key for plan in pledge_plans(council)]
        for key in (second.key, "no-such-pledge"):
            with pytest.raises(NotFound):
                pledge_card(council, key)


@pytest.mark.parametrize("slug", COUNCILS)
def test_the_pages_are_the_same_read_as_cards_or_as_objects(
        make_app: Any, monkeypatch: pytest.MonkeyPatch, slug: str) -> None:
    """The pledges page, and each pledge's page and chart, are the same bytes whether their
    pledges come from the narrow reads or from the ORM."""
    app = make_app(config={"PAGE_CACHE_STORE": "off"})
    grow(app, slug, 1)
    client = app.test_client()
    with app.app_context():
        keys = [pledge.key for pledge in _by_orm(_council(slug))]
    urls = [f"/{slug}/pledges"] + [f"/{slug}/pledges/{key}{end}" for key in keys
                                   for end in ("", "/progress.svg")]
    for url in urls:
        narrow = client.get(url)
        with monkeypatch.context() as patched:
            patched.setattr(views, "pledge_plans", _by_orm)
            patched.setattr(views, "pledge_card", lambda council, key: next(
                pledge for pledge in _by_orm(council) if pledge.key == key))
            objects = client.get(url)
        assert narrow.status_code == objects.status_code == 200, url
        assert narrow.get_data() == objects.get_data(), url


def _latest_by_orm(pledge: Pledge) -> tuple[int, dt.date, str] | None:
    """The latest update of the pledge's live actions, found from every update."""
    updates = db.session.scalars(select(ProgressUpdate).join(Action).where(
        Action.pledge_id == pledge.id, Action.archived_at.is_(None))).all()
    latest = max(updates, key=lambda update: (update.reported_on, update.id), default=None)
    return latest and (latest.id, latest.reported_on, latest.note)


@pytest.mark.parametrize("slug", COUNCILS)
def test_each_pledge_line_quotes_the_latest_update_of_its_live_actions(
        app: Flask, slug: str, count_queries: Any) -> None:
    """Updates written in every order, on one day and on days before, an action archived:
    each line's latest update is the latest of its live actions' (the later recorded of
    a day), as read from every update; its actions are the ORM's, in order; one
    statement."""
    grow(app, slug, 2)  # at least two pledges with two actions or more
    with app.app_context():
        council = _council(slug)
        orm = _by_orm(council)
        with_actions = [pledge for pledge in orm if len(pledge.actions) >= 2]
        day = dt.date(2026, 11, 20)
        for number, pledge in enumerate(with_actions):
            first, second = pledge.actions[:2]
            for action, reported_on, note in (
                    (second, day, "the day's first"), (first, day - dt.timedelta(days=9),
                                                       "backdated"),
                    (first, day, "the day's second")):
                db.session.add(ProgressUpdate(
                    council_id=council.id, action_id=action.id, reported_on=reported_on,
                    status=ActionStatus.ON_TRACK, note=f"{note} {number}", author="Clerk"))
                db.session.commit()
            if number % 2:
                first.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
                db.session.commit()
        orm = _by_orm(council)
        with count_queries() as counted:
            lines = pledge_lines(council)
        assert len(counted) == 1
        assert [(line.id, [action.id for action in line.actions]) for line in lines] == [
            (pledge.id, [action.id for action in pledge.actions]) for pledge in orm]
        assert [line.latest and (line.latest.id, line.latest.reported_on, line.latest.note)
                for line in lines] == [_latest_by_orm(pledge) for pledge in orm]
        assert any(line.latest and line.latest.note.startswith("the day's second")
                   for line in lines)
        assert any(line.latest and line.latest.note.startswith("the day's first")
                   for line in lines)


@pytest.mark.parametrize("slug", COUNCILS)
def test_a_pledges_page_reads_its_cards_and_latest_updates_in_one_statement(
        app: Flask, slug: str, count_queries: Any) -> None:
    """Updates written in every order (two on one day, one on an earlier day recorded
    after them): the pledge's page's card is :func:`pledge_card`'s and its updates are each
    live action's latest (of its latest day, the later recorded), in one statement; an
    archived action is left out with its updates, an action without updates has none, a
    pledge without actions has its card alone, and a pledge that is not live is a 404."""
    from werkzeug.exceptions import NotFound

    grow(app, slug, 2)  # two pledges at least, with eight actions each
    with app.app_context():
        council = _council(slug)
        pledges = _by_orm(council)
        pledge = next(pledge for pledge in pledges if len(pledge.actions) >= 3)
        other = next(other for other in pledges if other is not pledge)
        first, second, third = pledge.actions[:3]
        day = dt.date(2026, 11, 20)
        for action, reported_on, note in ((second, day, "the day's first"),
                                          (first, day, "the day's first"),
                                          (first, day, "the day's second"),
                                          (third, day, "archived with its action"),
                                          (first, day - dt.timedelta(days=9), "backdated")):
            db.session.add(ProgressUpdate(
                council_id=council.id, action_id=action.id, reported_on=reported_on,
                status=ActionStatus.ON_TRACK, note=note, author="Clerk"))
            db.session.commit()
        third.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        for action in other.actions:
            action.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        db.session.commit()
        key, other_key, _ = pledge.key, other.key, council.id  # read before counting
        first_id, second_id, third_id = first.id, second.id, third.id
        with count_queries() as counted:
            card, updates = pledge_page_card(council, key)
        assert len(counted) == 1
        assert _said(card) == _said(pledge_card(council, key))
        latest: dict[int, tuple[Any, ...]] = {}  # each live action's, from its updates
        for update in db.session.scalars(
                select(ProgressUpdate).join(Action, ProgressUpdate.action_id == Action.id)
                .where(Action.pledge_id == pledge.id, Action.archived_at.is_(None))
                .order_by(ProgressUpdate.reported_on, ProgressUpdate.id)):
            latest[update.action_id] = (update.action_id, update.reported_on, update.status,
                                        update.note, update.author)
        assert {action_id: tuple(update) for action_id, update in updates.items()} == latest
        assert updates[first_id].note == "the day's second"
        assert updates[second_id].note == "the day's first"
        assert third_id not in updates and third_id not in [a.id for a in card.actions]
        assert all(action.id in updates or action.status_on is None
                   for action in card.actions)
        bare, none = pledge_page_card(council, other_key)
        assert bare.actions == [] and none == {} and bare.key == other_key
        other.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        db.session.commit()
        for missing in (other_key, "no-such-pledge"):
            with pytest.raises(NotFound):
                pledge_page_card(council, missing)


def test_pledge_lines_and_tallies_read_no_update(app: Flask) -> None:
    """Each pledge's latest update is read from the pledge's row, which keeps it: the
    updates' table is never read, neither by primary key nor by each action's updates."""
    with app.app_context():
        council = _council(COUNCILS[0])
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's plan")
        for read in (pledge_lines, pledge_tallies):
            (plan,) = sqlite_plans(lambda read=read: read(council))
            assert "SEARCH pledge USING INDEX" in plan, plan
            assert "progress_update" not in plan, plan


def _tallied(pledge: Any, roll_up: RollUp) -> tuple[Any, ...]:
    """What a status table reads of a pledge (a line or a tally), on the roll-up's day."""
    return (pledge.id, pledge.key, pledge.number, pledge.title, pledge.added_locally,
            pledge.latest, pledge.action_count, pledge.overdue_actions_on(roll_up.today),
            roll_up.of(pledge))


@pytest.mark.parametrize("slug", COUNCILS)
def test_tallies_say_what_the_lines_say(app: Flask, slug: str, count_queries: Any) -> None:
    """Each pledge's actions counted by status and due date give the table what the
    listed actions give, whatever the day: the count, those past due, the roll-up (an
    archived action left out, a pledge whose actions are all archived kept with none)."""
    grow(app, slug, 2)
    with app.app_context():
        council = _council(slug)
        orm = _by_orm(council)
        with_actions = [pledge for pledge in orm if pledge.actions]
        with_actions[0].actions[0].archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        if len(with_actions) > 1:
            for action in with_actions[-1].actions:
                action.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        db.session.commit()
        council = _council(slug)
        with count_queries() as counted:
            tallies = pledge_tallies(council)
        assert len(counted) == 1
        lines = pledge_lines(council)
        assert sum(len(tally.actions) for tally in tallies) < sum(
            len(line.actions) for line in lines)
        for day in (dt.date(2020, 1, 1), TODAY, dt.date(2040, 1, 1)):
            roll_up = roll_up_for(council, day)
            assert [_tallied(tally, roll_up) for tally in tallies] == [
                _tallied(line, roll_up) for line in lines]


@pytest.mark.parametrize("slug", COUNCILS)
def test_the_overview_is_the_same_from_tallies_or_lines(
        make_app: Any, monkeypatch: pytest.MonkeyPatch, slug: str) -> None:
    app = make_app(config={"PAGE_CACHE_STORE": "off"})
    grow(app, slug, 1)
    client = app.test_client()
    tallied = client.get(f"/{slug}/")
    with monkeypatch.context() as patched:
        patched.setattr(council_views, "pledge_tallies", pledge_lines)
        patched.setattr(council_views, "pledge_tallies_read", pledge_lines_read)
        listed = client.get(f"/{slug}/")
    assert tallied.status_code == listed.status_code == 200
    assert tallied.get_data() == listed.get_data()
