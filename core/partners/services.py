"""Reading partner bodies and protocols."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import joinedload, selectinload, with_loader_criteria

from core import row_reads
from core.extensions import db
from core.models import Council, JointArea, PartnerBody, Protocol, ReportingLine

#: Built once, as the statements public pages run on every render are: the columns the
#: partners page and the API show.
_PARTNERS = (select(PartnerBody.key, PartnerBody.name, PartnerBody.short_name,
                    PartnerBody.status, PartnerBody.description)
             .where(PartnerBody.council_id == bindparam("council_id"),
                    PartnerBody.archived_at.is_(None))
             .order_by(PartnerBody.position))


def partners_of(council: Council) -> list[Row[Any]]:
    """The bodies the council's panels work with, in order: rows of their ``key``,
    ``name``, ``short_name``, ``status`` and ``description``."""
    return list(row_reads.rows(_PARTNERS, {"council_id": council.id}))


#: Built once (its loader criteria cost more to build than to run).
_PROTOCOLS = (
    select(Protocol)
    .where(Protocol.council_id == bindparam("council_id"), Protocol.archived_at.is_(None))
    .order_by(Protocol.position)
    .options(joinedload(Protocol.review_cycle), joinedload(Protocol.joint_areas),
             selectinload(Protocol.reporting_lines),
             with_loader_criteria(JointArea, JointArea.archived_at.is_(None)),
             with_loader_criteria(ReportingLine, ReportingLine.archived_at.is_(None)))
)


def protocols_of(council: Council) -> list[Protocol]:
    """Protocols with their review cycle and joint areas (joined) and reporting lines (two
    queries)."""
    return list(db.session.scalars(_PROTOCOLS, {"council_id": council.id}).unique())
