"""Reading a council's own action plan spreadsheet into the pledges part of a plugin's
``council.toml`` (``cpt import-plan``), so a plugin author starts from the council's file.

Columns are found by their header, whatever their order and in the words councils use
(:data:`HEADERS`: "Lead officer" or "Responsible officer", "Timescale" or "By when",
"Promise" or "Priority" for the pledge...); the header row may sit below a title. A pledge
written once above its actions (merged cells) carries down to the rows below it. A pledge's
number comes from a number column, or from its text ("3. Keep you safe", "Pledge 3: ..."),
or from its order; an action's from an action number ("3.2" or "2") or its order.

Everything wrong is reported at once — a missing column by name, a bad cell by row, column
and what is wrong — and nothing is written. What is written is checked against the plugin
shapes (:class:`core.content.PledgeSet`) before it is given out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.content import PledgeSet, validate
from core.content.validation import ContentError

#: Each field and the headers read as it, best first (compared in lower case, without
#: punctuation). Where two columns name one field, the one with the better header is used.
HEADERS: dict[str, tuple[str, ...]] = {
    "pledge_number": ("pledge number", "pledge no", "promise number", "promise no",
                      "priority number", "priority no", "pledge ref", "promise ref"),
    "pledge": ("pledge", "promise", "priority", "pledge title", "promise title",
               "priority title", "commitment", "pledges", "promises", "priorities"),
    "statement": ("pledge statement", "promise statement", "priority statement", "statement",
                  "we promise", "we will"),
    "action_number": ("action number", "action no", "action ref", "action reference",
                      "ref", "reference", "no", "number"),
    "action": ("action", "actions", "action wording", "what we will do", "what will we do",
               "activity", "activities", "task", "tasks"),
    "officer": ("responsible officer", "lead officer", "officer", "lead", "lead person",
                "responsible", "responsibility", "owner", "action owner", "who"),
    "timeline": ("timeline", "timescale", "timescales", "by when", "timeframe", "deadline",
                 "target date", "completion date", "due date", "when", "due"),
    "outcomes": ("expected outcome", "expected outcomes", "outcome", "outcomes",
                 "success measure", "success measures", "measure of success",
                 "measures of success", "impact"),
    "links": ("link to other action plans or strategy initiatives", "links", "link",
              "linked plans", "links to other plans", "related plans",
              "related initiatives"),
}
#: How each field is named in messages: the first header read as it.
NAMES = {"pledge_number": "Pledge number", "pledge": "Pledge", "statement": "Statement",
         "action_number": "Action number", "action": "Action",
         "officer": "Responsible officer", "timeline": "Timescale",
         "outcomes": "Expected outcome", "links": "Links"}
#: Fields of which an action row has at least one.
ACTION_FIELDS = ("action", "officer", "timeline", "outcomes", "links")
#: Rows searched for the header row (a title or notes may come first).
HEADER_ROWS = 10

_PLEDGE_TEXT = re.compile(r"^(?:(?:pledge|promise|priority)\s*)?(\d{1,3})\s*[.:)\-–—]?\s+(.+)$",
                          re.I | re.S)
_ACTION_NUMBER = re.compile(r"^(?:(\d{1,3})\s*\.\s*)?(\d{1,3})$")
_BULLET = re.compile(r"^\s*(?:[•▪◦·*]|-(?=\s))\s*")


class PlanImportError(ValueError):
    """The spreadsheet cannot be read as a plan; ``problems`` says each thing wrong."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _normal(header: Any) -> str:
    text = str(header or "").lower().replace("(s)", "s").replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def map_columns(header: Sequence[Any]) -> dict[str, int]:
    """Each known field's column index in ``header`` (the best-named column for each)."""
    ranked: dict[str, tuple[int, int]] = {}
    for index, cell in enumerate(header):
        name = _normal(cell)
        for key, variants in HEADERS.items():
            if name in variants:
                rank = variants.index(name)
                if key not in ranked or rank < ranked[key][0]:
                    ranked[key] = (rank, index)
    return {key: index for key, (_, index) in ranked.items()}


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").strip()
    return text or None


def _lines(value: Any) -> list[str]:
    text = _text(value)
    if text is None:
        return []
    return [line for line in (_BULLET.sub("", part).strip() for part in text.split("\n"))
            if line]


