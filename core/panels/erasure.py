"""Erasing a person's details (UK GDPR article 17) and the retention schedule that does it.

Erasure replaces what identifies a person with a fixed placeholder ("Erased person", in the
council's language) wherever the toolkit holds it, and keeps everything else, so that the
panel's records still add up: which seats were held, on which panel, from when to when, and
who attended which meeting (by membership), are all kept.

What is replaced, by :data:`RULES` (the same rules for the rows and for the values before
and after in the audit log of those rows):

- the person's row: their name becomes the placeholder, their email address is removed;
- their memberships: their name or email address where it appears in the free text
  (``on_behalf_of``, ``ended_reason``); the organisation or the reason itself is kept;
- attendance: a substitute is the person's own row, so it reads as the placeholder; the
  attendance rows hold no text;
- actions arising whose free-text owner *is* their name (ignoring case and spaces round it);
- the council's mail log: the recipient of each message sent to their address.

Every audit event about those rows (the person, their memberships, attendance at their
memberships or with them as substitute, the actions arising they owned) is rewritten by the
same rules. The erasure records one audit event of its own, ``erase`` on the person's row:
who, when, the record id and the reason category, never a value it removed. Minutes,
agenda items and the text of actions arising are the council's record and are not searched:
the erase page says so.

The retention schedule (:func:`apply_retention`) erases, through :func:`erase_person`,
everyone whose memberships all ended more than ``RETENTION_YEARS`` ago.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm.exc import StaleDataError

from core.audit import AuditEvent, current_actor, unaudited
from core.extensions import db
from core.forms import EditConflict
from core.mail.models import SentMail
from core.meetings.models import ActionArising, Attendance, Meeting
from core.models import Council, Membership, Person
from core.translations import gettext as _
from core.translations import lazy_gettext as _l

#: The audit event's ``action`` for an erasure (the column holds 8 characters).
ERASE = "erase"

#: How long the name of someone whose memberships have all ended is kept, when the app is
#: not told otherwise (``RETENTION_YEARS``, or ``CPT_RETENTION_YEARS`` in the environment).
#: Six years after the last membership ended is the period many councils' retention
#: schedules give for members' and committee records (it follows the six-year limitation
#: period of most claims, Limitation Act 1980, s.2 and s.5); each council sets its own.
DEFAULT_RETENTION_YEARS = 6


class ErasureReason(StrEnum):
    """Why a person's details are erased: the category recorded in the audit log.

    A category, never free text, so that the log of an erasure cannot hold the name.
    """

    REQUEST = "request"
    NO_LONGER_NEEDED = "no_longer_needed"
    OBJECTION = "objection"
    UNLAWFUL = "unlawful"
    LEGAL_OBLIGATION = "legal_obligation"
    RETENTION = "retention"

    @property
    def label(self) -> str:
        """The category in words (in the current locale)."""
        return str(REASON_LABELS[self])


REASON_LABELS: dict[ErasureReason, Any] = {
    ErasureReason.REQUEST: _l("The person asked for their details to be erased"),
    ErasureReason.NO_LONGER_NEEDED: _l("The details are no longer needed for the purpose "
                                       "they were recorded for"),
    ErasureReason.OBJECTION: _l("The person objected and there is no overriding reason to "
                                "keep the details"),
    ErasureReason.UNLAWFUL: _l("The details were recorded unlawfully or by mistake"),
    ErasureReason.LEGAL_OBLIGATION: _l("The law requires the council to erase them"),
    ErasureReason.RETENTION: _l("The council's retention period has ended"),
}


def placeholder(council: Council) -> str:
    """What an erased name reads as, in the council's language."""
    with force_locale(council.locale or "en_GB"):
        return _("Erased person")


# --- the rules: what is replaced in each kind of row ----------------------------------------


@dataclass(frozen=True)
class Erasing:
    """The person being erased: what to look for and what to put in its place."""

    name: str
    email: str | None
    placeholder: str

    def _pattern(self) -> re.Pattern[str] | None:
        words = [w for w in (self.name.strip(), (self.email or "").strip()) if w]
        if not words:
            return None
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def mentions(self, value: Any) -> Any:
        """``value`` with each mention of the name or email address replaced."""
        pattern = self._pattern()
        if not isinstance(value, str) or pattern is None:
            return value
        return pattern.sub(self.placeholder, value)

    def same_name(self, value: Any) -> Any:
        """The placeholder when ``value`` is the name (ignoring case and spaces round it)."""
        if isinstance(value, str) and value.strip().casefold() == self.name.strip().casefold():
            return self.placeholder
        return value

    def name_itself(self, value: Any) -> Any:
        return self.placeholder

    def removed(self, value: Any) -> Any:
        return None

    def same_address(self, value: Any) -> Any:
        """The placeholder when ``value`` is the email address (ignoring case)."""
        if (self.email and isinstance(value, str)
                and value.strip().casefold() == self.email.strip().casefold()):
            return self.placeholder
        return value


Rule = Callable[[Erasing, Any], Any]

