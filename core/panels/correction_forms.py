"""Correcting a mistaken appointment, or withdrawing it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.forms import GovDateField, VersionField
from core.translations import lazy_gettext as _l
from core.widgets import GovCheckboxInput, GovSubmitInput, GovTextInput

_INCOMPLETE = _l("The form was incomplete: reload the page and try again")


class CorrectMembershipForm(FlaskForm):
    """The start date and on whose behalf, as they should have been recorded."""

    start = GovDateField(_l("Start"), validators=[InputRequired(message=_l(
        "Enter the start date"))], description=_l("For example, 27 3 2026"))
    on_behalf_of = StringField(_l("On behalf of (optional)"), widget=GovTextInput(),
                               validators=[Optional(), Length(max=300, message=_l(
                                   "On behalf of must be 300 characters or fewer"))],
                               description=_l("The organisation or group they represent, "
                                              "if any"))
    version = VersionField(validators=[InputRequired(message=_INCOMPLETE)])
    submit = SubmitField(_l("Save the correction"), widget=GovSubmitInput())


class WithdrawMembershipForm(FlaskForm):
    """Withdraw an appointment made by mistake, with a confirmation."""

    confirm = BooleanField(_l("This appointment was a mistake: withdraw it as if it had "
                              "never been made"), widget=GovCheckboxInput(),
                           validators=[DataRequired(message=_l(
                               "Confirm that the appointment was a mistake"))])
    withdraw_version = VersionField(validators=[InputRequired(message=_INCOMPLETE)])
    submit = SubmitField(_l("Withdraw the appointment"), widget=GovSubmitInput())
