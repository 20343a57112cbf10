"""The chart service: SVG line and stacked-bar charts with their words.

Charts are drawn by pygal, imported when the first chart is drawn. Series are told apart by
their line's pattern (solid, dashed, dotted, dash-dot) and named in a key the page writes
in words, and bars carry their numbers, so that nothing depends on colour alone. Each
number sits on a plate of its layer's solid colour (over the layer's pattern) in whichever of
white or black contrasts with it by at least :data:`MINIMUM_CONTRAST` (WCAG 2.2, 1.4.3); a
number whose bar is too small to hold its plate is left out rather than spilling onto
another layer (the table beside the chart gives every figure). Every
chart comes with a :class:`ChartText` (text alternative, summary, table) shown beside it.
The SVG is served as an image by the page's own cached route (:func:`svg_response`): its
styles are inside it, which the pages' content security policy would refuse inline, so SVG
responses carry a policy of their own (:data:`core.headers.SVG_POLICY`).
"""

from __future__ import annotations

import functools
import math
import re
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Response

#: GOV.UK colours, in the order series take them.
LINE_COLOURS = ("#1d70b8", "#0b0c0c", "#505a5f", "#4c2c92", "#b58840")
#: Line patterns in the same order: the council's figures solid, then dashed, dotted...
DASHES = (None, "12, 6", "3, 5", "12, 4, 3, 4", "20, 6")
#: Fill patterns for bars, in layer order: white marks (SVG elements and their attributes)
#: over the layer's colour, the first layer solid, so that layers differ by more than colour.
PATTERNS: tuple[tuple[tuple[str, dict[str, str]], ...] | None, ...] = (
    None,
    (("line", {"x1": "0", "y1": "0", "x2": "8", "y2": "8", "stroke-width": "2.5"}),
     ("line", {"x1": "-2", "y1": "6", "x2": "2", "y2": "10", "stroke-width": "2.5"}),
     ("line", {"x1": "6", "y1": "-2", "x2": "10", "y2": "2", "stroke-width": "2.5"})),
    (("circle", {"cx": "4", "cy": "4", "r": "1.8", "fill": "#ffffff"}),),
    (("path", {"d": "M0 4H8M4 0V8", "stroke-width": "1.5"}),),
    (("line", {"x1": "0", "y1": "4", "x2": "8", "y2": "4", "stroke-width": "3"}),),
)

#: What a printed number may be drawn in, in order of preference: GOV.UK black or white,
#: else pure black (one of them contrasts by at least 4.58:1 with any colour).
TEXT_COLOURS = ("#0b0c0c", "#ffffff", "#000000")
#: The contrast a printed number needs against what it sits on (WCAG 2.2, 1.4.3).
MINIMUM_CONTRAST = 4.5
#: The size of printed numbers, in pixels.
VALUE_FONT_SIZE = 13
#: A digit's width as a share of the font size, with room to spare: Arial's is 0.556, that of
#: DejaVu Sans (where Arial is missing) 0.636.
DIGIT_WIDTH = 0.65
#: Space between a number and its plate's edge, in pixels.
PLATE_PADDING = 4


