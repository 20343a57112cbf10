"""Signing in and out, loading the signed-in user, and naming them as the actor of changes."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from core.audit import reset_actor, set_actor
from core.auth.forms import SignInForm
from core.auth.models import User
from core.auth.services import authenticate
from core.extensions import db, login_manager

auth = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so that a link cannot send someone elsewhere after sign-in."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//"):
            return target
    return url_for("admin.index")


@auth.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    form = SignInForm()
    if form.validate_on_submit():
        outcome = authenticate(form.email.data or "", form.password.data or "")
        if outcome.user is not None:
            login_user(outcome.user)
            return redirect(_safe_next(request.args.get("next")))
        if outcome.locked_for is not None:
            minutes = max(1, math.ceil(outcome.locked_for.total_seconds() / 60))
            form.email.errors.append(ngettext(
                "Too many failed sign-ins. Try again in %(num)d minute.",
                "Too many failed sign-ins. Try again in %(num)d minutes.", minutes))
        else:
            form.email.errors.append(_("Enter a correct email address and password"))
    status = 200 if not form.errors else 400
    return render_template("auth/login.html", form=form), status


@auth.post("/logout")
def logout() -> Response:
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("home.index"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def register_auth(app: Flask) -> None:
    """Sign-in pages, and the signed-in user as the actor of every change in a request."""
    app.register_blueprint(auth)

    @app.before_request
    def name_the_actor() -> None:
        # Without cookies there is no session or remembered sign-in to look up.
        if request.cookies and current_user.is_authenticated:
            g.audit_token = set_actor(current_user.id, current_user.email)

    @app.teardown_request
    def forget_the_actor(error: BaseException | None) -> None:
        token: Any = g.pop("audit_token", None)
        if token is not None:
            reset_actor(token)
