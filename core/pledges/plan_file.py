"""The action plan as a file to download (CSV or Excel): one row per action, with its
pledge or promise, responsible officer, timeline, outcomes, status and latest update.

Read in one statement of narrow rows (each live action joined to its latest progress update
through the ``(action_id, reported_on)`` index, as :mod:`core.pledges.reads` does), built
once at import. A pledge without actions still has a row, so the file lists every pledge.
The column names are those ``cpt import-plan`` reads back (:mod:`core.pledges.plan_import`),
so a council can take the file, edit it and start a plugin from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, select

from core import row_reads
from core.downloads import CSV_MIMETYPE, XLSX_MIMETYPE, rows_as_csv, rows_as_xlsx
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges.status import STATUS_LABELS
from core.translations import gettext as _

_ROWS = (
    select(Pledge.id, Pledge.number, Pledge.title, Pledge.statement,
           Action.id.label("action_id"), Action.number.label("action_number"),
           Action.wording, Action.officer, Action.timeline_text, Action.due, Action.links,
           Action.outcomes, Action.status, Action.status_on,
           ProgressUpdate.id.label("update_id"), ProgressUpdate.reported_on,
           ProgressUpdate.note, ProgressUpdate.author)
    .outerjoin(Action, and_(Action.pledge_id == Pledge.id, Action.archived_at.is_(None)))
    .outerjoin(ProgressUpdate, and_(ProgressUpdate.action_id == Action.id,
                                    ProgressUpdate.reported_on == Action.status_on))
    .where(Pledge.council_id == bindparam("council_id"), Pledge.archived_at.is_(None))
    .order_by(Pledge.origin.desc(), Pledge.position, Pledge.number, Action.position,
              ProgressUpdate.id)
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


def plan_rows(council: Council) -> list[list[Any]]:
    """One row per live action in plan order (one per pledge without actions): cells as
    the file holds them (dates as dates, lists one item per line)."""
    labels = {status.value: str(label) for status, label in STATUS_LABELS.items()}
    rows: dict[tuple[int, int | None], list[Any]] = {}
    # Rows unpacked by position: a named attribute of a row costs a Python call, and a
    # plan's rows are a few hundred of eighteen columns.
    for (pledge_id, number, title, statement, action_id, action_number, wording, officer,
         timeline, due, links, outcomes, status, _status_on, update_id, reported_on, note,
         author) in row_reads.rows(_ROWS, {"council_id": council.id}):
        if action_id is None:
            rows[(pledge_id, None)] = [number, title, statement, None, None, None, None,
                                       None, None, None, None, None, None, None]
            continue
        update = update_id is not None
        rows[(pledge_id, action_id)] = [  # of two updates the same day, the later wins
            number, title, statement, f"{number}.{action_number}", wording, officer,
            timeline, due, "\n".join(links or []), "\n".join(outcomes or []),
            labels[status], reported_on if update else None,
            note if update else None, author if update else None]
    return list(rows.values())


def plan_file(council: Council, kind: str) -> PlanFile:
    """The council's action plan as ``csv`` or ``xlsx``."""
    header, rows = plan_header(council), plan_rows(council)
    name = f"{council.slug}-action-plan.{kind}"
    if kind == "csv":
        # as the csv module writes them: nothing as an empty cell, a day (the due date,
        # the update's) in ISO form, as str() gives a date
        return PlanFile(rows_as_csv(header, rows), CSV_MIMETYPE, name)
    return PlanFile(rows_as_xlsx(_("Action plan"), header, rows), XLSX_MIMETYPE, name)


#: The kinds of file the plan comes in, as the URL's extension says.
KINDS: Sequence[str] = ("csv", "xlsx")
