"""Reading review cycles as rows: what the model tells of them, and the protocol each
governs, from one statement."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select, update

from core.extensions import db
from core.models import Council, Protocol, ReviewCycle
from core.reviews.services import review_cycles_of, review_cycles_with_protocols


def _council(slug: str) -> Council:
    return db.session.scalars(select(Council).where(Council.slug == slug)).one()


def _models(council: Council) -> list[ReviewCycle]:
    return list(db.session.scalars(select(ReviewCycle).where(
        ReviewCycle.council_id == council.id, ReviewCycle.archived_at.is_(None))
        .order_by(ReviewCycle.position)))


def test_rows_tell_what_the_models_tell(app: Flask) -> None:
    with app.app_context():
        for slug in ("isle_of_wight", "herefordshire", "staffordshire", "bracknell_forest"):
            council = _council(slug)
            rows, models = review_cycles_of(council), _models(council)
            assert [row.key for row in rows] == [model.key for model in models]
            for row, model in zip(rows, models, strict=True):
                assert (row.subject, row.next_due, row.interval_uncertain) == \
                    (model.subject, model.next_due, model.interval_uncertain)
                for today in (dt.date(2020, 1, 1), dt.date.today(), dt.date(2040, 1, 1)):
                    assert row.state_on(today) == model.state_on(today)


def test_each_cycle_links_to_the_first_live_protocol_it_governs(app: Flask) -> None:
    with app.app_context():
        council = _council("isle_of_wight")
        cycles, protocols = review_cycles_with_protocols(council)
        assert [c.key for c in cycles] == [c.key for c in review_cycles_of(council)]
        governing = {cycles[[c.key for c in cycles].index("protocol-review")].id}
        assert set(protocols) == governing
        (cycle_id,) = governing
        assert protocols[cycle_id].key == "board-iowscp-protocol"

        # a second protocol earlier in the plugin's order is the one linked; once it is
        # archived, the first again; with both archived, none
        db.session.add(Protocol(council_id=council.id, key="earlier", position=-1,
                                title="An earlier protocol", review_cycle_id=cycle_id))
        db.session.commit()
        assert review_cycles_with_protocols(council)[1][cycle_id].title == \
            "An earlier protocol"
        now = dt.datetime.now(dt.UTC)
        db.session.execute(update(Protocol).where(Protocol.key == "earlier",
                                                  Protocol.council_id == council.id)
                           .values(archived_at=now))
        db.session.commit()
        assert review_cycles_with_protocols(council)[1][cycle_id].key == \
            "board-iowscp-protocol"
        db.session.execute(update(Protocol).where(Protocol.council_id == council.id)
                           .values(archived_at=now))
        db.session.commit()
        cycles_after, protocols_after = review_cycles_with_protocols(council)
        assert protocols_after == {} and len(cycles_after) == len(cycles)
