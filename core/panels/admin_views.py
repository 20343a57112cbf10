"""Admin pages for who sits on a council's panels: appointments, endings, history, and
erasing a person's details."""

from __future__ import annotations

import datetime as dt

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from core import dates, row_reads
from core.admin.scoping import admin_blueprint
from core.attendance.statistics import (
    MunicipalYear,
    panel_statistics,
    panel_statistics_read,
    person_statistics,
    year_asked,
)
from core.attendance.year_chart import (
    attendance_chart,
    attendance_words,
    year_attendance,
    year_attendance_read,
)
from core.audit import history_of, last_change, who_and_when
from core.auth.permissions import Permission, can, require
from core.charts.service import svg_response
from core.forms import EditConflict
from core.models import Membership, Panel, Person
from core.panels.contact import EmailForm, set_email
from core.panels.erasure import (
    ERASE,
    ErasureReason,
    erase_person,
    erasure_of,
    held_by,
    placeholder,
)
from core.panels.forms import AppointForm, EndMembershipForm, EraseForm
from core.panels.membership import (
    TERM_ENDING_DAYS,
    MembershipError,
    appoint,
    audit_events,
    end_membership,
    holders_on,
    membership_or_404,
    memberships_from_read,
    panel_membership,
    panel_summaries,
    people_of,
    person_history,
    person_or_404,
    seat_history,
    seat_or_404,
)
from core.panels.reads import PanelKey, panel_record_or_404, panel_record_reads
from core.panels.services import panel_or_404, panels_of
from core.panels.young_people import name_hint
from core.translations import gettext as _
from core.translations import ngettext

membership_admin = admin_blueprint("membership_admin", __name__, "/panels")

Page = tuple[str, int]


def _can_manage() -> bool:
    return can(current_user, Permission.MANAGE_PANEL, g.council.id)


@membership_admin.get("")
def index() -> str:
    today = dates.today()
    return render_template("panels/admin_index.html", council=g.council,
                           summaries=panel_summaries(g.council, panels_of(g.council), today),
                           days=TERM_ENDING_DAYS)


def _year(today: dt.date) -> tuple[MunicipalYear, MunicipalYear]:
    """(the municipal year the page's ``?year=`` asks for, the one of ``today``)."""
    return year_asked(request.args.get("year"), today), MunicipalYear.containing(today)


@membership_admin.get("/<panel>")
def show(panel: str) -> str:
    """The panel's seats with their holders, terms ending soon, the rules' findings and
    attendance over a municipal year (``?year=``), read as rows."""
    council, on = g.council, dates.today()
    named, (year, current) = PanelKey(council.id, panel), _year(on)
    with row_reads.together(*panel_record_reads(council, panel, standing_items=False),
                            memberships_from_read(named, on), panel_statistics_read(named, year),
                            year_attendance_read(named, year, on)):
        found = panel_record_or_404(council, panel, standing_items=False)
        membership = panel_membership(council, found, on)
        statistics = panel_statistics(found, year)
        text = attendance_words(year_attendance(found, year, on), found.name)
    return render_template("panels/admin_show.html", council=council, panel=found,
                           membership=membership, days=TERM_ENDING_DAYS,
                           can_manage=_can_manage(), statistics=statistics,
                           current_year=current, attendance=text)


@membership_admin.get("/<panel>/attendance.svg")
def attendance_svg(panel: str) -> Response:
    """Attendance at each meeting of the municipal year asked for (``?year=``), as on the
    chart of the panel's public attendance page."""
    found = panel_or_404(g.council, panel)
    year, _current = _year(dates.today())
    return svg_response(attendance_chart(year_attendance(found, year), _(
        "Attendance at %(panel)s, municipal year %(year)s", panel=found.name,
        year=year.label)))


# --- appointing ----------------------------------------------------------------------------


def _appoint_form(panel: Panel) -> AppointForm:
    form = AppointForm()
    form.seat.choices = [("", _("Choose a seat"))] + [(s.key, s.role) for s in panel.seats]
    form.person.choices = [("", _("Someone new (type their name below)"))] + [
        (str(p.id), p.name) for p in people_of(g.council)]
    form.new_name.description = name_hint(g.council.young_people_names)
    return form


def _appoint_page(panel: Panel, form: AppointForm, status: int = 200) -> Page:
    return render_template("panels/admin_appoint.html", council=g.council, panel=panel,
                           form=form), status


