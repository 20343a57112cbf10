"""The action plan as a file to download (CSV or Excel): one row per action, with its
pledge or promise, responsible officer, timeline, outcomes, status and latest update.

Read in one statement of narrow rows (each live action with its latest progress update's
day, note and author, which its row keeps: :mod:`core.pledges.latest_status`), built once
at import. A pledge without actions still has a row, so the file lists every pledge.
The column names are those ``cpt import-plan`` reads back (:mod:`core.pledges.plan_import`),
so a council can take the file, edit it and start a plugin from it.

An action's links and outcomes are read as the JSON text the database holds, so that a row
is a key as it is read: each line of the CSV file is kept by its row and the language
(:func:`core.widgets.keyed_memo`), and written only when what it says changes (a council's
eighty lines were about a third of the file's request).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Text, and_, bindparam, cast, select

from core import row_reads
from core.downloads import CSV_MIMETYPE, XLSX_MIMETYPE, csv_line, rows_as_xlsx
from core.models import Action, Council, Pledge
from core.pledges.status import STATUS_LABELS
from core.translations import gettext as _
from core.translations import page_locale_name
from core.widgets import keyed_memo

_ROWS = (
    select(Pledge.id, Pledge.number, Pledge.title, Pledge.statement,
           Action.id.label("action_id"), Action.number.label("action_number"),
           Action.wording, Action.officer, Action.timeline_text, Action.due,
           cast(Action.links, Text), cast(Action.outcomes, Text), Action.status,
           Action.status_on, Action.latest_note, Action.latest_author)
    .outerjoin(Action, and_(Action.pledge_id == Pledge.id, Action.archived_at.is_(None)))
    .where(Pledge.council_id == bindparam("council_id"), Pledge.archived_at.is_(None))
    .order_by(Pledge.origin.desc(), Pledge.position, Pledge.number, Action.position,
              Action.id)
)


@dataclass(frozen=True)
class PlanFile:
    """A download of the plan: its body, media type and file name."""

    body: bytes
    mimetype: str
    filename: str


def plan_header(council: Council) -> list[str]:
    """The file's column names, in the council's words."""
    pledge = council.word("pledge").capitalize()
    return [_("%(pledge)s number", pledge=pledge), pledge,
            _("%(pledge)s statement", pledge=pledge), _("Action number"), _("Action"),
            _("Responsible officer"), _("Timeline"), _("Due"),
            _("Link to other action plans or strategy initiatives"), _("Expected outcome"),
            _("Status"), _("Latest update on"), _("Latest update"), _("Latest update by")]


#: Where an app keeps its memo of the plan's CSV lines, in ``app.extensions``.
LINES_EXTENSION = "cpt_plan_lines"
#: How many lines each worker keeps by default (``CARD_MARKUP_ENTRIES``, as the cards: a
#: national host's councils have about 12,000 actions).
DEFAULT_LINE_ENTRIES = 16384


def _plan_source(council: Council) -> list[tuple[Any, ...]]:
    """The statement's rows, one per live action in plan order (one per pledge without
    actions)."""
    return list(row_reads.rows(_ROWS, {"council_id": council.id}))


def _cells(row: tuple[Any, ...], labels: dict[str, str]) -> list[Any]:
    """A row's cells as the file holds them (dates as dates, lists one item per line)."""
    # unpacked by position: a named attribute of a row costs a Python call
    (_pledge_id, number, title, statement, action_id, action_number, wording, officer,
     timeline, due, links, outcomes, status, reported_on, note, author) = row
    if action_id is None:
        return [number, title, statement, None, None, None, None, None, None, None, None,
                None, None, None]
    update = reported_on is not None
    return [number, title, statement, f"{number}.{action_number}", wording, officer,
            timeline, due, "\n".join((orjson.loads(links) if links else None) or []),
            "\n".join((orjson.loads(outcomes) if outcomes else None) or []), labels[status],
            reported_on if update else None, note if update else None,
            author if update else None]


def _labels() -> dict[str, str]:
    """Each status's label in the current locale, by its value."""
    return {status.value: str(label) for status, label in STATUS_LABELS.items()}


def plan_rows(council: Council) -> list[list[Any]]:
    """One row per live action in plan order (one per pledge without actions): cells as
    the file holds them (dates as dates, lists one item per line)."""
    labels = _labels()
    return [_cells(row, labels) for row in _plan_source(council)]


def plan_csv(council: Council) -> bytes:
    """The plan as a CSV file in UTF-8 with a byte order mark, as
    :func:`core.downloads.rows_as_csv` writes :func:`plan_header` and :func:`plan_rows`:
    each line kept by its row and the language (see the module's docstring)."""
    memo = keyed_memo(LINES_EXTENSION, "CARD_MARKUP_ENTRIES", DEFAULT_LINE_ENTRIES)
    locale, labels = page_locale_name(), functools.cache(_labels)
    lines = [csv_line(plan_header(council))]
    lines += [memo.get((locale, row), lambda row=row: csv_line(_cells(row, labels())))
              for row in _plan_source(council)]
    lines.append("")
    return "\r\n".join(lines).encode("utf-8-sig")


def plan_file(council: Council, kind: str) -> PlanFile:
    """The council's action plan as ``csv`` or ``xlsx``."""
    name = f"{council.slug}-action-plan.{kind}"
    if kind == "csv":
        # as the csv module writes them: nothing as an empty cell, a day (the due date,
        # the update's) in ISO form, as str() gives a date
        return PlanFile(plan_csv(council), CSV_MIMETYPE, name)
    return PlanFile(rows_as_xlsx(_("Action plan"), plan_header(council), plan_rows(council)),
                    XLSX_MIMETYPE, name)


#: The kinds of file the plan comes in, as the URL's extension says.
KINDS: Sequence[str] = ("csv", "xlsx")
