"""Files to open in a spreadsheet: CSV quoted as the csv module quotes, in UTF-8 with a BOM,
and Excel workbooks."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from core.downloads import attachment, rows_as_csv, rows_as_xlsx


def test_cells_with_commas_quotes_and_line_breaks_are_quoted() -> None:
    body = rows_as_csv(["a", "b"], [["Jo, Sam", 'the "plan"'], ["one\ntwo", "£5 ŵ"]])
    assert body == ('\ufeffa,b\r\n"Jo, Sam","the ""plan"""\r\n"one\ntwo",£5 ŵ\r\n'
                    ).encode()
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))) == [
        ["a", "b"], ["Jo, Sam", 'the "plan"'], ["one\ntwo", "£5 ŵ"]]


def test_a_workbook_keeps_dates_and_text_and_bolds_its_header() -> None:
    from openpyxl import load_workbook

    body = rows_as_xlsx("Plan", ["Due", "Note"], [[dt.date(2026, 3, 31), "one\ntwo"]])
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.title == "Plan"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Due", "Note"], [dt.datetime(2026, 3, 31), "one\ntwo"]]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_a_file_name_needs_no_quoting() -> None:
    assert attachment('a "b"/c.csv') == 'attachment; filename="a--b--c.csv"'


def test_text_like_a_formula_stays_text_in_a_workbook() -> None:
    from openpyxl import load_workbook

    note = '=HYPERLINK("https://example.org","Click")'
    body = rows_as_xlsx("Plan", ["Note"], [[note]])
    cell = load_workbook(io.BytesIO(body)).active["A2"]
    assert (cell.value, cell.data_type) == (note, "s")


class _Said(str, enum.Enum):  # noqa: UP042 (the case a StrEnum is not)
    """Text an enum holds (not a StrEnum: its str() is its name, the csv module writes
    its text)."""

    DONE = "done, at last"


class _Shown:
    """An object whose str() is markup, as a form's field is."""

    def __str__(self) -> Markup:
        return Markup('a "quoted" <b>, bold</b>')


_TEXT = st.one_of(st.text(alphabet=st.sampled_from([*'ab ,"\r\n\t;\'£ŵ', "\u2028", "\x00"])),
                  st.text())
_CELL = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**18),
    st.floats(allow_nan=True), st.decimals(allow_nan=False), st.dates(), st.datetimes(),
    st.sampled_from([_Said.DONE, _Shown(), b"bytes, too"]), _TEXT, _TEXT.map(Markup))


@settings(max_examples=500, deadline=None)
@given(header=st.lists(st.one_of(_TEXT, st.integers(), st.none()), max_size=4),
       rows=st.lists(st.lists(_CELL, max_size=5), max_size=6),
       shape=st.sampled_from([list, tuple, iter]))
def test_a_csv_file_is_what_the_csv_module_writes(header: list[object],
                                                   rows: list[list[object]],
                                                   shape: Any) -> None:
    """The same bytes as the csv module's writer, whatever the cells (text, text with
    the characters quoting is for, markup, an enum of text, numbers, days, times,
    nothing) and whatever holds a row (a list, a tuple, an iterator)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    written = rows_as_csv(shape(header), [shape(row) for row in rows])
    assert written == out.getvalue().encode("utf-8-sig")


def test_a_row_of_one_empty_cell_is_not_an_empty_line() -> None:
    assert rows_as_csv(["a"], [[""], [None], []]) == '\ufeffa\r\n""\r\n""\r\n\r\n'.encode()
