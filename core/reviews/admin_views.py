"""Admin pages for review cycles: what is due, and recording a review."""

from __future__ import annotations

import datetime as dt

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from core.admin.scoping import admin_blueprint
from core.audit import history_of
from core.auth.permissions import Permission, can, require
from core.models import ReviewCycle
from core.reviews.forms import RecordReviewForm
from core.reviews.services import (
    record_review,
    review_cycle_or_404,
    review_cycles_of,
    reviews_of,
)

review_admin = admin_blueprint("review_admin", __name__, "/reviews")


@review_admin.get("")
def index() -> str:
    return render_template("reviews/admin_index.html", council=g.council,
                           review_cycles=review_cycles_of(g.council), today=dt.date.today())


def _page(cycle: ReviewCycle, form: RecordReviewForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "reviews/admin_show.html", council=g.council, cycle=cycle, form=form,
        reviews=reviews_of(cycle), today=dt.date.today(),
        history=history_of("review_cycle", cycle.id, g.council.id),
        can_record=can(current_user, Permission.MANAGE_PANEL, g.council.id)), status


@review_admin.get("/<key>")
def show(key: str) -> tuple[str, int]:
    return _page(review_cycle_or_404(g.council, key), RecordReviewForm())


@review_admin.post("/<key>")
@require(Permission.MANAGE_PANEL)
def record(key: str) -> tuple[str, int] | Response:
    cycle = review_cycle_or_404(g.council, key)
    form = RecordReviewForm()
    if not form.validate_on_submit():
        return _page(cycle, form, 400)
    assert form.done_on.data is not None and form.outcome.data is not None
    record_review(cycle, done_on=form.done_on.data, outcome=form.outcome.data.strip(),
                  recorded_by=current_user.email)
    flash(_("Review recorded."))
    return redirect(url_for(".show", key=key))