#: By table, the columns erasure may change and how; every other column is kept.
RULES: dict[str, dict[str, Rule]] = {
    "person": {"name": Erasing.name_itself, "email": Erasing.removed},
    "membership": {"on_behalf_of": Erasing.mentions, "ended_reason": Erasing.mentions},
    "attendance": {},
    "action_arising": {"owner": Erasing.same_name},
    "sent_mail": {"recipient": Erasing.same_address},
}


def _erase_row(erasing: Erasing, row: Any) -> None:
    """Apply the rules to one row (its columns are set only where they change)."""
    for column, rule in RULES[row.__table__.name].items():
        old = getattr(row, column)
        new = rule(erasing, old)
        if new != old:
            setattr(row, column, new)


def _erase_values(erasing: Erasing, record_type: str, values: dict[str, Any]
                  ) -> dict[str, Any]:
    """An audit event's values before or after, with the rules applied."""
    rules = RULES.get(record_type, {})
    return {key: rules[key](erasing, value) if key in rules and value is not None else value
            for key, value in values.items()}


# --- erasing one person ---------------------------------------------------------------------


def erased_event(person_id: Any) -> ColumnElement[bool]:
    """Whether the person with this id (a column or a value) has been erased."""
    return exists().where(AuditEvent.record_type == "person",
                          AuditEvent.record_id == person_id, AuditEvent.action == ERASE)


def not_erased() -> ColumnElement[bool]:
    """A condition on :class:`Person` rows: those not erased (to offer them in lists)."""
    return ~erased_event(Person.id)


def erasure_of(person: Person) -> AuditEvent | None:
    """The audit event of the person's erasure, if they have been erased (one query)."""
    return db.session.scalar(
        select(AuditEvent).where(AuditEvent.council_id == person.council_id,
                                 AuditEvent.record_type == "person",
                                 AuditEvent.record_id == person.id,
                                 AuditEvent.action == ERASE)
        .order_by(AuditEvent.id).limit(1))


@dataclass
class Held:
    """The person's rows that erasure reads and rewrites, and the counts the page shows."""

    person_id: int
    memberships: list[Membership]
    attendance: list[Attendance]
    actions: list[ActionArising]
    #: Messages sent to the person's address, in the council's mail log.
    mail: list[SentMail] = field(default_factory=list)

    @property
    def substituted(self) -> int:
        """Meetings the person came to as someone's substitute."""
        return sum(1 for row in self.attendance if row.substitute_id == self.person_id)

    def counts(self) -> dict[str, int]:
        """How many rows of each kind erasure covers (no value of theirs)."""
        return {"memberships": len(self.memberships), "attendance": len(self.attendance),
                "actions_arising": len(self.actions), "mail": len(self.mail)}


def held_by(person: Person) -> Held:
    """The person's memberships, the attendance at them or with them as substitute, the
    actions arising whose owner is their name, and the messages sent to their address
    (four queries)."""
    memberships = list(db.session.scalars(
        select(Membership).where(Membership.council_id == person.council_id,
                                 Membership.person_id == person.id).order_by(Membership.id)))
    ids = [m.id for m in memberships]
    attendance = list(db.session.scalars(
        select(Attendance).where(Attendance.council_id == person.council_id,
                                 or_(Attendance.substitute_id == person.id,
                                     Attendance.membership_id.in_(ids)))
        .order_by(Attendance.id)))
    actions = list(db.session.scalars(
        select(ActionArising).where(
            ActionArising.council_id == person.council_id,
            func.lower(func.trim(ActionArising.owner)) == func.lower(person.name.strip()))
        .order_by(ActionArising.id)))
    mail: list[SentMail] = []
    if person.email:
        mail = list(db.session.scalars(
            select(SentMail).where(
                SentMail.council_id == person.council_id,
                func.lower(SentMail.recipient) == person.email.strip().lower())
            .order_by(SentMail.id)))
    return Held(person.id, memberships, attendance, actions, mail)


@dataclass(frozen=True)
class Erasure:
    """What one erasure covered: rows by kind, and how many audit events it rewrote."""

    person_id: int
    council_id: int
    rows: dict[str, int]
    audit_events: int


