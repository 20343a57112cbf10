"""Admin pages for a meeting's records: the minutes (approval, publication, corrections,
declarations of interest), each agenda item (details, decision, papers, removal), and a
panel's forward work programme. Routes join the ``meeting_admin`` blueprint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from core.audit import last_change, who_and_when
from core.auth.permissions import Permission, require
from core.forms import EditConflict, FieldError
from core.meetings import agenda, declarations, papers, services, work_programme
from core.meetings import minutes as minutes_records
from core.meetings.admin_views import _may_manage, meeting_admin
from core.meetings.models import AgendaItem, Meeting, MinutesState
from core.meetings.record_forms import (
    AgendaItemDetailsForm,
    ApproveMinutesForm,
    ConfirmForm,
    MinutesCorrectionForm,
    PaperForm,
    PlannedItemForm,
    PublishMinutesForm,
    SchedulePlannedForm,
    declaration_form,
    meeting_choices,
)
from core.meetings.record_models import PlannedItem
from core.meetings.services import MeetingError
from core.panels.membership import people_of
from core.translations import gettext as _

Page = tuple[str, int]


def _errors(*forms: Any) -> list[dict[str, str]]:
    """The error summary's links: one per field in error, in every form given."""
    return [{"text": field.errors[0], "href": f"#{field.id}"}
            for form in forms if form is not None for field in form if field.errors]


def _conflict_message(record: str, record_id: int) -> str:
    event = last_change(record, record_id, g.council.id)
    return _("%(who)s saved a change here on %(when)s, after you opened this page. Nothing "
             "you typed has been saved: it is below. Check what is saved now, then save "
             "again.", **who_and_when(event))


# --- the minutes ---------------------------------------------------------------------------


def _minutes_page(meeting: Meeting, status: int = 200, *, failed: Any = None,
                  conflict: str | None = None, **forms: Any) -> Page:
    later = minutes_records.approving_meetings(meeting)
    approve = forms.get("approve") or ApproveMinutesForm(
        formdata=None, data={"approve_version": str(meeting.version), "publish_now": True})
    approve.approved_at_meeting.choices = meeting_choices(
        later, services.local_start, _("Choose the meeting"))
    declaration = forms.get("declaration") or declaration_form(
        people_of(g.council), meeting.agenda, formdata=None)
    if "declaration" in forms:
        declaration = forms["declaration"]
    return render_template(
        "meetings/admin_minutes.html", council=g.council, meeting=meeting,
        panel=meeting.panel, start=services.local_start(meeting), can_manage=_may_manage(),
        conflict=conflict, errors=_errors(failed),
        text_form=forms.get("text") or MinutesCorrectionForm(formdata=None, data={
            "minutes": meeting.minutes, "minutes_version": str(meeting.version)}),
        approve_form=approve,
        publish_form=forms.get("publish") or PublishMinutesForm(
            formdata=None, data={"publish_version": str(meeting.version)}),
        declaration_form=declaration, remove_form=ConfirmForm(formdata=None),
        declarations=declarations.declarations_of(meeting),
        history=minutes_records.minutes_history(meeting),
        approver=next((m for m in later if m.id == meeting.approved_at_meeting_id), None),
        local_start=services.local_start, interest_label=minutes_records.interest_label,
        draft=meeting.minutes_state == MinutesState.DRAFT), status


def _write_minutes(meeting: Meeting, form: Any, part: str, version_field: str,
                   first_field: str, write: Callable[[], None]) -> Page | None:
    """Run ``write`` (a change to the minutes from ``form``, shown on the minutes page as
    ``part``): ``None`` when saved, else the page again, with the refusal on its field
    (``first_field`` when it names none: 400) or, when someone saved the meeting meanwhile,
    the form holding its fresh version (409)."""
    try:
        write()
    except MeetingError as error:
        form[error.field or first_field].errors.append(error.message)
        return _minutes_page(meeting, 400, failed=form, **{part: form})
    except EditConflict:
        fresh = services.meeting_or_404(g.council, meeting.id)
        form[version_field].data = str(fresh.version)
        return _minutes_page(fresh, 409, conflict=_conflict_message("meeting", meeting.id),
                             **{part: form})
    return None


@meeting_admin.get("/<int:meeting_id>/minutes")
def minutes_page(meeting_id: int) -> Page:
    """The minutes: their state, text, approval, publication, history and declarations."""
    return _minutes_page(services.meeting_or_404(g.council, meeting_id))


