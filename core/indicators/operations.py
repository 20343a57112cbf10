"""Writing indicator figures: one typed in the admin, or a whole file imported.

Every write is audited (the ORM's flush records each figure added or changed, and an edit's
conditional update records its own event) and gives the council a new revision, so the
public pages and their charts are drawn again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from flask import abort
from sqlalchemy import func, select

from core.concurrency import commit_or_conflict, lock_for_write, save_if_unchanged
from core.extensions import db
from core.forms import FieldError
from core.indicators.charts import keep_trend_charts
from core.indicators.figures import FigureValues
from core.indicators.models import Indicator, IndicatorFigure
from core.models import Council
from core.translations import gettext as _


class FigureError(FieldError):
    """A figure that cannot be saved as asked; ``field`` names the form field at fault."""


def indicator_or_404(council: Council, key: str) -> Indicator:
    """One live indicator of ``council``, or a 404."""
    found = db.session.scalar(select(Indicator).where(
        Indicator.council_id == council.id, Indicator.key == key,
        Indicator.archived_at.is_(None)))
    if found is None:
        abort(404)
    return found


def figure_or_404(indicator: Indicator, figure_id: int) -> IndicatorFigure:
    """One figure of ``indicator``, or a 404."""
    found = db.session.scalar(select(IndicatorFigure).where(
        IndicatorFigure.council_id == indicator.council_id,
        IndicatorFigure.indicator_id == indicator.id, IndicatorFigure.id == figure_id))
    if found is None:
        abort(404)
    return found


def _period_taken(indicator: Indicator, values: FigureValues,
                  figure: IndicatorFigure | None = None) -> bool:
    return db.session.scalar(select(IndicatorFigure.id).where(
        IndicatorFigure.indicator_id == indicator.id,
        IndicatorFigure.period_end == values.period_end,
        IndicatorFigure.id != (figure.id if figure else -1))) is not None


def add_figure(indicator: Indicator, values: FigureValues) -> IndicatorFigure:
    """Record the figure of a period that has none yet (the indicator held until the
    commit, so the same period added twice at once is refused, not doubled)."""
    lock_for_write(indicator)
    if _period_taken(indicator, values):
        db.session.rollback()
        raise FigureError("period_end", _("There is already a figure for this period: "
                                          "change that one instead"))
    figure = IndicatorFigure(council_id=indicator.council_id, indicator_id=indicator.id,
                             **asdict(values))
    db.session.add(figure)
    keep_charts(indicator.council_id, [indicator.key])
    commit_or_conflict()
    return figure


def change_figure(indicator: Indicator, figure: IndicatorFigure, values: FigureValues,
                  version: str | int | None) -> None:
    """Change a figure, if it is still at ``version`` (the one the form was filled from),
    else raise :class:`~core.forms.EditConflict` and save nothing."""
    if _period_taken(indicator, values, figure):
        raise FigureError("period_end", _("There is already a figure for this period: "
                                          "change that one instead"))
    save_if_unchanged(figure, version, **asdict(values))
    keep_charts(indicator.council_id, [indicator.key])
    commit_or_conflict()


def import_figures(council: Council, rows: Sequence[tuple[Indicator, FigureValues]]) -> int:
    """Write every checked row in one transaction: a period that has a figure has it
    replaced, others are added. Returns how many figures were written."""
    lock_for_write(council)
    ids = sorted({indicator.id for indicator, _values in rows})
    existing: dict[tuple[int, Any], IndicatorFigure] = {
        (figure.indicator_id, figure.period_end): figure
        for figure in db.session.scalars(select(IndicatorFigure).where(
            IndicatorFigure.council_id == council.id, IndicatorFigure.indicator_id.in_(ids)))}
    for indicator, values in rows:
        figure = existing.get((indicator.id, values.period_end))
        if figure is None:
            db.session.add(IndicatorFigure(council_id=council.id, indicator_id=indicator.id,
                                           **asdict(values)))
        else:
            for name, value in asdict(values).items():
                setattr(figure, name, value)
    keep_charts(council.id, [indicator.key for indicator, _values in rows])
    commit_or_conflict()
    return len(rows)


def keep_charts(council_id: int, keys: Sequence[str]) -> None:
    """Draw and keep the trend charts of the indicators ``keys`` whose figures or words the
    transaction changes (:func:`core.indicators.charts.keep_trend_charts`)."""
    keep_trend_charts(db.session.get_one(Council, council_id), keys)


def figure_count(indicator: Indicator) -> int:
    """How many figures ``indicator`` has (one statement)."""
    return db.session.scalar(select(func.count(IndicatorFigure.id)).where(
        IndicatorFigure.council_id == indicator.council_id,
        IndicatorFigure.indicator_id == indicator.id)) or 0
