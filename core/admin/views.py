"""The admin's front pages: the councils you may see, and each council's to-do list."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, g, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from core.admin.scoping import admin_blueprint
from core.auth import two_factor
from core.auth.permissions import Permission, can, councils_visible_to, role_in
from core.extensions import db
from core.models import Council
from core.plugins import plugin_host
from core.reviews.services import review_cycles_of

admin = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
council_admin = admin_blueprint("council_admin", __name__)


@admin.get("/")
@login_required
def index() -> str:
    visible = councils_visible_to(current_user)
    query = select(Council).where(Council.archived_at.is_(None)).order_by(Council.name)
    if visible is not None:
        query = query.where(Council.id.in_(visible))
    return render_template("admin/index.html", councils=db.session.scalars(query).all(),
                           may_use_two_step=two_factor.may_use(current_user))


@admin.get("/plugins")
@login_required
def plugins() -> str:
    """Every plugin's version, councils, hooks, status and errors (site administrators)."""
    if not can(current_user, Permission.MANAGE_USERS):
        abort(403)
    return render_template("admin/plugins.html", host=plugin_host())


@council_admin.get("/")
def home() -> str:
    council, today = g.council, dt.date.today()
    cycles = [(cycle, cycle.state_on(today)) for cycle in review_cycles_of(council)]
    return render_template(
        "admin/home.html", council=council, today=today,
        due=[(cycle, state) for cycle, state in cycles
             if state in ("overdue", "due_soon")],
        role=role_in(current_user, council.id),
        can_manage_panel=can(current_user, Permission.MANAGE_PANEL, council.id),
        can_manage_users=can(current_user, Permission.MANAGE_COUNCIL_USERS, council.id))