@meeting_admin.post("/<int:meeting_id>/minutes")
@require(Permission.MANAGE_PANEL)
def minutes(meeting_id: int) -> Page | Response:
    """Save the minutes; once approved, a correction with its reason."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    form = MinutesCorrectionForm()
    if not form.validate_on_submit():
        return _minutes_page(meeting, 400, failed=form, text=form)
    assert form.minutes.data is not None
    was_draft = meeting.minutes_state == MinutesState.DRAFT
    text = form.minutes.data.strip()
    refused = _write_minutes(meeting, form, "text", "minutes_version", "minutes",
                             lambda: minutes_records.save_minutes(
                                 meeting, text, form.minutes_version.data,
                                 form.minutes_reason.data))
    if refused is not None:
        return refused
    flash(_("Minutes saved.") if was_draft else _("Correction saved."))
    return redirect(url_for(".minutes_page", meeting_id=meeting.id))


@meeting_admin.post("/<int:meeting_id>/minutes/approve")
@require(Permission.MANAGE_PANEL)
def approve_minutes(meeting_id: int) -> Page | Response:
    """Approve draft minutes (and publish them unless held back)."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    form = ApproveMinutesForm()
    form.approved_at_meeting.choices = meeting_choices(
        minutes_records.approving_meetings(meeting), services.local_start, _("Choose the meeting"))
    if not form.validate_on_submit():
        return _minutes_page(meeting, 400, failed=form, approve=form)
    chosen = form.approved_at_meeting.data
    refused = _write_minutes(meeting, form, "approve", "approve_version", "approved_how",
                             lambda: minutes_records.approve_minutes(
                                 meeting, how=form.approved_how.data or "",
                                 at_meeting_id=int(chosen) if chosen and chosen.isdigit()
                                 else None,
                                 chair=form.approved_by.data, on=form.approved_on.data,
                                 publish=bool(form.publish_now.data),
                                 version=form.approve_version.data))
    if refused is not None:
        return refused
    flash(_("Minutes approved and published.") if form.publish_now.data
          else _("Minutes approved. They are not published yet."))
    return redirect(url_for(".minutes_page", meeting_id=meeting.id))


@meeting_admin.post("/<int:meeting_id>/minutes/publish")
@require(Permission.MANAGE_PANEL)
def publish_minutes(meeting_id: int) -> Page | Response:
    """Publish approved minutes."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    form = PublishMinutesForm()
    if not form.validate_on_submit():
        return _minutes_page(meeting, 400, failed=form, publish=form)
    try:
        minutes_records.publish_minutes(meeting, form.publish_version.data)
    except MeetingError as error:
        return _minutes_page(meeting, 400, conflict=error.message)
    except EditConflict:
        fresh = services.meeting_or_404(g.council, meeting_id)
        return _minutes_page(fresh, 409, conflict=_conflict_message("meeting", meeting_id))
    flash(_("Minutes published."))
    return redirect(url_for(".minutes_page", meeting_id=meeting.id))


@meeting_admin.post("/<int:meeting_id>/declarations")
@require(Permission.MANAGE_PANEL)
def add_declaration(meeting_id: int) -> Page | Response:
    """Record a declaration of interest."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    form = declaration_form(people_of(g.council), meeting.agenda)
    if not form.validate_on_submit():
        return _minutes_page(meeting, 400, failed=form, declaration=form)
    person, item = form.declaration_person.data, form.declaration_item.data
    try:
        declarations.add_declaration(
            meeting, person_id=int(person) if person and person.isdigit() else None,
            item_id=int(item) if item and item.isdigit() else None,
            kind=form.declaration_kind.data or "",
            nature=(form.declaration_nature.data or "").strip())
    except FieldError as error:
        form[error.field].errors.append(str(error))
        return _minutes_page(meeting, 400, failed=form, declaration=form)
    flash(_("Declaration recorded."))
    return redirect(url_for(".minutes_page", meeting_id=meeting.id, _anchor="declarations"))


