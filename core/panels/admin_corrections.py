"""Admin pages that put right a mistaken appointment: correct its start date and on whose
behalf it is held, or withdraw it (routes of the membership admin)."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from core.audit import history_of, last_change, who_and_when
from core.auth.permissions import Permission, require
from core.forms import EditConflict
from core.models import Membership, Panel
from core.panels.admin_views import Page, membership_admin
from core.panels.correction_forms import CorrectMembershipForm, WithdrawMembershipForm
from core.panels.corrections import attendance_count, correct_membership, withdraw_membership
from core.panels.membership import MembershipError, membership_or_404
from core.panels.services import panel_or_404
from core.translations import gettext as _


def _correct_page(panel: Panel, membership: Membership, *, correct: Any = None,
                  withdraw: Any = None, status: int = 200, conflict: str | None = None
                  ) -> Page:
    """The page of both forms: ``correct`` or ``withdraw`` as posted (its errors in the
    summary), the other filled from what is saved."""
    version = str(membership.version)
    correct = correct or CorrectMembershipForm(formdata=None, data={
        "start": membership.start, "on_behalf_of": membership.on_behalf_of,
        "version": version})
    withdraw = withdraw or WithdrawMembershipForm(formdata=None,
                                                  data={"withdraw_version": version})
    return render_template(
        "panels/admin_correct.html", council=g.council, panel=panel, membership=membership,
        correct=correct, withdraw=withdraw, conflict=conflict,
        attended=attendance_count(membership),
        history=history_of("membership", membership.id, g.council.id)), status


def _found(panel: str, membership_id: int) -> tuple[Panel, Membership]:
    found = panel_or_404(g.council, panel)
    return found, membership_or_404(g.council, found, membership_id)


def _conflict_message(membership_id: int) -> str:
    changed = _("%(who)s saved a change to this membership on %(when)s, after you opened it.",
                **who_and_when(last_change("membership", membership_id, g.council.id)))
    return f"{changed} " + _("Nothing has been saved: check what is saved now, then try "
                             "again.")


@membership_admin.get("/<panel>/memberships/<int:membership_id>/correct")
@require(Permission.MANAGE_PANEL)
def correct_form(panel: str, membership_id: int) -> Page:
    """Correct or withdraw a mistaken appointment."""
    return _correct_page(*_found(panel, membership_id))


@membership_admin.post("/<panel>/memberships/<int:membership_id>/correct")
@require(Permission.MANAGE_PANEL)
def correct(panel: str, membership_id: int) -> Page | Response:
    """Save the corrected start date and on whose behalf."""
    found, membership = _found(panel, membership_id)
    form = CorrectMembershipForm()
    if not form.validate_on_submit():
        return _correct_page(found, membership, correct=form, status=400)
    assert form.start.data is not None
    try:
        correct_membership(membership, start=form.start.data,
                           on_behalf_of=form.on_behalf_of.data, version=form.version.data)
    except EditConflict:
        found, membership = _found(panel, membership_id)
        form.version.data = str(membership.version)
        return _correct_page(found, membership, correct=form, status=409,
                             conflict=_conflict_message(membership_id))
    except MembershipError as error:
        getattr(form, error.field).errors = [str(error)]
        return _correct_page(found, membership, correct=form, status=400)
    flash(_("Corrected the membership of %(name)s (%(seat)s).", name=membership.person.name,
            seat=membership.seat.role))
    return redirect(url_for(".show", panel=found.key))


@membership_admin.post("/<panel>/memberships/<int:membership_id>/withdraw")
@require(Permission.MANAGE_PANEL)
def withdraw(panel: str, membership_id: int) -> Page | Response:
    """Withdraw the appointment as if it had never been made."""
    found, membership = _found(panel, membership_id)
    form = WithdrawMembershipForm()
    if not form.validate_on_submit():
        return _correct_page(found, membership, withdraw=form, status=400)
    name, seat = membership.person.name, membership.seat.role
    try:
        withdraw_membership(membership, version=form.withdraw_version.data)
    except EditConflict:
        found, membership = _found(panel, membership_id)
        form.withdraw_version.data = str(membership.version)
        return _correct_page(found, membership, withdraw=form, status=409,
                             conflict=_conflict_message(membership_id))
    flash(_("Withdrew the appointment of %(name)s to %(seat)s. The history of changes keeps "
            "what was recorded.", name=name, seat=seat))
    return redirect(url_for(".show", panel=found.key))
