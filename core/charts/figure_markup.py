"""A chart as a page shows it, written by Python: its image, its words beside it, and its
table of figures (the template global ``chart_markup``, behind ``charts.html``'s ``chart``
macro).

The image is served by the page's own route (``src``); the words are a
:class:`~core.charts.service.ChartText`: the summary's paragraphs, the key of a line
chart's patterns, and the table, which :func:`core.widgets.kept_figures` keeps once made.
Jinja's macro took about a twentieth of an indicator's page (a loop over the key with a
translated pattern for each line); this writes the same markup.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from core.charts.service import ChartText
from core.translations import fill
from core.translations import trusted_gettext as _
from core.widgets import kept_figures


def chart_markup(src: str, text: ChartText) -> Markup:
    """The chart at ``src`` in a ``figure``, its alternative text on the image, its
    summary and key as the caption, then its table of figures."""
    summary = "".join([f'<p class="govuk-body">{escape(paragraph)}</p>'
                       for paragraph in text.summary])
    key = ""
    if text.key:
        each = _("%(name)s, %(pattern)s")
        lines = "; ".join([fill(each, name=name, pattern=drawn) for name, drawn in text.key])
        key = f'\n      <p class="govuk-body-s">{_("Key:")}\n        {lines}.</p>\n      '
    return Markup(
        f'<figure class="app-chart">\n'
        f'    <img class="app-chart__image" src="{escape(src)}" alt="{escape(text.alt)}" '
        f'width="800" height="480">\n'
        f'    <figcaption>\n'
        f'      {summary}\n'
        f'      {key}\n'
        f'    </figcaption>\n'
        f'  </figure>\n'
        f'  {kept_figures(text.table)}')
