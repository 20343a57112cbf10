"""What the action checks find in a council's plan, kept with the plan.

Two checks read every live action's words: actions of one pledge that repeat another
pledge's word for word, and actions whose own wording the published plan does not give
(:mod:`core.checks` words their findings). What they find is a function of the council's
actions and pledges alone, so it is worked out in the transaction of every change to those
rows (:func:`core.revisions.keep_derived`) and kept on the council's row
(:attr:`~core.councils.models.Council.action_checks`): the pages that show the checks (the
overview, the checks page, the API's findings) read it with the council, which every page
of a council reads anyway, instead of comparing a few hundred actions' words on every
render (0.2 ms of the overview's 2.7 on SQLite, and a round trip on PostgreSQL). A council
whose checks were never kept (``None``: rows written before the column, or by Core without
:func:`core.revisions.touch`) has them worked out when asked, from the same statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Text,
    and_,
    bindparam,
    cast,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from core import row_reads
from core.councils.models import Council
from core.pledges.models import Action, Pledge
from core.revisions import Write, Written, keep_derived

#: What an action's words are compared by: two actions with the same are word for word the
#: same. The lists are compared as the JSON text stored (one serializer wrote them all), so
#: no row's JSON is decoded.
_SIGNATURE = (Action.wording, Action.officer, Action.timeline_text, cast(Action.links, Text),
              cast(Action.outcomes, Text))

#: Each live action's words and numbers, with the lowest and highest number of the pledges
#: whose actions share its words (the pledges scoped too, or PostgreSQL hashes every
#: council's pledges to join 80 actions).
_ALL_WORDS = (
    select(Action.key, Action.number, Action.wording, Action.officer, Action.timeline_text,
           _SIGNATURE[3].label("links"), _SIGNATURE[4].label("outcomes"),
           Pledge.number.label("pledge"), Pledge.position.label("pledge_position"),
           Action.position.label("position"),
           func.min(Pledge.number).over(partition_by=_SIGNATURE).label("lowest"),
           func.max(Pledge.number).over(partition_by=_SIGNATURE).label("highest"))
    .join(Pledge, and_(Action.pledge_id == Pledge.id, Pledge.council_id == bindparam("council_id")))
    .where(Action.council_id == bindparam("council_id"), Action.archived_at.is_(None))
    .subquery()
)

#: The live actions a check may report, in plan order: those without wording of their own
#: and those whose words another pledge's action repeats. The database compares the words,
#: so a council's hundreds of actions are not sent to Python to find the few alike.
_ACTION_WORDS = (
    select(_ALL_WORDS.c.key, _ALL_WORDS.c.number, _ALL_WORDS.c.wording, _ALL_WORDS.c.officer,
           _ALL_WORDS.c.timeline_text, _ALL_WORDS.c.links, _ALL_WORDS.c.outcomes,
           _ALL_WORDS.c.pledge)
    .where(or_(_ALL_WORDS.c.wording.is_(None), _ALL_WORDS.c.lowest != _ALL_WORDS.c.highest))
    .order_by(_ALL_WORDS.c.pledge_position, _ALL_WORDS.c.position)
)

#: The columns whose change can change what the checks find: an action's words, numbers,
#: order, pledge and archiving; a pledge's number and order (an action's status, or a
#: pledge's title, cannot).
_ACTION_CHECKED = ("key", "number", "position", "wording", "officer", "timeline_text",
                   "links", "outcomes", "pledge_id", "archived_at")
_PLEDGE_CHECKED = ("number", "position", "archived_at")


@dataclass(frozen=True)
class Repeat:
    """Actions of pledge ``pledge`` whose words an earlier action of pledge ``earlier``
    has: ``numbers`` holds (the action's number, the earlier action's number), in plan
    order."""

    pledge: int
    earlier: int
    numbers: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ActionChecks:
    """What the action checks found: the repeats, by pair of pledges in the order first
    met, and the keys of the actions without wording, sorted."""

    repeats: tuple[Repeat, ...] = ()
    without_wording: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """As kept in :attr:`Council.action_checks`."""
        return {"repeats": [[r.pledge, r.earlier, [list(pair) for pair in r.numbers]]
                            for r in self.repeats],
                "without_wording": list(self.without_wording)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActionChecks:
        """What :meth:`as_json` kept."""
        return cls(tuple(Repeat(pledge, earlier, tuple((a, b) for a, b in numbers))
                         for pledge, earlier, numbers in data["repeats"]),
                   tuple(data["without_wording"]))


def checks_of(rows: Iterable[Row[Any]]) -> ActionChecks:
    """What the checks find in ``rows`` (those of :data:`_ACTION_WORDS`, in plan order and
    unpacked in its column order; any other actions with them change nothing): each
    action against the first action with its words, when that is another pledge's."""
    first_seen: dict[tuple[str | None, ...], tuple[int, int]] = {}
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = {}
    without = []
    for key, number, wording, officer, timeline, links, outcomes, pledge in rows:
        if wording is None:
            without.append(key)
        signature = (wording, officer, timeline, links, outcomes)
        seen = first_seen.get(signature)
        if seen is None:
            first_seen[signature] = (pledge, number)
        elif seen[0] != pledge:
            earlier_pledge, earlier_number = seen
            pairs.setdefault((pledge, earlier_pledge), []).append((number, earlier_number))
    return ActionChecks(
        tuple(Repeat(pledge, earlier, tuple(numbers))
              for (pledge, earlier), numbers in pairs.items()),
        tuple(sorted(without)))


def read_action_checks(connection: Connection | Session, council_id: int) -> ActionChecks:
    """What the checks find in the council's rows as they are (one statement)."""
    return checks_of(connection.execute(_ACTION_WORDS, {"council_id": council_id}))


def action_checks(council: Any) -> ActionChecks:
    """What the checks found in ``council``'s plan (a council, or a row of its columns):
    as kept on its row, or worked out now when never kept."""
    kept = council.action_checks
    if kept is not None:
        return ActionChecks.from_json(kept)
    return checks_of(row_reads.rows(_ACTION_WORDS, {"council_id": council.id}))


def _checked(writes: Sequence[Write]) -> bool:
    """Whether any of ``writes`` can change what the checks find."""
    for write in writes:
        if write.kind != "changed":
            return True
        names = _ACTION_CHECKED if isinstance(write.row, Action) else _PLEDGE_CHECKED
        attrs = inspect(write.row).attrs
        if any(attrs[name].history.has_changes() for name in names):
            return True
    return False


def refresh_action_checks(connection: Connection | Session, council_ids: list[int],
                          written: Written | None = None) -> None:
    """Work out again, and keep on each council's row, what the checks find, for the
    councils whose ``written`` actions or pledges can change it (every one of
    ``council_ids`` when the writes are not said)."""
    for council_id in council_ids:
        if written is not None and not _checked(written.get(council_id, ())):
            continue
        found = read_action_checks(connection, council_id)
        connection.execute(update(Council.__table__).where(Council.__table__.c.id == council_id)
                           .values(action_checks=found.as_json()))


keep_derived((Action, Pledge), refresh_action_checks, council_columns=("action_checks",))
