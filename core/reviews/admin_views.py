"""Admin pages for review cycles: what is due, and recording a review."""

from __future__ import annotations

import datetime as dt

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from core.admin.scoping import admin_blueprint
from core.audit import history_of
from core.auth.permissions import Permission, can, require
from core.models import ReviewCycle
from core.pledges.forms import OwnerForm
from core.pledges.owner_forms import add_posted_owner, owner_choices
from core.reviews.forms import RecordReviewForm, RecordReviewSettingDueForm
from core.reviews.owners import add_owner, owners_of, remove_owner
from core.reviews.services import (
    ReviewError,
    protocol_reviewed,
    record_review,
    review_cycle_or_404,
    review_cycles_with_protocols,
    reviews_of,
)
from core.translations import gettext as _

review_admin = admin_blueprint("review_admin", __name__, "/reviews")


@review_admin.get("")
def index() -> str:
    cycles, protocols = review_cycles_with_protocols(g.council)
    return render_template("reviews/admin_index.html", council=g.council,
                           review_cycles=cycles, today=dt.date.today(), protocols=protocols)


def _form(cycle: ReviewCycle) -> RecordReviewForm:
    """The form to record a review; it asks for the next due date too when the cycle's
    published interval does not settle it."""
    return RecordReviewSettingDueForm() if cycle.interval_uncertain else RecordReviewForm()


def _page(cycle: ReviewCycle, form: RecordReviewForm, status: int = 200,
          owner: OwnerForm | None = None) -> tuple[str, int]:
    can_manage = can(current_user, Permission.MANAGE_CONTENT, g.council.id)
    if owner is None and can_manage:
        owner = OwnerForm(formdata=None)
    if owner is not None:
        owner.user.choices = owner_choices(g.council)
    return render_template(
        "reviews/admin_show.html", council=g.council, cycle=cycle, form=form,
        protocol=protocol_reviewed(cycle), reviews=reviews_of(cycle), today=dt.date.today(),
        history=history_of("review_cycle", cycle.id, g.council.id),
        owners=owners_of(cycle), owner=owner, can_manage=can_manage,
        can_record=can(current_user, Permission.MANAGE_PANEL, g.council.id)), status


@review_admin.get("/<key>")
def show(key: str) -> tuple[str, int]:
    cycle = review_cycle_or_404(g.council, key)
    return _page(cycle, _form(cycle))


@review_admin.post("/<key>")
@require(Permission.MANAGE_PANEL)
def record(key: str) -> tuple[str, int] | Response:
    cycle = review_cycle_or_404(g.council, key)
    form = _form(cycle)
    if not form.validate_on_submit():
        return _page(cycle, form, 400)
    assert form.done_on.data is not None and form.outcome.data is not None
    try:
        record_review(cycle, done_on=form.done_on.data, outcome=form.outcome.data.strip(),
                      recorded_by=current_user.email,
                      next_due=form.next_due.data
                      if isinstance(form, RecordReviewSettingDueForm) else None)
    except ReviewError as error:
        form[error.field].errors = [str(error)]
        return _page(cycle, form, 400)
    protocol = protocol_reviewed(cycle)
    flash(_("Review of %(document)s recorded.",
            document=protocol.title if protocol else cycle.subject))
    return redirect(url_for(".show", key=key))


@review_admin.post("/<key>/owners")
@require(Permission.MANAGE_CONTENT)
def add_review_owner(key: str) -> tuple[str, int] | Response:
    """Assign an account as an owner of the review cycle (``cpt remind`` tells owners
    when its review is due)."""
    cycle = review_cycle_or_404(g.council, key)
    form, added = add_posted_owner(
        g.council, lambda user_id: add_owner(g.council, cycle, user_id), ReviewError)
    if added:
        return redirect(url_for(".show", key=key))
    return _page(cycle, _form(cycle), 400, owner=form)


@review_admin.post("/<key>/owners/<int:user_id>/remove")
@require(Permission.MANAGE_CONTENT)
def remove_review_owner(key: str, user_id: int) -> Response:
    remove_owner(review_cycle_or_404(g.council, key), user_id)
    flash(_("Owner removed."))
    return redirect(url_for(".show", key=key))
