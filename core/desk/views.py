"""The clerk's desk and "My actions", and where each person lands after signing in."""

from __future__ import annotations

from collections.abc import Sequence

from flask import g, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from core.admin.scoping import admin_blueprint
from core.admin.views import admin
from core.auth.models import Role, User
from core.auth.permissions import Permission, can, councils_visible_to, role_in
from core.councils.models import Council
from core.desk.reads import DUE_SOON_DAYS, desk, my_actions
from core.extensions import db
from core.panels.membership import TERM_ENDING_DAYS

desk_admin = admin_blueprint("desk_admin", __name__, "/desk")
my_actions_admin = admin_blueprint("my_actions_admin", __name__, "/my-actions")

#: Roles that land on their council's desk, and those that land on "My actions".
CLERKS = frozenset({Role.PANEL_ADMIN, Role.COUNCIL_ADMIN})
CONTRIBUTORS = frozenset({Role.CONTRIBUTOR})


def landing_page(user: User, councils: Sequence[Council]) -> str | None:
    """Where ``user`` lands after signing in, given the ``councils`` they may see, when that
    is not the list of councils: a clerk (panel or council administrator) of exactly one
    council lands on its desk, a contributor of exactly one council on "My actions". Site
    administrators, viewers and anyone with roles in several councils get the list
    (``None``)."""
    if user.site_admin or len(councils) != 1:
        return None
    council = councils[0]
    role = role_in(user, council.id)
    if role in CLERKS:
        return url_for("desk_admin.show", council=council.slug)
    if role in CONTRIBUTORS:
        return url_for("my_actions_admin.show", council=council.slug)
    return None


@admin.get("/start")
@login_required
def start() -> Response:
    """Where signing in leads when no other page was asked for: the desk or "My actions"
    (see :func:`landing_page`), else the list of councils."""
    visible = councils_visible_to(current_user)
    councils: Sequence[Council] = []
    if visible is not None and len(visible) == 1:
        councils = db.session.scalars(select(Council).where(
            Council.id.in_(visible), Council.archived_at.is_(None))).all()
    return redirect(landing_page(current_user, councils) or url_for("admin.index"))


@desk_admin.get("", endpoint="show")
def desk_page() -> str:
    """The next meeting of each panel and what is missing for it, overdue actions arising,
    vacancies, terms ending and reviews due."""
    return render_template(
        "desk/desk.html", council=g.council, desk=desk(g.council), days=TERM_ENDING_DAYS,
        role=role_in(current_user, g.council.id),
        can_manage=can(current_user, Permission.MANAGE_PANEL, g.council.id))


@my_actions_admin.get("", endpoint="show")
def my_actions_page() -> str:
    """The action-plan actions the signed-in user owns: overdue, due soon, later, complete."""
    return render_template(
        "desk/my_actions.html", council=g.council,
        mine=my_actions(g.council, current_user.id), days=DUE_SOON_DAYS)
