"""The form that names an owner (of an action, or of a review cycle): who may be chosen, and
adding the one chosen. Shared by the action plan's and the reviews' admin pages."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash
from wtforms.fields.choices import SelectChoice

from core.models import Council
from core.pledges.forms import OwnerForm
from core.pledges.progress import assignable_users
from core.translations import gettext as _


def owner_choices(council: Council) -> list[SelectChoice]:
    """Everyone who may own an action or a review of ``council``, after a prompt."""
    return [SelectChoice(0, _("Choose a person"))] + [
        SelectChoice(user.id, f"{user.name} ({user.email})")
        for user in assignable_users(council)]


def owner_form(council: Council) -> OwnerForm:
    """The owner form, its choices filled in (as posted, when it was)."""
    form = OwnerForm()
    form.user.choices = owner_choices(council)
    return form


def add_posted_owner(council: Council, add: Callable[[int], object],
                     refused: type[Exception]) -> tuple[OwnerForm, bool]:
    """Add the owner the posted form chose by calling ``add(user_id)``: the form, and whether
    they were added (with a flashed message). A refusal (``refused``, raised by ``add``) or
    nobody chosen becomes the field's error."""
    form = owner_form(council)
    if form.validate_on_submit() and form.user.data:
        try:
            add(form.user.data)
        except refused as error:
            form.user.errors = [str(error)]
        else:
            flash(_("Owner added."))
            return form, True
    elif not form.user.errors:
        form.user.errors = [_("Choose a person")]
    return form, False
