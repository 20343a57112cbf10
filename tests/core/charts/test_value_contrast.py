"""Every number printed on a chart is readable against what it sits on (WCAG 2.2, 1.4.3:
4.5:1 for text of its size), whatever the layer's colour or pattern: checked on the SVG
itself, with the WCAG formula written out here rather than the service's own.

The check reads each printed value's fill (its own ``style``, else the chart's CSS rule for
its layer), then what is drawn under it at the corners and middle of the box its glyphs
take: the last shape in document order that covers the point (a plate, a bar, or the plot's
background). A bar filled with a pattern counts as every colour of the pattern.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.charts.service import Series, line_chart, stacked_bar_chart
from tests.core.attendance.test_statistics import PANEL, SLUG, _record
from tests.core.pledges.test_views import BRACKNELL, set_progress

SVG = "{http://www.w3.org/2000/svg}"
#: Colours named in pygal's CSS.
NAMED = {"black": "#000000", "white": "#ffffff"}
#: The box a number's glyphs may take, from its baseline, as shares of the font size:
#: generous (Arial's digits are 0.556 wide and 0.716 tall, DejaVu Sans's 0.636 and 0.73).
GLYPH_WIDTH, GLYPH_TOP, GLYPH_BOTTOM = 0.64, 0.76, 0.02
#: GOV.UK colours a council might give a layer, light to dark.
PALETTE = ("#ffdd00", "#b1b4b6", "#f47738", "#85994b", "#d4351c", "#00703c", "#1d70b8",
           "#4c2c92", "#0b0c0c")


def luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of ``#rrggbb``."""
    colour = NAMED.get(colour, colour)
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", colour), colour

    def linear(channel: str) -> float:
        value = int(channel, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * linear(colour[1:3]) + 0.7152 * linear(colour[3:5])
            + 0.0722 * linear(colour[5:7]))


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass
class Shape:
    """A rectangle drawn in the plot, in the chart's coordinates, with its colours."""

    x: float
    y: float
    width: float
    height: float
    colours: set[str]

    def covers(self, x: float, y: float) -> bool:
        return (self.x <= x <= self.x + self.width and self.y <= y <= self.y + self.height)


def _offset(element: ET.Element, parents: dict[ET.Element, ET.Element]) -> tuple[float, float]:
    """The sum of the ``translate`` transforms of ``element`` and its ancestors."""
    dx = dy = 0.0
    while element is not None:
        transform = element.get("transform")
        if transform:
            found = re.fullmatch(r"translate\(\s*([-\d.]+)[ ,]+([-\d.]+)\s*\)", transform)
            assert found, f"a transform this check does not follow: {transform}"
            dx, dy = dx + float(found[1]), dy + float(found[2])
        element = parents.get(element)
    return dx, dy


def _style_fill(element: ET.Element) -> str | None:
    found = re.search(r"fill:\s*([^;]+)", element.get("style") or "")
    return found[1].strip() if found else None