@meeting_admin.post("/<int:meeting_id>/declarations/<int:declaration_id>/remove")
@require(Permission.MANAGE_PANEL)
def remove_declaration(meeting_id: int, declaration_id: int) -> Page | Response:
    """Remove a declaration recorded by mistake."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    found = declarations.declaration_or_404(meeting, declaration_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _minutes_page(meeting, 400, failed=form)
    declarations.remove_declaration(found)
    flash(_("Declaration removed."))
    return redirect(url_for(".minutes_page", meeting_id=meeting.id, _anchor="declarations"))


# --- one agenda item -----------------------------------------------------------------------


def _item_page(meeting: Meeting, item: AgendaItem, status: int = 200, *,
               failed: Any = None, conflict: str | None = None,
               details: AgendaItemDetailsForm | None = None,
               paper: Any = None) -> Page:
    return render_template(
        "meetings/admin_agenda_item.html", council=g.council, meeting=meeting,
        panel=meeting.panel, item=item, start=services.local_start(meeting),
        can_manage=_may_manage(), conflict=conflict, errors=_errors(failed),
        details_form=details or AgendaItemDetailsForm(formdata=None, data={
            "item_title": item.title, "item_description": item.description,
            "item_presenter": item.presenter, "item_duration": item.duration_minutes,
            "item_decision": item.decision, "item_version": str(item.version)}),
        paper_form=paper or PaperForm(formdata=None, data={"paper_access": "public"}),
        remove_form=ConfirmForm(formdata=None),
        papers=papers.papers_by_item(meeting, public_only=False).get(item.id, []),
        exemptions=papers.EXEMPTIONS, file_types=papers.FILE_TYPES,
        max_mb=papers.max_bytes() // (1024 * 1024)), status


@meeting_admin.get("/<int:meeting_id>/agenda/<int:item_id>")
def agenda_item(meeting_id: int, item_id: int) -> Page:
    """An agenda item: its details and decision, and its papers."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    return _item_page(meeting, agenda.item_or_404(meeting, item_id))


@meeting_admin.post("/<int:meeting_id>/agenda/<int:item_id>")
@require(Permission.MANAGE_PANEL)
def edit_agenda_item(meeting_id: int, item_id: int) -> Page | Response:
    """Save an item's title, details, presenter, expected time and decision."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    item = agenda.item_or_404(meeting, item_id)
    form = AgendaItemDetailsForm()
    if not form.validate_on_submit():
        return _item_page(meeting, item, 400, failed=form, details=form)
    try:
        agenda.edit_agenda_item(
            item, title=(form.item_title.data or "").strip(),
            description=(form.item_description.data or "").strip(),
            presenter=(form.item_presenter.data or "").strip(),
            duration_minutes=form.item_duration.data,
            decision=(form.item_decision.data or "").strip(), version=form.item_version.data)
    except EditConflict:
        fresh = services.meeting_or_404(g.council, meeting_id)
        fresh_item = agenda.item_or_404(fresh, item_id)
        form.item_version.data = str(fresh_item.version)
        return _item_page(fresh, fresh_item, 409,
                          conflict=_conflict_message("agenda_item", item_id), details=form)
    flash(_("Item saved."))
    return redirect(url_for(".agenda_item", meeting_id=meeting.id, item_id=item.id))


@meeting_admin.get("/<int:meeting_id>/agenda/<int:item_id>/remove")
@require(Permission.MANAGE_PANEL)
def confirm_remove_item(meeting_id: int, item_id: int) -> Page:
    """Ask before removing an item from the agenda (works without JavaScript)."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    item = agenda.item_or_404(meeting, item_id)
    return render_template(
        "meetings/admin_remove_item.html", council=g.council, meeting=meeting,
        panel=meeting.panel, item=item, start=services.local_start(meeting),
        papers=papers.papers_by_item(meeting, public_only=False).get(item.id, []),
        form=ConfirmForm(formdata=None), errors=[]), 200


