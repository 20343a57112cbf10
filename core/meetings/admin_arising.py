"""Admin page that changes an action arising: its text, owner and due date (routes of the
meetings admin)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from core.audit import history_of, last_change, who_and_when
from core.auth.permissions import Permission, require
from core.forms import EditConflict
from core.meetings import services
from core.meetings.admin_views import Page, meeting_admin
from core.meetings.arising import ActionEditError, edit_action
from core.meetings.arising_forms import ActionEditForm, action_edit_form
from core.meetings.models import ActionArising, Meeting
from core.panels.membership import people_of
from core.translations import gettext as _


def _edit_page(meeting: Meeting, action: ActionArising, form: ActionEditForm,
               status: int = 200, conflict: str | None = None) -> Page:
    return render_template(
        "meetings/admin_action_edit.html", council=g.council, meeting=meeting,
        panel=meeting.panel, start=services.local_start(meeting), action=action, form=form,
        conflict=conflict, history=history_of("action_arising", action.id, g.council.id)
    ), status


def _found(meeting_id: int, action_id: int) -> tuple[Meeting, ActionArising]:
    meeting = services.meeting_or_404(g.council, meeting_id, agenda=False)
    return meeting, services.action_or_404(meeting, action_id)


@meeting_admin.get("/<int:meeting_id>/actions/<int:action_id>/edit")
@require(Permission.MANAGE_PANEL)
def edit_action_form(meeting_id: int, action_id: int) -> Page:
    """The action's text, owner and due date, to change."""
    meeting, action = _found(meeting_id, action_id)
    person = action.owner_person_id
    form = action_edit_form(people_of(g.council), formdata=None, data={
        "action_text": action.text, "owner_person": str(person) if person else "",
        "owner_text": "" if person else action.owner, "action_due": action.due,
        "version": str(action.version)})
    return _edit_page(meeting, action, form)


@meeting_admin.post("/<int:meeting_id>/actions/<int:action_id>/edit")
@require(Permission.MANAGE_PANEL)
def edit_action_save(meeting_id: int, action_id: int) -> Page | Response:
    """Save the action's text, owner and due date."""
    meeting, action = _found(meeting_id, action_id)
    form = action_edit_form(people_of(g.council))
    if not form.validate_on_submit():
        return _edit_page(meeting, action, form, 400)
    assert form.action_text.data is not None
    try:
        edit_action(action, text=form.action_text.data, owner_person_id=form.owner_person_id,
                    owner_text=form.owner_text.data, due=form.action_due.data,
                    version=form.version.data)
    except ActionEditError as error:
        getattr(form, error.field).errors = [str(error)]
        return _edit_page(meeting, action, form, 400)
    except EditConflict:
        meeting, action = _found(meeting_id, action_id)
        form.version.data = str(action.version)
        return _edit_page(meeting, action, form, 409, conflict=_(
            "%(who)s changed this action on %(when)s, after you opened this page. Nothing "
            "you typed has been saved: check the action as saved now, then save again to "
            "replace it.", **who_and_when(last_change("action_arising", action.id,
                                                      g.council.id))))
    flash(_("Action saved."))
    return redirect(url_for(".show", meeting_id=meeting.id, _anchor=f"action-{action.id}"))
