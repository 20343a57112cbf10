"""A person's email address, where circulated papers go (:mod:`core.meetings.circulation`).

Recorded by a panel administrator on the person's page; the change is audited like any
other, and erasure (:mod:`core.panels.erasure`) removes it.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, ValidationError

from core.concurrency import lock_for_write
from core.extensions import db
from core.forms import EditConflict
from core.mail.addresses import is_address
from core.models import Person
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.widgets import GovSubmitInput, GovTextInput


def _an_address(form: Any, field: Any) -> None:
    value = (field.data or "").strip()
    if value and not is_address(value):
        raise ValidationError(_("%(label)s: “%(value)s” is not an email address. Type one "
                                "like name@example.org, or leave it blank.",
                                label=_("Email address"), value=value))


class EmailForm(FlaskForm):
    """The person's email address (blank: none), and the one the form was filled from."""

    email = StringField(_l("Email address (optional)"), widget=GovTextInput(),
                        validators=[_an_address],
                        description=_l("Where agenda packs and minutes are sent. Leave it "
                                       "blank to record none."))
    was = HiddenField()
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


def set_email(person: Person, email: str | None, seen: str | None) -> None:
    """Record ``email`` (``None``: no address) for ``person``, if the address is still the
    one the form was filled from (``seen``; else :class:`EditConflict`, nothing saved)."""
    lock_for_write(person)  # read again, held: two saves at once never cross the check
    if (person.email or "") != (seen or ""):
        db.session.rollback()
        raise EditConflict
    person.email = email or None
    db.session.commit()
