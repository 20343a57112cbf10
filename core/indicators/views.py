"""Public pages of a council's indicators: the report card, each indicator's trend."""

from __future__ import annotations

from flask import Response, g, render_template

from core.charts.service import svg_response
from core.councils.scoping import council_blueprint
from core.indicators.charts import public_figures, trend_chart, trend_text
from core.indicators.evidence import evidence_of
from core.indicators.rag import council_rag_rule, describe
from core.indicators.reads import public_figure, report_card, series_or_404
from core.page_cache import cache_pages

indicator_pages = cache_pages(council_blueprint("indicators", __name__, "/indicators"))


@indicator_pages.get("")
def index() -> str:
    rule = council_rag_rule(g.council)
    figures = [(line, public_figure(line, line.latest, rule) if line.latest else None)
               for line in report_card(g.council)]
    return render_template("indicators/index.html", council=g.council, figures=figures,
                           rule_words=describe(rule))


@indicator_pages.get("/<key>")
def show(key: str) -> str:
    line = series_or_404(g.council, key)
    rule = council_rag_rule(g.council)
    figures = public_figures(line, rule)
    priorities, pledges = evidence_of(g.council, line)
    return render_template(
        "indicators/show.html", council=g.council, line=line, figures=figures,
        text=trend_text(line, figures, g.council.name), rule_words=describe(rule),
        priorities=priorities, pledges=pledges)


@indicator_pages.get("/<key>/chart.svg")
def chart(key: str) -> Response:
    line = series_or_404(g.council, key)
    return svg_response(trend_chart(g.council, line,
                                    public_figures(line, council_rag_rule(g.council))))