@membership_admin.get("/<panel>/appoint")
@require(Permission.MANAGE_PANEL)
def appoint_form(panel: str) -> Page:
    found = panel_or_404(g.council, panel)
    form = _appoint_form(found)
    form.seat.data = request.args.get("seat", "")
    return _appoint_page(found, form)


@membership_admin.post("/<panel>/appoint")
@require(Permission.MANAGE_PANEL)
def appoint_person(panel: str) -> Page | Response:
    found = panel_or_404(g.council, panel)
    form = _appoint_form(found)
    if not form.validate_on_submit():
        return _appoint_page(found, form, 400)
    assert form.start.data is not None
    try:
        membership = appoint(g.council, found, seat_key=form.seat.data or "",
                             person_id=form.person_id, new_name=form.new_name.data,
                             start=form.start.data, end=form.end.data,
                             on_behalf_of=form.on_behalf_of.data)
    except MembershipError as error:
        getattr(form, error.field).errors = [str(error)]
        return _appoint_page(found, form, 400)
    to, name = membership.seat, membership.person.name
    message = _("Appointed %(name)s to %(seat)s.", name=name, seat=to.role)
    held = holders_on(to, max(membership.start, dates.today()))
    if to.count is not None and held > to.count:
        message += " " + ngettext(
            "Warning: %(seat)s now has %(held)d members for %(num)d place.",
            "Warning: %(seat)s now has %(held)d members for %(num)d places.", to.count,
            seat=to.role, held=held)
    flash(message)
    return redirect(url_for(".show", panel=found.key))


# --- ending --------------------------------------------------------------------------------


def _end_page(panel: Panel, membership: Membership, form: EndMembershipForm,
              status: int = 200, conflict: str | None = None) -> Page:
    return render_template(
        "panels/admin_end.html", council=g.council, panel=panel, membership=membership,
        form=form, conflict=conflict,
        history=history_of("membership", membership.id, g.council.id)), status


@membership_admin.get("/<panel>/memberships/<int:membership_id>/end")
@require(Permission.MANAGE_PANEL)
def end_form(panel: str, membership_id: int) -> Page:
    found = panel_or_404(g.council, panel)
    membership = membership_or_404(g.council, found, membership_id)
    form = EndMembershipForm(version=str(membership.version))
    if membership.ended_reason:
        form.end.data, form.reason.data = membership.end, membership.ended_reason
    return _end_page(found, membership, form)


@membership_admin.post("/<panel>/memberships/<int:membership_id>/end")
@require(Permission.MANAGE_PANEL)
def end(panel: str, membership_id: int) -> Page | Response:
    found = panel_or_404(g.council, panel)
    membership = membership_or_404(g.council, found, membership_id)
    form = EndMembershipForm()
    if not form.validate_on_submit():
        return _end_page(found, membership, form, 400)
    assert form.end.data is not None and form.reason.data is not None
    try:
        end_membership(membership, end=form.end.data, reason=form.reason.data,
                       version=form.version.data)
    except EditConflict:
        membership = membership_or_404(g.council, found, membership_id)
        form.version.data = str(membership.version)
        said = _("Nothing you typed has been saved: check the end date and reason saved "
                 "now, then save again to replace them.")
        changed = _("%(who)s saved a change to this membership on %(when)s, after you opened "
                    "it.", **who_and_when(last_change("membership", membership.id,
                                                      g.council.id)))
        return _end_page(found, membership, form, 409, conflict=f"{changed} {said}")
    except MembershipError as error:
        getattr(form, error.field).errors = [str(error)]
        return _end_page(found, membership, form, 400)
    flash(_("Ended the membership of %(name)s (%(seat)s).", name=membership.person.name,
            seat=membership.seat.role))
    return redirect(url_for(".show", panel=found.key))


# --- history -------------------------------------------------------------------------------


def _labels(memberships: list[Membership], person: Person | None = None
            ) -> dict[tuple[str, int | None], str]:
    """How each audited record is named in a history of changes."""
    labels: dict[tuple[str, int | None], str] = {
        ("membership", m.id): _("%(name)s in the seat %(seat)s", name=m.person.name,
                                seat=m.seat.role) for m in memberships}
    if person is not None:
        labels["person", person.id] = _("The person %(name)s", name=person.name)
    return labels


