"""A chart's figure written by Python (core.charts.figure_markup)."""

from __future__ import annotations

import re

from flask import Flask

from core.charts.figure_markup import chart_markup
from core.charts.service import ChartText, Table


def test_a_figure_says_its_words_escaped(app: Flask) -> None:
    text = ChartText(alt='Chart of "<b>care</b>" & more',
                     summary=["Latest: 5 < 6.", "Then & now."],
                     table=Table(caption="Every <period>", head=["Period", "Value"],
                                 rows=[["2025 & on", "5"]]),
                     key=[("Council <A>", "solid line"), ("Target", 'dashed "line"')])
    with app.test_request_context("/"):
        markup = str(chart_markup("/c/chart.svg?a=1&b=2", text))
    flat = re.sub(r"\s+", " ", markup)
    assert ('<img class="app-chart__image" src="/c/chart.svg?a=1&amp;b=2" '
            'alt="Chart of &#34;&lt;b&gt;care&lt;/b&gt;&#34; &amp; more" width="800" '
            'height="480">') in flat
    assert ('<p class="govuk-body">Latest: 5 &lt; 6.</p><p class="govuk-body">Then &amp; now.'
            '</p>') in flat
    assert ('<p class="govuk-body-s">Key: Council &lt;A&gt;, solid line; Target, dashed '
            '&#34;line&#34;.</p>') in flat
    assert flat.index("</figure>") < flat.index("Every &lt;period&gt;")
    assert "2025 &amp; on</th>" in flat  # the table, kept by kept_figures


def test_a_figure_without_a_key_has_none(app: Flask) -> None:
    text = ChartText(alt="Bars", summary=["One."],
                     table=Table(caption="Months", head=["Month", "Actions"], rows=[["May", "3"]]))
    with app.test_request_context("/"):
        markup = str(chart_markup("/p.svg", text))
    assert "Key:" not in markup and "<figcaption>" in markup
