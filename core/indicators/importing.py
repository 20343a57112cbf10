"""Importing indicator figures from a CSV or Excel file, all or nothing, and its template.

The file has a header row naming its columns (:data:`~core.indicators.figures.COLUMNS`, in
any order; ``indicator`` and ``period_end`` are required) and a row per figure. Every row is
checked by the same rule as the admin's form (:func:`~core.indicators.figures.check_figure`)
before anything is written: a file with any bad row is refused whole, with every problem
named by its row, column and what is wrong, and a good file is written in one transaction
(:func:`core.indicators.operations.import_figures`). openpyxl is imported only to read or
write an Excel file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.indicators.figures import COLUMNS, REQUIRED_COLUMNS, FigureValues, check_figure
from core.indicators.models import Indicator
from core.models import Council
from core.translations import gettext as _

#: The most rows one file may hold.
MAX_ROWS = 5000
#: Field name by column header.
FIELD_OF = {header: name for name, header in COLUMNS}
HEADER_OF = {name: header for name, header in COLUMNS}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (or a whole row, or the file: ``row`` 0)."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if self.column is None:
            return _("Row %(row)d: %(message)s", row=self.row, message=self.message)
        return _("Row %(row)d, column %(column)s: %(message)s", row=self.row,
                 column=self.column, message=self.message)


class ImportRefused(ValueError):
    """The file was refused whole; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index`` (A, B, ... Z, AA, ...)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([Problem(0, None, _("The file is not CSV text in UTF-8: save it "
                                                "as “CSV UTF-8” and try again."))]) from None
    yield from csv.reader(io.StringIO(text))


def _excel_rows(data: bytes) -> Iterator[list[Any]]:
    import openpyxl  # imported on first use: only an Excel import needs it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused([Problem(0, None, _("The file could not be read as an Excel "
                                                "workbook (.xlsx)."))]) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def read_rows(filename: str, data: bytes) -> list[list[Any]]:
    """The file's rows (the header first), from CSV or Excel by its name's ending."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = list(_excel_rows(data))
    elif name.endswith(".csv"):
        rows = list(_csv_rows(data))
    else:
        raise ImportRefused([Problem(0, None, _("Choose a CSV (.csv) or Excel (.xlsx) "
                                                "file."))])
    while rows and all(cell is None or str(cell).strip() == "" for cell in rows[-1]):
        rows.pop()
    return rows


def check_rows(council: Council, rows: list[list[Any]]
               ) -> list[tuple[Indicator, FigureValues]]:
    """Every row checked (row 1 is the header), or :class:`ImportRefused` naming each
    problem's row and column."""
    if not rows:
        raise ImportRefused([Problem(0, None, _("The file is empty."))])
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRefused([Problem(0, None, _("The file has more than %(count)d rows: "
                                                "split it.", count=MAX_ROWS))])
    header = [str(cell).strip().lower() if cell is not None else "" for cell in rows[0]]
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        if not title:
            continue
        if title not in FIELD_OF:
            problems.append(Problem(1, f"{column_letter(index)} ({title})", _(
                "not a column of the template; use %(columns)s",
                columns=", ".join(header for _n, header in COLUMNS))))
        elif FIELD_OF[title] in positions:
            problems.append(Problem(1, f"{column_letter(index)} ({title})",
                                    _("this column is given twice")))
        else:
            positions[FIELD_OF[title]] = index
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            problems.append(Problem(1, None, _("the column %(column)s is missing",
                                               column=HEADER_OF[name])))
    if problems:
        raise ImportRefused(problems)
    indicators = {indicator.key: indicator for indicator in db.session.scalars(
        select(Indicator).where(Indicator.council_id == council.id,
                                Indicator.archived_at.is_(None)))}
    checked: list[tuple[Indicator, FigureValues]] = []
    seen: dict[tuple[str, Any], int] = {}

    def where(name: str) -> str:
        return f"{column_letter(positions[name])} ({HEADER_OF[name]})"

    for number, row in enumerate(rows[1:], start=2):
        raw = {name: (row[index] if index < len(row) else None)
               for name, index in positions.items()}
        if all(value is None or str(value).strip() == "" for value in raw.values()):
            continue  # a blank line between figures
        key = str(raw["indicator"] or "").strip()
        indicator = indicators.get(key)
        if indicator is None:
            problems.append(Problem(number, where("indicator"), _(
                "“%(key)s” is not one of this council's indicators", key=key) if key
                else _("Enter the indicator's key")))
            continue
        values, wrong = check_figure(indicator.unit, raw)
        problems.extend(Problem(number, where(name) if name in positions else
                                HEADER_OF[name], message)
                        for name, message in wrong.items())
        if values is None:
            continue
        earlier = seen.get((key, values.period_end))
        if earlier:
            problems.append(Problem(number, where("period_end"), _(
                "row %(row)d already gives this indicator's figure for this period",
                row=earlier)))
            continue
        seen[(key, values.period_end)] = number
        checked.append((indicator, values))
    if problems:
        raise ImportRefused(problems)
    if not checked:
        raise ImportRefused([Problem(0, None, _("The file has no figures below its header "
                                                "row."))])
    return checked


def template_rows(keys: Sequence[str]) -> list[list[str]]:
    """The template's header and one empty row per indicator key."""
    return [[header for _n, header in COLUMNS],
            *([key, *([""] * (len(COLUMNS) - 1))] for key in keys)]


def template_csv(keys: Sequence[str]) -> bytes:
    """The template as CSV (UTF-8 with a byte-order mark, so spreadsheets read it as such)."""
    out = io.StringIO()
    csv.writer(out).writerows(template_rows(keys))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(keys: Sequence[str]) -> bytes:
    """The template as an Excel workbook."""
    import openpyxl  # imported on first use

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "figures"
    for row in template_rows(keys):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
