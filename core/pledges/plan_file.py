"""The action plan as a file to download (CSV or Excel): one row per action, with its
pledge or promise, responsible officer, timeline, outcomes, status and latest update.

Read in one statement of narrow rows (each live action joined to its latest progress update
through the ``(action_id, reported_on)`` index, as :mod:`core.pledges.reads` does), built
once at import. A pledge without actions still has a row, so the file lists every pledge.
The column names are those ``cpt import-plan`` reads back (:mod:`core.pledges.plan_import`),
so a council can take the file, edit it and start a plugin from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, select

from core.downloads import CSV_MIMETYPE, XLSX_MIMETYPE, rows_as_csv, rows_as_xlsx
from core.extensions import db
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges.models import ActionStatus
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
    rows: dict[tuple[int, int | None], list[Any]] = {}
    for row in db.session.execute(_ROWS, {"council_id": council.id}):
        action = row.action_id is not None
        update = row.update_id is not None
        rows[(row.id, row.action_id)] = [  # of two updates the same day, the later wins
            row.number, row.title, row.statement,
            f"{row.number}.{row.action_number}" if action else None,
            row.wording, row.officer, row.timeline_text, row.due,
            "\n".join(row.links or []) if action else None,
            "\n".join(row.outcomes or []) if action else None,
            str(STATUS_LABELS[ActionStatus(row.status)]) if action else None,
            row.reported_on if update else None, row.note if update else None,
            row.author if update else None]
    return list(rows.values())


def _text(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def plan_file(council: Council, kind: str) -> PlanFile:
    """The council's action plan as ``csv`` or ``xlsx``."""
    header, rows = plan_header(council), plan_rows(council)
    name = f"{council.slug}-action-plan.{kind}"
    if kind == "csv":
        return PlanFile(rows_as_csv(header, ([_text(v) for v in r] for r in rows)),
                        CSV_MIMETYPE, name)
    return PlanFile(rows_as_xlsx(_("Action plan"), header, rows), XLSX_MIMETYPE, name)


#: The kinds of file the plan comes in, as the URL's extension says.
KINDS: Sequence[str] = ("csv", "xlsx")
