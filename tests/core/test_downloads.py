"""Files to open in a spreadsheet: CSV quoted by the csv module in UTF-8 with a BOM, and
Excel workbooks."""

from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import given, settings
from hypothesis import strategies as st

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


_CELL = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.dates(),
    st.text(alphabet=st.sampled_from([*'ab ,"\r\n\t;\'£ŵ', "\u2028", "\x00"])), st.text())


@settings(max_examples=400, deadline=None)
@given(header=st.lists(st.text(), max_size=4),
       rows=st.lists(st.lists(_CELL, max_size=5), max_size=6))
def test_a_csv_file_is_what_the_csv_module_writes(header: list[str],
                                                   rows: list[list[object]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    assert rows_as_csv(header, rows) == out.getvalue().encode("utf-8-sig")


def test_a_row_of_one_empty_cell_is_not_an_empty_line() -> None:
    assert rows_as_csv(["a"], [[""], [None], []]) == '\ufeffa\r\n""\r\n""\r\n\r\n'.encode()
