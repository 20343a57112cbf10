"""Who sits on a council's panels: appointments, endings, vacancies and the membership rules.

A membership runs from ``start`` to ``end`` inclusive; ``end`` is the end of the term set at
appointment (``None``: no fixed end) until the membership is ended, when it becomes the last
day held and ``ended_reason`` says why. Every change is audited by :mod:`core.audit`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from core import content, dates, row_reads
from core.audit import AuditEvent
from core.concurrency import commit_or_conflict, lock_for_write, save_if_unchanged
from core.dates import day_words
from core.extensions import db
from core.forms import FieldError, check_version
from core.models import Council, Membership, Panel, Person, Seat
from core.panels.erasure import not_erased
from core.panels.reads import PANEL_BY_KEY, AnyPanel, AnySeat, NamedPanel, panel_params
from core.panels.young_people import name_allowed, name_refusal
from core.plugins import plugin_host
from core.translations import gettext as _

#: Terms ending within this many days (today included) are flagged.
TERM_ENDING_DAYS = 60


class MembershipError(FieldError):
    """A change that cannot be made as asked; ``field`` names the form field at fault."""


def is_current(membership: Membership | Holding, on: dt.date) -> bool:
    """Whether the membership holds its seat on ``on``."""
    return membership.start <= on and (membership.end is None or membership.end >= on)


def _live(on: object) -> ColumnElement[bool]:
    """Memberships not over by ``on``: current or starting later."""
    return or_(Membership.end.is_(None), Membership.end >= on)


def held_on(on: object) -> ColumnElement[bool]:
    """Memberships held on ``on`` (a date or a bind parameter), as :func:`is_current`."""
    return and_(Membership.start <= on, _live(on))


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Named:
    """A person as pages name them or offer them to choose from: id and name."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Holding:
    """A membership as the membership page shows it, read as a narrow row: the columns it
    shows, its seat (one of the panel's, already loaded) and its person's name."""

    id: int
    seat: AnySeat
    person: Named
    start: dt.date
    end: dt.date | None
    on_behalf_of: str | None
    ended_reason: str | None

    @property
    def seat_id(self) -> int:
        return self.seat.id

    @property
    def person_id(self) -> int:
        return self.person.id


#: A membership read either way.
Held = TypeVar("Held", Membership, Holding)


@dataclass(frozen=True)
class SeatRow:
    """One seat of a panel with who holds it on a date and who is appointed to it later."""

    seat: Seat
    holders: list[Holding]
    upcoming: list[Holding]

    @property
    def open_places(self) -> int:
        """Places without a holder: ``count`` minus holders, or 1 for an empty seat whose
        number of places is not stated."""
        if self.seat.count is None:
            return 0 if self.holders else 1
        return max(self.seat.count - len(self.holders), 0)

    @property
    def over_count(self) -> bool:
        return self.seat.count is not None and len(self.holders) > self.seat.count


@dataclass(frozen=True)
class PanelMembership:
    """What the membership page of one panel shows."""

    panel: AnyPanel
    on: dt.date
    rows: list[SeatRow]
    ending_soon: list[Holding]
    findings: list[content.MembershipFinding] = field(default_factory=list)

    @property
    def current(self) -> list[Holding]:
        return [m for row in self.rows for m in row.holders]

    @property
    def vacant_rows(self) -> list[SeatRow]:
        return [row for row in self.rows if row.open_places]


#: Memberships of a panel's live seats not over by a date, as narrow rows (built once).
_HOLDINGS = (
    select(Membership.id, Membership.seat_id, Person.id, Person.name, Membership.start,
           Membership.end, Membership.on_behalf_of, Membership.ended_reason)
    .join(Person, Membership.person_id == Person.id)
    .join(Seat, Membership.seat_id == Seat.id)
    .where(Membership.council_id == bindparam("council_id"),
           Seat.panel_id == PANEL_BY_KEY, Seat.archived_at.is_(None),
           _live(bindparam("on")))
    .order_by(Membership.start, Person.name, Membership.id)
)


#: Memberships of a panel's live seats held on a date, as narrow rows (built once).
_HELD = _HOLDINGS.where(Membership.start <= bindparam("on"))


def _holdings_read(statement: Select[Any], panel: NamedPanel, on: dt.date
                   ) -> row_reads.Read:
    return row_reads.Read(statement, {**panel_params(panel), "on": on})


def _holdings(statement: Select[Any], panel: AnyPanel, on: dt.date) -> list[Holding]:
    seats = {seat.id: seat for seat in panel.seats}
    return [Holding(id=row[0], seat=seats[row[1]], person=Named(row[2], row[3]),
                    start=row[4], end=row[5], on_behalf_of=row[6], ended_reason=row[7])
            for row in row_reads.rows(*_holdings_read(statement, panel, on))
            if row[1] in seats]


