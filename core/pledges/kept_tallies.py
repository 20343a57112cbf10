"""Each pledge's live actions counted by status and due date, kept on the pledge's row.

The overview's table of pledges shows, for each pledge, its actions' statuses rolled up and
how many are past due (:func:`core.pledges.reads.pledge_tallies`): all it reads of the
actions is how many there are of each status and due date. Counted on every request, a
council's eighty actions joined to its ten pledges, grouped and sorted twice were the
costliest read of the overview (scale 1: 107 µs on SQLite, 147 µs of PostgreSQL's CPU); the
pledges' rows alone read in 15 and 37 µs. :attr:`~core.pledges.models.Pledge.action_tally`
keeps the counts instead, as JSON text: ``[[status, due, count], ...]``, the due date as
``YYYY-MM-DD`` or null, in the order of status then due date (no date first). They are
worked out again in the transaction of every change (:func:`core.revisions.keep_derived`):

- for the pledges of the actions a flush added or deleted, or changed in pledge (the one
  it left and the one it joined), status, due date or archived state;
- for the pledges of the actions whose updates a flush wrote: an action's status is worked
  out from its updates by :mod:`core.pledges.latest_status`, whose refresh runs first (it
  is registered first: this module imports it);
- for every pledge of a council a writer touches without saying which rows it wrote
  (:func:`core.revisions.touch`, which every Core writer calls).

One grouped read gives the chosen pledges' kept counts and counts their live actions
afresh; only a pledge whose counts differ is written. Migration
0032 first wrote them; ``tests/core/pledges/test_kept_tallies.py`` holds what each pledge
keeps to what its actions say, however they are written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, and_, bindparam, func, inspect, or_, select, true, update
from sqlalchemy.orm import Session

from core.pledges import latest_status  # noqa: F401  (its refresh registered, so run, first)
from core.pledges.models import Action, Pledge, ProgressUpdate
from core.revisions import Write, Written, councils_and_found, keep_derived

_ACTION = Action.__table__
_PLEDGE = Pledge.__table__

#: A status, a due date (or none) and how many live actions of a pledge have both.
Count = tuple[str, dt.date | None, int]

#: The pledges (chosen by a further ``where``), each with what it keeps and its live actions
#: counted by status and due date (a row of no action for a pledge without one); the
#: pledge's columns are its primary key's, so both engines group by that alone.
_KEPT_AND_COUNTED = (
    select(_PLEDGE.c.id, _PLEDGE.c.action_tally, _ACTION.c.status, _ACTION.c.due,
           func.count(_ACTION.c.id))
    .outerjoin(_ACTION, and_(_ACTION.c.pledge_id == _PLEDGE.c.id,
                             _ACTION.c.archived_at.is_(None)))
    .group_by(_PLEDGE.c.id, _ACTION.c.status, _ACTION.c.due))
#: One pledge's counts set (the pledge's own fields, and its version, as they were).
_WRITE = (update(_PLEDGE).where(_PLEDGE.c.id == bindparam("pledge"))
          .values(action_tally=bindparam("tally"), updated_at=_PLEDGE.c.updated_at))

#: The columns of an action whose change changes its pledge's counts.
_COUNTED_FROM = ("pledge_id", "status", "due", "archived_at")
#: The columns of an update whose change can change its action's status.
_STATUS_FROM = ("action_id", "reported_on", "status")


def tally_text(counts: Iterable[Count]) -> str:
    """The JSON text a pledge keeps for ``counts``, in their kept order."""
    ordered = sorted(counts, key=lambda count: (count[0], count[1] is not None,
                                                count[1] or dt.date.min))
    return orjson.dumps([list(count) for count in ordered]).decode()


def tally_counts(text: str) -> list[Count]:
    """The counts of a pledge's kept text (:func:`tally_text`'s), read back."""
    return [(status, None if due is None else dt.date.fromisoformat(due), count)
            for status, due, count in orjson.loads(text)]


def write_tallies(connection: Connection | Session, *, council_ids: Sequence[int] = (),
                  pledge_ids: Iterable[int] = (), of_actions: Iterable[int] = ()) -> int:
    """Work out again the counts of the pledges of the councils named, of the pledges
    named and of the pledges of the actions named (of every pledge when none is named),
    and write those that differ from what the pledges keep; how many it wrote."""
    councils, pledges, actions = (sorted(set(ids)) for ids in
                                  (council_ids, pledge_ids, of_actions))
    pledges_of_actions = select(_ACTION.c.pledge_id).where(_ACTION.c.id.in_(actions))
    # only the lists given: an empty IN beside another in an OR is a subplan, which
    # PostgreSQL cannot read by an index
    chosen = [*([_PLEDGE.c.council_id.in_(councils)] if councils else []),
              *([_PLEDGE.c.id.in_(pledges)] if pledges else []),
              *([_PLEDGE.c.id.in_(pledges_of_actions)] if actions else [])]
    kept: dict[int, str] = {}
    counts: dict[int, list[Count]] = {}
    for pledge, text, status, due, count in connection.execute(
            _KEPT_AND_COUNTED.where(or_(*chosen) if chosen else true())):
        kept[pledge] = text
        found = counts.setdefault(pledge, [])
        if count:
            found.append((status, due, count))
    changed = [{"pledge": pledge, "tally": text} for pledge, found in counts.items()
               if (text := tally_text(found)) != kept[pledge]]
    if changed:
        connection.execute(_WRITE, changed)
    return len(changed)


def refresh_action_tallies(connection: Connection | Session, council_ids: list[int],
                           written: Written | None = None) -> None:
    """Work out again the counts of the pledges the writes of a flush can change (see the
    module's docstring); of every pledge of a council whose writes do not say which."""
    whole, found = councils_and_found(council_ids, written, _touched)
    pledges = set().union(*(pledges for pledges, _actions in found))
    actions = set().union(*(actions for _pledges, actions in found))
    if whole or pledges or actions:
        write_tallies(connection, council_ids=whole, pledge_ids=pledges, of_actions=actions)


def _touched(writes: Sequence[Write] | None) -> tuple[set[int], set[int]] | None:
    """The pledges whose counts the ``writes`` of a flush can change, and the actions
    whose pledges' counts they can change (an update's action, before and after a move);
    ``None`` when the writes do not say (not given, or a row whose pledge or action,
    before or after a move, the session never loaded)."""
    if not writes:
        return None
    pledges: set[int] = set()
    actions: set[int] = set()
    for write in writes:
        attrs = inspect(write.row).attrs
        if write.kind == "changed" and not any(
                attrs[name].history.has_changes()
                for name in (_COUNTED_FROM if isinstance(write.row, Action) else _STATUS_FROM)):
            continue
        if isinstance(write.row, Action):
            found = _before_and_after(write, attrs.pledge_id, write.row.pledge_id)
            if found is None:
                return None
            pledges |= found
            continue
        if isinstance(write.row, ProgressUpdate):
            found = _before_and_after(write, attrs.action_id, write.row.action_id)
            if found is None:
                return None
            actions |= found
    return pledges, actions


def _before_and_after(write: Write, attribute: Any, now: int | None) -> set[int] | None:
    """What a row's ``attribute`` (its pledge or action) named before and after a change
    (what it names, when the row is new or deleted); ``None`` when not known (an attribute
    set on an expired object has no old value in its history)."""
    if write.kind != "changed":
        return None if now is None else {now}
    history = attribute.history
    if not history.sum() or (history.added and not history.deleted):
        return None
    return set(history.sum())


keep_derived((ProgressUpdate, Action), refresh_action_tallies)
