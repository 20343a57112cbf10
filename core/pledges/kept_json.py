"""Each action's JSON as the API gives it inside its pledge, kept on the action's row.

The API's list of pledges gives each pledge's actions (:class:`~core.pledges.schemas.
PledgeActionSchema`), each written by the database (:mod:`core.database_json`). Written
afresh on every request, a council's eighty actions' JSON was the largest part of
PostgreSQL's time for any page (0.31 ms a request under the benchmark's load, against
0.16 ms for the page of pledges, which reads as many rows). :attr:`~core.pledges.models.
Action.api_json` keeps it instead, written by the database from the action's own columns
(one ``UPDATE`` comparing what is kept with what the columns give, writing only what
differs), in the transaction of every change (:func:`core.revisions.keep_derived`):

- for the actions a flush added, or changed in a field the API gives;
- for the actions whose updates a flush wrote: their status and its day are worked out by
  :mod:`core.pledges.latest_status`, whose refresh runs first (it is registered first:
  this module imports it);
- for every action of a council a writer touches without saying which rows it wrote
  (:func:`core.revisions.touch`, which every Core writer calls).

The text is the API's, byte for byte. A change to the schema changes what each action's
JSON holds, so it comes with a migration that writes every action's again, as migration
0030 first wrote them (``tests/core/pledges/test_kept_json.py`` holds the schema's fields
to those the latest such migration wrote).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, inspect, or_, update
from sqlalchemy.orm import Session

from core.database_json import json_of
from core.pledges import latest_status  # noqa: F401  (its refresh registered, so run, first)
from core.pledges.models import Action, ProgressUpdate
from core.pledges.schemas import PledgeActionSchema
from core.revisions import Write, Written, councils_and_found, keep_derived

_ACTION = Action.__table__

#: An action's JSON as the API gives it in its pledge, written from its columns.
ACTION_JSON = json_of(PledgeActionSchema(), _ACTION.c)
#: The action's columns whose change changes its JSON.
_WRITTEN_FROM = tuple(field.attribute or name
                      for name, field in PledgeActionSchema().dump_fields.items())
#: The columns of an update whose change can change its action's status or its day.
_STATUS_FROM = ("action_id", "reported_on", "status")
#: The actions (to be chosen by a further ``where``) whose kept JSON differs, set.
_REFRESH = (update(_ACTION).where(_ACTION.c.api_json != ACTION_JSON)
            .values(api_json=ACTION_JSON,
                    updated_at=_ACTION.c.updated_at))  # derived: the action is as it was


def write_action_json(connection: Connection | Session, *, council_ids: Sequence[int] = (),
                      action_ids: Iterable[int] = ()) -> None:
    """Write the kept JSON of the actions named, and of every action of the councils named
    (every action of every council when neither is given), where it differs from what
    their columns give: one statement."""
    councils, chosen = sorted(set(council_ids)), sorted(set(action_ids))
    statement = _REFRESH
    if councils or chosen:
        # only the lists given: an empty IN beside another in an OR is a subplan, which
        # PostgreSQL cannot read by an index
        statement = statement.where(or_(
            *([_ACTION.c.council_id.in_(councils)] if councils else []),
            *([_ACTION.c.id.in_(chosen)] if chosen else [])))
    connection.execute(statement)


def refresh_action_json(connection: Connection | Session, council_ids: list[int],
                        written: Written | None = None) -> None:
    """Write again the kept JSON of the actions the writes of a flush can change (see the
    module's docstring); of every action of a council whose writes do not say which."""
    whole, found = councils_and_found(council_ids, written, _touched)
    actions = set().union(*found)
    if whole or actions:
        write_action_json(connection, council_ids=whole, action_ids=actions)


def _touched(writes: Sequence[Write] | None) -> set[int] | None:
    """The actions whose JSON the ``writes`` of a flush can change; ``None`` when they do
    not say (not given, or an update whose action, before or after a move, the session
    never loaded)."""
    if not writes:
        return None
    touched: set[int] = set()
    for write in writes:
        if write.kind == "deleted" and isinstance(write.row, Action):
            continue  # gone, with its JSON
        if isinstance(write.row, Action):
            attrs = inspect(write.row).attrs
            if write.kind == "new" or any(attrs[name].history.has_changes()
                                          for name in _WRITTEN_FROM):
                touched.add(write.row.id)
            continue
        if isinstance(write.row, ProgressUpdate):
            attrs = inspect(write.row).attrs
            if write.kind == "changed" and not any(attrs[name].history.has_changes()
                                                   for name in _STATUS_FROM):
                continue  # when it was recorded, or its words: not its action's status
            action = attrs.action_id.history
            if not action.sum():
                return None
            touched.update(action.sum())
    return touched


keep_derived((ProgressUpdate, Action), refresh_action_json)
