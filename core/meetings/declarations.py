"""Declarations of interest made at a meeting, on the whole meeting or on one agenda item.

The declarer is someone recorded in the council (a member, a substitute, an officer
recorded as a person); the kinds are those of :class:`~core.meetings.record_models.InterestKind`.
In the published minutes a young person is shown by role, never by name
(:func:`core.meetings.minutes.declaration_lines`).
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from core.extensions import db
from core.forms import FieldError
from core.meetings.models import Meeting
from core.meetings.record_models import Declaration, InterestKind
from core.models import Person
from core.translations import gettext as _

_OF_MEETING = (select(Declaration)
               .where(Declaration.council_id == bindparam("council_id"),
                      Declaration.meeting_id == bindparam("meeting_id"))
               .options(joinedload(Declaration.person), joinedload(Declaration.agenda_item))
               .order_by(Declaration.id))


def declarations_of(meeting: Meeting) -> list[Declaration]:
    """The meeting's declarations in the order made, with who made them and the item
    (one query)."""
    return list(db.session.scalars(_OF_MEETING, {"council_id": meeting.council_id,
                                                 "meeting_id": meeting.id}))


def add_declaration(meeting: Meeting, *, person_id: int | None, item_id: int | None,
                    kind: str, nature: str) -> Declaration:
    """Record a declaration; refuses with a :class:`~core.forms.FieldError` naming the
    field when the person or the item is not this council's or this meeting's."""
    person = db.session.scalar(select(Person).where(
        Person.id == person_id, Person.council_id == meeting.council_id)) if person_id else None
    if person is None:
        raise FieldError("declaration_person", _("Choose who declared the interest"))
    if item_id and item_id not in {item.id for item in meeting.agenda}:
        raise FieldError("declaration_item", _("Choose an item of this meeting's agenda"))
    if kind not in {k.value for k in InterestKind}:
        raise FieldError("declaration_kind", _("Choose the kind of interest"))
    declaration = Declaration(council_id=meeting.council_id, meeting_id=meeting.id,
                              agenda_item_id=item_id or None, person_id=person.id,
                              kind=kind, nature=nature)
    db.session.add(declaration)
    db.session.commit()
    return declaration


def declaration_or_404(meeting: Meeting, declaration_id: int) -> Declaration:
    """One declaration made at the meeting, or a 404."""
    found = db.session.scalar(select(Declaration).where(
        Declaration.id == declaration_id, Declaration.council_id == meeting.council_id,
        Declaration.meeting_id == meeting.id))
    if found is None:
        abort(404)
    return found


def remove_declaration(declaration: Declaration) -> None:
    """Remove a declaration recorded by mistake (the audit keeps what it said)."""
    db.session.delete(declaration)
    db.session.commit()
