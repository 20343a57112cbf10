"""Admin blueprints: under ``/admin/<council>``, for signed-in users who may see that council."""

from __future__ import annotations

from flask import Blueprint, abort, g
from flask_login import current_user

from core.auth.permissions import Permission, can
from core.councils.scoping import council_blueprint
from core.extensions import login_manager


def admin_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """A blueprint at ``/admin/<council>`` + ``url_prefix``.

    Every request needs a signed-in user (else the sign-in page) who may see the council
    (else 403); views add finer checks with :func:`core.auth.permissions.require`.
    """
    blueprint = council_blueprint(name, import_name, url_prefix, base="/admin")

    @blueprint.before_request
    def signed_in_with_access() -> object:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not can(current_user, Permission.VIEW, g.council.id):
            abort(403)
        return None

    return blueprint
