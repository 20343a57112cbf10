"""The one rule that rolls a pledge's status up from its actions, and its words.

Every page and API endpoint that shows a pledge's status asks a :class:`RollUp` built by
:func:`roll_up_for` (the council's :class:`~core.content.StatusRule` and a day), so the
public overview, the pledges pages, the admin action plan and the API always agree, and the
pledges page describes the rule the council actually uses.

The rule: an action that is not complete more than ``grace_days`` after its due date counts
as at least ``past_due_counts_as`` (a concern), whatever its latest update says. Then a
pledge is complete when every action is, not started when no action has started (and none
counts as a concern), and otherwise takes the most concerning status its open actions count
as; open actions that are neither at risk nor off track make it on track.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from core.content.shapes import StatusRule
from core.content.validation import ContentError, as_data, validate
from core.councils.models import Council
from core.pledges.models import Action, ActionStatus, Pledge, is_overdue
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.translations import ngettext

log = logging.getLogger(__name__)

#: The core's rule, for a council whose plugin states none (``Council.status_rule`` NULL).
DEFAULT_RULE = StatusRule()

#: Each status by its stored value (a lookup, where ``ActionStatus(value)`` is a call).
BY_VALUE: dict[str, ActionStatus] = {status.value: status for status in ActionStatus}


def status_of(value: str) -> ActionStatus:
    """The status stored as ``value``, as ``ActionStatus(value)`` (a ``ValueError`` naming
    an unknown one) at the cost of a lookup."""
    try:
        return BY_VALUE[value]
    except KeyError:
        raise ValueError(f"{value!r} is not a valid ActionStatus") from None


#: Statuses from least to most concern; a roll-up takes the most concerning open status.
CONCERN = (ActionStatus.ON_TRACK, ActionStatus.AT_RISK, ActionStatus.OFF_TRACK)

#: How each status is named on the pages (and in the rule's description).
STATUS_LABELS = {
    ActionStatus.NOT_STARTED: _l("Not started"),
    ActionStatus.ON_TRACK: _l("On track"),
    ActionStatus.AT_RISK: _l("At risk"),
    ActionStatus.OFF_TRACK: _l("Off track"),
    ActionStatus.COMPLETE: _l("Complete"),
}


# --- the rule as data ----------------------------------------------------------------------


def status_rule_from_json(data: Mapping[str, Any] | None) -> StatusRule:
    """The :class:`~core.content.StatusRule` stored as JSON (``Council.status_rule``);
    ``None`` gives the core's default rule. Raises :class:`~core.content.ContentError`
    naming each field that is wrong."""
    if data is None:
        return DEFAULT_RULE
    return _parse(json.dumps(dict(data), sort_keys=True))


def status_rule_to_json(rule: StatusRule) -> dict[str, Any]:
    """``rule`` as the JSON stored in ``Council.status_rule`` (a new dict each time; the
    conversion is made once per rule: the API's list of councils gives every council's)."""
    return dict(_as_json(rule))


@lru_cache(maxsize=256)
def _as_json(rule: StatusRule) -> dict[str, Any]:
    return as_data(rule)


@lru_cache(maxsize=256)
def _parse(text: str) -> StatusRule:
    return validate(StatusRule, json.loads(text))


class _RuleHolder(Protocol):
    """A council, or a row of its ``slug`` and ``status_rule``."""

    slug: str
    status_rule: dict[str, Any] | None


def council_rule(council: Council | _RuleHolder) -> StatusRule:
    """The rule ``council`` uses. A stored rule that no longer validates (sync validates
    what it stores, so only a hand-edited row can do this) is logged and the core's default
    is used: the pages then describe the default, which is the rule they applied."""
    try:
        return status_rule_from_json(council.status_rule)
    except ContentError as error:
        log.error("Council %s: its stored status rule is not valid (%s); using the core's "
                  "default rule.", council.slug, error)
        return DEFAULT_RULE


# --- applying it ---------------------------------------------------------------------------


def rolled_up_status(statuses: Iterable[str]) -> ActionStatus | None:
    """One status for a pledge from the statuses its actions count as (``None`` when it has
    no actions): complete only when every action is; not started only when none has
    started; otherwise the most concerning status among the open actions."""
    return _rolled_up({status_of(status) for status in statuses})


def _rolled_up(seen: set[ActionStatus]) -> ActionStatus | None:
    """:func:`rolled_up_status` of the statuses ``seen`` among a pledge's actions (each
    once: a page of pledges rolls up eighty actions, and a set is all it needs)."""
    if not seen:
        return None
    if len(seen) == 1 and ActionStatus.COMPLETE in seen:
        return ActionStatus.COMPLETE
    if len(seen) == 1 and ActionStatus.NOT_STARTED in seen:
        return ActionStatus.NOT_STARTED
    for status in _MOST_CONCERN_FIRST:
        if status in seen:
            return status
    return ActionStatus.ON_TRACK


_MOST_CONCERN_FIRST = CONCERN[::-1]


@dataclass(frozen=True)
class RollUp:
    """A council's status rule applied on one day."""

    rule: StatusRule
    today: dt.date
    #: The day an action must have been due before to count as past due today.
    cutoff: dt.date = field(init=False, compare=False, repr=False)
    #: The status a past-due action counts as, by its own status: its own when that is of
    #: more concern than the rule's past-due status, else the rule's.
    _late: dict[ActionStatus, ActionStatus] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cutoff",
                           self.today - dt.timedelta(days=self.rule.grace_days))
        floor = ActionStatus(self.rule.past_due_counts_as)
        object.__setattr__(self, "_late", {
            status: status if status in CONCERN and CONCERN.index(status) >= CONCERN.index(
                floor) else floor for status in ActionStatus})

    def counts_as(self, action: Action) -> ActionStatus:
        """The status ``action`` counts as in its pledge's roll-up: its own, or the rule's
        past-due status when that is of more concern."""
        return self._counted(status_of(action.status), action.due)

    def _counted(self, status: ActionStatus, due: dt.date | None) -> ActionStatus:
        """What an action of ``status`` due on ``due`` counts as: past due under the rule
        when not complete more than ``grace_days`` after its due date."""
        return self._late[status] if is_overdue(due, status, self.cutoff) else status

    def of(self, pledge: Pledge) -> ActionStatus | None:
        """The status of ``pledge`` from its (loaded) actions, ``None`` without actions:
        what :meth:`counts_as` says of each, rolled up over the set of them (a page of
        pledges rolls up eighty actions a render)."""
        return self.of_statuses((action.status, action.due) for action in pledge.actions)

    def of_statuses(self, statuses: Iterable[tuple[str, dt.date | None]]
                    ) -> ActionStatus | None:
        """As :meth:`of`, from each action's status and due date."""
        counted = self._counted
        return _rolled_up({counted(status_of(status), due) for status, due in statuses})

    def describe(self, pledge_word: str) -> list[str]:
        """The rule in plain words, one paragraph each, in the council's word for a pledge
        and from the rule's own parameters."""
        status = STATUS_LABELS[ActionStatus(self.rule.past_due_counts_as)]
        worst = self.rule.past_due_counts_as == ActionStatus.OFF_TRACK
        days = self.rule.grace_days
        if days and worst:
            late = ngettext(
                "An action still not complete more than %(num)d day after its due date "
                "counts as “%(status)s”, even when its latest update says it is on track.",
                "An action still not complete more than %(num)d days after its due date "
                "counts as “%(status)s”, even when its latest update says it is on track.",
                days, status=status)
        elif days:
            late = ngettext(
                "An action still not complete more than %(num)d day after its due date "
                "counts as “%(status)s” or worse, even when its latest update says it is on "
                "track.",
                "An action still not complete more than %(num)d days after its due date "
                "counts as “%(status)s” or worse, even when its latest update says it is on "
                "track.", days, status=status)
        elif worst:
            late = _("An action still not complete after its due date counts as "
                     "“%(status)s”, even when its latest update says it is on track.",
                     status=status)
        else:
            late = _("An action still not complete after its due date counts as "
                     "“%(status)s” or worse, even when its latest update says it is on track.",
                     status=status)
        return [
            _("The status of each %(pledge)s comes from the status of its actions.",
              pledge=pledge_word),
            late,
            _("A %(pledge)s is “%(complete)s” when every action is complete, and "
              "“%(not_started)s” when no action has started and none is late. Otherwise it "
              "takes the most concerning status that its actions not yet complete count as: "
              "“%(off_track)s”, then “%(at_risk)s”, then “%(on_track)s”.",
              pledge=pledge_word, complete=STATUS_LABELS[ActionStatus.COMPLETE],
              not_started=STATUS_LABELS[ActionStatus.NOT_STARTED],
              off_track=STATUS_LABELS[ActionStatus.OFF_TRACK],
              at_risk=STATUS_LABELS[ActionStatus.AT_RISK],
              on_track=STATUS_LABELS[ActionStatus.ON_TRACK]),
        ]


def roll_up_for(council: Council, today: dt.date | None = None) -> RollUp:
    """``council``'s status rule applied on ``today`` (default: the real today)."""
    return RollUp(council_rule(council), today or dt.date.today())