@meeting_admin.post("/<int:meeting_id>/agenda/<int:item_id>/remove")
@require(Permission.MANAGE_PANEL)
def remove_item(meeting_id: int, item_id: int) -> Page | Response:
    """Remove an added item, with its papers."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    item = agenda.item_or_404(meeting, item_id)
    form = ConfirmForm()
    errors = []
    if form.validate_on_submit():
        try:
            agenda.remove_agenda_item(meeting, item)
        except MeetingError as error:
            errors = [{"text": error.message, "href": "#submit"}]
        else:
            flash(_("Item removed from the agenda."))
            return redirect(url_for(".show", meeting_id=meeting.id, _anchor="agenda"))
    else:
        errors = _errors(form) or [{"text": _("The form was incomplete: reload the page and "
                                              "try again"), "href": "#submit"}]
    meeting = services.meeting_or_404(g.council, meeting_id)
    return render_template(
        "meetings/admin_remove_item.html", council=g.council, meeting=meeting,
        panel=meeting.panel, item=agenda.item_or_404(meeting, item_id),
        start=services.local_start(meeting),
        papers=papers.papers_by_item(meeting, public_only=False).get(item_id, []),
        form=form, errors=errors), 400


@meeting_admin.post("/<int:meeting_id>/agenda/<int:item_id>/papers")
@require(Permission.MANAGE_PANEL)
def upload_paper(meeting_id: int, item_id: int) -> Page | Response:
    """Upload a paper on an item."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    item = agenda.item_or_404(meeting, item_id)
    form = PaperForm()
    if not form.validate_on_submit():
        return _item_page(meeting, item, 400, failed=form, paper=form)
    upload = form.paper_file.data
    try:
        papers.add_paper(meeting, item, title=(form.paper_title.data or "").strip(),
                         stream=upload.stream, filename=upload.filename or "",
                         public=form.paper_access.data == "public",
                         exemption=form.paper_exemption.data or None)
    except FieldError as error:
        form[error.field].errors = [*form[error.field].errors, str(error)]
        return _item_page(meeting, item, 400, failed=form, paper=form)
    finally:
        upload.close()  # a large upload is spooled to a temporary file
    flash(_("Paper uploaded."))
    return redirect(url_for(".agenda_item", meeting_id=meeting.id, item_id=item.id,
                            _anchor="papers"))


@meeting_admin.get("/<int:meeting_id>/papers/<int:paper_id>")
def paper(meeting_id: int, paper_id: int) -> Response:
    """Download any paper of the meeting, exempt ones included (staff only)."""
    meeting = services.meeting_or_404(g.council, meeting_id, agenda=False)
    response = papers.send_paper(papers.paper_or_404(meeting, paper_id, public_only=False))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@meeting_admin.post("/<int:meeting_id>/papers/<int:paper_id>/remove")