@membership_admin.get("/<panel>/seats/<seat>")
def seat(panel: str, seat: str) -> str:
    found = panel_or_404(g.council, panel)
    held = seat_or_404(found, seat)
    memberships = seat_history(held)
    return render_template(
        "panels/admin_seat.html", council=g.council, panel=found, seat=held,
        memberships=memberships, events=audit_events(g.council, memberships),
        labels=_labels(memberships),
        today=dates.today(), can_manage=_can_manage())


@membership_admin.get("/people/<int:person_id>")
def person(person_id: int) -> str:
    who = person_or_404(g.council, person_id)
    memberships = person_history(who)
    events = audit_events(g.council, memberships, who)
    erasure = next((event for event in events
                    if event.record_type == "person" and event.action == ERASE), None)
    year, current = _year(dates.today())
    return render_template(
        "panels/admin_person.html", council=g.council, person=who, memberships=memberships,
        statistics=person_statistics(g.council, who, year), current_year=current,
        events=events, labels=_labels(memberships, who), erasure=erasure,
        reasons=_reason_labels(), today=dates.today(), can_manage=_can_manage(),
        can_erase=can(current_user, Permission.ERASE_PEOPLE, g.council.id))


# --- erasing -------------------------------------------------------------------------------


def _reason_labels() -> dict[str, str]:
    return {reason.value: reason.label for reason in ErasureReason}


def _erase_page(who: Person, form: EraseForm, status: int = 200,
                conflict: str | None = None) -> Page:
    return render_template(
        "panels/admin_erase.html", council=g.council, person=who, form=form,
        held=held_by(who), erasure=erasure_of(who), reasons=_reason_labels(),
        placeholder=placeholder(g.council), conflict=conflict), status


@membership_admin.get("/people/<int:person_id>/erase")
@require(Permission.ERASE_PEOPLE)
def erase_form(person_id: int) -> Page:
    return _erase_page(person_or_404(g.council, person_id), EraseForm())


@membership_admin.post("/people/<int:person_id>/erase")
@require(Permission.ERASE_PEOPLE)
def erase(person_id: int) -> Page | Response:
    who = person_or_404(g.council, person_id)
    if erasure_of(who) is not None:
        flash(_("This person's details were erased already."))
        return redirect(url_for(".person", person_id=who.id))
    form = EraseForm()
    if not form.validate_on_submit():
        return _erase_page(who, form, 400)
    try:
        erase_person(who, ErasureReason(form.reason.data))
    except EditConflict:
        who = person_or_404(g.council, person_id)
        return _erase_page(who, form, 409, conflict=_(
            "Someone changed this person's records while you were erasing them, so nothing "
            "has been erased. Check the page again, then erase their details."))
    flash(_("Their details have been erased. The seats they held and the meetings they "
            "attended are kept."))
    return redirect(url_for(".person", person_id=who.id))


# --- a person's email address (where circulated papers go) --------------------------------


def _email_page(who: Person, form: EmailForm, status: int = 200,
                conflict: str | None = None) -> Page:
    return render_template("panels/admin_person_email.html", council=g.council, person=who,
                           form=form, erased=erasure_of(who) is not None,
                           conflict=conflict), status


@membership_admin.get("/people/<int:person_id>/email")
@require(Permission.MANAGE_PANEL)
def email_form(person_id: int) -> Page:
    who = person_or_404(g.council, person_id)
    return _email_page(who, EmailForm(formdata=None, data={"email": who.email,
                                                           "was": who.email or ""}))


@membership_admin.post("/people/<int:person_id>/email")
@require(Permission.MANAGE_PANEL)
def set_person_email(person_id: int) -> Page | Response:
    who = person_or_404(g.council, person_id)
    form = EmailForm()
    valid = form.validate_on_submit()
    if erasure_of(who) is not None:
        form.email.errors = [*form.email.errors, _(
            "This person's details were erased: no address can be recorded for them")]
        valid = False
    if not valid:
        return _email_page(who, form, 400)
    try:
        set_email(who, (form.email.data or "").strip(), form.was.data)
    except EditConflict:
        who = person_or_404(g.council, person_id)
        form.was.data = who.email or ""
        return _email_page(who, form, 409, conflict=_(
            "%(who)s changed this person's email address on %(when)s, after you opened "
            "this page: it is now “%(email)s”. What you typed has not been saved: check it, "
            "then save again.", email=who.email or _("none"),
            **who_and_when(last_change("person", who.id, g.council.id))))
    flash(_("Email address saved."))
    return redirect(url_for(".person", person_id=who.id))
