"""Reading partner bodies and protocols."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from sqlalchemy import Row, and_, bindparam, select

from core import row_reads
from core.models import Council, JointArea, PartnerBody, Protocol, ReportingLine, ReviewCycle

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


class ProtocolRecord(row_reads.row_class(  # type: ignore[misc]
        Protocol, extra=("review_cycle", "joint_areas", "reporting_lines"))):
    """A protocol as the partners page and the API show it: its columns by attribute, the
    review cycle that governs it (a :class:`CycleKey`, or ``None``), and its live joint
    areas and reporting lines in order (rows of their columns)."""

    __slots__ = ()


#: The review cycle that governs a protocol, as the pages name it.
CycleKey = namedtuple("CycleKey", ("key", "subject"))


class JointAreaRow(row_reads.row_class(JointArea)):  # type: ignore[misc]
    """A joint area of a protocol: its columns by attribute."""

    __slots__ = ()


class ReportingLineRow(row_reads.row_class(ReportingLine)):  # type: ignore[misc]
    """A reporting line of a protocol: its columns by attribute."""

    __slots__ = ()


_PROTOCOL_WIDTH = len(row_reads.record_columns(Protocol))

#: Built once: the council's live protocols in order, each with its review cycle's key and
#: subject and (one row each) its live joint areas in order.
_PROTOCOLS = (
    select(*row_reads.record_columns(Protocol), ReviewCycle.key, ReviewCycle.subject,
           *row_reads.record_columns(JointArea))
    .outerjoin(ReviewCycle, Protocol.review_cycle_id == ReviewCycle.id)
    .outerjoin(JointArea, and_(JointArea.protocol_id == Protocol.id,
                               JointArea.council_id == Protocol.council_id,
                               JointArea.archived_at.is_(None)))
    .where(Protocol.council_id == bindparam("council_id"), Protocol.archived_at.is_(None))
    .order_by(Protocol.position, Protocol.id, JointArea.position, JointArea.id))
#: The live reporting lines of the protocols ``ids``, in order.
_REPORTING_LINES = (
    select(*row_reads.record_columns(ReportingLine))
    .where(ReportingLine.council_id == bindparam("council_id"),
           ReportingLine.protocol_id.in_(bindparam("ids", expanding=True)),
           ReportingLine.archived_at.is_(None))
    .order_by(ReportingLine.position, ReportingLine.id))


def protocols_of(council: Council) -> list[ProtocolRecord]:
    """The council's live protocols in order, with their review cycle, joint areas and
    reporting lines (two statements; one when there are none)."""
    protocols: dict[int, ProtocolRecord] = {}
    for row in row_reads.rows(_PROTOCOLS, {"council_id": council.id}):
        protocol = protocols.get(row[0])
        if protocol is None:
            cycle_key, cycle_subject = row[_PROTOCOL_WIDTH:_PROTOCOL_WIDTH + 2]
            cycle = None if cycle_key is None else CycleKey(cycle_key, cycle_subject)
            protocol = protocols[row[0]] = ProtocolRecord._make(
                (*row[:_PROTOCOL_WIDTH], cycle, [], []))
        if row[_PROTOCOL_WIDTH + 2] is not None:
            protocol.joint_areas.append(JointAreaRow._make(row[_PROTOCOL_WIDTH + 2:]))
    if protocols:
        for line in row_reads.rows(_REPORTING_LINES, {"council_id": council.id,
                                                      "ids": list(protocols)}):
            protocols[line.protocol_id].reporting_lines.append(ReportingLineRow._make(line))
    return list(protocols.values())
