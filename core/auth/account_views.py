"""The pages reached from emailed links, signed out: accepting an invitation, and asking
for and using a password reset link."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter import RequestLimit
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from core.auth.forms import (
    AcceptAsSignedInForm,
    AcceptInvitationForm,
    ForgottenPasswordForm,
    NewPasswordForm,
)
from core.auth.invitations import accept_as, accept_as_new, invitation_for_token
from core.auth.password_reset import complete_reset, request_reset, reset_for_token
from core.auth.services import AccountError, user_by_email
from core.auth.sessions import end_session, start_session
from core.auth.throttle import every_answer, limit_sign_in, minutes_to_wait
from core.auth.tokens import Unusable
from core.extensions import db
from core.models import Council
from core.translations import gettext as _
from core.translations import ngettext

account = Blueprint("account", __name__, template_folder="templates")


def _page(template: str, status: int = 200, **context: object) -> Response:
    return make_response(render_template(template, **context), status)


def _form_status(form: object) -> int:
    return 400 if getattr(form, "errors", None) else 200


def _unusable(kind: str, why: Unusable) -> Response:
    """The page for a link that no longer works, saying why (404 for a link never made or
    replaced since, 410 for one used, withdrawn or expired)."""
    return _page("auth/link_unusable.html", 404 if why is Unusable.UNKNOWN else 410,
                 kind=kind, why=why.value)


# --- invitations ----------------------------------------------------------------------------


@account.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Response:
    """Accept an invitation: set a name and password for a new account, or, with an
    account already, sign in as it and accept."""
    found, why = invitation_for_token(token)
    if why is not None or found is None:
        return _unusable("invitation", why or Unusable.UNKNOWN)
    council = db.session.get(Council, found.council_id)
    existing = user_by_email(found.email)
    if existing is None:
        form = AcceptInvitationForm()
        if form.validate_on_submit():
            try:
                user = accept_as_new(found, form.name.data or "", form.password.data or "")
            except AccountError as error:
                if error.field != "password":  # an account was made meanwhile
                    flash(str(error))
                    return redirect(request.path)
                form.password.errors = [str(error)]
            else:
                start_session(user)
                flash(_("Welcome, %(name)s: your account is ready.", name=user.name))
                return redirect(url_for("admin.start"))  # the desk, "My actions" or the list
        return _page("auth/invitation_new.html", _form_status(form), form=form,
                     invitation=found, invited_to=council)
    signed_in_as = current_user if current_user.is_authenticated else None
    form = AcceptAsSignedInForm()
    if signed_in_as is not None and signed_in_as.id == existing.id \
            and form.validate_on_submit():
        accept_as(found, existing)
        login_user(existing)  # the same session, with the token its new role gave it
        flash(_("You have accepted the invitation to %(council)s.", council=council.name))
        return redirect(url_for("admin.start"))  # the desk, "My actions" or the list
    return _page("auth/invitation_existing.html", form=form, invitation=found,
                 invited_to=council, signed_in_as=signed_in_as,
                 sign_in=url_for("auth.login", next=request.path))


# --- password reset -------------------------------------------------------------------------


@account.route("/password/forgotten", methods=["GET", "POST"])
def forgotten_password() -> Response:
    """Ask for a link to set a new password: the same answer whatever the address."""
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip()
        deliver = request_reset(email)
        response = _page("auth/reset_sent.html", email=email)
        if deliver is not None:
            response.call_on_close(deliver)  # sent once the answer has gone
        return response
    return _page("auth/forgotten_password.html", _form_status(form), form=form)


@account.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response:
    """Set a new password from a reset link (once); every session of the account ends."""
    reset, user, why = reset_for_token(token)
    if why is not None or reset is None or user is None:
        return _unusable("reset", why or Unusable.UNKNOWN)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            complete_reset(reset, user, form.password.data or "")
        except AccountError as error:
            form.password.errors = [str(error)]
        else:
            end_session(None)
            flash(_("Your password has been changed, and every session of your account has "
                    "ended. Sign in with your new password."))
            return redirect(url_for("auth.login"))
    return _page("auth/reset_password.html", _form_status(form), form=form, user=user)


def _too_many_asks(limit: RequestLimit) -> Response:
    """The answer once the limit of asking for links is reached: the same for every
    address."""
    form = ForgottenPasswordForm()
    minutes = minutes_to_wait(limit)
    form.email.errors = [ngettext(
        "Too many requests from your connection. Try again in %(num)d minute.",
        "Too many requests from your connection. Try again in %(num)d minutes.", minutes)]
    response = _page("auth/forgotten_password.html", 429, form=form)
    response.headers["Retry-After"] = str(minutes * 60)
    return response


def register_account_pages(app: Flask) -> None:
    """The pages, with asking for a reset link limited as signing in is."""
    app.register_blueprint(account)
    limit_sign_in(app, ["account.forgotten_password"], _too_many_asks, counts=every_answer)
