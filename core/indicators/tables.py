"""The table of indicators with their latest public figures, written by Python: the
report card's (with England's figure) and a pledge's evidence.

As a Jinja macro each row cost about 70 µs (a ``{% set %}`` block for the link, ``url_for``,
a macro for the judgement's tag, a dozen lookups), most of the report card's render. This
builds the same GOV.UK table's parameters in Python, the links from one ``url_for``
(:func:`core.url_makers.text_url_maker`), and hands them to the table component as the
macro did (:func:`core.widgets.kept_component`), so a council's own copy of the table macro
still draws it. ``indicators/_latest.html``'s ``latest_figures`` calls this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from core.indicators.rag import RAG_LABELS, Rag
from core.indicators.suppression import threshold
from core.indicators.words import optional_number, period_label, shown_text
from core.pledges.words import missing, tag
from core.translations import gettext as _
from core.translations import page_locale_name
from core.url_makers import text_url_maker
from core.widgets import DEFAULT_LARGE_ENTRIES, TABLE_MACRO, kept_component, keyed_memo

#: Where an app keeps its memo of the tables of latest figures.
LATEST_EXTENSION = "cpt_latest_figures_markup"
#: The GOV.UK tag colour of each judgement.
RAG_COLOURS = {Rag.GREEN: "green", Rag.AMBER: "yellow", Rag.RED: "red"}


def rag_tag(rag: str | None) -> Markup:
    """A figure's judgement as a GOV.UK tag in its colour, named in words; "Not judged"
    marked as missing without one (the template global behind ``charts.html``'s
    ``rag_tag``)."""
    if not rag:
        return missing(_("Not judged"))
    return tag(str(RAG_LABELS[Rag(rag)]), RAG_COLOURS[Rag(rag)])


def latest_figures_table(figures: Iterable[tuple[Any, Any]], caption: str,
                         caption_classes: str, england: bool = False) -> Markup:
    """``figures`` (pairs of an indicator's line and its latest public figure, or ``None``)
    as a GOV.UK table headed by each indicator's title, linked to its page: the period,
    the figure, the target (and, with ``england``, England's figure) and the judgement.

    Kept by what it shows (each line's key, title, unit and period with its public
    figure, the caption, the language, the small-number limit, where the council's pages
    are and the table macro it uses): written afresh, a report card's dozen rows took about
    a quarter of its page, and they change only when the council's figures or definitions
    do. Kept in a memo of ``LARGE_MARKUP_ENTRIES`` tables, as the large components are
    (none with 0, as the benchmark's "cold" renders)."""
    figures = list(figures)
    link = text_url_maker("indicators.show", "key")
    key = (page_locale_name(), current_app.jinja_env.council_name(TABLE_MACRO, None),
           link(""), type(caption), str(caption), caption_classes, england, threshold(),
           tuple([(line.key, line.title, line.unit, line.period, figure)
                  for line, figure in figures]))
    try:
        hash(key)
    except TypeError:  # a figure of a kind that cannot be a key: written afresh
        return _latest_table(figures, link, caption, caption_classes, england)
    return keyed_memo(LATEST_EXTENSION, "LARGE_MARKUP_ENTRIES", DEFAULT_LARGE_ENTRIES).get(
        key, lambda: _latest_table(figures, link, caption, caption_classes, england))


def _latest_table(figures: list[tuple[Any, Any]], link: Callable[[str], str], caption: str,
                  caption_classes: str, england: bool) -> Markup:
    rows = []
    for line, figure in figures:
        title = Markup(f'<a class="govuk-link" href="{escape(link(line.key))}">'
                       f'{escape(line.title)}</a>')
        if not figure:
            rows.append([{"html": title}, {"html": missing(_("No figures yet")),
                                           "colspan": 5 if england else 4}])
            continue
        unit = line.unit
        row = [{"html": title}, {"text": period_label(line.period, figure.period_end)},
               {"text": shown_text(figure.shown, unit), "format": "numeric"},
               {"text": optional_number(figure.target, unit), "format": "numeric"}]
        if england:
            row.append({"text": optional_number(figure.england, unit), "format": "numeric"})
        row.append({"html": rag_tag(figure.rag)})
        rows.append(row)
    head = [{"text": _("Indicator")}, {"text": _("Period")},
            {"text": _("Figure"), "format": "numeric"},
            {"text": _("Target"), "format": "numeric"}]
    if england:
        head.append({"text": _("England"), "format": "numeric"})
    head.append({"text": _("Judgement")})
    return kept_component("table", "govukTable", {
        "caption": caption, "captionClasses": caption_classes, "firstCellIsHeader": True,
        "head": head, "rows": rows})
