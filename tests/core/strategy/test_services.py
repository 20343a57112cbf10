"""Reading a council's strategy and priorities: the joined read gives what the two single
reads give, and the overview's narrow read what it shows of them, whatever of either the
council has."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select, update

from core.extensions import db
from core.models import Council, Priority, Strategy
from core.strategy.services import (
    PriorityHeading,
    StrategyHeading,
    priorities_of,
    strategy_and_priorities,
    strategy_headings,
    strategy_of,
)


def _council(slug: str) -> Council:
    return db.session.scalars(select(Council).where(Council.slug == slug)).one()


def _both(council: Council) -> tuple[object, list[object]]:
    strategy, priorities = strategy_and_priorities(council)
    single = strategy_of(council)
    assert (None if strategy is None else tuple(strategy)) == \
        (None if single is None else tuple(single))
    assert [tuple(p) for p in priorities] == [tuple(p) for p in priorities_of(council)]
    # the overview's read without the lists says the same of every other column
    heading, headings = strategy_headings(council)
    assert (None if heading is None else heading._asdict()) == (None if strategy is None else {
        name: getattr(strategy, name) for name in StrategyHeading._fields})
    assert [priority._asdict() for priority in headings] == [
        {name: getattr(p, name) for name in PriorityHeading._fields} for p in priorities]
    return strategy, priorities


def test_the_joined_read_gives_the_strategy_and_its_priorities_in_order(app: Flask) -> None:
    with app.app_context():
        strategy, priorities = _both(_council("herefordshire"))
        assert strategy is not None and strategy.key
        assert len(priorities) == 7
        assert [p.position for p in priorities] == sorted(p.position for p in priorities)
        assert all(p.title for p in priorities)


def test_a_strategy_without_priorities_reads_alone(app: Flask) -> None:
    with app.app_context():
        strategy, priorities = _both(_council("staffordshire"))
        assert strategy is not None and priorities == []


def test_archived_rows_are_left_out_and_no_strategy_reads_as_none(app: Flask) -> None:
    with app.app_context():
        council = _council("isle_of_wight")
        now = dt.datetime.now(dt.UTC)
        first = db.session.scalars(select(Priority.id).where(
            Priority.council_id == council.id).order_by(Priority.position)).first()
        db.session.execute(update(Priority).where(Priority.id == first)
                           .values(archived_at=now))
        db.session.execute(update(Strategy).where(Strategy.council_id == council.id)
                           .values(archived_at=now))
        db.session.commit()
        strategy, priorities = _both(council)
        assert strategy is None
        assert len(priorities) == 5 and first not in [p.id for p in priorities]


def test_of_two_live_strategies_the_first_by_position_is_read(app: Flask) -> None:
    with app.app_context():
        council = _council("herefordshire")
        db.session.add(Strategy(council_id=council.id, key="earlier", position=-1,
                                title="An earlier strategy"))
        db.session.commit()
        strategy, priorities = _both(council)
        assert strategy is not None and strategy.title == "An earlier strategy"
        assert len(priorities) == 7
