"""Pledges as the status tables show them, read in one statement of narrow rows.

The council's overview and the admin action plan show, for each pledge, its actions'
statuses rolled up, how many are past due, and its latest progress update. That needs a
few columns of each action and one update per action, never the ORM's object graph: one
statement joins each live action to its latest update (the ``(action_id, reported_on)``
index probed with the date the action carries, as in
:func:`core.pledges.services.latest_updates`) and returns plain rows, which are grouped
here. The statement is built once, at import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, select

from core.extensions import db
from core.modelbase import ORIGIN_LOCAL
from core.models import Action, Council, Pledge, ProgressUpdate
from core.pledges.models import count_overdue, is_overdue


@dataclass(slots=True)
class ActionLine:
    """What a status table needs of one action."""

    id: int
    key: str
    number: int
    status: str
    due: dt.date | None

    def overdue_on(self, today: dt.date) -> bool:
        """As :meth:`core.pledges.models.Action.overdue_on`."""
        return is_overdue(self.due, self.status, today)


@dataclass(slots=True)
class LatestUpdate:
    """A pledge's latest progress update, as the table quotes it."""

    id: int
    reported_on: dt.date
    note: str


@dataclass(slots=True)
class PledgeLine:
    """One pledge of a status table: what it says, its live actions, its latest update."""

    id: int
    key: str
    number: int
    title: str
    origin: str
    actions: list[ActionLine] = field(default_factory=list)
    latest: LatestUpdate | None = None

    @property
    def added_locally(self) -> bool:
        return self.origin == ORIGIN_LOCAL

    def overdue_actions_on(self, today: dt.date) -> int:
        """As :meth:`core.pledges.models.Pledge.overdue_actions_on`."""
        return count_overdue(self.actions, today)


_LINES = (
    select(Pledge.id, Pledge.key, Pledge.number, Pledge.title, Pledge.origin,
           Action.id.label("action_id"), Action.key.label("action_key"),
           Action.number.label("action_number"), Action.status, Action.due,
           ProgressUpdate.id.label("update_id"), ProgressUpdate.reported_on,
           ProgressUpdate.note)
    .outerjoin(Action, and_(Action.pledge_id == Pledge.id, Action.archived_at.is_(None)))
    .outerjoin(ProgressUpdate, and_(ProgressUpdate.action_id == Action.id,
                                    ProgressUpdate.reported_on == Action.status_on))
    .where(Pledge.council_id == bindparam("council_id"), Pledge.archived_at.is_(None))
    .order_by(Pledge.origin.desc(), Pledge.position, Pledge.number, Action.position,
              ProgressUpdate.id)
)


def pledge_lines(council: Council) -> list[PledgeLine]:
    """The council's live pledges in order, each with its live actions in order and its
    latest progress update (one statement). Of two updates on the same day, the later
    recorded is the latest, as everywhere else."""
    lines: dict[int, PledgeLine] = {}
    latest: dict[int, tuple[dt.date, int, str]] = {}
    seen_actions: set[int] = set()
    # Rows unpacked by position: a named attribute of a row costs a Python call, and a
    # council's rows are a few hundred.
    for (pledge_id, key, number, title, origin, action_id, action_key, action_number, status,
         due, update_id, reported_on, note) in db.session.execute(
            _LINES, {"council_id": council.id}):
        line = lines.get(pledge_id)
        if line is None:
            line = lines[pledge_id] = PledgeLine(pledge_id, key, number, title, origin)
        if action_id is None:
            continue
        if action_id not in seen_actions:  # one row per update of the same day
            seen_actions.add(action_id)
            line.actions.append(ActionLine(action_id, action_key, action_number, status, due))
        if update_id is not None:
            kept = latest.get(pledge_id)
            if kept is None or (reported_on, update_id) > kept[:2]:
                latest[pledge_id] = (reported_on, update_id, note)
    for pledge_id, (reported_on, update_id, note) in latest.items():
        lines[pledge_id].latest = LatestUpdate(update_id, reported_on, note)
    return list(lines.values())
