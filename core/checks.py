"""Content checks: what a careful reader of a council's definitions would point out.

Each check reads the database (so that items added locally and reviews recorded count) in a
fixed number of queries per council, whatever the amount of data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from sqlalchemy import Row, Text, and_, bindparam, cast, func, or_, select

from core import row_reads
from core.dates import format_date
from core.models import Action, Council, Pledge
from core.plugins import plugin_host
from core.reviews.services import CycleRow, review_cycles_of
from core.translations import gettext, ngettext


@dataclass(frozen=True)
class Finding:
    """One thing a check found. ``level`` is ``error`` for what stops a council working and
    ``warning`` for what its staff should know and act on."""

    council: str
    check: str
    level: Literal["error", "warning"]
    message: str
    items: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["items"] = list(self.items)
        return data


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


def action_findings(council: Council) -> list[Finding]:
    """What the action checks find, from one read of the council's actions that may be
    reported."""
    rows = row_reads.rows(_ACTION_WORDS, {"council_id": council.id}).all()
    return [*duplicated_actions(council, rows), *actions_without_wording(council, rows)]


def duplicated_actions(council: Council, rows: Sequence[Row]) -> list[Finding]:
    """Actions of one pledge that repeat another pledge's actions word for word (``rows``:
    those of :data:`_ACTION_WORDS` in plan order, unpacked in its column order; any other
    actions with them change nothing)."""
    first_seen: dict[tuple[str | None, ...], tuple[int, int]] = {}
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for _key, number, wording, officer, timeline, links, outcomes, pledge in rows:
        signature = (wording, officer, timeline, links, outcomes)
        seen = first_seen.get(signature)
        if seen is not None and seen[0] != pledge:
            earlier_pledge, earlier_number = seen
            pairs[(pledge, earlier_pledge)].append((number, earlier_number))
        elif seen is None:
            first_seen[signature] = (pledge, number)
    word = council.word("pledge")
    findings = []
    for (pledge, earlier), numbers in pairs.items():
        earlier_numbers = ", ".join(f"{earlier}.{b}" for _, b in numbers)
        later_numbers = ", ".join(f"{pledge}.{a}" for a, _ in numbers)
        findings.append(Finding(
            council.slug, "duplicated-actions", "warning",
            ngettext(
                "Action %(earlier_numbers)s (%(word)s %(earlier)s) is word for word the same "
                "as action %(later_numbers)s (%(word)s %(pledge)s).",
                "Actions %(earlier_numbers)s (%(word)s %(earlier)s) are word for word the same "
                "as actions %(later_numbers)s (%(word)s %(pledge)s).",
                len(numbers), earlier_numbers=earlier_numbers, later_numbers=later_numbers,
                word=word, pledge=pledge, earlier=earlier),
            tuple(key for later, first in numbers
                  for key in (f"{earlier}.{first}", f"{pledge}.{later}"))))
    return findings


def actions_without_wording(council: Council, rows: Sequence[Row]) -> list[Finding]:
    """Actions whose own wording the published plan does not give."""
    keys = sorted(row.key for row in rows if row.wording is None)
    if not keys:
        return []
    return [Finding(council.slug, "actions-without-wording", "warning",
                    ngettext("%(num)d action has no wording of its own in the published plan.",
                             "%(num)d actions have no wording of their own in the published "
                             "plan.", len(keys)),
                    tuple(keys))]


def overdue_reviews(council: Council, today: dt.date,
                    cycles: Sequence[CycleRow] | None = None) -> list[Finding]:
    """Review cycles whose next review date has passed, soonest due first (of ``cycles``,
    the council's live review cycles, read here unless the caller has read them)."""
    if cycles is None:
        cycles = review_cycles_of(council)
    cycles = sorted((cycle for cycle in cycles
                     if cycle.next_due is not None and cycle.next_due < today),
                    key=lambda cycle: cycle.next_due)
    return [Finding(council.slug, "overdue-review", "warning",
                    gettext("Review overdue: %(subject)s (due by %(due)s).",
                            subject=cycle.subject, due=format_date(cycle.next_due, "long")),
                    (cycle.key,))
            for cycle in cycles]


#: Built once (the API's findings run it on every answer).
_LIVE_PLEDGES = select(func.count(Pledge.id)).where(
    Pledge.council_id == bindparam("council_id"), Pledge.archived_at.is_(None))


def declared_but_missing(council: Council, recorded: int | None = None) -> list[Finding]:
    """Pledges or promises the strategy declares but nobody has recorded (``recorded``: how
    many live pledges the council has, when the caller has counted them already)."""
    if not council.pledges_declared:
        return []
    if recorded is None:
        recorded = row_reads.scalar(_LIVE_PLEDGES, {"council_id": council.id}) or 0
    missing = council.pledges_declared - recorded
    if missing <= 0:
        return []
    return [Finding(council.slug, "declared-but-missing", "warning",
                    gettext("%(declared)d %(words)s declared, %(recorded)d recorded: "
                            "%(missing)d still to be recorded.",
                            declared=council.pledges_declared, words=council.word("pledges"),
                            recorded=recorded, missing=missing))]


def plugin_errors(council: Council) -> list[Finding]:
    """Why the council's plugin could not give its definitions, if it could not (the council
    then keeps its last good definitions)."""
    return [Finding(council.slug, "plugin", "error", str(error))
            for error in plugin_host().failing(council.slug, council.plugin)]


def council_findings(council: Council, today: dt.date | None = None, *,
                     review_cycles: Sequence[CycleRow] | None = None,
                     pledges_recorded: int | None = None) -> list[Finding]:
    """Every content check's findings for ``council``, its plugin's errors first. A page
    that has read the council's live review cycles, or counted its live pledges, passes
    them on, and they are not read again."""
    today = today or dt.date.today()
    return [
        *plugin_errors(council),
        *action_findings(council),
        *overdue_reviews(council, today, review_cycles),
        *declared_but_missing(council, pledges_recorded),
    ]
