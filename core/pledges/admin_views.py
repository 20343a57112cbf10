"""Admin pages for the action plan: progress, action owners, pledges recorded locally."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from core import row_reads
from core.admin.scoping import admin_blueprint
from core.audit import history_of, last_change, who_and_when
from core.auth.permissions import Permission, can, require
from core.downloads import download
from core.forms import EditConflict
from core.models import Action, Pledge
from core.pledges.forms import LocalPledgeForm, OwnerForm, ProgressForm
from core.pledges.models import ActionStatus
from core.pledges.owner_forms import add_posted_owner, owner_form
from core.pledges.plan_file import plan_file
from core.pledges.progress import (
    ProgressError,
    action_or_404,
    add_owner,
    may_report,
    owned_action_keys,
    owned_action_keys_read,
    owners_of,
    post_update,
    record_local_pledge,
    remove_owner,
    update_local_pledge,
    updates_of,
)
from core.pledges.reads import pledge_lines, pledge_page_card, pledge_page_card_read
from core.pledges.services import pledge_or_404
from core.pledges.status import roll_up_for
from core.translations import gettext as _

pledge_admin = admin_blueprint("pledge_admin", __name__)

Page = tuple[str, int]


@pledge_admin.get("/pledges")
def index() -> str:
    council = g.council
    pledges = pledge_lines(council)
    roll_up = roll_up_for(council)
    return render_template(
        "pledges/admin_index.html", council=council, pledges=pledges, today=roll_up.today,
        roll_up=roll_up,
        mine=owned_action_keys(council, current_user),
        unrecorded=max((council.pledges_declared or 0) - len(pledges), 0),
        can_add=can(current_user, Permission.MANAGE_CONTENT, council.id))


@pledge_admin.get("/pledges/action-plan.<any(csv, xlsx):kind>")
def plan(kind: str) -> Response:
    """The whole action plan as a CSV file or an Excel workbook."""
    found = plan_file(g.council, kind)
    return download(found.body, found.mimetype, found.filename)


@pledge_admin.get("/pledges/<key>")
def pledge(key: str) -> str:
    """One live pledge with its actions, their status and latest progress (the signed-in
    user's own marked), and, for a pledge recorded locally, its history of changes: read
    as rows, the reads that do not depend on one another sent together."""
    council = g.council
    with row_reads.together(pledge_page_card_read(council, key),
                            owned_action_keys_read(council, current_user)):
        (found, updates), mine = (pledge_page_card(council, key),
                                  owned_action_keys(council, current_user))
    roll_up = roll_up_for(council)
    # a pledge from the plugin is changed in the plugin: its page shows no history
    changes = history_of("pledge", found.id, council.id) if found.added_locally else []
    return render_template(
        "pledges/admin_pledge.html", council=council, pledge=found, today=roll_up.today,
        roll_up=roll_up, updates=updates, mine=mine,
        can_edit=found.added_locally and can(current_user, Permission.MANAGE_CONTENT,
                                             council.id),
        history=changes)


# --- progress and owners of one action ---------------------------------------------------


def _action_page(action: Action, progress: ProgressForm | None = None,
                 owner: OwnerForm | None = None, status: int = 200) -> Page:
    council = g.council
    owner = owner or owner_form(council)
    return render_template(
        "pledges/admin_action.html", council=council, action=action, today=dt.date.today(),
        progress=progress or ProgressForm(status=action.status), owner=owner,
        updates=updates_of(action), owners=owners_of(action),
        may_report=may_report(current_user, action),
        can_manage=can(current_user, Permission.MANAGE_CONTENT, council.id),
        history=history_of("action", action.id, council.id)), status


@pledge_admin.get("/actions/<key>")
def action(key: str) -> Page:
    return _action_page(action_or_404(g.council, key))


@pledge_admin.post("/actions/<key>/progress")
@require(Permission.REPORT_PROGRESS)
def post_progress(key: str) -> Page | Response:
    found = action_or_404(g.council, key)
    if not may_report(current_user, found):
        abort(403)
    form = ProgressForm()
    if not form.validate_on_submit():
        return _action_page(found, progress=form, status=400)
    assert form.reported_on.data is not None
    post_update(found, reported_on=form.reported_on.data,
                status=ActionStatus(form.status.data), note=(form.note.data or "").strip(),
                author=current_user.name)
    flash(_("Progress update posted."))
    return redirect(url_for(".action", key=key))


@pledge_admin.post("/actions/<key>/owners")
@require(Permission.MANAGE_CONTENT)
def add_action_owner(key: str) -> Page | Response:
    found = action_or_404(g.council, key)
    form, added = add_posted_owner(
        g.council, lambda user_id: add_owner(g.council, found, user_id), ProgressError)
    if added:
        return redirect(url_for(".action", key=key))
    return _action_page(found, owner=form, status=400)


@pledge_admin.post("/actions/<key>/owners/<int:user_id>/remove")
@require(Permission.MANAGE_CONTENT)
def remove_action_owner(key: str, user_id: int) -> Response:
    remove_owner(action_or_404(g.council, key), user_id)
    flash(_("Owner removed."))
    return redirect(url_for(".action", key=key))


# --- pledges the strategy declares but the plugin does not supply ------------------------


def _local_pledge_or_404(key: str) -> Pledge:
    found = pledge_or_404(g.council, key)
    if not found.added_locally:
        abort(404)
    return found


def _form_page(form: LocalPledgeForm, pledge: Pledge | None = None, status: int = 200,
               conflict: str | None = None) -> Page:
    return render_template("pledges/admin_local_form.html", council=g.council, form=form,
                           pledge=pledge, conflict=conflict), status


@pledge_admin.get("/pledges/new")
@require(Permission.MANAGE_CONTENT)
def new_pledge() -> Page:
    return _form_page(LocalPledgeForm())


@pledge_admin.post("/pledges/new")
@require(Permission.MANAGE_CONTENT)
def create_pledge() -> Page | Response:
    form = LocalPledgeForm()
    if form.validate_on_submit():
        try:
            created = record_local_pledge(g.council, number=form.number.data or 0,
                                          title=(form.title.data or "").strip(),
                                          statement=(form.statement.data or "").strip())
        except ProgressError as error:
            getattr(form, error.field).errors = [str(error)]
        else:
            flash(_("Recorded %(pledge)s %(number)d.", pledge=g.council.word("pledge"),
                    number=created.number))
            return redirect(url_for(".pledge", key=created.key))
    return _form_page(form, status=400)


@pledge_admin.get("/pledges/<key>/edit")
@require(Permission.MANAGE_CONTENT)
def edit_pledge(key: str) -> Page:
    found = _local_pledge_or_404(key)
    return _form_page(LocalPledgeForm(obj=found, version=str(found.version)), found)


@pledge_admin.post("/pledges/<key>/edit")
@require(Permission.MANAGE_CONTENT)
def update_pledge(key: str) -> Page | Response:
    found = _local_pledge_or_404(key)
    form = LocalPledgeForm()
    if not form.validate_on_submit():
        return _form_page(form, found, 400)
    try:
        update_local_pledge(g.council, found, number=form.number.data or 0,
                            title=(form.title.data or "").strip(),
                            statement=(form.statement.data or "").strip(),
                            version=form.version.data)
    except EditConflict:
        found = _local_pledge_or_404(key)
        form.version.data = str(found.version)
        return _form_page(form, found, 409, conflict=_(
            "%(who)s saved a change to this %(pledge)s on %(when)s, after you opened it. "
            "Your changes are below but have not been saved: check the current wording, "
            "then save again to replace it.", pledge=g.council.word("pledge"),
            **who_and_when(last_change("pledge", found.id, g.council.id))))
    except ProgressError as error:
        getattr(form, error.field).errors = [str(error)]
        return _form_page(form, found, 400)
    flash(_("Saved."))
    return redirect(url_for(".pledge", key=key))
