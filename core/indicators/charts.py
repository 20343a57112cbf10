"""An indicator's trend chart: its figures over the periods, with its target and
comparators, and the same in words (every figure through the small-numbers rule)."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import force_locale
from sqlalchemy import select

from core.charts.kept import keep_drawing, kept_or_drawn
from core.charts.service import ChartText, Series, Table, line_chart, pattern_key
from core.content import RagRule
from core.councils.models import Council
from core.extensions import db
from core.indicators.models import Indicator
from core.indicators.rag import RAG_LABELS, council_rag_rule
from core.indicators.reads import IndicatorLine, PublicFigure, live_series_of, public_figure
from core.indicators.suppression import threshold
from core.indicators.words import (
    optional_number,
    period_label,
    short_period_label,
    shown_text,
    unit_label,
)
from core.translations import gettext as _
from core.translations import page_locale_name
from core.widgets import keyed_memo


def _columns() -> list[tuple[str, str]]:
    return [("target", _("Target")), ("england", _("England")), ("region", _("Region")),
            ("neighbours", _("Statistical neighbours"))]


def public_figures(line: IndicatorLine, rule: RagRule) -> list[PublicFigure]:
    """Every figure of ``line`` as the public may see it, oldest first."""
    return [public_figure(line, figure, rule) for figure in line.figures]


def _series(line: IndicatorLine, figures: list[PublicFigure], council_name: str
            ) -> list[Series]:
    series = [Series(council_name, [f.shown.value for f in figures])]
    for attribute, name in _columns():
        values = [getattr(f, attribute) for f in figures]
        if any(value is not None for value in values):
            series.append(Series(name, values))
    return series


def _trend_parts(line: IndicatorLine, figures: list[PublicFigure], council_name: str
                 ) -> tuple[str, list[str], list[Series], str]:
    """What the trend chart is drawn from: title, labels, series and the axis's title."""
    labels = [short_period_label(line.period, f.period_end) for f in figures]
    return (line.title, labels, _series(line, figures, council_name),
            str(unit_label(line.unit)))


def trend_subject(key: str) -> str:
    """The subject an indicator's trend chart is kept by (:mod:`core.charts.kept`)."""
    return f"indicator:{key}"


def trend_chart(council: Council, line: IndicatorLine, figures: list[PublicFigure]) -> bytes:
    """The trend chart (SVG): the council's figures as a solid line, a figure held back as
    a gap, then target and comparators in their own patterns. The drawing kept when the
    figures last changed, if it was drawn from the same; drawn now otherwise."""
    return kept_or_drawn(council.id, trend_subject(line.key), line_chart,
                         *_trend_parts(line, figures, council.name))


def keep_trend_charts(council: Council, keys: Iterable[str]) -> int:
    """Keep the trend charts of the council's indicators ``keys`` as its public pages show
    them (in its language, with its rule), in the session's transaction: called by a change
    to their figures or words, before it commits. A chart is drawn only where the kept
    drawing was drawn from something else, and an indicator without figures (whose page
    shows no chart) is left; how many were drawn."""
    rule = council_rag_rule(council)
    drawn = 0
    with force_locale(council.locale):
        for line in live_series_of(council, sorted(set(keys))):
            if line.figures:
                drawn += keep_drawing(council.id, trend_subject(line.key), line_chart,
                                      *_trend_parts(line, public_figures(line, rule),
                                                    council.name))
    return drawn


#: Where an app keeps its memo of trends in words, in ``app.extensions``.
TREND_TEXTS_EXTENSION = "cpt_trend_texts"


def trend_text(line: IndicatorLine, figures: list[PublicFigure], council_name: str
               ) -> ChartText:
    """The trend in words: the alternative text, a summary of the latest figure against its
    target and comparators and of the change since the first period, the table of every
    period, and the key of the lines' patterns. Kept by what it says (the locale, the
    small-number limit, the indicator's title, unit and period, the council's name and the
    public figures), in a memo of the components' size (none with the benchmark's "cold"
    settings): each period's words and numbers are Babel's formatting, about a twentieth of
    an indicator's page."""
    key = (page_locale_name(), threshold(), line.title, line.unit, line.period, council_name,
           tuple(figures))
    return keyed_memo(TREND_TEXTS_EXTENSION).get(
        key, lambda: _trend_text(line, figures, council_name))


def _trend_text(line: IndicatorLine, figures: list[PublicFigure], council_name: str
                ) -> ChartText:
    unit = line.unit
    summary: list[str] = []
    if figures:
        latest = figures[-1]
        words = [_("Latest, for the %(period)s: %(value)s.",
                   period=period_label(line.period, latest.period_end),
                   value=shown_text(latest.shown, unit))]
        for attribute, name in _columns():
            value = getattr(latest, attribute)
            if value is not None:
                words.append(_("%(name)s: %(value)s.", name=name,
                               value=optional_number(value, unit)))
        if latest.rag is not None:
            words.append(str(RAG_LABELS[latest.rag]) + ".")
        summary.append(" ".join(words))
        first = figures[0]
        if len(figures) > 1 and first.shown.value is not None \
                and latest.shown.value is not None:
            summary.append(_("In the %(first)s it was %(then)s.",
                             first=period_label(line.period, first.period_end),
                             then=shown_text(first.shown, unit)))
    else:
        summary.append(_("No figures have been published yet."))
    alt = _("Line chart of %(title)s over %(count)d periods, with its target and "
            "comparators; the summary and the table below give its figures.",
            title=line.title, count=len(figures))
    head = [_("Period"), council_name, *(name for _a, name in _columns()), _("Judgement")]
    rows = [[period_label(line.period, f.period_end), shown_text(f.shown, unit),
             *(optional_number(getattr(f, attribute), unit) for attribute, _n in _columns()),
             str(RAG_LABELS[f.rag]) if f.rag else _("None")]
            for f in figures]
    table = Table(caption=_("%(title)s: every period", title=line.title), head=head,
                  rows=rows, numeric=tuple(range(1, len(head) - 1)))
    key = pattern_key([s.name for s in _series(line, figures, council_name)])
    return ChartText(alt=alt, summary=summary, table=table, key=key)


def keep_every_trend_chart(council: Council) -> int:
    """Keep the trend chart of every live indicator of ``council`` (:func:`keep_trend_charts`)
    in the session's transaction: after a sync, an upgrade, or a load of rows written with
    Core; how many were drawn."""
    return keep_trend_charts(council, db.session.scalars(select(Indicator.key).where(
        Indicator.council_id == council.id, Indicator.archived_at.is_(None))).all())
