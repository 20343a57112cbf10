"""Pledges as the pages show them, read in one statement of narrow rows.

The council's overview and the admin action plan show, for each pledge, its actions'
statuses rolled up, how many are past due, and its latest progress update. That needs a
few columns of each action and one update per action, never the ORM's object graph: one
statement joins each pledge to its latest update (which the pledge's row names,
:mod:`core.pledges.latest_status`) and its live actions, and returns plain rows, which are
grouped here (:func:`pledge_lines`). The page of pledges lists each pledge's actions in a table
of what the action plan says of them (:func:`pledge_plans`); a pledge's page shows each of its
actions as a card: the card's columns, read the same way (:func:`pledge_card`). The
statements are built once, at import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from flask import abort
from sqlalchemy import Select, and_, bindparam, select

from core import row_reads
from core.modelbase import ORIGIN_LOCAL
from core.models import Action, Council, Pledge
from core.pledges.kept_tallies import tally_counts
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
class PledgeHeading:
    """What a status table shows of a pledge itself."""

    id: int
    key: str
    number: int
    title: str
    origin: str

    @property
    def added_locally(self) -> bool:
        return self.origin == ORIGIN_LOCAL


@dataclass(slots=True)
class PledgeLine(PledgeHeading):
    """One pledge of a status table: what it says, its live actions, its latest update."""

    actions: list[ActionLine] = field(default_factory=list)
    latest: LatestUpdate | None = None

    @property
    def action_count(self) -> int:
        """How many live actions the pledge has."""
        return len(self.actions)

    def overdue_actions_on(self, today: dt.date) -> int:
        """As :meth:`core.pledges.models.Pledge.overdue_actions_on`."""
        return count_overdue(self.actions, today)


@dataclass(slots=True)
class AlikeActions:
    """A pledge's live actions of one status and one due date, and how many they are: all
    that its roll-up and its count of actions past due read of them."""

    status: str
    due: dt.date | None
    count: int

    def overdue_on(self, today: dt.date) -> bool:
        """Whether these actions are past their due date on ``today``."""
        return is_overdue(self.due, self.status, today)


@dataclass(slots=True)
class PledgeTally(PledgeHeading):
    """One pledge of the overview's status table: as a :class:`PledgeLine`, its actions
    counted rather than listed (:func:`pledge_tallies`). ``actions`` has one entry for
    each status and due date among them, which a roll-up
    (:meth:`core.pledges.status.RollUp.of`) reads as it reads each action."""

    actions: list[AlikeActions] = field(default_factory=list)
    latest: LatestUpdate | None = None

    @property
    def action_count(self) -> int:
        """How many live actions the pledge has."""
        return sum(alike.count for alike in self.actions)

    def overdue_actions_on(self, today: dt.date) -> int:
        """As :meth:`core.pledges.models.Pledge.overdue_actions_on`."""
        return sum(alike.count for alike in self.actions if alike.overdue_on(today))


#: A pledge's live actions (the join scoped to the council, so that PostgreSQL never reads
#: other councils' rows to make it), the council's live pledges, and their order: the
#: same for every statement here.
_LIVE_ACTIONS = and_(Action.pledge_id == Pledge.id, Action.council_id == bindparam("council_id"),
                     Action.archived_at.is_(None))
_LIVE_PLEDGES = (Pledge.council_id == bindparam("council_id"), Pledge.archived_at.is_(None))
#: Two actions of one position (a plan edited by hand) in the order they were made.
_IN_ORDER = (Pledge.origin.desc(), Pledge.position, Pledge.number, Action.position, Action.id)

#: A pledge's columns as the tables of pledges read them, with its latest update's id, day
#: and note, kept on its row (:mod:`core.pledges.latest_status`): before, each pledge probed
#: the updates' table for them (on SQLite, 95 → 80 µs for a council's tallies; on
#: PostgreSQL, ten probes of a table of every council's updates).
_PLEDGE_WITH_LATEST = (Pledge.id, Pledge.key, Pledge.number, Pledge.title, Pledge.origin,
                       Pledge.latest_update_id, Pledge.latest_reported_on, Pledge.latest_note)
#: The live pledges in order, each with its live actions in order.
_LINES = (
    select(*_PLEDGE_WITH_LATEST, Action.id.label("action_id"), Action.key.label("action_key"),
           Action.number.label("action_number"), Action.status, Action.due)
    .outerjoin(Action, _LIVE_ACTIONS)
    .where(*_LIVE_PLEDGES)
    .order_by(*_IN_ORDER)
)
#: The live pledges in order, each with its live actions counted by status and due date,
#: as its row keeps them (:mod:`core.pledges.kept_tallies`): grouping a council's eighty
#: actions on every request cost SQLite 107 µs and PostgreSQL 147 µs of its CPU, against 15
#: and 37 µs for the pledges' rows.
_TALLIES = (
    select(*_PLEDGE_WITH_LATEST, Pledge.action_tally)
    .where(*_LIVE_PLEDGES)
    .order_by(Pledge.origin.desc(), Pledge.position, Pledge.number)
)


def pledge_lines_read(council: Council) -> row_reads.Read:
    """The statement :func:`pledge_lines` runs, for a page to send with others."""
    return row_reads.Read(_LINES, {"council_id": council.id})


def pledge_lines(council: Council) -> list[PledgeLine]:
    """The council's live pledges in order, each with its live actions in order and its
    latest progress update (one statement). Of two updates on the same day, the later
    recorded is the latest, as everywhere else."""
    lines: dict[int, PledgeLine] = {}
    # Rows unpacked by position: a named attribute of a row costs a Python call, and a
    # council's rows are a hundred or so.
    for (pledge_id, key, number, title, origin, update_id, reported_on, note, action_id,
         action_key, action_number, status, due) in row_reads.rows(
            *pledge_lines_read(council)):
        line = lines.get(pledge_id)
        if line is None:
            line = lines[pledge_id] = PledgeLine(pledge_id, key, number, title, origin)
            if update_id is not None:
                line.latest = LatestUpdate(update_id, reported_on, note)
        if action_id is not None:
            line.actions.append(ActionLine(action_id, action_key, action_number, status, due))
    return list(lines.values())


def pledge_tallies_read(council: Council) -> row_reads.Read:
    """The statement :func:`pledge_tallies` runs, for a page to send with others."""
    return row_reads.Read(_TALLIES, {"council_id": council.id})


def pledge_tallies(council: Council) -> list[PledgeTally]:
    """What :func:`pledge_lines` gives, each pledge's actions counted by status and due
    date rather than listed (one statement): what a status table shows of them, for the
    overview, which lists no action."""
    tallies = []
    for (pledge_id, key, number, title, origin, update_id, reported_on, note,
         kept) in row_reads.rows(*pledge_tallies_read(council)):
        tally = PledgeTally(pledge_id, key, number, title, origin,
                            [AlikeActions(*count) for count in tally_counts(kept)])
        if update_id is not None:
            tally.latest = LatestUpdate(update_id, reported_on, note)
        tallies.append(tally)
    return tallies


#: What :func:`core.pledges.history.counts_today` reads of a set of alike live actions:
#: their status and due date, how many they are, how many of them have a progress update
#: (the others are not started, whatever their row's status), and the day of the latest of
#: those updates.
AlikeToday = tuple[str, dt.date | None, int, int, dt.date | None]


@dataclass(slots=True)
class ActionCard(ActionLine):
    """What an action's card shows (:func:`core.pledges.cards.action_card`), and the day
    of its latest update."""

    wording: str | None
    officer: str | None
    timeline_text: str | None
    links: list[str]
    outcomes: list[str]
    status_on: dt.date | None


def carded_today(cards: list[ActionCard]) -> Iterator[AlikeToday]:
    """Actions as cards show them, as :func:`core.pledges.history.counts_today` reads
    them."""
    return ((card.status, card.due, 1, card.status_on is not None, card.status_on)
            for card in cards)


@dataclass(slots=True)
class PledgeCard(PledgeLine):
    """A pledge as its page and the page of pledges show it: a status line's fields, its
    statement, and its live actions as cards (its ``latest`` is not read)."""

    statement: str | None = None
    actions: list[ActionCard] = field(default_factory=list)  # type: ignore[assignment]


#: One live pledge with its live actions' cards, in order.
_CARD = (
    select(Pledge.id, Pledge.key, Pledge.number, Pledge.title, Pledge.origin,
           Pledge.statement, Action.id, Action.key, Action.number, Action.status,
           Action.due, Action.wording, Action.officer, Action.timeline_text,
           Action.links, Action.outcomes, Action.status_on)
    .outerjoin(Action, _LIVE_ACTIONS)
    .where(*_LIVE_PLEDGES, Pledge.key == bindparam("key"))
    .order_by(*_IN_ORDER))


def _cards(statement: Select[Any], values: dict[str, Any]) -> list[PledgeCard]:
    cards: dict[int, PledgeCard] = {}
    for (pledge_id, key, number, title, origin, statement_text, action_id,
         *action) in row_reads.rows(statement, values):
        card = cards.get(pledge_id)
        if card is None:
            card = cards[pledge_id] = PledgeCard(pledge_id, key, number, title, origin,
                                                 statement=statement_text)
        if action_id is not None:
            card.actions.append(ActionCard(action_id, *action))
    return list(cards.values())


def pledge_card_read(council: Council, key: str) -> row_reads.Read:
    """The statement :func:`pledge_card` runs, for a page to send with others."""
    return row_reads.Read(_CARD, {"council_id": council.id, "key": key})


def pledge_card(council: Council, key: str) -> PledgeCard:
    """One live pledge of ``council`` with its live actions' cards (one statement), or a
    404."""
    found = _cards(*pledge_card_read(council, key))
    if not found:
        abort(404)
    return found[0]


class ActionUpdate(NamedTuple):
    """An action's latest progress update, as a pledge's page shows it on the action's card
    (what the action's row keeps of it: :mod:`core.pledges.latest_status`)."""

    action_id: int
    reported_on: dt.date
    status: str
    note: str
    author: str


#: :data:`_CARD` with each action's latest update's note and author, kept on its row.
_CARD_WITH_LATEST = _CARD.add_columns(Action.latest_note, Action.latest_author)


def pledge_page_card_read(council: Council, key: str) -> row_reads.Read:
    """The statement :func:`pledge_page_card` runs, for a page to send with others."""
    return row_reads.Read(_CARD_WITH_LATEST, {"council_id": council.id, "key": key})


def pledge_page_card(council: Council, key: str
                     ) -> tuple[PledgeCard, dict[int, ActionUpdate]]:
    """What :func:`pledge_card` gives, and the latest update of each of its actions that
    has one (by day, and of two on one day the later recorded), by action id, as the
    action's row keeps it (:mod:`core.pledges.latest_status`): a pledge's page, public or
    a clerk's, in one statement; a 404 for no such live pledge."""
    card: PledgeCard | None = None
    updates: dict[int, ActionUpdate] = {}
    for (pledge_id, key_, number, title, origin, statement_text, action_id, *rest
         ) in row_reads.rows(*pledge_page_card_read(council, key)):
        if card is None:
            card = PledgeCard(pledge_id, key_, number, title, origin, statement=statement_text)
        if action_id is None:
            continue
        action = ActionCard(action_id, *rest[:-2])
        card.actions.append(action)
        note, author = rest[-2:]
        if action.status_on is not None and author is not None:
            updates[action_id] = ActionUpdate(action_id, action.status_on, action.status,
                                              note, author)
    if card is None:
        abort(404)
    return card, updates


class PlanAction(NamedTuple):
    """An action as the page of pledges lists it: what the action plan says of it (its
    wording, officer and timeline) and its status. A tuple, so that a pledge's actions are
    a key of the memo of its section (:func:`core.pledges.sections.pledge_sections`) as
    they are read."""

    key: str
    number: int
    status: str
    due: dt.date | None
    wording: str | None
    officer: str | None
    timeline_text: str | None

    def overdue_on(self, today: dt.date) -> bool:
        """As :meth:`core.pledges.models.Action.overdue_on`."""
        return is_overdue(self.due, self.status, today)


@dataclass(slots=True)
class PledgePlan(PledgeHeading):
    """A pledge as the page of pledges shows it: its heading's fields, its statement, and
    its live actions in order (the fields a card adds, its outcomes and links, are on the
    pledge's own page)."""

    statement: str | None = None
    actions: tuple[PlanAction, ...] = ()


#: The live pledges in order, and the council's live actions in their pledge's order: read
#: apart, each pledge's columns come once rather than once for each of its actions (on
#: SQLite, a council's pledges and eighty actions 127 -> 97 µs).
_PLAN_PLEDGES = (
    select(Pledge.id, Pledge.key, Pledge.number, Pledge.title, Pledge.origin,
           Pledge.statement)
    .where(*_LIVE_PLEDGES)
    .order_by(Pledge.origin.desc(), Pledge.position, Pledge.number))
_PLAN_ACTIONS = (
    select(Action.pledge_id, Action.key, Action.number, Action.status, Action.due,
           Action.wording, Action.officer, Action.timeline_text)
    .where(Action.council_id == bindparam("council_id"), Action.archived_at.is_(None))
    .order_by(Action.pledge_id, Action.position, Action.id))


def pledge_plans(council: Council) -> list[PledgePlan]:
    """The council's live pledges in order, each with its live actions in order, as the
    page of pledges lists them (two statements, sent together: the pledges, and the
    council's live actions by pledge)."""
    params = {"council_id": council.id}
    with row_reads.together(row_reads.Read(_PLAN_PLEDGES, params),
                            row_reads.Read(_PLAN_ACTIONS, params)):
        plans = [PledgePlan(pledge_id, key, number, title, origin, statement=statement)
                 for pledge_id, key, number, title, origin, statement
                 in row_reads.rows(_PLAN_PLEDGES, params)]
        actions: dict[int, list[PlanAction]] = {}
        for pledge_id, *action in row_reads.rows(_PLAN_ACTIONS, params):
            found = actions.get(pledge_id)
            if found is None:
                found = actions[pledge_id] = []
            found.append(PlanAction(*action))
    for plan in plans:
        plan.actions = tuple(actions.get(plan.id, ()))
    return plans
