"""The chart service: SVG from pygal, imported on first use, with no script, and its words."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

from core.charts.service import (
    Series,
    Table,
    forget_drawings,
    line_chart,
    pattern_key,
    pattern_words,
    stacked_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def test_starting_the_app_imports_neither_pygal_nor_openpyxl() -> None:
    code = ("import sys; from core.app import create_app; "
            "create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://', 'SECRET_KEY': 'x'}, "
            "plugins={}); "
            "print(sorted(m for m in ('pygal', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_a_line_chart_draws_each_series_in_its_own_pattern() -> None:
    svg = line_chart("Health", ["2023", "2024", "2025"],
                     [Series("Us", [80, None, 90]), Series("Target", [88, 88, 88]),
                      Series("England", [89, 89, 90])], "Percentage")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script"))
    text = svg.decode()
    assert "serie-1{stroke-dasharray:12,6}" in text.replace(" ", "")
    assert ">Health<" in text and ">Target<" in text
    assert pattern_key(["Us", "Target", "England"]) == [
        ("Us", "solid line with dots"), ("Target", "dashed line"), ("England", "dotted line")]


def test_a_stacked_bar_chart_prints_its_numbers() -> None:
    svg = stacked_bar_chart("Progress", ["Jan", "Today"],
                            [Series("Complete", [1, 2], "#00703c"),
                             Series("On track", [3, 0], "#1d70b8")], "Actions").decode()
    assert ">Complete<" in svg and ">On track<" in svg
    assert 'class="value' in svg  # the bars carry their numbers


def test_patterned_bars_fill_each_layer_after_the_first_with_its_pattern() -> None:
    layers = [Series("Present", [4, 5], "#00703c"), Series("Substitute", [1, 0], "#1d70b8"),
              Series("Apologies", [1, 2], "#f47738")]
    svg = stacked_bar_chart("Attendance", ["May", "June"], layers, "Members", patterns=True)
    root = ET.fromstring(svg)
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    assert sorted(patterns) == ["app-pattern-1", "app-pattern-2"]  # the first layer solid
    assert patterns["app-pattern-1"].find(f"{SVG}rect").get("fill") == "#1d70b8"
    styles = [r.get("style") for r in root.iter(f"{SVG}rect")
              if r.get("style") and r.get("class") != "app-value-plate"]
    # each patterned layer's two bars (a zero is a bar of no height) and its key box
    assert sorted(styles) == ["fill:url(#app-pattern-1)"] * 3 + ["fill:url(#app-pattern-2)"] * 3
    axis = {t.text for t in root.iter(f"{SVG}text") if t.get("class") in ("", "major")
            and t.text and t.text[0].isdigit()}
    assert axis == {str(n) for n in range(8)}  # counts: whole numbers up to the tallest bar
    plain = stacked_bar_chart("Attendance", ["May", "June"], layers, "Members").decode()
    assert "app-pattern" not in plain
    assert pattern_words(["Present", "Substitute"]) == [("Present", "solid fill"),
                                                        ("Substitute", "diagonal stripes")]


def test_a_table_becomes_the_govuk_macros_arguments() -> None:
    table = Table("Caption", ["A", "B"], [["1", "2"]])
    assert table.govuk()["rows"] == [[{"text": "1"}, {"text": "2", "format": "numeric"}]]
    assert table.govuk()["head"] == [{"text": "A"}, {"text": "B", "format": "numeric"}]
    assert table.govuk()["firstCellIsHeader"] is True


def test_columns_of_figures_are_numeric_unless_told() -> None:
    rows = [["May", "1,200", "88.0%", "fewer than 5", "Green"], ["June", "3", "-1.5", "4", "Red"]]
    table = Table("Caption", ["Month", "Count", "Rate", "Small", "Judgement"], rows)
    assert table.numeric_columns() == {1, 2}
    told = Table("Caption", ["Month", "Count", "Rate", "Small", "Judgement"], rows,
                 numeric=(1, 2, 3))
    assert [cell.get("format") for cell in told.govuk()["rows"][0]] == [
        None, "numeric", "numeric", "numeric", None]
    assert Table("Empty", ["Month", "Count"], []).numeric_columns() == set()


def test_a_chart_is_drawn_once_for_the_same_figures_and_again_when_they_change() -> None:
    def draw(values: list[int]) -> bytes:
        return stacked_bar_chart("Kept", ["Jan", "Today"],
                                 [Series("Complete", values, "#00703c")], "Actions",
                                 patterns=True)

    first = draw([1, 2])
    before = stacked_bar_chart.cache_info()
    again = draw([1, 2])
    after = stacked_bar_chart.cache_info()
    assert again == first
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
    changed = draw([1, 3])
    assert changed != first and b">3<" in changed
    assert stacked_bar_chart.cache_info().misses == before.misses + 1


def test_forgetting_drawings_makes_the_next_chart_a_fresh_drawing() -> None:
    def draw() -> bytes:
        return line_chart("Forgotten", ["Jan", "Feb"], [Series("Figures", [1, 2])], "Number")

    draw()
    misses = line_chart.cache_info().misses
    draw()
    assert line_chart.cache_info().misses == misses
    forget_drawings()  # which starts the counts afresh too
    assert line_chart.cache_info().currsize == stacked_bar_chart.cache_info().currsize == 0
    draw()
    assert (line_chart.cache_info().misses, line_chart.cache_info().hits) == (1, 0)
