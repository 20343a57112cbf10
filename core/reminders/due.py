"""What is due, read for every council at once: one statement per kind of thing, whatever
the number of councils, actions, reviews or memberships.

- actions of the action plan due within :data:`ACTION_DAYS` days or overdue, and not
  complete, with each of their owners (``ActionOwner``, active accounts);
- review cycles due within :data:`REVIEW_DAYS` days or overdue, with their owners
  (``ReviewOwner``, active accounts) or none;
- terms of office (memberships) ending within :data:`~core.panels.membership.TERM_ENDING_DAYS`
  days, on live seats of live panels;
- each council's clerks: active accounts with the ``panel_admin`` role there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select

from core.auth.models import Role, RoleAssignment, User
from core.councils.services import ACTIVE_BY_NAME, active_councils
from core.extensions import db
from core.models import (
    Action,
    ActionOwner,
    Council,
    Membership,
    Panel,
    Person,
    Pledge,
    ReviewCycle,
    ReviewOwner,
    Seat,
)
from core.panels.membership import TERM_ENDING_DAYS
from core.pledges.models import ActionStatus

#: Actions due within this many days (and overdue ones) are reminded of.
ACTION_DAYS = 14
#: Reviews due within this many days (and overdue ones) are reminded of.
REVIEW_DAYS = 14
#: Which role's holders are a council's clerks (reminded of terms ending and of reviews
#: nobody owns).
CLERK_ROLE = Role.PANEL_ADMIN


@dataclass(frozen=True)
class Owner:
    """An account reminded of something: its id, name and address."""

    id: int
    name: str
    email: str


@dataclass(frozen=True)
class DueAction:
    """An action of the plan due soon or overdue, and one of its owners."""

    council_id: int
    key: str
    pledge_number: int
    number: int
    wording: str | None
    due: dt.date
    owner: Owner


@dataclass(frozen=True)
class DueReview:
    """A review cycle due soon or overdue, and one of its owners (``None``: nobody)."""

    council_id: int
    key: str
    subject: str
    due: dt.date
    owner: Owner | None


@dataclass(frozen=True)
class EndingTerm:
    """A membership whose term ends soon."""

    council_id: int
    panel_key: str
    panel: str
    seat: str
    person: str
    end: dt.date


def _owner(user_id: int | None, name: str | None, email: str | None) -> Owner | None:
    if user_id is None or not email:
        return None
    return Owner(user_id, name or email, email)


def councils(slug: str | None = None) -> list[Council]:
    """The councils served (one query), or only the one called ``slug``."""
    if slug is None:
        return active_councils()
    return list(db.session.scalars(ACTIVE_BY_NAME.where(Council.slug == slug)))


_ACTIONS = (
    select(Action.council_id, Action.key, Pledge.number, Action.number, Action.wording,
           Action.due, User.id, User.name, User.email)
    .join(Pledge, Action.pledge_id == Pledge.id)
    .join(ActionOwner, and_(ActionOwner.action_id == Action.id,
                            ActionOwner.council_id == Action.council_id))
    .join(User, ActionOwner.user_id == User.id)
    .where(Action.council_id.in_(bindparam("councils", expanding=True)),
           Action.archived_at.is_(None), Pledge.archived_at.is_(None),
           Action.due.is_not(None), Action.due <= bindparam("until"),
           Action.status != ActionStatus.COMPLETE, User.active.is_(True))
    .order_by(Action.due, Pledge.number, Action.number, User.id))


def due_actions(council_ids: Sequence[int], today: dt.date) -> list[DueAction]:
    """Actions due by ``today`` + :data:`ACTION_DAYS`, not complete, once per owner (one
    query)."""
    if not council_ids:
        return []
    rows = db.session.execute(_ACTIONS, {"councils": list(council_ids),
                                         "until": today + dt.timedelta(days=ACTION_DAYS)})
    return [DueAction(council_id, key, pledge, number, wording, due,
                      Owner(user_id, name, email))
            for council_id, key, pledge, number, wording, due, user_id, name, email in rows]


_ACTIVE_OWNER = (select(ReviewOwner.review_cycle_id, ReviewOwner.council_id, User.id,
                        User.name, User.email)
                 .join(User, ReviewOwner.user_id == User.id)
                 .where(User.active.is_(True)).subquery())
_REVIEWS = (
    select(ReviewCycle.council_id, ReviewCycle.key, ReviewCycle.subject, ReviewCycle.next_due,
           _ACTIVE_OWNER.c.id, _ACTIVE_OWNER.c.name, _ACTIVE_OWNER.c.email)
    .outerjoin(_ACTIVE_OWNER, and_(_ACTIVE_OWNER.c.review_cycle_id == ReviewCycle.id,
                                   _ACTIVE_OWNER.c.council_id == ReviewCycle.council_id))
    .where(ReviewCycle.council_id.in_(bindparam("councils", expanding=True)),
           ReviewCycle.archived_at.is_(None), ReviewCycle.next_due.is_not(None),
           ReviewCycle.next_due <= bindparam("until"))
    .order_by(ReviewCycle.next_due, ReviewCycle.position, ReviewCycle.id, _ACTIVE_OWNER.c.id))


def due_reviews(council_ids: Sequence[int], today: dt.date) -> list[DueReview]:
    """Review cycles due by ``today`` + :data:`REVIEW_DAYS`, once per active owner, or
    once with no owner (one query)."""
    if not council_ids:
        return []
    rows = db.session.execute(_REVIEWS, {"councils": list(council_ids),
                                         "until": today + dt.timedelta(days=REVIEW_DAYS)})
    return [DueReview(council_id, key, subject, due, _owner(user_id, name, email))
            for council_id, key, subject, due, user_id, name, email in rows]


_TERMS = (
    select(Membership.council_id, Panel.key, Panel.name, Seat.role, Person.name,
           Membership.end)
    .join(Seat, Membership.seat_id == Seat.id)
    .join(Panel, Seat.panel_id == Panel.id)
    .join(Person, Membership.person_id == Person.id)
    .where(Membership.council_id.in_(bindparam("councils", expanding=True)),
           Seat.archived_at.is_(None), Panel.archived_at.is_(None),
           Membership.start <= bindparam("today"), Membership.end >= bindparam("today"),
           Membership.end <= bindparam("until"))
    .order_by(Membership.end, Panel.position, Seat.position, Person.name, Membership.id))


def terms_ending(council_ids: Sequence[int], today: dt.date) -> list[EndingTerm]:
    """Current memberships whose term ends within
    :data:`~core.panels.membership.TERM_ENDING_DAYS` days of ``today`` (both included),
    as the membership pages count them (one query)."""
    if not council_ids:
        return []
    rows = db.session.execute(_TERMS, {
        "councils": list(council_ids), "today": today,
        "until": today + dt.timedelta(days=TERM_ENDING_DAYS)})
    return [EndingTerm(*row) for row in rows]


_CLERKS = (
    select(RoleAssignment.council_id, User.id, User.name, User.email)
    .join(User, RoleAssignment.user_id == User.id)
    .where(RoleAssignment.council_id.in_(bindparam("councils", expanding=True)),
           RoleAssignment.role == CLERK_ROLE.value, User.active.is_(True))
    .order_by(User.name, User.id))


def clerks(council_ids: Sequence[int]) -> dict[int, list[Owner]]:
    """Each council's clerks (:data:`CLERK_ROLE`), by council id (one query)."""
    found: dict[int, list[Owner]] = {}
    if not council_ids:
        return found
    for council_id, user_id, name, email in db.session.execute(
            _CLERKS, {"councils": list(council_ids)}):
        found.setdefault(council_id, []).append(Owner(user_id, name, email))
    return found
