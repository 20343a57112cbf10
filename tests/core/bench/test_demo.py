"""``cpt demo``: the synthetic national dataset behind the benchmark."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from core.bench import demo
from core.councils.models import Directory
from core.extensions import db
from core.models import (
    Action,
    ActionArising,
    AgendaItem,
    Attendance,
    Council,
    InAttendance,
    Meeting,
    Membership,
    Person,
    Pledge,
    ProgressUpdate,
)
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update
from core.sync import sync_all

#: 0.013 of national size is two councils.
SMALL = 0.013


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _fingerprint() -> list[tuple[object, ...]]:
    """What a demo load holds, without the ids and load times that may differ."""
    rows = db.session.execute(
        select(Council.slug, Pledge.title, Action.key, Action.wording, Action.status,
               ProgressUpdate.reported_on, ProgressUpdate.status, ProgressUpdate.note)
        .join(Pledge, Pledge.council_id == Council.id)
        .join(Action, Action.pledge_id == Pledge.id)
        .join(ProgressUpdate, ProgressUpdate.action_id == Action.id)
        .order_by(Council.slug, Action.key, ProgressUpdate.reported_on))
    return [tuple(row) for row in rows]


def test_scale_sets_how_many_councils() -> None:
    assert demo.councils_at(1) == 153
    assert demo.councils_at(0.1) == 15
    assert demo.councils_at(10) == 1530
    assert demo.councils_at(0.001) == 1
    with pytest.raises(ValueError, match="more than 0"):
        demo.councils_at(0)


def test_loads_the_national_shape_for_each_council(make_app: Callable[..., Flask]) -> None:
    app = make_app({})
    with app.app_context():
        report = demo.load_demo(SMALL)
        councils = 2
        assert report.councils == councils
        expected = {
            Council: councils, Pledge: councils * 10, Action: councils * 80,
            ProgressUpdate: councils * 80 * 36, Membership: councils * 2 * 25,
            Meeting: councils * 2 * 18, AgendaItem: councils * 2 * 18 * 10,
            Attendance: councils * 2 * 18 * 25,
            InAttendance: councils * 2 * 9 * demo.GUESTS,  # every other meeting
        }
        assert {model: _count(model) for model in expected} == expected
        assert report.rows["progress_update"] == councils * 80 * 36
        # each council's review lead owns two of its three review cycles
        assert report.rows["review_owner"] == councils * demo.OWNED_REVIEWS
        assert report.rows["user_account"] == report.rows["role_assignment"] == councils
        owned = db.session.scalar(select(func.count()).select_from(ActionArising).where(
            ActionArising.owner_person_id.is_not(None)))
        assert 0 < owned < _count(ActionArising)  # people, and officers in words
        named = db.session.scalar(
            select(func.count()).select_from(ActionArising)
            .join(Person, ActionArising.owner_person_id == Person.id)
            .where(Person.name == ActionArising.owner,
                   Person.council_id == ActionArising.council_id))
        assert named == owned


def test_each_action_carries_its_latest_update(make_app: Callable[..., Flask]) -> None:
    app = make_app({})
    with app.app_context():
        demo.load_demo(SMALL)
        latest = select(ProgressUpdate.action_id, func.max(ProgressUpdate.reported_on)
                        .label("on")).group_by(ProgressUpdate.action_id).subquery()
        mismatched = db.session.scalar(
            select(func.count()).select_from(Action)
            .join(latest, latest.c.action_id == Action.id)
            .where(Action.status_on != latest.c.on))
        assert mismatched == 0
        assert db.session.scalar(select(func.max(Action.status_on))) == dt.date(2026, 10, 1)


def test_the_same_scale_gives_the_same_rows(make_app: Callable[..., Flask]) -> None:
    app = make_app({})
    with app.app_context():
        demo.load_demo(SMALL)
        first = _fingerprint()
        with pytest.raises(ValueError, match="--replace"):
            demo.load_demo(SMALL)
        demo.load_demo(SMALL, replace=True)
        assert _fingerprint() == first
        assert _count(Council) == 2
        from core.auth.models import User
        from core.models import ReviewOwner

        assert _count(User) == 2 and _count(ReviewOwner) == 2 * demo.OWNED_REVIEWS


def test_replace_works_after_staff_recorded_things_on_demo_councils(
        make_app: Callable[..., Flask], make_user: Callable[..., Any]) -> None:
    from core.audit import acting_as
    from core.auth.models import Role, RoleAssignment, User
    from core.models import Action, ActionOwner, Review, ReviewCycle

    app = make_app({})
    with app.app_context():
        demo.load_demo(SMALL)
        user_id, _ = make_user("site_admin")
        with acting_as(user_id, "clerk@example.org"):
            action = db.session.scalar(select(Action).where(Action.council_id.in_(
                demo.demo_council_ids(db.session.connection()))).order_by(Action.id))
            council = db.session.get(Council, action.council_id)
            cycle = ReviewCycle(council_id=council.id, key="local-review", subject="A review",
                                origin="local")
            db.session.add(cycle)
            db.session.flush()
            db.session.add_all([
                RoleAssignment(user_id=user_id, council_id=council.id, role=Role.VIEWER),
                ActionOwner(council_id=council.id, action_id=action.id, user_id=user_id),
                Review(council_id=council.id, review_cycle_id=cycle.id,
                       done_on=dt.date(2026, 5, 1), outcome="Agreed", recorded_by="Clerk")])
            db.session.commit()
        demo.load_demo(SMALL, replace=True)
        assert len(demo.demo_council_ids(db.session.connection())) == 2
        assert _count(Review) == 0 and _count(ActionOwner) == 0
        assert db.session.get(User, user_id) is not None


def test_a_larger_scale_adds_councils_after_the_same_first_ones(
        make_app: Callable[..., Flask]) -> None:
    app = make_app({})
    with app.app_context():
        demo.load_demo(SMALL)
        small = _fingerprint()
        demo.load_demo(0.02, replace=True)
        assert _fingerprint()[:len(small)] == small
        assert _count(Council) == 3


def test_loading_and_replacing_the_demo_give_the_list_of_councils_a_new_revision(
        make_app: Callable[..., Flask]) -> None:
    """The demo writes councils with Core statements, past the ORM's hooks, so it renews
    the list of councils' revision itself: a kept home page never misses its councils."""

    def directory() -> str:
        db.session.expire_all()
        return db.session.scalars(select(Directory.revision)).one()

    app = make_app({})
    with app.app_context():
        empty = directory()
        demo.load_demo(SMALL)
        loaded = directory()
        assert loaded != empty
        demo.load_demo(SMALL, replace=True)
        assert directory() not in (empty, loaded)
        db.session.commit()
        replaced = directory()
        demo.remove_demo(db.session.connection())
        db.session.commit()
        assert directory() != replaced


