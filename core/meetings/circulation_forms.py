"""The form that circulates a meeting's agenda pack or minutes (see
:mod:`core.meetings.circulation`)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SubmitField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from core.mail.addresses import parse_addresses
from core.meetings.circulation import MAX_OTHERS, WHAT
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput, GovTextArea

#: How the addresses field is named in its errors.
OTHERS = _l("Other recipients")


def _addresses(form: Any, field: Any) -> None:
    """Every address typed must be one; the message names each that is not."""
    good, bad = parse_addresses(field.data)
    if bad:
        quoted = ", ".join(f"“{part}”" for part in bad)
        raise ValidationError(_(
            "%(label)s: %(bad)s is not an email address. Type addresses like "
            "name@example.org, one per line.", label=OTHERS, bad=quoted)
            if len(bad) == 1 else _(
            "%(label)s: %(bad)s are not email addresses. Type addresses like "
            "name@example.org, one per line.", label=OTHERS, bad=quoted))
    if len(good) > MAX_OTHERS:
        raise ValidationError(_("%(label)s: give at most %(most)d addresses at once",
                                label=OTHERS, most=MAX_OTHERS))


class CirculateForm(FlaskForm):
    """What to send, and to whom: the panel's members and any other addresses."""

    what = RadioField(_l("What to send"), widget=GovRadioInput(),
                      choices=[SelectChoice(key, label) for key, label in WHAT.items()],
                      validators=[InputRequired(message=_l("Choose what to send"))])
    to_members = BooleanField(_l("The panel's members"), widget=GovCheckboxInput(),
                              default=True)
    others = TextAreaField(_l("Other recipients (optional)"), widget=GovTextArea(),
                           validators=[_addresses],
                           description=_l("Email addresses, one per line, for example "
                                          "officers presenting a paper"))
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())
