"""Indicators and their figures as the pages show them, read in narrow rows.

Statements built once at import: the council's live indicators each with its latest
figure (the report card), one indicator with every figure (its pages), and the history of
changes to one indicator and its figures (its admin page only). Figures reach
the public only through :func:`public_figure`, which applies the small-numbers rule
(:func:`core.indicators.suppression.suppress`) and the red/amber/green rule
(:func:`core.indicators.rag.judge`); :func:`public_report_card` and
:func:`public_series` give the same as plain data for other readers (the open-data API).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import abort
from sqlalchemy import Integer, String, Text, and_, bindparam, cast, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from core import row_reads
from core.audit import HISTORY_COLUMNS, HISTORY_ORDER, AuditEvent
from core.content import RagRule
from core.indicators.models import Indicator, IndicatorFigure
from core.indicators.rag import Rag, judge
from core.indicators.suppression import Shown, suppress
from core.models import Council
from core.plugins import LOCAL_KEY_PREFIX


@dataclass(slots=True)
class IndicatorLine:
    """What the pages need of one indicator."""

    id: int
    key: str
    title: str
    definition: str | None
    unit: str | None
    higher_is_better: bool | None
    period: str | None
    priorities: list[str]
    pledges: list[str]
    source: str | None
    measure: str | None
    named_in: str | None
    figures: list[Figure] = field(default_factory=list)

    @property
    def added_locally(self) -> bool:
        """Whether the council's administrators added it rather than its plugin: told by
        its key, which only such indicators may start with ``local-`` (so the pages need
        not read ``origin``)."""
        return self.key.startswith(LOCAL_KEY_PREFIX)

    @property
    def latest(self) -> Figure | None:
        """The figure for the latest period, if any."""
        return self.figures[-1] if self.figures else None


@dataclass(slots=True)
class Figure:
    """One period's figure as entered, with its target and comparators."""

    id: int
    period_end: dt.date
    value: float | None
    numerator: int | None
    denominator: int | None
    target: float | None
    england: float | None
    region: float | None
    neighbours: float | None
    note: str | None
    version: int


@dataclass(frozen=True, slots=True)
class PublicFigure:
    """A figure as the public may see it: held back where small, judged against target."""

    period_end: dt.date
    shown: Shown
    rag: Rag | None
    target: float | None
    england: float | None
    region: float | None
    neighbours: float | None


_INDICATOR_COLUMNS = (Indicator.id, Indicator.key, Indicator.title, Indicator.definition,
                      Indicator.unit, Indicator.higher_is_better, Indicator.period,
                      Indicator.priorities, Indicator.pledges, Indicator.source,
                      Indicator.measure, Indicator.named_in)
_FIGURE_COLUMNS = (IndicatorFigure.id.label("figure_id"), IndicatorFigure.period_end,
                   IndicatorFigure.value, IndicatorFigure.numerator,
                   IndicatorFigure.denominator, IndicatorFigure.target,
                   IndicatorFigure.england, IndicatorFigure.region,
                   IndicatorFigure.neighbours, IndicatorFigure.note, IndicatorFigure.version)

_newest = aliased(IndicatorFigure)
_LATEST_PERIOD = (select(func.max(_newest.period_end))
                  .where(_newest.indicator_id == Indicator.id).scalar_subquery())

_REPORT_CARD = (
    select(*_INDICATOR_COLUMNS, *_FIGURE_COLUMNS)
    .outerjoin(IndicatorFigure, and_(IndicatorFigure.indicator_id == Indicator.id,
                                     IndicatorFigure.period_end == _LATEST_PERIOD))
    .where(Indicator.council_id == bindparam("council_id"), Indicator.archived_at.is_(None))
    .order_by(Indicator.position, Indicator.id)
)


class _TextAt(FunctionElement[int]):
    """Where a text starts in another, from 1 (0: nowhere): SQLite's ``instr``,
    PostgreSQL's ``strpos``. Not ``LIKE``: SQLite prepares a statement again whenever the
    pattern bound to its ``LIKE`` changes (42 µs against 13 for the same rows)."""

    type = Integer()
    inherit_cache = True
    name = "text_at"


