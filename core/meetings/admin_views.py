"""Admin pages for a panel's meetings: scheduling, agenda, attendance, minutes and actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from core import dates, row_reads
from core.admin.scoping import admin_blueprint
from core.attendance.forms import InAttendanceForm
from core.attendance.services import everyone_present, in_attendance_at, in_attendance_read
from core.audit import last_change, who_and_when
from core.auth.permissions import Permission, can, require
from core.documents.render import pdf_response
from core.forms import EditConflict
from core.mail.addresses import parse_addresses
from core.meetings import agenda, circulation, documents, papers, services
from core.meetings.arising import ActionEditError, owner_of
from core.meetings.circulation_forms import CirculateForm
from core.meetings.forms import (
    ActionForm,
    ActionStatusForm,
    AgendaChangeForm,
    AgendaItemForm,
    AttendanceForm,
    ConfirmCycleForm,
    CycleForm,
    MeetingForm,
    ScheduleForm,
    attendance_form,
)
from core.meetings.models import ActionArising, Meeting
from core.meetings.services import MeetingError, MeetingRecord
from core.panels.membership import current_memberships, people_of, people_of_read
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.translations import ngettext

meeting_admin = admin_blueprint("meeting_admin", __name__, "/meetings")

Page = tuple[str, int]


def _may_manage() -> bool:
    return can(current_user, Permission.MANAGE_PANEL, g.council.id)


# --- lists and scheduling ------------------------------------------------------------------


@meeting_admin.get("")
def index() -> str:
    return render_template("meetings/admin_index.html", council=g.council,
                           panels=services.panels_of(g.council),
                           upcoming=services.upcoming_by_panel(g.council))


def _panel_page(panel: Any, cycle: CycleForm | None = None,
                schedule: ScheduleForm | None = None, status: int = 200,
                refusal: str | None = None) -> Page:
    upcoming, past = services.split_upcoming(services.meetings_of(panel))
    return render_template(
        "meetings/admin_panel.html", council=g.council, panel=panel, upcoming=upcoming,
        past=past, cycle_form=cycle or CycleForm(formdata=None),
        schedule_form=schedule or ScheduleForm(formdata=None), refusal=refusal,
        cycle_refusal=services.cycle_refusal(panel),
        can_manage=_may_manage(), local_start=services.local_start), status


@meeting_admin.get("/panels/<panel>")
def panel_meetings(panel: str) -> Page:
    return _panel_page(services.panel_or_404(g.council, panel))


#: How each nation is named where its bank holidays are mentioned.
NATIONS = {"england": _l("England"), "wales": _l("Wales")}


def _first(form: CycleForm) -> dt.datetime:
    assert form.cycle_first_on.data and form.cycle_time.data
    return services.local_datetime(form.cycle_first_on.data, form.cycle_time.data)


def _preview_page(panel: Any, form: CycleForm, status: int = 200) -> Page:
    """The dates a cycle gives, each on a working day, for the clerk to check before any
    meeting is scheduled; refused dates (a clash) are shown with the error and no way to
    confirm."""
    assert form.cycle_count.data
    proposed = services.proposed_meetings(g.council, panel, _first(form), form.cycle_count.data)
    if not form.errors:
        try:
            services.refuse_clashes(panel, [p.starts_at for p in proposed])
        except MeetingError as error:
            form.cycle_first_on.errors.append(error.message)
            status = 400
    edit = CycleForm(formdata=None, data={
        name: form[name].data for name in ("cycle_first_on", "cycle_time", "cycle_count",
                                           "cycle_location")})
    return render_template(
        "meetings/admin_cycle_preview.html", council=g.council, panel=panel, form=form,
        edit_form=edit, proposed=proposed, digest=services.proposal_digest(proposed),
        nation=NATIONS.get(g.council.nation, g.council.nation)), status


@meeting_admin.post("/panels/<panel>/cycle")
@require(Permission.MANAGE_PANEL)
def schedule_from_cycle(panel: str) -> Page:
    """Work out the dates from the cycle and show them: nothing is scheduled yet."""
    found = services.panel_or_404(g.council, panel)
    form = CycleForm()
    refusal = services.cycle_refusal(found)
    if refusal:
        return _panel_page(found, cycle=form, status=400, refusal=refusal)
    if not form.validate_on_submit():
        return _panel_page(found, cycle=form, status=400)
    return _preview_page(found, form)


@meeting_admin.post("/panels/<panel>/cycle/confirm")
@require(Permission.MANAGE_PANEL)
def confirm_cycle(panel: str) -> Page | Response:
    """Schedule the meetings the clerk was shown."""
    found = services.panel_or_404(g.council, panel)
    form = ConfirmCycleForm()
    refusal = services.cycle_refusal(found)
    if refusal or not form.validate_on_submit():
        # the details as the panel page's form, with their errors, to correct and preview
        details = CycleForm()
        details.validate()
        return _panel_page(found, cycle=details, status=400, refusal=refusal)
    assert form.cycle_count.data
    try:
        meetings = services.schedule_from_cycle(
            g.council, found, first=_first(form), count=form.cycle_count.data,
            location=(form.cycle_location.data or "").strip(), digest=form.proposed.data or "")
    except MeetingError as error:
        form.cycle_first_on.errors.append(error.message)
        return _preview_page(found, form, status=400)
    flash(ngettext("%(num)d meeting scheduled.", "%(num)d meetings scheduled.", len(meetings)))
    return redirect(url_for(".panel_meetings", panel=found.key))


@meeting_admin.post("/panels/<panel>")
@require(Permission.MANAGE_PANEL)
def schedule(panel: str) -> Page | Response:
    found = services.panel_or_404(g.council, panel)
    form = ScheduleForm()
    if not form.validate_on_submit():
        return _panel_page(found, schedule=form, status=400)
    assert form.starts_on.data and form.starts_time.data
    try:
        meeting = services.schedule_meeting(
            g.council, found,
            starts_at=services.local_datetime(form.starts_on.data, form.starts_time.data),
            location=(form.location.data or "").strip())
    except MeetingError as error:
        form.starts_on.errors.append(error.message)
        return _panel_page(found, schedule=form, status=400)
    flash(_("Meeting scheduled."))
    return redirect(url_for(".show", meeting_id=meeting.id))


# --- one meeting ---------------------------------------------------------------------------


def _details_form(meeting: Meeting | MeetingRecord) -> MeetingForm:
    start = services.local_start(meeting)
    return MeetingForm(formdata=None, data={
        "starts_on": start.date(), "starts_time": start.time(), "location": meeting.location,
        "cancelled": meeting.cancelled, "version": str(meeting.version)})


def _meeting_page(meeting: Meeting | MeetingRecord, status: int = 200, *, failed: Any = None,
                  conflict: str | None = None, **forms: Any) -> Page:
    """The meeting page; ``forms`` replaces the empty forms by the one just posted, and
    ``failed`` is the form whose errors the summary lists."""
    council, action_form = g.council, forms.get("action")
    # the people to choose from only for the empty form (a form posted back has them)
    with row_reads.together(services.register_read(meeting),
                            services.carried_and_raised_read(meeting),
                            in_attendance_read(meeting),
                            people_of_read(council) if action_form is None else None,
                            papers.papers_by_item_read(meeting.council_id, meeting.id,
                                                       public_only=False)):
        memberships, attendance = services.register_of(meeting)
        carried, raised = services.carried_and_raised(meeting)
        present = in_attendance_at(meeting)
        if action_form is None:
            action_form = ActionForm(formdata=None).with_people(people_of(council))
        item_papers = papers.papers_by_item(meeting, public_only=False)
    # The status forms just posted, by action; the others are written by Python
    # (core/meetings/cards.py).
    posted = {action.id: forms[f"action_{action.id}"] for action in [*carried, *raised]
              if f"action_{action.id}" in forms}
    return render_template(
        "meetings/admin_show.html", council=council, meeting=meeting, panel=meeting.panel,
        start=services.local_start(meeting), memberships=memberships, attendance=attendance,
        quorum=services.quorum(meeting.panel, memberships, attendance),
        in_attendance=present, raised=raised, carried=carried,
        can_manage=_may_manage(), failed=failed,
        conflict=conflict, errors=_error_list(failed),
        details_form=forms.get("details") or _details_form(meeting),
        agenda_form=forms.get("agenda") or AgendaItemForm(formdata=None),
        action_form=action_form,
        posted=posted, today=dates.today(), item_papers=item_papers), status


def _error_list(form: Any) -> list[dict[str, str]]:
    """The error summary's links: one per field in error, and the form's own errors."""
    if form is None:
        return []
    found = [{"text": field.errors[0], "href": f"#{field.id}"}
             for field in form if field.errors]
    found += [{"text": message, "href": "#attendance"}
              for message in getattr(form, "form_errors", [])]
    return found


@meeting_admin.get("/<int:meeting_id>")
def show(meeting_id: int) -> Page:
    # Read as rows (one statement, past the ORM's loading); a form posted back with its
    # errors draws the same page from the model it was saving.
    return _meeting_page(services.meeting_record_or_404(g.council, meeting_id, clerks=True))


@meeting_admin.get("/<int:meeting_id>/agenda.pdf")
def agenda_pdf(meeting_id: int) -> Response:
    """The agenda pack as the public gets it (the same kept copy)."""
    return pdf_response(documents.agenda_pack_pdf(g.council, meeting_id),
                        documents.filename(g.council, meeting_id, "agenda-pack"))


@meeting_admin.get("/<int:meeting_id>/minutes.pdf")
def minutes_pdf(meeting_id: int) -> Response:
    """The minutes as a PDF once any are written, marked as a draft until they are
    public."""
    meeting = services.meeting_or_404(g.council, meeting_id, agenda=False)
    if not (meeting.minutes or "").strip():
        abort(404)
    return pdf_response(documents.minutes_pdf(g.council, meeting),
                        documents.filename(g.council, meeting.id, "minutes"))


@meeting_admin.get("/<int:meeting_id>/history")
def history(meeting_id: int) -> str:
    meeting = services.meeting_or_404(g.council, meeting_id, agenda=False)
    mail = circulation.mail_log(meeting)
    return render_template("meetings/admin_history.html", council=g.council, meeting=meeting,
                           start=services.local_start(meeting),
                           history=services.meeting_history(meeting), mail=mail,
                           mail_failed=circulation.still_failed(mail),
                           can_manage=_may_manage())


@meeting_admin.post("/<int:meeting_id>")
@require(Permission.MANAGE_PANEL)
def update(meeting_id: int) -> Page | Response:
    meeting = services.meeting_or_404(g.council, meeting_id)
    form = MeetingForm()
    if not form.validate_on_submit():
        return _meeting_page(meeting, 400, failed=form, details=form)
    assert form.starts_on.data and form.starts_time.data
    try:
        services.update_meeting(
            meeting, starts_at=services.local_datetime(form.starts_on.data, form.starts_time.data),
            location=(form.location.data or "").strip(), cancelled=bool(form.cancelled.data),
            version=form.version.data)
    except MeetingError as error:
        form.starts_on.errors.append(error.message)
        return _meeting_page(meeting, 400, failed=form, details=form)
    except EditConflict:
        return _conflict(meeting, "details", form, "version")
    flash(_("Meeting cancelled.") if form.cancelled.data else _("Meeting details saved."))
    return redirect(url_for(".show", meeting_id=meeting.id))


def _conflict(meeting: Meeting, name: str, form: Any, version_field: str) -> Page:
    """Someone saved the meeting after this form was opened: say who and when, keep what was
    typed, and save nothing."""
    db_meeting = services.meeting_or_404(g.council, meeting.id)
    event = last_change("meeting", meeting.id, g.council.id)
    form[version_field].data = str(db_meeting.version)
    message = _("%(who)s changed this meeting on %(when)s, after you opened this page. "
                "Nothing you typed has been saved: it is below, beside what is saved now. "
                "Check their change, then save again to replace it.", **who_and_when(event))
    return _meeting_page(db_meeting, 409, conflict=message, **{name: form})


@meeting_admin.post("/<int:meeting_id>/agenda")
@require(Permission.MANAGE_PANEL)
def add_agenda_item(meeting_id: int) -> Page | Response:
    meeting = services.meeting_or_404(g.council, meeting_id)
    form = AgendaItemForm()
    if not form.validate_on_submit():
        return _meeting_page(meeting, 400, failed=form, agenda=form)
    assert form.item_title.data
    services.add_agenda_item(meeting, title=form.item_title.data.strip(),
                             description=(form.item_description.data or "").strip())
    flash(_("Item added to the agenda."))
    return redirect(url_for(".show", meeting_id=meeting.id, _anchor="agenda"))


@meeting_admin.post("/<int:meeting_id>/agenda/change")
@require(Permission.MANAGE_PANEL)
def change_agenda_item(meeting_id: int) -> Page | Response:
    meeting = services.meeting_or_404(g.council, meeting_id)
    form = AgendaChangeForm()
    if not form.validate_on_submit():
        return _meeting_page(meeting, 400, failed=form)
    assert form.item.data is not None and form.change.data
    try:
        if form.change.data == "remove":
            agenda.remove_agenda_item(meeting, agenda.item_or_404(meeting, form.item.data))
        else:
            services.change_agenda_item(meeting, form.item.data, form.change.data)
    except MeetingError as error:
        form.item.errors.append(error.message)
        return _meeting_page(meeting, 400, failed=form)
    flash(_("Item removed from the agenda.") if form.change.data == "remove"
          else _("Agenda order saved."))
    return redirect(url_for(".show", meeting_id=meeting.id, _anchor="agenda"))


# --- the attendance register: its own page, one group of fields per member ----------------


def attendance_page_of(meeting: Meeting, form: AttendanceForm | None = None,
                       status: int = 200, *, failed: bool = False,
                       conflict: str | None = None, guest_form: Any = None,
                       marked: bool = False) -> Page:
    """The attendance form of ``meeting``: ``form`` as posted, or one holding what is
    recorded; with the officers and guests in attendance and the form that adds one
    (``guest_form`` as posted, its errors in the summary). ``marked``: the form was just
    filled by "mark all present", nothing saved yet."""
    memberships = current_memberships(meeting.panel, services.meeting_date(meeting))
    attendance = services.attendance_of(meeting)
    if form is None:
        data: dict[str, Any] = {"recorded": services.attendance_fingerprint(attendance)}
        for mid, row in attendance.items():
            data[f"status_{mid}"] = row.status
            if row.substitute_id:
                data[f"substitute_{mid}"] = str(row.substitute_id)
        form = attendance_form(memberships, people_of(g.council), formdata=None, data=data)
    return render_template(
        "meetings/admin_attendance.html", council=g.council, meeting=meeting,
        panel=meeting.panel, start=services.local_start(meeting), memberships=memberships,
        quorum=services.quorum(meeting.panel, memberships, attendance),
        attendance_form=form, conflict=conflict, marked=marked,
        in_attendance=in_attendance_at(meeting),
        guest_form=guest_form or InAttendanceForm(formdata=None),
        errors=(_error_list(form) if failed else []) + _error_list(
            guest_form if guest_form is not None and guest_form.errors else None)), status


@meeting_admin.get("/<int:meeting_id>/attendance")
@require(Permission.MANAGE_PANEL)
def attendance_page(meeting_id: int) -> Page:
    return attendance_page_of(services.meeting_or_404(g.council, meeting_id))


@meeting_admin.post("/<int:meeting_id>/attendance")
@require(Permission.MANAGE_PANEL)
def attendance(meeting_id: int) -> Page | Response:
    meeting = services.meeting_or_404(g.council, meeting_id)
    memberships = current_memberships(meeting.panel, services.meeting_date(meeting))
    form = attendance_form(memberships, people_of(g.council))
    if form.mark_all.data:  # fill the form, save nothing: the clerk checks, then saves
        chosen = {mid: form[f"status_{mid}"].data for mid in form.membership_ids}
        for mid, status in everyone_present(form.membership_ids, chosen).items():
            form[f"status_{mid}"].data = status
        return attendance_page_of(meeting, form, marked=True)
    if not form.validate_on_submit():
        return attendance_page_of(meeting, form, 400, failed=True)
    try:
        services.record_attendance(meeting, form.entries(), fingerprint=form.recorded.data)
    except MeetingError as error:
        form.form_errors.append(error.message)
        return attendance_page_of(meeting, form, 400, failed=True)
    except EditConflict:
        event = services.last_change_to_attendance(meeting)
        form.recorded.data = services.attendance_fingerprint(services.attendance_of(meeting))
        return attendance_page_of(meeting, form, 409, conflict=_(
            "%(who)s recorded attendance at this meeting on %(when)s, after you opened this "
            "page. Nothing you chose has been saved: check what is recorded now, then save "
            "again to replace it.", **who_and_when(event)))
    flash(_("Attendance saved."))
    return redirect(url_for(".show", meeting_id=meeting.id, _anchor="attendance"))


@meeting_admin.post("/<int:meeting_id>/actions")
@require(Permission.MANAGE_PANEL)
def add_action(meeting_id: int) -> Page | Response:
    meeting = services.meeting_or_404(g.council, meeting_id)
    form = ActionForm().with_people(people_of(g.council))
    if not form.validate_on_submit():
        return _meeting_page(meeting, 400, failed=form, action=form)
    assert form.action_text.data
    try:
        person_id, owner = owner_of(g.council.id, int(form.action_owner_person.data or 0),
                                    form.action_owner.data)
    except ActionEditError as error:
        field = "action_owner_person" if error.field == "owner_person" else "action_owner"
        form[field].errors.append(str(error))
        return _meeting_page(meeting, 400, failed=form, action=form)
    services.add_action(meeting, text=form.action_text.data.strip(), owner=owner,
                        owner_person_id=person_id, due=form.action_due.data)
    flash(_("Action added. It will be carried to each later meeting until it is closed."))
    return redirect(url_for(".show", meeting_id=meeting.id, _anchor="actions"))


@meeting_admin.post("/<int:meeting_id>/actions/<int:action_id>")
@require(Permission.MANAGE_PANEL)
def action_status(meeting_id: int, action_id: int) -> Page | Response:
    meeting = services.meeting_or_404(g.council, meeting_id)
    action: ActionArising = services.action_or_404(meeting, action_id)
    form = ActionStatusForm(prefix=f"action-{action.id}")
    forms = {f"action_{action.id}": form}
    if not form.validate_on_submit():
        return _meeting_page(meeting, 400, failed=form, **forms)
    assert form.status.data
    try:
        services.set_action_status(meeting, action, form.status.data, form.version.data)
    except EditConflict:
        event = last_change("action_arising", action.id, g.council.id)
        fresh = services.action_or_404(services.meeting_or_404(g.council, meeting_id),
                                       action_id)
        form.version.data = str(fresh.version)
        return _meeting_page(meeting, 409, conflict=_(
            "%(who)s changed the action “%(action)s” on %(when)s, after you opened this "
            "page. Your choice has not been saved: check its status now, then save again.",
            action=fresh.text, **who_and_when(event)), **forms)
    flash(_("Action status saved."))
    return redirect(url_for(".show", meeting_id=meeting.id, _anchor=f"action-{action.id}"))


# --- circulating the agenda pack or minutes by email (core/meetings/circulation.py) -------


def _circulation_page(meeting: Meeting, form: CirculateForm | None = None,
                      status: int = 200) -> Page:
    form = form or CirculateForm(formdata=None)
    return render_template(
        "meetings/admin_circulate.html", council=g.council, meeting=meeting,
        panel=meeting.panel, start=services.local_start(meeting),
        members=circulation.members_of(meeting), form=form,
        minutes_ready=circulation.minutes_ready(meeting),
        errors=_error_list(form) if status == 400 else []), status


@meeting_admin.get("/<int:meeting_id>/circulate")
@require(Permission.MANAGE_PANEL)
def circulate_page(meeting_id: int) -> Page:
    return _circulation_page(services.meeting_or_404(g.council, meeting_id))


@meeting_admin.post("/<int:meeting_id>/circulate")
@require(Permission.MANAGE_PANEL)
def circulate(meeting_id: int) -> Page | Response:
    """Send the agenda pack or the minutes, one message to each recipient; every error in
    the form is shown at once, and nothing is sent while there is one."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    form = CirculateForm()
    form.validate_on_submit()
    if meeting.cancelled:
        form.what.errors.append(_("The meeting is cancelled: nothing about it can be sent"))
    elif form.what.data == circulation.MINUTES and not circulation.minutes_ready(meeting):
        form.what.errors.append(_("The minutes can be sent once they are approved and "
                                  "published"))
    others, _bad = parse_addresses(form.others.data)
    members = circulation.members_of(meeting)
    chosen = circulation.recipients(members, others, to_members=bool(form.to_members.data))
    if not chosen and not form.others.errors:
        form.to_members.errors.append(_(
            "Choose who to send it to: the panel's members with an email address, or "
            "other addresses"))
    if form.errors:
        return _circulation_page(meeting, form, 400)
    assert form.what.data
    done = circulation.circulate(g.council, meeting, form.what.data, chosen)
    _say_what_was_sent(done)
    return redirect(url_for(".history", meeting_id=meeting.id, _anchor="mail"))