def printed_values(svg: bytes | str) -> list[tuple[str, float]]:
    """Each number the chart prints, with the lowest contrast found between its fill and
    what it sits on."""
    root = ET.fromstring(svg)
    css = "".join(style.text or "" for style in root.iter(f"{SVG}style"))
    parents = {child: parent for parent in root.iter() for child in parent}
    patterns = {p.get("id"): {NAMED.get(c, c) for e in p.iter()
                              for c in (e.get("fill"), e.get("stroke")) if c}
                for p in root.iter(f"{SVG}pattern")}

    def css_fill(selector: str) -> str:
        found = re.search(re.escape(selector) + r"[^{]*\{[^}]*?fill:\s*([^;}]+)", css)
        assert found, f"no fill in the chart's CSS for {selector}"
        return found[1].strip()

    def colours(rect: ET.Element) -> set[str]:
        fill = _style_fill(rect) or rect.get("fill")
        if fill and fill.startswith("url(#"):
            return patterns[fill[len("url(#"):-1]]
        if fill:
            return {NAMED.get(fill, fill)}
        if "background" in (rect.get("class") or "").split():
            return {css_fill(".plot > .background")}
        series = parents[rect]
        while not re.search(r"\bcolor-\d+\b", series.get("class") or ""):
            series = parents[series]
        colour = re.search(r"\bcolor-\d+\b", series.get("class") or "")[0]
        return {css_fill(f".{colour},")}

    plot = [e for e in root.iter(f"{SVG}g") if "plot" in (e.get("class") or "").split()]
    shapes = []
    for group in plot:
        for rect in group.iter(f"{SVG}rect"):
            if not float(rect.get("width", 0)) or not float(rect.get("height", 0)):
                continue  # draws nothing (a bar of zero, the unused tooltip's box)
            dx, dy = _offset(rect, parents)
            shapes.append(Shape(float(rect.get("x", 0)) + dx, float(rect.get("y", 0)) + dy,
                                float(rect.get("width", 0)), float(rect.get("height", 0)),
                                colours(rect)))
    size = float(re.search(r"text\.value\{[^}]*font-size:\s*([\d.]+)px", css)[1])
    found = []
    for group in plot:
        for text in group.iter(f"{SVG}text"):
            if "value" not in (text.get("class") or "").split() or not (text.text or "").strip():
                continue
            layer = re.search(r"\bcolor-\d+\b", parents[text].get("class") or "")[0]
            fill = _style_fill(text) or css_fill(f".text-overlay .{layer} text")
            dx, dy = _offset(text, parents)
            x, y = float(text.get("x")) + dx, float(text.get("y")) + dy
            assert text.get("text-anchor") == "middle"
            half = GLYPH_WIDTH * size * len(text.text.strip()) / 2
            top, bottom = y - GLYPH_TOP * size, y + GLYPH_BOTTOM * size
            lowest = 21.0
            for px, py in ((x - half, top), (x + half, top), (x - half, bottom),
                           (x + half, bottom), (x, (top + bottom) / 2)):
                under = [shape for shape in shapes if shape.covers(px, py)]
                behind = under[-1].colours if under else {"#ffffff"}
                lowest = min([lowest, *(contrast(fill, colour) for colour in behind)])
            found.append((text.text.strip(), lowest))
    return found


def assert_readable(svg: bytes | str) -> int:
    """Every printed number contrasts by 4.5:1 with what it sits on; how many there are."""
    values = printed_values(svg)
    unreadable = [(text, round(ratio, 2)) for text, ratio in values if ratio < 4.5]
    assert not unreadable, unreadable
    return len(values)


@pytest.mark.parametrize("patterns", [False, True])
def test_numbers_on_bars_of_every_colour_are_readable(patterns: bool) -> None:
    layers = [Series(f"Layer {n}", [10, 12, 9 + n % 3], colour) for n, colour in enumerate(PALETTE)]
    svg = stacked_bar_chart("Colours", ["One", "Two", "Three"], layers, "Count",
                            patterns=patterns)
    assert assert_readable(svg) == 3 * len(PALETTE)


def test_a_bar_too_small_for_its_number_leaves_it_to_the_table() -> None:
    svg = stacked_bar_chart("Small", ["One", "Two"],
                            [Series("Many", [200, 150], "#00703c"),
                             Series("Few", [1, 60], "#1d70b8"),
                             Series("Some", [40, 1], "#f47738")], "Count", patterns=True)
    assert sorted(text for text, _ in printed_values(svg)) == ["150", "200", "40", "60"]
    assert_readable(svg)


def test_the_attendance_chart_numbers_are_readable(app: Flask) -> None:
    _record(app, meetings=4)
    svg = app.test_client().get(f"/{SLUG}/panels/{PANEL}/attendance.svg").get_data()
    assert assert_readable(svg) >= 4


def test_the_progress_charts_numbers_are_readable(app: Flask, client: FlaskClient) -> None:
    day = dt.date.today() - dt.timedelta(days=40)
    statuses = ("complete", "on_track", "at_risk", "off_track")
    set_progress(app, {f"action-{pledge}.{n}": [(day, statuses[(pledge + n) % 4], "Note")]
                       for pledge in (1, 2, 3) for n in (1, 2, 3)}, {})
    for url in (f"/{BRACKNELL}/progress.svg", f"/{BRACKNELL}/pledges/pledge-2/progress.svg"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert assert_readable(response.get_data()) >= 2, url


def test_the_indicator_trend_chart_prints_no_number_to_check() -> None:
    svg = line_chart("Health", ["2023", "2024"], [Series("Us", [80, 90]),
                                                   Series("Target", [88, 88])], "Percentage")
    assert printed_values(svg) == []
