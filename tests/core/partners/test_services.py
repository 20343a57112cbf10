"""Reading protocols as rows: what the models and their relationships give, live rows only."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select, update

from core.extensions import db
from core.models import Council, JointArea, Protocol, ReportingLine
from core.partners.services import protocols_of


def _council(slug: str) -> Council:
    return db.session.scalars(select(Council).where(Council.slug == slug)).one()


def _as_models_give_them(council: Council) -> list[tuple[object, ...]]:
    """Each live protocol as its model and relationships give it, live rows only."""
    found = []
    for protocol in db.session.scalars(select(Protocol).where(
            Protocol.council_id == council.id, Protocol.archived_at.is_(None))
            .order_by(Protocol.position)):
        found.append((protocol.key, protocol.title, protocol.roles,
                      protocol.review_cycle.key if protocol.review_cycle else None,
                      [a.title for a in protocol.joint_areas if a.archived_at is None],
                      [(line.subject, line.to_party) for line in protocol.reporting_lines
                       if line.archived_at is None]))
    return found


def _as_read(council: Council) -> list[tuple[object, ...]]:
    return [(p.key, p.title, p.roles, p.review_cycle.key if p.review_cycle else None,
             [a.title for a in p.joint_areas],
             [(line.subject, line.to_party) for line in p.reporting_lines])
            for p in protocols_of(council)]


def test_protocols_read_as_their_models_give_them(app: Flask) -> None:
    with app.app_context():
        for slug in ("isle_of_wight", "herefordshire", "staffordshire", "bracknell_forest"):
            council = _council(slug)
            assert _as_read(council) == _as_models_give_them(council)
        (protocol,) = protocols_of(_council("isle_of_wight"))
        assert protocol.review_cycle.key == "protocol-review"
        assert len(protocol.joint_areas) == 9 and len(protocol.reporting_lines) == 5


def test_archived_joint_areas_and_reporting_lines_are_left_out(app: Flask) -> None:
    with app.app_context():
        council = _council("isle_of_wight")
        (before,) = protocols_of(council)
        now = dt.datetime.now(dt.UTC)
        db.session.execute(update(JointArea).where(JointArea.id == before.joint_areas[0].id)
                           .values(archived_at=now))
        db.session.execute(update(ReportingLine)
                           .where(ReportingLine.id == before.reporting_lines[-1].id)
                           .values(archived_at=now))
        db.session.commit()
        (after,) = protocols_of(council)
        assert [a.id for a in after.joint_areas] == [a.id for a in before.joint_areas[1:]]
        assert [line.id for line in after.reporting_lines] == \
            [line.id for line in before.reporting_lines[:-1]]
        assert _as_read(council) == _as_models_give_them(council)
        db.session.execute(update(Protocol).where(Protocol.council_id == council.id)
                           .values(archived_at=now))
        db.session.commit()
        assert protocols_of(council) == []