@require(Permission.MANAGE_PANEL)
def remove_paper(meeting_id: int, paper_id: int) -> Page | Response:
    """Remove a paper (and its file unless another paper shares it)."""
    meeting = services.meeting_or_404(g.council, meeting_id)
    found = papers.paper_or_404(meeting, paper_id, public_only=False)
    item = agenda.item_or_404(meeting, found.agenda_item_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _item_page(meeting, item, 400, failed=form)
    papers.remove_paper(found)
    flash(_("Paper removed."))
    return redirect(url_for(".agenda_item", meeting_id=meeting_id, item_id=item.id,
                            _anchor="papers"))


# --- the forward work programme ------------------------------------------------------------


def _plan_form(panel: Any, future: list[Meeting] | None = None, **kwargs: Any
               ) -> PlannedItemForm:
    """The planned item form, offering the panel's ``future`` meetings (read if not given)."""
    form = PlannedItemForm(**kwargs)
    if future is None:
        future = work_programme.future_meetings(panel, dt.date.today())
    form.plan_meeting.choices = meeting_choices(future, services.local_start,
                                                _("No meeting chosen yet"))
    return form


def _programme_page(panel: Any, status: int = 200, *, form: PlannedItemForm | None = None,
                    failed: Any = None, conflict: str | None = None,
                    schedule: dict[int, SchedulePlannedForm] | None = None) -> Page:
    items = work_programme.planned_items(panel)
    future = work_programme.future_meetings(panel, dt.date.today())
    choices = meeting_choices(future, services.local_start, _("Choose the meeting"))
    forms = dict(schedule or {})
    for item in items:
        if item.id not in forms:
            forms[item.id] = SchedulePlannedForm(
                formdata=None, prefix=f"plan-{item.id}",
                data={"schedule_meeting": str(item.planned_meeting_id or ""),
                      "schedule_version": str(item.version)})
        forms[item.id].schedule_meeting.choices = choices
    return render_template(
        "meetings/admin_work_programme.html", council=g.council, panel=panel, items=items,
        form=form or _plan_form(panel, future, formdata=None), schedule_forms=forms,
        can_manage=_may_manage(), errors=_errors(failed), conflict=conflict,
        local_start=services.local_start), status


@meeting_admin.get("/panels/<panel>/work-programme")
def work_programme_page(panel: str) -> Page:
    """The panel's forward work programme, with a form to add to it."""
    return _programme_page(services.panel_or_404(g.council, panel))


def _plan_values(form: PlannedItemForm) -> dict[str, Any]:
    chosen = form.plan_meeting.data
    return {"title": (form.plan_title.data or "").strip(),
            "brought_by": (form.plan_brought_by.data or "").strip(),
            "meeting_id": int(chosen) if chosen and str(chosen).isdigit() else None,
            "month": form.plan_month.data, "notes": (form.plan_notes.data or "").strip()}


@meeting_admin.post("/panels/<panel>/work-programme")
@require(Permission.MANAGE_PANEL)
def add_planned_item(panel: str) -> Page | Response:
    """Add an item to the work programme."""
    found = services.panel_or_404(g.council, panel)
    form = _plan_form(found)
    if not form.validate_on_submit():
        return _programme_page(found, 400, form=form, failed=form)
    try:
        work_programme.add_planned_item(found, **_plan_values(form))
    except FieldError as error:
        form[error.field].errors.append(str(error))
        return _programme_page(found, 400, form=form, failed=form)
    flash(_("Item added to the work programme."))
    return redirect(url_for(".work_programme_page", panel=found.key))


def _planned_page(panel: Any, item: PlannedItem, form: PlannedItemForm, status: int = 200,
                  *, failed: Any = None, conflict: str | None = None) -> Page:
    return render_template(
        "meetings/admin_planned_item.html", council=g.council, panel=panel, item=item,
        form=form, errors=_errors(failed), conflict=conflict), status


@meeting_admin.get("/panels/<panel>/work-programme/<int:item_id>")
@require(Permission.MANAGE_PANEL)
def planned_item(panel: str, item_id: int) -> Page:
    """Change an item of the work programme."""
    found = services.panel_or_404(g.council, panel)
    item = work_programme.planned_item_or_404(found, item_id)
    form = _plan_form(found, formdata=None, data={
        "plan_title": item.title, "plan_brought_by": item.brought_by,
        "plan_meeting": str(item.planned_meeting_id or ""), "plan_month": item.planned_month,
        "plan_notes": item.notes, "plan_version": str(item.version)})
    return _planned_page(found, item, form)


@meeting_admin.post("/panels/<panel>/work-programme/<int:item_id>")
@require(Permission.MANAGE_PANEL)
def update_planned_item(panel: str, item_id: int) -> Page | Response:
    """Save a changed item of the work programme."""
    found = services.panel_or_404(g.council, panel)
    item = work_programme.planned_item_or_404(found, item_id)
    form = _plan_form(found)
    if not form.validate_on_submit():
        return _planned_page(found, item, form, 400, failed=form)
    try:
        work_programme.update_planned_item(found, item, **_plan_values(form),
                                           version=form.plan_version.data)
    except FieldError as error:
        form[error.field].errors.append(str(error))
        return _planned_page(found, item, form, 400, failed=form)
    except EditConflict:
        fresh = work_programme.planned_item_or_404(found, item_id)
        form.plan_version.data = str(fresh.version)
        return _planned_page(found, fresh, form, 409,
                             conflict=_conflict_message("planned_item", item_id))
    flash(_("Work programme item saved."))
    return redirect(url_for(".work_programme_page", panel=found.key))


@meeting_admin.post("/panels/<panel>/work-programme/<int:item_id>/schedule")
@require(Permission.MANAGE_PANEL)
def schedule_planned_item(panel: str, item_id: int) -> Page | Response:
    """Pull a planned item into a meeting's agenda."""
    found = services.panel_or_404(g.council, panel)
    item = work_programme.planned_item_or_404(found, item_id)
    form = SchedulePlannedForm(prefix=f"plan-{item.id}")
    form.schedule_meeting.choices = []
    if not form.validate_on_submit():
        return _programme_page(found, 400, failed=form, schedule={item.id: form})
    chosen = form.schedule_meeting.data
    try:
        added = work_programme.schedule_planned_item(
            found, item, int(chosen) if chosen and str(chosen).isdigit() else None,
            form.schedule_version.data)
    except FieldError as error:
        form[error.field].errors.append(str(error))
        return _programme_page(found, 400, failed=form, schedule={item.id: form})
    except EditConflict:
        return _programme_page(found, 409,
                               conflict=_conflict_message("planned_item", item_id))
    flash(_("Item put on the agenda."))
    return redirect(url_for(".agenda_item", meeting_id=added.meeting_id, item_id=added.id))