def memberships_from_read(panel: NamedPanel, on: dt.date) -> row_reads.Read:
    """The statement :func:`memberships_from` runs, for a page to send with others."""
    return _holdings_read(_HOLDINGS, panel, on)


def memberships_from(panel: AnyPanel, on: dt.date) -> list[Holding]:
    """Memberships of the panel's live seats current on ``on`` or starting later, with their
    people's names (one statement of narrow rows; the seats are the panel's own)."""
    return _holdings(_HOLDINGS, panel, on)


def holdings_on_read(panel: NamedPanel, on: dt.date) -> row_reads.Read:
    """The statement :func:`holdings_on` runs, for a page to send with others."""
    return _holdings_read(_HELD, panel, on)


def holdings_on(panel: AnyPanel, on: dt.date) -> list[Holding]:
    """Who holds a seat of the panel on ``on``, with their names (as
    :func:`current_memberships`, as narrow rows: one statement, no objects loaded), by
    start, then name, as the membership page lists them."""
    return _holdings(_HELD, panel, on)


#: Built once (its eager loads cost more to build than to run).
_CURRENT = (
    select(Membership).join(Membership.seat)
    .where(Membership.council_id == bindparam("council_id"),
           Seat.panel_id == bindparam("panel_id"), Seat.archived_at.is_(None),
           held_on(bindparam("on")))
    .options(contains_eager(Membership.seat), joinedload(Membership.person))
    .order_by(Seat.position, Seat.id, Membership.start, Membership.id)
)


def current_memberships(panel: Panel, on: dt.date | None = None) -> list[Membership]:
    """Who holds a seat of the panel on ``on`` (default today), in seat order, with their
    seats and people (one query). Seats the plugin no longer defines are left out."""
    return list(db.session.scalars(_CURRENT, {
        "council_id": panel.council_id, "panel_id": panel.id,
        "on": on or dates.today()}))


def ending_within(memberships: list[Held], on: dt.date,
                  days: int = TERM_ENDING_DAYS) -> list[Held]:
    """Current memberships whose end falls within ``days`` of ``on`` (both days included),
    soonest first."""
    last = on + dt.timedelta(days=days)
    return sorted((m for m in memberships
                   if is_current(m, on) and m.end is not None and m.end <= last),
                  key=lambda m: (m.end, m.id))


def _seat_shape(seat: Seat) -> content.Seat:
    return content.Seat(key=seat.key, role=seat.role, count=seat.count, voting=seat.voting,
                        chair=seat.chair, young_people=seat.young_people, partner=seat.partner)


def membership_findings(council: Council, panel: AnyPanel,
                        current: Sequence[Membership | Holding]
                        ) -> list[content.MembershipFinding]:
    """Warnings about the current membership: every plugin's answer to
    ``check_panel_membership`` (the core's default among them), then the quorum rule."""
    seats = {seat.id: seat for seat in panel.seats}
    views = [content.MembershipView(seat=seats[m.seat_id].key, person=m.person.name,
                                    on_behalf_of=m.on_behalf_of, start=m.start, end=m.end)
             for m in current if m.seat_id in seats]
    findings = list(plugin_host().behaviour(
        "check_panel_membership", content.MembershipFinding, council=council.slug,
        panel=panel.key, seats=[_seat_shape(seat) for seat in panel.seats],
        memberships=views))
    return findings + quorum_findings(panel, current)


def quorum_findings(panel: AnyPanel, current: Sequence[Membership | Holding]
                    ) -> list[content.MembershipFinding]:
    """A warning when fewer people hold seats that count towards the quorum (by
    :meth:`Panel.counts_towards_quorum`) than the quorum needs."""
    if not panel.quorum_count:
        return []
    seats = {seat.id: seat for seat in panel.seats}
    counted = {m.person_id for m in current
               if m.seat_id in seats and panel.counts_towards_quorum(seats[m.seat_id])}
    if len(counted) >= panel.quorum_count:
        return []
    return [content.MembershipFinding(level="warning", message=_(
        "The quorum is %(quorum)d but only %(count)d members can count towards it, so the "
        "panel cannot be quorate.", quorum=panel.quorum_count, count=len(counted)))]


def panel_membership(council: Council, panel: AnyPanel, on: dt.date | None = None
                     ) -> PanelMembership:
    """Seats, holders, vacancies, terms ending soon and rule warnings (one query beyond the
    panel's own)."""
    on = on or dates.today()
    by_seat: dict[int, list[Membership]] = defaultdict(list)
    for membership in memberships_from(panel, on):
        by_seat[membership.seat_id].append(membership)
    rows = [SeatRow(seat=seat,
                    holders=[m for m in by_seat[seat.id] if is_current(m, on)],
                    upcoming=[m for m in by_seat[seat.id] if m.start > on])
            for seat in panel.seats]
    current = [m for row in rows for m in row.holders]
    return PanelMembership(panel=panel, on=on, rows=rows, ending_soon=ending_within(current, on),
                           findings=membership_findings(council, panel, current))


