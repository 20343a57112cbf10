"""The admin's users pages: a council's accounts and invitations (its council
administrators and site administrators), and every account (site administrators)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from core.admin.scoping import admin_blueprint
from core.auth.forms import NO_ROLE, AccessForm, InviteForm, RoleForm, SiteAdminForm
from core.auth.invitations import (
    SITE_ADMIN,
    invitable_roles,
    invitation_or_none,
    invite,
    pending_invitations,
    send_again,
    withdraw,
)
from core.auth.models import Role, User
from core.auth.permissions import ROLE_NAMES, Permission, can, require
from core.auth.services import AccountError
from core.auth.sessions import SignedIn
from core.auth.users_admin import (
    account_history,
    account_or_404,
    all_accounts,
    council_accounts,
    may_change_access,
    role_of,
    roles_held,
    set_active,
    set_role,
    set_site_admin,
)
from core.mail.models import SentMail
from core.translations import gettext as _
from core.translations import lazy_gettext as _l

#: A council's users: ``/admin/<council>/users``.
user_admin = admin_blueprint("user_admin", __name__, "/users")
#: Every account: ``/admin/users`` (site administrators).
account_admin = Blueprint("account_admin", __name__, url_prefix="/admin/users",
                          template_folder="templates")

Page = tuple[str, int]

#: How the site administrator "role" is named where roles are chosen.
SITE_ADMIN_NAME = _l("Site administrator (every council)")


def _actor() -> SignedIn:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _role_choices(roles: list[str]) -> list[SelectChoice]:
    return [SelectChoice(role, SITE_ADMIN_NAME if role == SITE_ADMIN
                         else ROLE_NAMES[Role(role)]) for role in roles]


def _stay_signed_in(user: User) -> None:
    """After changing their own access, the administrator keeps this session (with the new
    token the change gave their account; every other session of theirs has ended)."""
    if user.id == _actor().id:
        login_user(user)


def _sent_flash(email: str, record: SentMail) -> None:
    """Say the invitation went; a failure is shown on the list, with its reason."""
    if record.sent:
        flash(_("Invitation sent to %(email)s.", email=email))


# --- a council's users ------------------------------------------------------------------------


@user_admin.get("")
@require(Permission.MANAGE_COUNCIL_USERS)
def index() -> str:
    return render_template("auth/admin_users.html", council=g.council,
                           accounts=council_accounts(g.council),
                           invitations=pending_invitations(g.council))


def _invite_form() -> InviteForm:
    form = InviteForm()
    form.role.choices = _role_choices(invitable_roles(_actor().site_admin))
    return form


def _invite_page(form: InviteForm, status: int = 200) -> Page:
    return render_template("auth/admin_invite.html", council=g.council, form=form), status


@user_admin.get("/invite")
@require(Permission.MANAGE_COUNCIL_USERS)
def invite_form() -> Page:
    return _invite_page(_invite_form())


@user_admin.post("/invite")
@require(Permission.MANAGE_COUNCIL_USERS)
def send_invitation() -> Page | Response:
    form = _invite_form()
    if not form.validate_on_submit():
        return _invite_page(form, 400)
    try:
        invitation, record = invite(g.council, form.email.data or "", form.role.data or "",
                                    _actor())
    except AccountError as error:
        getattr(form, error.field).errors = [str(error)]
        return _invite_page(form, 400)
    _sent_flash(invitation.email, record)
    return redirect(url_for(".index"))


@user_admin.post("/invitations/<int:invitation_id>/send")
@require(Permission.MANAGE_COUNCIL_USERS)
def resend_invitation(invitation_id: int) -> Response:
    invitation = invitation_or_none(g.council, invitation_id)
    if invitation is None:
        flash(_("That invitation has been answered or withdrawn already."))
    elif invitation.role == SITE_ADMIN and not _actor().site_admin:
        abort(403)
    else:
        _sent_flash(invitation.email, send_again(invitation, g.council, _actor()))
    return redirect(url_for(".index"))


@user_admin.post("/invitations/<int:invitation_id>/withdraw")
@require(Permission.MANAGE_COUNCIL_USERS)
def withdraw_invitation(invitation_id: int) -> Response:
    invitation = invitation_or_none(g.council, invitation_id)
    if invitation is None:
        flash(_("That invitation has been answered or withdrawn already."))
    else:
        withdraw(invitation)
        flash(_("Withdrawn the invitation to %(email)s: its link no longer works.",
                email=invitation.email))
    return redirect(url_for(".index"))


def _role_form() -> RoleForm:
    form = RoleForm()
    form.role.choices = [*_role_choices([role.value for role in Role]),
                         SelectChoice(NO_ROLE, _l("No role: take away their access to this "
                                                  "council"))]
    return form


def _user_page(user: User, role_form: RoleForm | None = None,
               access_form: AccessForm | None = None, status: int = 200) -> Page:
    actor, council = _actor(), g.council
    role = role_of(user, council)
    if role_form is None and (not user.site_admin or actor.site_admin):
        role_form = _role_form()
        role_form.role.data = role or NO_ROLE
    if access_form is None and may_change_access(actor, user) and user.id != actor.id:
        access_form = AccessForm(active="yes" if user.active else "no")
    return render_template(
        "auth/admin_user.html", council=council, user=user, role=role,
        role_form=role_form,
        access_form=access_form,
        history=account_history(user, council)), status


@user_admin.get("/<int:user_id>")
@require(Permission.MANAGE_COUNCIL_USERS)
def show(user_id: int) -> Page:
    return _user_page(account_or_404(user_id, g.council))


@user_admin.post("/<int:user_id>/role")
@require(Permission.MANAGE_COUNCIL_USERS)
def change_role(user_id: int) -> Page | Response:
    user = account_or_404(user_id, g.council)
    form = _role_form()
    if not form.validate_on_submit():
        return _user_page(user, role_form=form, status=400)
    chosen = None if form.role.data == NO_ROLE else form.role.data
    try:
        set_role(g.council, user, chosen, _actor())
    except AccountError as error:
        form.role.errors = [str(error)]
        return _user_page(user, role_form=form, status=400)
    _stay_signed_in(user)
    if chosen is None:
        flash(_("%(name)s no longer has a role in %(council)s.", name=user.name,
                council=g.council.name))
        if not can(_actor(), Permission.MANAGE_COUNCIL_USERS, g.council.id):
            return redirect(url_for("admin.index"))
        return redirect(url_for(".index"))
    flash(_("Saved the role of %(name)s.", name=user.name))
    if not can(_actor(), Permission.MANAGE_COUNCIL_USERS, g.council.id):
        return redirect(url_for("council_admin.home"))
    return redirect(url_for(".show", user_id=user.id))


@user_admin.post("/<int:user_id>/access")
@require(Permission.MANAGE_COUNCIL_USERS)
def change_access(user_id: int) -> Page | Response:
    user = account_or_404(user_id, g.council)
    form = AccessForm()
    if not form.validate_on_submit():
        return _user_page(user, access_form=form, status=400)
    try:
        set_active(user, form.active.data == "yes", _actor())
    except AccountError as error:
        form.active.errors = [str(error)]
        return _user_page(user, access_form=form, status=400)
    flash(_("%(name)s can sign in.", name=user.name) if user.active else
          _("Deactivated the account of %(name)s: they are signed out.", name=user.name))
    return redirect(url_for(".show", user_id=user.id))


# --- every account (site administrators) ------------------------------------------------------


@account_admin.before_request
@login_required
def site_administrators_only() -> None:
    if not can(current_user, Permission.MANAGE_USERS):
        abort(403)


@account_admin.get("")
def index_all() -> str:
    return render_template("auth/admin_accounts.html", accounts=all_accounts())


def _account_page(user: User, site_form: SiteAdminForm | None = None,
                  access_form: AccessForm | None = None, status: int = 200) -> Page:
    return render_template(
        "auth/admin_account.html", user=user, roles_held=roles_held(user),
        site_form=site_form or SiteAdminForm(site_admin="yes" if user.site_admin else "no"),
        access_form=access_form or (AccessForm(active="yes" if user.active else "no")
                                    if user.id != _actor().id else None),
        history=account_history(user)), status


@account_admin.get("/<int:user_id>")
def account(user_id: int) -> Page:
    return _account_page(account_or_404(user_id))


@account_admin.post("/<int:user_id>/site-admin")
def change_site_admin(user_id: int) -> Page | Response:
    user = account_or_404(user_id)
    form = SiteAdminForm()
    if not form.validate_on_submit():
        return _account_page(user, site_form=form, status=400)
    try:
        set_site_admin(user, form.site_admin.data == "yes", _actor())
    except AccountError as error:
        form.site_admin.errors = [str(error)]
        return _account_page(user, site_form=form, status=400)
    _stay_signed_in(user)
    flash(_("%(name)s is a site administrator.", name=user.name) if user.site_admin else
          _("%(name)s is no longer a site administrator.", name=user.name))
    if not can(_actor(), Permission.MANAGE_USERS):
        return redirect(url_for("admin.index"))
    return redirect(url_for(".account", user_id=user.id))


@account_admin.post("/<int:user_id>/access")
def change_account_access(user_id: int) -> Page | Response:
    user = account_or_404(user_id)
    form = AccessForm()
    if not form.validate_on_submit():
        return _account_page(user, access_form=form, status=400)
    try:
        set_active(user, form.active.data == "yes", _actor())
    except AccountError as error:
        form.active.errors = [str(error)]
        return _account_page(user, access_form=form, status=400)
    flash(_("%(name)s can sign in.", name=user.name) if user.active else
          _("Deactivated the account of %(name)s: they are signed out.", name=user.name))
    return redirect(url_for(".account", user_id=user.id))