def test_sync_leaves_demo_councils_alone(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    with app.app_context():
        demo.load_demo(SMALL)
        report = sync_all(app.extensions["cpt_plugins"])
        assert not any("demo-" in line for line in report.lines)
        assert db.session.scalar(select(func.count()).select_from(Council).where(
            Council.archived_at.is_(None))) == 6


def test_rows_added_after_a_load_get_fresh_ids(make_app: Callable[..., Flask]) -> None:
    """On PostgreSQL the id sequences are moved past the ids the load gave."""
    app = make_app({})
    with app.app_context():
        demo.load_demo(SMALL)
        action = db.session.scalar(select(Action).limit(1))
        update = post_update(action, reported_on=dt.date(2026, 11, 1),
                             status=ActionStatus.AT_RISK, note="Slipping.", author="Test")
        assert update.id == _count(ProgressUpdate)


def test_postgresql_has_the_loaded_tables_statistics_at_once(
        make_app: Callable[..., Flask]) -> None:
    """The load ends by vacuuming and analyzing what it filled (PostgreSQL), so the planner
    knows the tables' sizes before anything runs, and autovacuum has nothing left to do."""
    app = make_app({})
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's planner statistics")
        demo.load_demo(SMALL)
        known = [(name, db.session.scalar(text(  # the table the session's path reaches
            "SELECT reltuples FROM pg_class WHERE oid = CAST(:name AS regclass)"),
            {"name": name})) for name in ("progress_update", "attendance", "action")]
        counts = {"progress_update": _count(ProgressUpdate), "attendance": _count(Attendance),
                  "action": _count(Action)}
    # reltuples is -1 until a table is first vacuumed or analyzed
    assert {name: int(tuples) for name, tuples in known} == counts


def test_demo_pages_answer(make_app: Callable[..., Flask]) -> None:
    app = make_app({})
    with app.app_context():
        demo.load_demo(SMALL)
        meeting_id = db.session.scalar(select(func.min(Meeting.id)))
    client = app.test_client()
    for url in ("/demo-0001/", "/demo-0001/pledges/pledge-3", "/demo-0002/panels/panel-2",
                "/api/councils/demo-0002/actions", f"/demo-0001/meetings/{meeting_id}"):
        assert client.get(url).status_code == 200, url


def test_demo_councils_have_indicators_with_figures_targets_and_comparators(
        make_app: Callable[..., Flask]) -> None:
    from core.indicators.models import Indicator, IndicatorFigure

    app = make_app({})
    with app.app_context():
        demo.load_demo(SMALL)
        # the nine measures of the default set and two local ones, 5 years or 8 quarters,
        # and one the second council added in the admin (8 quarters)
        assert _count(Indicator) == 2 * 11 + 1
        assert _count(IndicatorFigure) == 2 * (10 * 5 + 8) + 8
        own = db.session.execute(select(Council.slug, Indicator.key).join(
            Council, Council.id == Indicator.council_id).where(
            Indicator.origin == "local")).all()
        assert own == [("demo-0002", "local-care-leavers-in-touch")]
        assert set(db.session.scalars(select(Indicator.version))) == {1}  # ready to edit
        figures = db.session.execute(select(
            Indicator.key, Indicator.unit, IndicatorFigure.value, IndicatorFigure.numerator,
            IndicatorFigure.denominator, IndicatorFigure.target, IndicatorFigure.england)
            .join(Indicator, Indicator.id == IndicatorFigure.indicator_id)).all()
        for key, unit, value, numerator, denominator, _target, england in figures:
            assert england is not None, key
            if unit == "percentage":
                assert 0 <= value <= 100 and numerator <= denominator, key
                assert value == round(100 * numerator / denominator, 1), key
        assert any(unit == "count" and value < 5 for _k, unit, value, *_ in figures)
        assert any(d is not None and d < 5 for *_, d, _t, _e in figures)
        assert all(target is None for key, *_, target, _e in figures if key == "cla-rate")
    client = app.test_client()
    text = client.get("/demo-0001/indicators").get_data(as_text=True)
    assert "Health assessments up to date" in text and "Personal education plans" in text
    assert "Care leavers the council is in touch with" in client.get(
        "/demo-0002/indicators").get_data(as_text=True)
    for url in ("/demo-0001/indicators/adoptions", "/demo-0001/indicators/pep-on-time",
                "/demo-0002/indicators/cla-rate/chart.svg",
                "/demo-0002/indicators/local-care-leavers-in-touch/chart.svg"):
        assert client.get(url).status_code == 200, url


def test_every_benchmarked_page_of_the_demo_answers(make_app: Callable[..., Flask]) -> None:
    """Each public page the benchmark loads (bench/pages.py) lists paths of the demo
    councils that answer, the indicator pages and charts among them."""
    from bench.pages import PUBLIC, paths_of

    app = make_app({})
    with app.app_context():
        demo.load_demo(SMALL)
        engine = db.engine
    client = app.test_client()
    for page in PUBLIC:
        paths = paths_of(engine, page)
        assert paths, page.name
        response = client.get(paths[-1])
        assert response.status_code == 200, (page.name, paths[-1])
    names = {page.name for page in PUBLIC}
    assert {"indicators", "indicator trend", "indicator chart", "progress chart"} <= names
