"""Content checks: what a careful reader of a council's definitions would point out.

Each check reads the database (so that items added locally and reviews recorded count) in a
fixed number of queries per council, whatever the amount of data; what the action checks
find is kept with the plan (:mod:`core.pledges.action_checks`) and read with the council.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from sqlalchemy import bindparam, func, select

from core import row_reads
from core.dates import format_date
from core.models import Council, Pledge
from core.pledges.action_checks import ActionChecks, action_checks
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


def action_findings(council: Council) -> list[Finding]:
    """What the action checks find in ``council``'s plan (kept with it:
    :mod:`core.pledges.action_checks`)."""
    checks = action_checks(council)
    return [*duplicated_actions(council, checks), *actions_without_wording(council, checks)]


def duplicated_actions(council: Council, checks: ActionChecks) -> list[Finding]:
    """Actions of one pledge that repeat another pledge's actions word for word."""
    word = council.word("pledge")
    findings = []
    for repeat in checks.repeats:
        pledge, earlier, numbers = repeat.pledge, repeat.earlier, repeat.numbers
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


def actions_without_wording(council: Council, checks: ActionChecks) -> list[Finding]:
    """Actions whose own wording the published plan does not give."""
    keys = checks.without_wording
    if not keys:
        return []
    return [Finding(council.slug, "actions-without-wording", "warning",
                    ngettext("%(num)d action has no wording of its own in the published plan.",
                             "%(num)d actions have no wording of their own in the published "
                             "plan.", len(keys)),
                    keys)]


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
