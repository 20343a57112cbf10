"""Changing one agenda item: its wording, presenter, expected time and the decision on it,
and removing it with what hangs from it (its papers; declarations on it stay on the
meeting; a planned item pulled into it goes back to the work programme)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from core.concurrency import commit_or_conflict, lock_for_write, save_if_unchanged
from core.extensions import db
from core.meetings import papers, services
from core.meetings.models import AgendaItem, Meeting
from core.meetings.record_models import Declaration, Paper, PlannedItem


def item_or_404(meeting: Meeting, item_id: int) -> AgendaItem:
    """One item of the meeting's agenda (already loaded with the meeting), or a 404."""
    for item in meeting.agenda:
        if item.id == item_id:
            return item
    abort(404)


def edit_agenda_item(item: AgendaItem, *, title: str, description: str | None,
                     presenter: str | None, duration_minutes: int | None,
                     decision: str | None, version: str | None) -> None:
    """Save an item's details; raises :class:`~core.forms.EditConflict` if someone saved it
    since the form was filled."""
    save_if_unchanged(item, version, title=title, description=description or None,
                      presenter=presenter or None, duration_minutes=duration_minutes,
                      decision=decision or None)
    commit_or_conflict()


def remove_agenda_item(meeting: Meeting, item: AgendaItem) -> None:
    """Remove an added item (standing items and actions arising stay, as
    :func:`core.meetings.services.change_agenda_item` rules), with its papers (their files
    too, unless another paper shares them)."""
    if not item.added:
        services.change_agenda_item(meeting, item.id, "remove")  # refuses, naming the rule
    lock_for_write(meeting)
    unused = papers.remove_papers(db.session.scalars(select(Paper).where(
        Paper.council_id == meeting.council_id, Paper.agenda_item_id == item.id)))
    for declaration in db.session.scalars(select(Declaration).where(
            Declaration.council_id == meeting.council_id,
            Declaration.agenda_item_id == item.id)):
        declaration.agenda_item_id = None
    for planned in db.session.scalars(select(PlannedItem).where(
            PlannedItem.council_id == meeting.council_id,
            PlannedItem.agenda_item_id == item.id)):
        planned.agenda_item_id = None
    db.session.flush()
    services.change_agenda_item(meeting, item.id, "remove")
    papers.delete_files(unused)

