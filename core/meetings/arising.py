"""Changing an action arising after it was recorded: its text, owner and due date.

An owner is someone recorded in the council (``owner_person_id``, with their name copied to
``owner``, the text every page shows and erasure rewrites) or free text, as before.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.concurrency import commit_or_conflict, save_if_unchanged
from core.extensions import db
from core.forms import FieldError
from core.meetings.models import ActionArising
from core.models import Person
from core.panels.erasure import not_erased
from core.translations import gettext as _


class ActionEditError(FieldError):
    """A change to an action arising that cannot be made; ``field`` names the field."""


def owner_of(council_id: int, person_id: int | None, text: str | None) -> tuple[int | None, str]:
    """(the owner's person id, the owner's text) from a form's choice of someone recorded
    (``person_id``) or typed text; raises :class:`ActionEditError` for neither, both, or
    someone not recorded in the council (or erased)."""
    text = (text or "").strip()
    if person_id and text:
        raise ActionEditError("owner_text", _(
            "Choose someone recorded or type who will do it, not both"))
    if person_id:
        person = db.session.scalar(select(Person).where(
            Person.council_id == council_id, Person.id == person_id, not_erased()))
        if person is None:
            raise ActionEditError("owner_person", _("Choose someone recorded in this council"))
        return person.id, person.name
    if not text:
        raise ActionEditError("owner_person", _(
            "Choose someone recorded or type who will do it"))
    return None, text


def edit_action(action: ActionArising, *, text: str, owner_person_id: int | None,
                owner_text: str | None, due: dt.date | None, version: str | None) -> None:
    """Change the action's text, owner and due date if it is still at ``version`` (the one
    the form was filled from), else raise :class:`~core.forms.EditConflict` and save
    nothing. Audited with the values before and after."""
    person_id, owner = owner_of(action.council_id, owner_person_id, owner_text)
    save_if_unchanged(action, version, text=text.strip(), owner=owner,
                      owner_person_id=person_id, due=due)
    commit_or_conflict()