def relative_luminance(colour: str) -> float:
    """The relative luminance of ``colour`` (``#rrggbb`` or ``#rgb``), as WCAG 2.2
    defines it."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = []
    for start in (0, 2, 4):
        value = int(digits[start:start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(one: str, other: str) -> float:
    """The contrast ratio of two colours (1 to 21), as WCAG 2.2 defines it."""
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(fill: str) -> str:
    """The first of :data:`TEXT_COLOURS` readable on ``fill`` (by
    :data:`MINIMUM_CONTRAST`), else the one that contrasts most."""
    for colour in TEXT_COLOURS:
        if contrast_ratio(colour, fill) >= MINIMUM_CONTRAST:
            return colour
    return max(TEXT_COLOURS, key=lambda colour: contrast_ratio(colour, fill))


@dataclass(frozen=True)
class Series:
    """One line or one layer of bars: its name and a value per label (``None``: none)."""

    name: str
    values: Sequence[float | None]
    colour: str | None = None


#: A figure as the tables write it: "12", "1,200", "-3", "12.5", "88.0%".
_NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?%?")


@dataclass(frozen=True)
class Table:
    """The figures of a chart, for the table beside it."""

    caption: str
    head: list[str]
    rows: list[list[str]]
    #: The columns of figures, aligned as numbers (GOV.UK's ``format: "numeric"``); by
    #: default, every column after the first whose cells are all numbers.
    numeric: tuple[int, ...] | None = None

    def numeric_columns(self) -> frozenset[int]:
        """The columns aligned as numbers."""
        if self.numeric is not None:
            return frozenset(self.numeric)
        return frozenset(column for column in range(1, len(self.head))
                         if self.rows and all(_NUMBER.fullmatch(row[column])
                                              for row in self.rows))

    def key(self) -> tuple[Any, ...]:
        """Everything :meth:`govuk` is made from, hashable (the memo of tables' markup,
        :func:`core.widgets.kept_figures`, keeps it by this)."""
        return (self.caption, tuple(self.head), tuple(map(tuple, self.rows)), self.numeric)

    def govuk(self) -> dict[str, Any]:
        """The arguments of the GOV.UK table macro (the first cell of each row its header,
        the columns of figures numeric)."""
        numeric = self.numeric_columns()

        def cell(text: str, column: int) -> dict[str, str]:
            return {"text": text, "format": "numeric"} if column in numeric else {"text": text}

        return {"caption": self.caption, "captionClasses": "govuk-table__caption--s",
                "firstCellIsHeader": True,
                "head": [cell(text, column) for column, text in enumerate(self.head)],
                "rows": [[cell(text, column) for column, text in enumerate(row)]
                         for row in self.rows]}


@dataclass(frozen=True)
class ChartText:
    """What a chart says in words: a short alternative (the image's ``alt``), a summary
    and the figures' table."""

    alt: str
    summary: list[str]
    table: Table
    #: Each series' name with its pattern in words, for the key beside a line chart.
    key: list[tuple[str, str]] = field(default_factory=list)


def _pygal() -> Any:
    """pygal, imported on first use. Importing it appends a legacy finder to
    ``sys.meta_path`` (for its map plugins, which the charts do not use) that makes every
    later failed import warn (``ImportWarning``, an error under the tests' warning filter);
    it is taken out again."""
    import pygal

    sys.meta_path[:] = [finder for finder in sys.meta_path
                        if type(finder).__name__ != "PluginImportFixer"]
    return pygal


def _style(colours: Sequence[str], value_colours: Sequence[str] = ("#0b0c0c",)) -> Any:
    from pygal.style import Style

    return Style(background="#ffffff", plot_background="#ffffff", foreground="#0b0c0c",
                 foreground_strong="#0b0c0c", foreground_subtle="#505a5f",
                 opacity="1", opacity_hover="1", colors=tuple(colours),
                 # every line 3 px wide (pygal's per-series width does not reach the line)
                 stroke_width=3, stroke_width_hover=3,
                 font_family="Arial, Helvetica, sans-serif", label_font_size=14,
                 major_label_font_size=14, legend_font_size=14, title_font_size=16,
                 value_font_size=VALUE_FONT_SIZE, value_colors=tuple(value_colours),
                 tooltip_font_size=14,
                 # guides solid and faint, so that no line's pattern is taken for one
                 guide_stroke_color="#d8d8d8", guide_stroke_dasharray="none",
                 major_guide_stroke_color="#b1b4b6", major_guide_stroke_dasharray="none")


def _without_scripts(root: Any) -> Any:
    """pygal's SVG without the script it writes for its interactive tooltips (an image
    never runs it, and the charts need none). pygal writes its scripts in ``<defs>``;
    only those elements are searched (walking every element cost a tenth of a line
    chart's drawing)."""
    namespace = root.tag[:-len("svg")]  # "{http://www.w3.org/2000/svg}" or none
    for parent in [root, *root.iter(f"{namespace}defs")]:
        for script in parent.findall(f"{namespace}script"):
            parent.remove(script)
    return root


def _options(title: str, labels: Sequence[str], colours: Sequence[str],
             value_colours: Sequence[str] = ("#0b0c0c",)) -> dict[str, Any]:
    return {"title": title, "x_labels": list(labels), "style": _style(colours, value_colours),
            "js": [],
            "width": 800, "height": 480, "legend_at_bottom": True, "legend_at_bottom_columns": 3,
            "truncate_legend": -1, "truncate_label": -1, "show_y_guides": True,
            "x_label_rotation": 30 if len(labels) > 6 else 0, "margin": 16,
            "margin_right": 48, "margin_bottom": 28, "legend_box_size": 14}


#: How many drawn charts each process keeps, per kind. They are kept compressed (an SVG of
#: 15–50 KB takes 3–6 KB; drawn again it would take 9–25 ms, unpacked it takes 20–60 µs),
#: so at most about 12 MB a kind: the charts of the pages a national host's clerks and
#: public read between changes, not only the last few.
KEPT_CHARTS = 2048
#: The memo of each kind of chart (see :func:`forget_drawings`).
_MEMOS: list[Any] = []


def forget_drawings() -> None:
    """Drop every chart this process keeps, so that the next of each is drawn afresh (as
    the benchmark's "cold" renders are, and as the first after its figures change is)."""
    for memo in _MEMOS:
        memo.cache_clear()


def _kept(draw: Any) -> Any:
    """``draw`` (a pure function of its arguments) with its SVG kept once made: the same
    title, labels, series and options give the same drawing, so a page's chart is drawn
    again only when its figures (or words) change, not on every request the page cache
    misses. Series are keyed by their name, values and colour; the SVG is kept compressed
    (zlib's fastest level)."""
    @functools.lru_cache(maxsize=KEPT_CHARTS)
    def kept(title: str, labels: tuple[str, ...], series: tuple[Series, ...],
             y_title: str, **options: Any) -> bytes:
        return zlib.compress(draw(title, labels, series, y_title, **options), 1)

    @functools.wraps(draw)
    def chart(title: str, labels: Sequence[str], series: Sequence[Series], y_title: str,
              **options: Any) -> bytes:
        frozen = tuple(Series(str(one.name), tuple(one.values), one.colour) for one in series)
        return zlib.decompress(kept(str(title), tuple(str(label) for label in labels), frozen,
                                    str(y_title), **options))

    chart.cache_info = kept.cache_info  # type: ignore[attr-defined]
    _MEMOS.append(kept)
    return chart


@_kept
def line_chart(title: str, labels: Sequence[str], series: Sequence[Series],
               y_title: str) -> bytes:
    """A line chart of ``series`` over ``labels`` (the first series solid with dots, the
    others in the patterns of :data:`DASHES`), as SVG."""
    pygal = _pygal()
    colours = [s.colour or LINE_COLOURS[i % len(LINE_COLOURS)] for i, s in enumerate(series)]
    chart = pygal.Line(**_options(title, labels, colours), y_title=y_title,
                       allow_interruptions=True, dots_size=4)
    chart.add_xml_filter(_without_scripts)
    for index, one in enumerate(series):
        dash = DASHES[index % len(DASHES)]
        stroke = {"dasharray": dash} if dash else None
        chart.add(one.name, list(one.values), stroke_style=stroke, show_dots=index == 0)
    return chart.render()


def _patterned(colours: Sequence[str]) -> Any:
    """An XML filter filling each layer's bars and key box with its pattern
    (:data:`PATTERNS`) in its colour: an inline style, which outranks pygal's own."""
    def fill(root: Any) -> Any:
        from pygal.etree import etree  # lxml or the standard library, as pygal chose

        namespace = root.tag[:-len("svg")]  # "{http://www.w3.org/2000/svg}" or none
        defs = root.find(f"{namespace}defs")
        patterned: set[str] = set()
        for index, colour in enumerate(colours):
            marks = PATTERNS[index % len(PATTERNS)]
            if marks is None or defs is None:
                continue
            pattern = etree.SubElement(defs, f"{namespace}pattern", {
                "id": f"app-pattern-{index}", "patternUnits": "userSpaceOnUse",
                "width": "8", "height": "8"})
            etree.SubElement(pattern, f"{namespace}rect",
                             {"width": "8", "height": "8", "fill": colour})
            for tag, attributes in marks:
                etree.SubElement(pattern, f"{namespace}{tag}",
                                 {"stroke": "#ffffff", **attributes})
            patterned.add(f"color-{index}")
        for group in root.iter(f"{namespace}g"):
            for name in set((group.get("class") or "").split()) & patterned:
                style = f"fill:url(#app-pattern-{name.removeprefix('color-')})"
                for rect in group.iter(f"{namespace}rect"):
                    if "rect" in (rect.get("class") or "").split():
                        rect.set("style", style)
        for rect in root.iter(f"{namespace}rect"):  # the legend's boxes
            for name in set((rect.get("class") or "").split()) & patterned:
                rect.set("style", f"fill:url(#app-pattern-{name.removeprefix('color-')})")
        return root

    return fill


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def _series_index(classes: set[str]) -> int | None:
    for name in classes:
        if name.startswith("serie-") and name[len("serie-"):].isdigit():
            return int(name[len("serie-"):])
    return None


def _on_plates(colours: Sequence[str], text_colours: Sequence[str]) -> Any:
    """An XML filter putting each bar's printed number on a plate of the bar's solid
    colour, inside the bar (so the number never sits on a pattern's white marks nor on
    another layer), its glyphs centred on it; a number whose bar cannot hold the plate is
    taken out. The numbers' colours, ``text_colours``, are pygal's ``value_colors``."""
    def plate(root: Any) -> Any:
        from pygal.etree import etree

        namespace = root.tag[:-len("svg")]
        bars: dict[int, list[Any]] = {}
        numbers: dict[int, tuple[Any, list[Any]]] = {}
        for group in root.iter(f"{namespace}g"):
            index = _series_index(_classes(group))
            if index is None:
                continue
            texts = [t for t in group.findall(f"{namespace}text") if "value" in _classes(t)]
            if texts:
                numbers[index] = (group, texts)
            rects = [rect for rect in group.iter(f"{namespace}rect")
                     if "rect" in _classes(rect)]
            if rects:
                bars[index] = rects
        for index, (group, texts) in numbers.items():
            for rect, text in zip(bars.get(index, []), texts, strict=True):
                if not (text.text or "").strip():
                    continue
                x, y = float(rect.get("x")), float(rect.get("y"))
                width, height = float(rect.get("width")), float(rect.get("height"))
                plate_width = (DIGIT_WIDTH * VALUE_FONT_SIZE * len(text.text.strip())
                               + 2 * PLATE_PADDING)
                if height < VALUE_FONT_SIZE or width < plate_width:
                    group.remove(text)  # too small to hold it: the table gives it
                    continue
                plate_height = min(height, VALUE_FONT_SIZE + 2 * PLATE_PADDING)
                middle = y + height / 2
                text.set("x", f"{x + width / 2:.2f}")
                # Arial's digits are 0.716 of the font size tall: baseline so they centre
                text.set("y", f"{middle + 0.358 * VALUE_FONT_SIZE:.2f}")
                text.set("style", f"fill:{text_colours[index]}")
                rectangle = etree.Element(f"{namespace}rect", {
                    "class": "app-value-plate", "x": f"{x + (width - plate_width) / 2:.2f}",
                    "y": f"{middle - plate_height / 2:.2f}", "width": f"{plate_width:.2f}",
                    "height": f"{plate_height:.2f}",
                    "style": f"fill:{colours[index]};stroke:none"})
                group.insert(list(group).index(text), rectangle)
        return root

    return plate


def _whole_numbers(series: Sequence[Series]) -> list[int] | None:
    """The value axis of stacked counts: whole numbers from 0 to at least the tallest bar,
    about ten of them (pygal's own would step by fractions of one); ``None`` with nothing
    to show."""
    tallest = max((sum(value or 0 for value in bar)
                   for bar in zip(*(one.values for one in series), strict=True)), default=0)
    if not tallest:
        return None
    step = max(1, math.ceil(tallest / 10))
    return list(range(0, int(tallest) + step, step))


@_kept
def stacked_bar_chart(title: str, labels: Sequence[str], series: Sequence[Series],
                      y_title: str, *, patterns: bool = False) -> bytes:
    """A stacked bar chart (one layer per series, each bar labelled with its number on a
    plate of its colour, in white or black as contrast asks), as SVG; with ``patterns``,
    each layer after the first is filled with its pattern (:data:`PATTERNS`), named in
    words by :func:`pattern_words`."""
    pygal = _pygal()
    colours = [s.colour or LINE_COLOURS[i % len(LINE_COLOURS)] for i, s in enumerate(series)]
    text_colours = [text_colour_on(colour) for colour in colours]
    chart = pygal.StackedBar(**_options(title, labels, colours, text_colours),
                             y_title=y_title, print_values=True, print_zeroes=False,
                             y_labels=_whole_numbers(series))
    chart.add_xml_filter(_without_scripts)
    if patterns:
        chart.add_xml_filter(_patterned(colours))
    chart.add_xml_filter(_on_plates(colours, text_colours))
    for one in series:
        chart.add(one.name, [value or None for value in one.values])
    return chart.render()


def pattern_key(names: Sequence[str]) -> list[tuple[str, str]]:
    """Each line's name with its pattern in words, in the order :func:`line_chart` draws
    them."""
    from core.translations import gettext as _

    words = [_("solid line with dots"), _("dashed line"), _("dotted line"),
             _("dash-dot line"), _("long-dash line")]
    return [(name, words[i % len(words)]) for i, name in enumerate(names)]


def pattern_words(names: Sequence[str]) -> list[tuple[str, str]]:
    """Each bar layer's name with its fill in words, in the order
    :func:`stacked_bar_chart` draws them with ``patterns``."""
    from core.translations import gettext as _

    words = [_("solid fill"), _("diagonal stripes"), _("dots"), _("grid"),
             _("horizontal stripes")]
    return [(name, words[i % len(words)]) for i, name in enumerate(names)]


def svg_response(svg: bytes) -> Response:
    """``svg`` as an image response (which :mod:`core.headers` gives a content security
    policy of its own, allowing its inline styles)."""
    return Response(svg, mimetype="image/svg+xml")