@dataclass(frozen=True)
class PanelSummary:
    """A line of the panels list: seats, how many are filled, vacancies, terms ending."""

    panel: Panel
    seats: int
    filled: int
    vacant: int
    ending_soon: int


def panel_summaries(council: Council, panels: list[Panel], on: dt.date | None = None
                    ) -> list[PanelSummary]:
    """One summary per panel (one query for every panel's current memberships)."""
    on = on or dates.today()
    rows = db.session.execute(
        select(Membership.seat_id, Membership.end)
        .where(Membership.council_id == council.id, Membership.start <= on, _live(on)))
    held: dict[int, int] = defaultdict(int)
    ending: dict[int, int] = defaultdict(int)
    last = on + dt.timedelta(days=TERM_ENDING_DAYS)
    for seat_id, end in rows:
        held[seat_id] += 1
        if end is not None and end <= last:
            ending[seat_id] += 1
    summaries = []
    for panel in panels:
        vacant = sum(1 for seat in panel.seats
                     if not held[seat.id] or (seat.count is not None
                                              and held[seat.id] < seat.count))
        summaries.append(PanelSummary(
            panel=panel, seats=len(panel.seats),
            filled=sum(1 for seat in panel.seats if held[seat.id]), vacant=vacant,
            ending_soon=sum(ending[seat.id] for seat in panel.seats)))
    return summaries


def seat_or_404(panel: Panel, key: str) -> Seat:
    """One seat of ``panel`` by key, archived ones included (their history stays), or a 404."""
    seat = db.session.scalar(select(Seat).where(
        Seat.council_id == panel.council_id, Seat.panel_id == panel.id, Seat.key == key))
    if seat is None:
        abort(404)
    return seat


def person_or_404(council: Council, person_id: int) -> Person:
    person = db.session.scalar(select(Person).where(Person.council_id == council.id,
                                                    Person.id == person_id))
    if person is None:
        abort(404)
    return person


def membership_or_404(council: Council, panel: Panel, membership_id: int) -> Membership:
    """One membership of a seat of ``panel``, with its person and seat, or a 404."""
    membership = db.session.scalar(
        select(Membership).join(Seat, Membership.seat_id == Seat.id)
        .where(Membership.council_id == council.id, Membership.id == membership_id,
               Seat.panel_id == panel.id)
        .options(joinedload(Membership.person), joinedload(Membership.seat)))
    if membership is None:
        abort(404)
    return membership


#: The council's people not erased, by name, as narrow rows (built once).
_PEOPLE = (select(Person.id, Person.name)
           .where(Person.council_id == bindparam("council_id"), not_erased())
           .order_by(Person.name, Person.id))


def people_of_read(council: Council) -> row_reads.Read:
    """The statement :func:`people_of` runs, for a page to send with others."""
    return row_reads.Read(_PEOPLE, {"council_id": council.id})


def people_of(council: Council) -> list[Named]:
    """The council's people by name (their ids and names, to choose from), those erased
    left out (one statement of narrow rows)."""
    return [Named(*row) for row in row_reads.rows(*people_of_read(council))]


def _history_order() -> tuple[object, ...]:
    return (Membership.start.desc(), Membership.id.desc())


def seat_history(seat: Seat) -> list[Membership]:
    """Every membership of ``seat``, past, present and future, latest start first."""
    return list(db.session.scalars(
        select(Membership).where(Membership.council_id == seat.council_id,
                                 Membership.seat_id == seat.id)
        .options(joinedload(Membership.person)).order_by(*_history_order())))


def person_history(person: Person) -> list[Membership]:
    """Every membership ``person`` has held on any of the council's panels, latest first."""
    return list(db.session.scalars(
        select(Membership).where(Membership.council_id == person.council_id,
                                 Membership.person_id == person.id)
        .options(joinedload(Membership.seat).joinedload(Seat.panel))
        .order_by(*_history_order())))


def audit_events(council: Council, memberships: list[Membership],
                 person: Person | None = None) -> list[AuditEvent]:
    """The audit events of ``memberships`` (and of ``person``, with those of their
    memberships since withdrawn, found by the person they named), newest first (one
    query)."""
    records = [and_(AuditEvent.record_type == "membership",
                    AuditEvent.record_id.in_([m.id for m in memberships]))]
    if person is not None:
        records.append(and_(AuditEvent.record_type == "person",
                            AuditEvent.record_id == person.id))
        records.append(and_(AuditEvent.record_type == "membership", or_(
            AuditEvent.after["person_id"].as_integer() == person.id,
            AuditEvent.before["person_id"].as_integer() == person.id)))
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.council_id == council.id, or_(*records))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


