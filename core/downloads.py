"""Files people download to open in a spreadsheet: CSV and Excel workbooks.

CSV is written in UTF-8 with a byte order mark. Without it, Excel reads a CSV file in the
computer's legacy code page (Windows-1252 in the UK), and every character outside ASCII —
curly quotes, "£", Welsh "ŵ" — comes out garbled; with it, Excel, LibreOffice and Numbers
all read UTF-8 (and Python's ``utf-8-sig`` drops it). Quoting is the csv module's minimal
quoting, byte for byte: text (a subclass of text too) is written as its characters,
nothing as an empty cell, anything else as ``str()`` gives it; a cell with a comma, quote
or line break is quoted, quotes are doubled, a row of one empty cell is written ``""``,
and rows end in CRLF as RFC 4180 says. The csv module's writer is not used to write it:
it copies each cell a character at a time, about 350 ns a cell (a council's action plan,
1,100 cells, took 390 µs, a third of the request), where joining the cells and quoting
only those that need it takes less than half that. ``tests/core/test_downloads.py`` holds
the two to the same bytes on generated rows.

Workbooks are written with openpyxl, imported on first use (it costs a tenth of a second
to import, and most requests never need it).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response

CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Widest a workbook column is made, in characters (longer text wraps).
MAX_COLUMN_WIDTH = 60


def csv_cell(value: Any) -> str:
    """A cell as the csv module's minimal quoting writes it: ``None`` as nothing, text
    (a subclass of text as its characters, as the csv module takes it) and anything else
    as ``str()`` gives it, between quotes when it holds a comma, a quote or a line break
    (its quotes doubled)."""
    if type(value) is not str:
        if value is None:
            return ""
        if not isinstance(value, str):
            value = str(value)  # whose __str__ may give a subclass of text (markup)
        if type(value) is not str:  # an enum of text, markup (whose methods escape)
            value = str.__str__(value)
    if '"' in value or "," in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_line(cells: Iterable[Any]) -> str:
    """A row of cells as a line of CSV, without its line break (see the module)."""
    if not isinstance(cells, list | tuple):  # any iterable, as the csv module takes
        cells = list(cells)
    line = ",".join(map(csv_cell, cells))
    if not line and len(cells) == 1:
        return '""'  # one empty cell, as the csv module writes it: not an empty line
    return line


def rows_as_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """A header and rows of cells as a CSV file in UTF-8 with a byte order mark."""
    lines = [csv_line(header)]
    lines += map(csv_line, rows)
    lines.append("")
    return "\r\n".join(lines).encode("utf-8-sig")


def rows_as_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A header and rows as an Excel workbook of one sheet called ``title``: the header in
    bold and frozen, dates as dates, long text wrapped, and text that starts with "="
    stored as text (openpyxl would write it as a formula, which Excel would run)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on a sheet's name
    sheet.append(list(header))
    widths = [len(str(name)) for name in header]
    for row in rows:
        sheet.append(list(row))
        for index, value in enumerate(row):
            longest = max((len(line) for line in str(value or "").splitlines()), default=0)
            widths[index] = max(widths[index], longest)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = wrap
            if hasattr(cell.value, "isoformat"):
                cell.number_format = "d mmmm yyyy"
            elif cell.data_type == "f":  # text typed as "=...": kept as text, never run
                cell.data_type = "s"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(
            width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attachment(filename: str) -> str:
    """A ``Content-Disposition`` value offering the body as a file called ``filename``,
    with anything but ASCII letters, digits, dots, hyphens and underscores made a hyphen
    (so the value needs no quoting rules)."""
    return f'attachment; filename="{re.sub(r"[^A-Za-z0-9._-]", "-", filename)}"'


def download(body: bytes, mimetype: str, filename: str) -> Response:
    """``body`` as a file to save, called ``filename``."""
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": attachment(filename)})