def _say_what_was_sent(done: circulation.Circulation) -> None:
    if done.sent:
        flash(ngettext("Sent to %(num)d person.", "Sent to %(num)d people.", len(done.sent)))
    if done.failed:
        flash(ngettext("%(num)d message could not be sent: the email log below says why. "
                       "Send it again once the problem is fixed.",
                       "%(num)d messages could not be sent: the email log below says why. "
                       "Send them again once the problem is fixed.", len(done.failed)))
    if done.held_back:
        flash(ngettext("%(num)d message of the minutes was not sent again: the minutes can "
                       "no longer be circulated.",
                       "%(num)d messages of the minutes were not sent again: the minutes "
                       "can no longer be circulated.", len(done.held_back)))


@meeting_admin.post("/<int:meeting_id>/circulate/resend")
@require(Permission.MANAGE_PANEL)
def resend(meeting_id: int) -> Response:
    """Send again each circulated message whose latest try failed."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    if not FlaskForm().validate_on_submit():  # the CSRF token
        flash(_("The form had expired. Try again."))
        return redirect(url_for(".history", meeting_id=meeting.id, _anchor="mail"))
    done = circulation.resend_failed(g.council, meeting)
    if not (done.records or done.held_back):
        flash(_("No message is waiting to be sent again."))
    _say_what_was_sent(done)
    return redirect(url_for(".history", meeting_id=meeting.id, _anchor="mail"))