def erase_person(person: Person, reason: ErasureReason) -> Erasure:
    """Erase the person's details, as the module docstring says, in one transaction.

    Records one ``erase`` audit event for the current actor (a signed-in user, or the
    command line's :func:`~core.audit.acting_as`), holding the reason category and how many
    rows were changed, never a value removed. Raises :class:`ValueError` if the person was
    erased already, and :class:`~core.forms.EditConflict` (nothing saved) if someone saved
    one of the rows meanwhile.
    """
    actor = current_actor()
    if actor is None:
        raise RuntimeError("erase_person needs an actor (core.audit.acting_as)")
    if erasure_of(person) is not None:
        raise ValueError(f"person {person.id} was erased already")
    council = db.session.get(Council, person.council_id)
    assert council is not None
    erasing = Erasing(name=person.name, email=person.email, placeholder=placeholder(council))
    held = held_by(person)
    db.session.flush()  # anything pending before the erasure is audited as usual
    records = {"person": [person.id], "membership": [m.id for m in held.memberships],
               "attendance": [a.id for a in held.attendance],
               "action_arising": [a.id for a in held.actions],
               "sent_mail": [m.id for m in held.mail]}
    try:
        with unaudited():
            for row in [person, *held.memberships, *held.attendance, *held.actions,
                        *held.mail]:
                _erase_row(erasing, row)
            rewritten = _erase_audit(erasing, person.council_id, records)
            rows = held.counts()
            db.session.add(AuditEvent(
                council_id=person.council_id, user_id=actor.user_id, actor=actor.label,
                action=ERASE, record_type="person", record_id=person.id, before={},
                after={"reason": reason.value, **rows, "audit_events": rewritten}))
            db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict from None
    return Erasure(person_id=person.id, council_id=person.council_id, rows=rows,
                   audit_events=rewritten)


def _erase_audit(erasing: Erasing, council_id: int, records: dict[str, list[int]]) -> int:
    """Rewrite the values of every audit event about these records; how many changed."""
    wanted = [and_(AuditEvent.record_type == table, AuditEvent.record_id.in_(ids))
              for table, ids in records.items() if ids and RULES[table]]
    if not wanted:
        return 0
    changed = 0
    for event in db.session.scalars(select(AuditEvent).where(
            AuditEvent.council_id == council_id, or_(*wanted))):
        before = _erase_values(erasing, event.record_type, event.before or {})
        after = _erase_values(erasing, event.record_type, event.after or {})
        if before != event.before or after != event.after:
            event.before, event.after = before, after
            changed += 1
    return changed


# --- retention ------------------------------------------------------------------------------


def retention_years() -> int:
    """The app's ``RETENTION_YEARS`` (see :data:`DEFAULT_RETENTION_YEARS`)."""
    return int(current_app.config.get("RETENTION_YEARS", DEFAULT_RETENTION_YEARS))


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Due:
    """Someone the retention schedule erases: by id and council, never by name."""

    person_id: int
    council_slug: str


def due_for_erasure(years: int, today: dt.date | None = None,
                    council_slug: str | None = None) -> list[Due]:
    """People whose details the retention schedule erases on ``today`` (one query).

    Someone is due when none of their memberships ended on or after the day ``years``
    before ``today`` (so none is current, none is to come, none has no end), they have not
    substituted at a meeting since that day, and they are not erased already. Someone with
    neither a membership nor a substitution is due once recorded that long ago.
    """
    cutoff = years_before(today or dt.date.today(), years)
    since = dt.datetime.combine(cutoff, dt.time.min, tzinfo=dt.UTC)
    live = select(Membership.id).where(
        Membership.person_id == Person.id,
        or_(Membership.end.is_(None), Membership.end >= cutoff)).exists()
    recent = select(Attendance.id).join(Meeting, Attendance.meeting_id == Meeting.id).where(
        Attendance.substitute_id == Person.id, Meeting.starts_at >= since).exists()
    served = or_(select(Membership.id).where(Membership.person_id == Person.id).exists(),
                 select(Attendance.id).where(Attendance.substitute_id == Person.id).exists())
    query = (select(Person.id, Council.slug).join(Council, Person.council_id == Council.id)
             .where(~live, ~recent, not_erased(), or_(served, Person.created_at < since))
             .order_by(Council.slug, Person.id))
    if council_slug is not None:
        query = query.where(Council.slug == council_slug)
    return [Due(person_id, slug) for person_id, slug in db.session.execute(query)]


@dataclass
class RetentionRun:
    """What :func:`apply_retention` erased (or, in a dry run, would erase), and whom it
    left for the next run because their records changed while they were being erased."""

    years: int
    cutoff: dt.date
    dry_run: bool
    due: list[Due] = field(default_factory=list)
    conflicts: list[Due] = field(default_factory=list)

    @property
    def erased(self) -> list[Due]:
        return [due for due in self.due if due not in self.conflicts]


def apply_retention(years: int | None = None, *, today: dt.date | None = None,
                    dry_run: bool = False, council_slug: str | None = None) -> RetentionRun:
    """Erase (with :func:`erase_person`, reason ``retention``) everyone
    :func:`due_for_erasure` finds; with ``dry_run``, change nothing. Running it again
    finds no one new: the erased are never due. Someone whose records change while they
    are being erased is left as they were (in ``conflicts``) for the next run."""
    years = retention_years() if years is None else years
    today = today or dt.date.today()
    run = RetentionRun(years=years, cutoff=years_before(today, years), dry_run=dry_run,
                       due=due_for_erasure(years, today, council_slug))
    if not dry_run:
        for due in run.due:
            person = db.session.get(Person, due.person_id)
            assert person is not None
            try:
                erase_person(person, ErasureReason.RETENTION)
            except EditConflict:
                run.conflicts.append(due)
    return run

