"""Reporting progress on actions, who owns which action, and pledges recorded locally."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from core import row_reads
from core.auth.models import RoleAssignment, User
from core.auth.permissions import Permission, can
from core.concurrency import commit_or_conflict, lock_for_write, save_if_unchanged
from core.extensions import db
from core.forms import FieldError, check_version
from core.modelbase import ORIGIN_LOCAL
from core.models import Action, ActionOwner, Council, Pledge, ProgressUpdate
from core.pledges.models import ActionStatus
from core.plugins import LOCAL_KEY_PREFIX

if TYPE_CHECKING:
    from core.auth.sessions import SignedIn


class ProgressError(FieldError):
    """A change that cannot be made as asked; ``field`` names the form field at fault."""


def action_or_404(council: Council, key: str) -> Action:
    """One live action of ``council`` with its pledge, or a 404."""
    action = db.session.scalar(
        select(Action).where(Action.council_id == council.id, Action.key == key,
                             Action.archived_at.is_(None))
        .options(joinedload(Action.pledge, innerjoin=True)))
    if action is None:
        abort(404)
    return action


def owner_ids(action: Action) -> set[int]:
    """Ids of the users who own ``action``."""
    return set(db.session.scalars(select(ActionOwner.user_id).where(
        ActionOwner.council_id == action.council_id, ActionOwner.action_id == action.id)))


def owners_of(action: Action) -> list[User]:
    """The users who own ``action``, by name."""
    return list(db.session.scalars(
        select(User).join(ActionOwner, ActionOwner.user_id == User.id)
        .where(ActionOwner.council_id == action.council_id, ActionOwner.action_id == action.id)
        .order_by(User.name)))


#: Built once (the admin's action plan and pledge pages run it on every render).
_OWNED_KEYS = (select(Action.key).join(ActionOwner, ActionOwner.action_id == Action.id)
               .where(ActionOwner.council_id == bindparam("council_id"),
                      ActionOwner.user_id == bindparam("user_id")))


def owned_action_keys_read(council: Council, user: SignedIn) -> row_reads.Read:
    """The statement :func:`owned_action_keys` runs, for a page to send with others."""
    return row_reads.Read(_OWNED_KEYS, {"council_id": council.id, "user_id": user.id})


def owned_action_keys(council: Council, user: SignedIn) -> set[str]:
    """Keys of the council's actions ``user`` owns (one statement)."""
    return {key for key, in row_reads.rows(*owned_action_keys_read(council, user))}


def may_report(user: SignedIn, action: Action) -> bool:
    """Owners with a contributor role may report on their actions; panel admins on any."""
    if can(user, Permission.MANAGE_PANEL, action.council_id):
        return True
    return (can(user, Permission.REPORT_PROGRESS, action.council_id)
            and user.id in owner_ids(action))


def updates_of(action: Action) -> list[ProgressUpdate]:
    """Every progress update on ``action``, newest first."""
    return list(db.session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.council_id == action.council_id,
                                     ProgressUpdate.action_id == action.id)
        .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())))


def post_update(action: Action, *, reported_on: dt.date, status: ActionStatus, note: str,
                author: str) -> ProgressUpdate:
    """Add a progress update; the action takes its status unless a later one exists.

    The action is locked and read again first, so that of two updates posted at once the
    action keeps the status of the later-dated one, whichever commits last.
    """
    lock_for_write(action)
    update = ProgressUpdate(council_id=action.council_id, action_id=action.id,
                            reported_on=reported_on, status=status, note=note, author=author)
    db.session.add(update)
    if action.status_on is None or reported_on >= action.status_on:
        action.status, action.status_on = status, reported_on
        action.latest_note, action.latest_author = note, author
    db.session.commit()
    return update


def assignable_users(council: Council) -> list[User]:
    """Users with a role in ``council`` who may report progress, by name."""
    return list(db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.council_id == council.id, User.active.is_(True))
        .order_by(User.name)))


def add_owner(council: Council, action: Action, user_id: int) -> ActionOwner:
    """Make a user with a role in the council one of the action's owners (the action held
    until the commit, so the same owner added twice at once is refused, not a 500)."""
    lock_for_write(action)
    eligible = {user.id for user in assignable_users(council)}
    if user_id not in eligible:
        raise ProgressError("user", "Choose someone with a role in this council.")
    if user_id in owner_ids(action):
        raise ProgressError("user", "They already own this action.")
    owner = ActionOwner(council_id=action.council_id, action_id=action.id, user_id=user_id)
    db.session.add(owner)
    db.session.commit()
    return owner


def remove_owner(action: Action, user_id: int) -> None:
    """Stop a user owning ``action`` (their updates stay)."""
    owner = db.session.scalar(select(ActionOwner).where(
        ActionOwner.council_id == action.council_id, ActionOwner.action_id == action.id,
        ActionOwner.user_id == user_id))
    if owner is not None:
        db.session.delete(owner)
        db.session.commit()


def _check_number_free(council: Council, number: int, pledge: Pledge | None = None) -> None:
    taken = db.session.scalar(select(Pledge.id).where(
        Pledge.council_id == council.id, Pledge.number == number,
        Pledge.archived_at.is_(None), Pledge.id != (pledge.id if pledge else -1)))
    if taken is not None:
        raise ProgressError("number", f"Number {number} is already used.")


def update_local_pledge(council: Council, pledge: Pledge, *, number: int, title: str,
                        statement: str | None, version: str | int | None = None) -> None:
    """Change a locally recorded pledge's number and wording, if it is still at ``version``
    (the one the form was filled from; by default the one loaded), else raise
    :class:`~core.forms.EditConflict` and save nothing."""
    if version is not None:
        check_version(pledge, version)
    _check_number_free(council, number, pledge)
    save_if_unchanged(pledge, pledge.version if version is None else version,
                      number=number, title=title, statement=statement or None)
    commit_or_conflict()


def record_local_pledge(council: Council, *, number: int, title: str,
                        statement: str | None) -> Pledge:
    """Record a pledge or promise the strategy declares but the plugin does not supply.

    Its key starts ``local-``, which plugins may not use, so ``cpt sync`` never touches it.
    The council is held until the commit, so two recorded at once get their own number
    and key.
    """
    lock_for_write(council)
    _check_number_free(council, number)
    local_keys = db.session.scalars(select(Pledge.key).where(
        Pledge.council_id == council.id, Pledge.origin == ORIGIN_LOCAL))
    serial = max((int(key.removeprefix(LOCAL_KEY_PREFIX)) for key in local_keys), default=0)
    pledge = Pledge(council_id=council.id, key=f"{LOCAL_KEY_PREFIX}{serial + 1}",
                    number=number, title=title, statement=statement or None,
                    origin=ORIGIN_LOCAL, position=1000 + number)
    db.session.add(pledge)
    db.session.commit()
    return pledge