@compiles(_TextAt)
def _text_at(element: _TextAt, compiler: Any, **kw: Any) -> str:
    """SQLite's (and any other engine's) ``instr``."""
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(_TextAt, "postgresql")
def _text_at_postgresql(element: _TextAt, compiler: Any, **kw: Any) -> str:
    """PostgreSQL's ``strpos``."""
    return f"strpos({compiler.process(element.clauses, **kw)})"


#: A pledge's key that :data:`_EVIDENCE` may look for as it is written in the indicators'
#: JSON lists of pledges: characters JSON writes as they are.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9._-]+")
#: The report card's indicators whose pledges may name one (their JSON text holds the
#: key, quoted): the few a pledge's page shows, not the whole card.
_EVIDENCE = _REPORT_CARD.where(
    _TextAt(cast(Indicator.pledges, Text), bindparam("quoted_key", type_=String)) > 0)


def _series_where(*where: Any) -> Any:
    """Live indicators of the council matching ``where``, each with every figure, oldest
    first."""
    return (select(*_INDICATOR_COLUMNS, *_FIGURE_COLUMNS)
            .outerjoin(IndicatorFigure, IndicatorFigure.indicator_id == Indicator.id)
            .where(Indicator.council_id == bindparam("council_id"),
                   Indicator.archived_at.is_(None), *where)
            .order_by(Indicator.id, IndicatorFigure.period_end))


_SERIES = _series_where(Indicator.key == bindparam("key"))
_SERIES_OF = _series_where(Indicator.key.in_(bindparam("keys", expanding=True)))


#: Where a row's figure starts (the indicator's columns before it).
_WIDTH = len(_INDICATOR_COLUMNS)


def _lines(rows: Any) -> list[IndicatorLine]:
    lines: dict[int, IndicatorLine] = {}
    # rows read by position (the columns' order): a row's named attribute is a call
    for row in rows:
        line = lines.get(row[0])
        if line is None:
            (indicator_id, key, title, definition, unit, higher_is_better, period, priorities,
             pledges, source, measure, named_in) = row[:_WIDTH]
            line = lines[indicator_id] = IndicatorLine(
                indicator_id, key, title, definition, unit, higher_is_better, period,
                list(priorities or []), list(pledges or []), source, measure, named_in)
        if row[_WIDTH] is not None:
            line.figures.append(Figure(*row[_WIDTH:]))
    return list(lines.values())


def report_card_read(council: Council) -> row_reads.Read:
    """The statement :func:`report_card` runs, for a page to send with others."""
    return row_reads.Read(_REPORT_CARD, {"council_id": council.id})


def report_card(council: Council) -> list[IndicatorLine]:
    """The council's live indicators in order, each with only its latest figure (one
    statement)."""
    return _lines(row_reads.rows(*report_card_read(council)))


def evidence_read(council: Council, pledge_key: str) -> row_reads.Read:
    """The statement :func:`evidence_of` runs, for a page to send with others: the
    report card's, narrowed to the indicators whose list of pledges holds ``pledge_key``
    as JSON writes it (the whole card for a key of other characters)."""
    if not _PLAIN_KEY.fullmatch(pledge_key):
        return report_card_read(council)
    return row_reads.Read(_EVIDENCE, {"council_id": council.id,
                                      "quoted_key": f'"{pledge_key}"'})


def evidence_of(council: Council, pledge_key: str) -> list[IndicatorLine]:
    """The council's live indicators that show the progress of its pledge ``pledge_key``
    (those naming it among their pledges), in the report card's order, each with only its
    latest figure (one statement)."""
    return [line for line in _lines(row_reads.rows(*evidence_read(council, pledge_key)))
            if pledge_key in line.pledges]


def live_series(council: Council, key: str) -> IndicatorLine | None:
    """One live indicator of ``council`` with every figure, oldest first (one statement),
    or ``None``."""
    found = _lines(row_reads.rows(*series_read(council, key)))
    return found[0] if found else None


def live_series_of(council: Council, keys: Sequence[str]) -> list[IndicatorLine]:
    """The live indicators ``keys`` of ``council`` with every figure, oldest first (one
    statement, whatever the number of keys)."""
    if not keys:
        return []
    return _lines(row_reads.rows(_SERIES_OF, {"council_id": council.id,
                                              "keys": list(keys)}))