@dataclass
class _Pledge:
    number: int
    title: str
    statement: str | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Reader:
    """Reads rows into pledges, collecting every problem."""

    columns: dict[str, int]
    header_row: int
    pledges: dict[int, _Pledge] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    current: _Pledge | None = None

    def cell(self, row: Sequence[Any], key: str) -> Any:
        index = self.columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    def problem(self, number: int, key: str, message: str) -> None:
        index = self.columns[key]
        self.problems.append(f"Row {number}, column {_letter(index)} ({NAMES[key]}): "
                             f"{message}")

    def read(self, number: int, row: Sequence[Any]) -> None:
        if all(_text(value) is None for value in row):
            return
        known = len(self.problems)
        pledge = self.pledge_of(number, row)
        if not any(_text(self.cell(row, key)) for key in ACTION_FIELDS):
            return  # a pledge's own row, or a row of notes
        if pledge is None and len(self.problems) == known:  # else its pledge was at fault
            self.problem(number, "pledge", "an action with no pledge above it or beside it.")
        if pledge is not None:
            self.action(number, row, pledge)

    def pledge_of(self, number: int, row: Sequence[Any]) -> _Pledge | None:
        title = _text(self.cell(row, "pledge"))
        raw_number = _text(self.cell(row, "pledge_number"))
        if title is None and raw_number is None:
            return self.current
        pledge_number = None
        if raw_number is not None:
            if not raw_number.isdigit():
                self.problem(number, "pledge_number", f"“{raw_number}” is not a whole number.")
                return None
            pledge_number = int(raw_number)
        if title is not None:
            match = _PLEDGE_TEXT.match(title)
            if match and (pledge_number is None or int(match[1]) == pledge_number):
                pledge_number, title = int(match[1]), match[2].strip()
        if title is None:
            found = self.pledges.get(pledge_number) if pledge_number is not None else None
            if found is None:
                self.problem(number, "pledge_number",
                             f"pledge {raw_number} has no title in the {NAMES['pledge']} "
                             "column.")
            self.current = found
            return found
        if pledge_number is None:
            same = [p for p in self.pledges.values() if p.title == title]
            pledge_number = same[0].number if same else len(self.pledges) + 1
        found = self.pledges.get(pledge_number)
        if found is None:
            found = self.pledges[pledge_number] = _Pledge(pledge_number, title)
        elif found.title != title:
            self.problem(number, "pledge", f"pledge {pledge_number} is “{found.title}” "
                         f"above, and “{title}” here.")
        statement = _text(self.cell(row, "statement"))
        if statement and not found.statement:
            found.statement = statement
        self.current = found
        return found

    def action(self, number: int, row: Sequence[Any], pledge: _Pledge) -> None:
        raw = _text(self.cell(row, "action_number"))
        taken = {action["number"] for action in pledge.actions}
        if raw is None:
            action_number = max(taken, default=0) + 1
        else:
            match = _ACTION_NUMBER.match(raw)
            if match is None:
                self.problem(number, "action_number", f"“{raw}” is not an action number "
                             f"such as {pledge.number}.2 or 2.")
                return
            if match[1] is not None and int(match[1]) != pledge.number:
                self.problem(number, "action_number", f"action {raw} is not of pledge "
                             f"{pledge.number}, which this row is under.")
                return
            action_number = int(match[2])
        if action_number in taken:
            self.problem(number, "action_number" if raw else "pledge",
                         f"action {pledge.number}.{action_number} is there twice.")
            return
        action: dict[str, Any] = {"key": f"action-{pledge.number}.{action_number}",
                                  "number": action_number}
        for key in ("action", "officer", "timeline"):
            value = _text(self.cell(row, key))
            if value is not None:
                action["wording" if key == "action" else key] = value
        action["links"] = _lines(self.cell(row, "links"))
        action["outcomes"] = _lines(self.cell(row, "outcomes"))
        pledge.actions.append(action)


