"""Reading partner bodies and protocols."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload, with_loader_criteria

from core.extensions import db
from core.models import Council, JointArea, PartnerBody, Protocol, ReportingLine

#: Built once, as the statements public pages run on every render are.
_PARTNERS = (select(PartnerBody)
             .where(PartnerBody.council_id == bindparam("council_id"),
                    PartnerBody.archived_at.is_(None))
             .order_by(PartnerBody.position))


def partners_of(council: Council) -> list[PartnerBody]:
    """The bodies the council's panels work with."""
    return list(db.session.scalars(_PARTNERS, {"council_id": council.id}))


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