def series_read(council: Council, key: str) -> row_reads.Read:
    """The statement :func:`live_series` and :func:`series_or_404` run, for a page to send
    with others."""
    return row_reads.Read(_SERIES, {"council_id": council.id, "key": key})


#: The live indicator of a key in a council (its id: none of an archived one's).
_LIVE_ID = (select(Indicator.id)
            .where(Indicator.council_id == bindparam("council_id"),
                   Indicator.key == bindparam("key"), Indicator.archived_at.is_(None))
            .scalar_subquery())

#: Built once: the audit events of the live indicator of a key and of each of its figures,
#: newest first; by the key, not the indicator's id, so that the admin page sends it with
#: the indicator's own read.
_HISTORY = (select(*HISTORY_COLUMNS)
            .where(AuditEvent.council_id == bindparam("council_id"),
                   or_(and_(AuditEvent.record_type == Indicator.__tablename__,
                            AuditEvent.record_id == _LIVE_ID),
                       and_(AuditEvent.record_type == IndicatorFigure.__tablename__,
                            AuditEvent.record_id.in_(
                                select(IndicatorFigure.id)
                                .where(IndicatorFigure.council_id == bindparam("council_id"),
                                       IndicatorFigure.indicator_id == _LIVE_ID)))))
            .order_by(*HISTORY_ORDER))


def indicator_history_read(council: Council, key: str) -> row_reads.Read:
    """The statement :func:`indicator_history` runs, for a page to send with others."""
    return row_reads.Read(_HISTORY, {"council_id": council.id, "key": key})


def indicator_history(council: Council, key: str) -> list[Any]:
    """The audit events of the live indicator ``key`` of ``council`` (an indicator added
    locally is changed in the admin) and of every figure of it, newest first, as rows of
    the event's columns (one statement): for the admin only, as they name who changed
    what."""
    return row_reads.tuples(*indicator_history_read(council, key))


def series_or_404(council: Council, key: str) -> IndicatorLine:
    """One live indicator of ``council`` with every figure, oldest first (one statement),
    or a 404."""
    found = live_series(council, key)
    if found is None:
        abort(404)
    return found


def public_figure(line: IndicatorLine, figure: Figure, rule: RagRule) -> PublicFigure:
    """``figure`` of ``line`` as the public may see it: the one place figures are prepared
    for a public page, chart, table or export."""
    shown = suppress(line.unit, figure.value, figure.numerator, figure.denominator)
    rag = None if shown.suppressed else judge(shown.value, figure.target,
                                              line.higher_is_better, rule)
    return PublicFigure(figure.period_end, shown, rag, figure.target, figure.england,
                        figure.region, figure.neighbours)


def _public_data(line: IndicatorLine, rule: RagRule) -> dict[str, Any]:
    return {
        "key": line.key, "title": line.title, "definition": line.definition,
        "unit": line.unit, "higher_is_better": line.higher_is_better, "period": line.period,
        "priorities": line.priorities, "pledges": line.pledges, "source": line.source,
        "measure": line.measure,
        "figures": [
            {"period_end": shown.period_end.isoformat(), "value": shown.shown.value,
             "suppressed": shown.shown.held_back, "rag": shown.rag and shown.rag.value,
             "target": shown.target, "england": shown.england, "region": shown.region,
             "statistical_neighbours": shown.neighbours}
            for shown in (public_figure(line, figure, rule) for figure in line.figures)],
    }


def public_report_card(council: Council, rule: RagRule) -> list[dict[str, Any]]:
    """Every live indicator of ``council`` with its latest figure, as plain data with the
    small-numbers rule applied (``value`` is ``None`` and ``suppressed`` says why where a
    figure is held back)."""
    return [_public_data(line, rule) for line in report_card(council)]


def public_series(council: Council, key: str, rule: RagRule) -> dict[str, Any]:
    """One indicator with every figure, as :func:`public_report_card` gives them (a 404
    for an unknown key)."""
    return _public_data(series_or_404(council, key), rule)
