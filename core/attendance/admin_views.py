"""Admin pages for officers and guests in attendance at a meeting: added and removed on the
meeting's attendance page (routes of the meetings admin, whose page this module extends)."""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from werkzeug.wrappers import Response

from core.attendance.forms import InAttendanceForm
from core.attendance.services import (
    add_in_attendance,
    in_attendance_or_404,
    remove_in_attendance,
)
from core.auth.permissions import Permission, require
from core.meetings import services
from core.meetings.admin_views import Page, attendance_page_of, meeting_admin
from core.translations import gettext as _


@meeting_admin.post("/<int:meeting_id>/attendance/in-attendance")
@require(Permission.MANAGE_PANEL)
def add_guest(meeting_id: int) -> Page | Response:
    """Record an officer or guest as in attendance."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    form = InAttendanceForm()
    if not form.validate_on_submit():
        return attendance_page_of(meeting, status=400, guest_form=form)
    assert form.guest_name.data
    row = add_in_attendance(meeting, name=form.guest_name.data, role=form.guest_role.data)
    flash(_("%(name)s added to those in attendance.", name=row.name))
    return redirect(url_for(".attendance_page", meeting_id=meeting.id, _anchor="in-attendance"))


@meeting_admin.post("/<int:meeting_id>/attendance/in-attendance/<int:row_id>/remove")
@require(Permission.MANAGE_PANEL)
def remove_guest(meeting_id: int, row_id: int) -> Response:
    """Take an officer or guest off the list (the history keeps who it was)."""
    meeting = services.meeting_or_404(g.council, meeting_id, agenda=False)
    row = in_attendance_or_404(meeting, row_id)
    remove_in_attendance(row)
    flash(_("%(name)s removed from those in attendance.", name=row.name))
    return redirect(url_for(".attendance_page", meeting_id=meeting.id, _anchor="in-attendance"))
