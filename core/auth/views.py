"""Signing in and out, loading the signed-in user, and naming them as the actor of changes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import RequestLimit
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from core.audit import reset_actor, set_actor
from core.auth import two_factor
from core.auth.account_views import register_account_pages
from core.auth.forms import CodeForm, SignInForm, TurnOffForm, TurnOnForm
from core.auth.services import authenticate
from core.auth.sessions import (
    SignedIn,
    await_second_factor,
    end_session,
    pending_second_factor,
    session_expired,
    start_session,
    user_for_session,
)
from core.auth.throttle import limit_sign_in, minutes_to_wait
from core.extensions import login_manager
from core.translations import gettext as _
from core.translations import ngettext

auth = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so that a link cannot send someone elsewhere after sign-in
    (control characters, such as a CR/LF splitting a header, are refused with a 400)."""
    if target:
        if any(ord(character) < 32 or ord(character) == 127 for character in target):
            abort(400, description=_("The page to return to after signing in is not valid."))
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//") and "\\" not in target:
            return target
    return url_for("admin.start")  # a clerk's desk, a contributor's actions, or the list


def _sign_in_page(form: SignInForm, status: int) -> Response:
    return make_response(render_template("auth/login.html", form=form), status)


def _too_many(limit: RequestLimit) -> Response:
    """The answer once a sign-in limit is reached: the same for every address."""
    form = SignInForm()
    minutes = minutes_to_wait(limit)
    form.email.errors = [ngettext(
        "Too many failed sign-ins from your connection. Try again in %(num)d minute.",
        "Too many failed sign-ins from your connection. Try again in %(num)d minutes.",
        minutes)]
    response = _sign_in_page(form, 429)
    response.headers["Retry-After"] = str(minutes * 60)
    return response


@auth.route("/login", methods=["GET", "POST"])
def login() -> Response:
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            target = _safe_next(request.args.get("next"))
            if user.totp_secret:
                await_second_factor(user, target)
                return redirect(url_for("auth.second_factor"))
            start_session(user)
            return redirect(target)
        form.email.errors.append(_("Enter a correct email address and password"))
    return _sign_in_page(form, 200 if not form.errors else 400)


@auth.route("/login/code", methods=["GET", "POST"])
def second_factor() -> Response:
    """The second step of signing in, for an account with two-step sign-in on."""
    pending = pending_second_factor()
    if pending is None:
        flash(_("Sign in again: two-step sign-in waits five minutes for the code."))
        return redirect(url_for("auth.login"))
    user, target = pending
    form = CodeForm()
    if form.validate_on_submit():
        if two_factor.verify(user, form.code.data or ""):
            start_session(user)
            return redirect(target or url_for("admin.index"))
        form.code.errors.append(_("Enter a correct code"))
    return make_response(render_template("auth/second_factor.html", form=form),
                         200 if not form.errors else 400)


@auth.route("/account/two-step", methods=["GET", "POST"])
@login_required
def two_step() -> Response:
    """Turn two-step sign-in on (with a new secret and recovery codes) or off."""
    user = current_user._get_current_object()
    if not two_factor.may_use(user):
        abort(403)
    if user.totp_secret:
        off = TurnOffForm()
        if off.validate_on_submit():
            if two_factor.verify(user, off.code.data or ""):
                two_factor.disable(user)
                flash(_("Two-step sign-in is off."))
                return redirect(url_for("auth.two_step"))
            off.code.errors.append(_("Enter a correct code"))
        return make_response(render_template("auth/two_step.html", off=off, user=user),
                             200 if not off.errors else 400)
    secret = session.setdefault("totp_pending_secret", two_factor.new_secret())
    on = TurnOnForm()
    if on.validate_on_submit():
        codes = two_factor.enable(user, secret, on.code.data or "")
        if codes is not None:
            session.pop("totp_pending_secret", None)
            login_user(user)  # the same session, with the user's new token
            return make_response(render_template("auth/two_step.html", codes=codes,
                                                 user=user))
        on.code.errors.append(_("Enter the code your authenticator app shows now"))
    return make_response(render_template(
        "auth/two_step.html", on=on, user=user, secret=secret,
        uri=two_factor.provisioning_uri(user, secret)), 200 if not on.errors else 400)


@auth.post("/logout")
def logout() -> Response:
    end_session(current_user if current_user.is_authenticated else None)
    flash(_("You have signed out."))
    return redirect(url_for("home.index"))


@login_manager.user_loader
def load_user(user_id: str) -> SignedIn | None:
    return user_for_session(user_id)


def register_auth(app: Flask) -> None:
    """Sign-in pages, the pages of invitations and password resets, sessions that end,
    sign-in limits, and the signed-in user as the actor of every change in a request."""
    app.register_blueprint(auth)
    limit_sign_in(app, ["auth.login", "auth.second_factor"], _too_many)
    register_account_pages(app)

    @app.before_request
    def check_session_and_name_the_actor() -> None:
        # Without cookies there is no session or remembered sign-in to look up.
        if not request.cookies or not current_user.is_authenticated:
            return
        if session_expired():
            end_session(None)
            flash(_("Your session has ended. Sign in again to carry on."))
            return
        g.audit_token = set_actor(current_user.id, current_user.email)

    @app.teardown_request
    def forget_the_actor(error: BaseException | None) -> None:
        token: Any = g.pop("audit_token", None)
        if token is not None:
            reset_actor(token)