# --- changing ------------------------------------------------------------------------------


def _overlapping(seat: Seat, person: Person, start: dt.date, end: dt.date | None
                 ) -> Membership | None:
    query = select(Membership).where(
        Membership.council_id == seat.council_id, Membership.seat_id == seat.id,
        Membership.person_id == person.id, or_(Membership.end.is_(None), Membership.end >= start))
    if end is not None:
        query = query.where(Membership.start <= end)
    return db.session.scalar(query.order_by(Membership.start).limit(1))


def _period(membership: Membership) -> str:
    if membership.end is None:
        return _("from %(start)s with no end date", start=day_words(membership.start))
    return _("from %(start)s to %(end)s", start=day_words(membership.start),
             end=day_words(membership.end))


def appoint(council: Council, panel: Panel, *, seat_key: str, person_id: int | None,
            new_name: str | None, start: dt.date, end: dt.date | None,
            on_behalf_of: str | None) -> Membership:
    """Appoint an existing person of the council, or someone new by name, to a seat.

    Refused (:class:`MembershipError`) when the end of term is before the start, the person
    already holds the seat over an overlapping period, or the seat is a young people's seat
    and the name is more than the council's policy allows (see
    :mod:`core.panels.young_people`). Appointing more people than the seat's
    ``count`` is allowed; the membership rules then warn about it.
    """
    seat = next((s for s in panel.seats if s.key == seat_key), None)
    if seat is None:
        raise MembershipError("seat", _("Choose a seat of this panel"))
    lock_for_write(panel)  # two appointments to the panel never cross their checks
    if end is not None and end < start:
        raise MembershipError("end", _("End of term must be the same as or after the start"))
    new_name = (new_name or "").strip()
    if person_id is not None and new_name:
        raise MembershipError("person", _("Choose someone already recorded or type a new "
                                          "name, not both"))
    if person_id is not None:
        person = db.session.scalar(select(Person).where(Person.council_id == council.id,
                                                        Person.id == person_id))
        if person is None:
            raise MembershipError("person", _("Choose someone from the list"))
        _check_young_persons_name(council, seat, person.name, "person")
        clash = _overlapping(seat, person, start, end)
        if clash is not None:
            raise MembershipError("person", _(
                "%(name)s already holds this seat %(period)s. Choose dates that do not "
                "overlap, or end that membership first.", name=person.name,
                period=_period(clash)))
    elif new_name:
        _check_young_persons_name(council, seat, new_name, "new_name")
        same = db.session.scalar(select(Person).where(
            Person.council_id == council.id,
            func.lower(Person.name) == new_name.lower()).limit(1))
        if same is not None:
            raise MembershipError("new_name", _(
                "Someone called %(name)s is already recorded. Choose them from the list, or "
                "type a name that tells them apart.", name=same.name))
        person = Person(council_id=council.id, name=new_name)
        db.session.add(person)
    else:
        raise MembershipError("person", _("Choose someone already recorded or type the name "
                                          "of someone new"))
    membership = Membership(council_id=council.id, seat=seat, person=person, start=start,
                            end=end, on_behalf_of=(on_behalf_of or "").strip() or None)
    db.session.add(membership)
    db.session.commit()
    return membership


def _check_young_persons_name(council: Council, seat: Seat, name: str, field: str) -> None:
    if seat.young_people and not name_allowed(council.young_people_names, name):
        raise MembershipError(field, name_refusal(council.young_people_names, name))


def holders_on(seat: Seat, on: dt.date) -> int:
    """How many people hold ``seat`` on ``on`` (one query)."""
    return db.session.scalar(select(func.count(Membership.id)).where(
        Membership.council_id == seat.council_id, Membership.seat_id == seat.id,
        Membership.start <= on, _live(on))) or 0


def end_membership(membership: Membership, *, end: dt.date, reason: str,
                   version: str | int | None = None) -> None:
    """End a membership on ``end`` (its last day) for ``reason``.

    The end may not be before the start, nor after the end of term already set. Raises
    :class:`EditConflict` if someone else saved the membership since ``version`` (the one
    the form was filled from; by default the one loaded) and saves nothing.
    """
    if version is not None:
        check_version(membership, version)  # a stale form is a conflict before anything else
    if end < membership.start:
        raise MembershipError("end", _(
            "The end date must be the same as or after the start of the membership "
            "(%(start)s)", start=day_words(membership.start)))
    if membership.end is not None and end > membership.end:
        raise MembershipError("end", _(
            "The end date must be on or before the end of term (%(end)s)",
            end=day_words(membership.end)))
    save_if_unchanged(membership, membership.version if version is None else version,
                      end=end, ended_reason=reason.strip())
    commit_or_conflict()
