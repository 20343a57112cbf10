"""Who owns a review cycle: the accounts ``cpt remind`` tells when its review is due.

Assigned by a council administrator, as action owners are (:mod:`core.pledges.progress`);
every change is audited by :mod:`core.audit`.
"""

from __future__ import annotations

from sqlalchemy import select

from core.auth.models import User
from core.concurrency import lock_for_write
from core.extensions import db
from core.models import Council, ReviewCycle, ReviewOwner
from core.pledges.progress import assignable_users
from core.reviews.services import ReviewError
from core.translations import gettext as _


def owners_of(cycle: ReviewCycle) -> list[User]:
    """The users who own ``cycle``, by name (one query)."""
    return list(db.session.scalars(
        select(User).join(ReviewOwner, ReviewOwner.user_id == User.id)
        .where(ReviewOwner.council_id == cycle.council_id,
               ReviewOwner.review_cycle_id == cycle.id)
        .order_by(User.name, User.id)))


def add_owner(council: Council, cycle: ReviewCycle, user_id: int) -> ReviewOwner:
    """Make a user with a role in the council one of the cycle's owners (the cycle held
    until the commit, so the same owner added twice at once is refused, not a 500)."""
    lock_for_write(cycle)
    if user_id not in {user.id for user in assignable_users(council)}:
        raise ReviewError("user", _("Choose someone with a role in this council."))
    if user_id in {user.id for user in owners_of(cycle)}:
        raise ReviewError("user", _("They already own this review."))
    owner = ReviewOwner(council_id=cycle.council_id, review_cycle_id=cycle.id,
                        user_id=user_id)
    db.session.add(owner)
    db.session.commit()
    return owner


def remove_owner(cycle: ReviewCycle, user_id: int) -> None:
    """Stop a user owning ``cycle``."""
    owner = db.session.scalar(select(ReviewOwner).where(
        ReviewOwner.council_id == cycle.council_id, ReviewOwner.review_cycle_id == cycle.id,
        ReviewOwner.user_id == user_id))
    if owner is not None:
        db.session.delete(owner)
        db.session.commit()