def read_rows(rows: Iterable[Sequence[Any]]) -> PledgeSet:
    """The pledges and actions of a plan given as rows of cells (header row included).
    Raises :class:`PlanImportError` listing every problem."""
    rows = list(rows)
    best: tuple[int, int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:HEADER_ROWS]):
        columns = map_columns(row)
        if best is None or len(columns) > len(best[2]):
            best = (index, len(columns), columns)
    columns = best[2] if best else {}
    missing = []
    if "pledge" not in columns:
        missing.append(f"No {NAMES['pledge']} column: the plan needs one, headed "
                       f"{_variants('pledge')}.")
    if not any(key in columns for key in ACTION_FIELDS):
        missing.append(f"No column describing the actions: the plan needs at least one of "
                       f"{NAMES['action']} ({_variants('action')}), "
                       f"{NAMES['officer']} ({_variants('officer')}), "
                       f"{NAMES['timeline']} ({_variants('timeline')}) or "
                       f"{NAMES['outcomes']} ({_variants('outcomes')}).")
    if missing:
        raise PlanImportError(missing)
    assert best is not None
    reader = _Reader(columns, best[0])
    for index, row in enumerate(rows[best[0] + 1:], start=best[0] + 2):
        reader.read(index, row)
    if not reader.problems and not reader.pledges:
        reader.problems.append("No pledges found below the header row.")
    if reader.problems:
        raise PlanImportError(reader.problems)
    data = {"items": [{"key": f"pledge-{p.number}", "number": p.number, "title": p.title,
                       **({"statement": p.statement} if p.statement else {}),
                       "actions": sorted(p.actions, key=lambda a: a["number"])}
                      for p in sorted(reader.pledges.values(), key=lambda p: p.number)]}
    try:
        return validate(PledgeSet, data)
    except ContentError as error:
        raise PlanImportError([f"{path}: {message}" for path, message
                               in error.problems.items()]) from None


def _variants(key: str) -> str:
    shown = [f"“{variant.capitalize()}”" for variant in HEADERS[key][:3]]
    return ", ".join(shown[:-1]) + f" or {shown[-1]}"


def read_plan(path: Path, sheet: str | None = None) -> PledgeSet:
    """The plan in the ``.xlsx`` or ``.csv`` file at ``path`` (for a workbook, the sheet
    called ``sheet`` or the first one)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:  # saved by Excel as "CSV" rather than "CSV UTF-8"
            text = raw.decode("cp1252")
        return read_rows(csv.reader(io.StringIO(text, newline="")))
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            if sheet is not None and sheet not in book.sheetnames:
                raise PlanImportError([f"No sheet called “{sheet}”: the workbook has "
                                       f"{', '.join(book.sheetnames)}."])
            chosen = book[sheet] if sheet is not None else book.worksheets[0]
            return read_rows(chosen.iter_rows(values_only=True))
        finally:
            book.close()
    raise PlanImportError([f"{path.name}: give an Excel workbook (.xlsx) or a CSV file "
                           "(.csv)."])


def _toml(value: Any) -> str:
    """A string or list of strings as TOML (a JSON string is a TOML basic string)."""
    if isinstance(value, list):
        if len(value) <= 1:
            return json.dumps(value, ensure_ascii=False)
        return "[\n" + "".join(f"    {json.dumps(v, ensure_ascii=False)},\n"
                               for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def plan_toml(plan: PledgeSet, source: str) -> str:
    """The ``[pledges]`` part of a ``council.toml`` for ``plan``, checked by reading it
    back against the plugin shapes."""
    lines = [f"# Pledges and actions read from {source} by `cpt import-plan`.",
             "# Check each against the published plan before use; add `intro` and "
             "`declared` if the strategy gives them.", "", "[pledges]"]
    for pledge in plan.items:
        lines += ["", f"# --- {pledge.key} and its actions ---", "", "[[pledges.items]]",
                  f"key = {_toml(pledge.key)}", f"number = {pledge.number}",
                  f"title = {_toml(pledge.title)}"]
        if pledge.statement:
            lines.append(f"statement = {_toml(pledge.statement)}")
        for action in pledge.actions:
            lines += ["", "[[pledges.items.actions]]", f"key = {_toml(action.key)}",
                      f"number = {action.number}"]
            if action.wording:
                lines.append(f"wording = {_toml(action.wording)}")
            if action.officer:
                lines.append(f"officer = {_toml(action.officer)}")
            if action.timeline:
                lines.append(f"timeline = {_toml(action.timeline.text)}")
            lines += [f"links = {_toml(action.links)}", f"outcomes = {_toml(action.outcomes)}"]
    text = "\n".join(lines) + "\n"
    again = validate(PledgeSet, tomllib.loads(text)["pledges"])
    if again != plan:
        raise AssertionError("the TOML written does not read back as the plan read")
    return text
