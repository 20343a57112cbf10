"""Forms for progress updates, action owners and locally recorded pledges."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from core.forms import GovDateField, VersionField, not_in_future
from core.pledges.models import ActionStatus
from core.translations import lazy_gettext as _l
from core.widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

STATUS_CHOICES = [
    SelectChoice(ActionStatus.NOT_STARTED.value, _l("Not started")),
    SelectChoice(ActionStatus.ON_TRACK.value, _l("On track")),
    SelectChoice(ActionStatus.AT_RISK.value, _l("At risk")),
    SelectChoice(ActionStatus.OFF_TRACK.value, _l("Off track")),
    SelectChoice(ActionStatus.COMPLETE.value, _l("Complete")),
]


class ProgressForm(FlaskForm):
    """A dated progress update: status and a note."""

    reported_on = GovDateField(_l("Date of the update"),
                               validators=[InputRequired(message=_l("Enter the date of the "
                                                                    "update")),
                                           not_in_future],
                               description=_l("For example, 27 3 2026"))
    status = RadioField(_l("Status"), choices=STATUS_CHOICES, widget=GovRadioInput(),
                        validators=[InputRequired(message=_l("Choose a status"))])
    note = TextAreaField(_l("What has happened"), widget=GovTextArea(),
                         validators=[InputRequired(message=_l("Say what has happened")),
                                     Length(max=4000)])
    submit = SubmitField(_l("Post the update"), widget=GovSubmitInput())


class OwnerForm(FlaskForm):
    """Someone with a role in the council who will own an action."""

    user = SelectField(_l("Person"), coerce=int, widget=GovSelect(),
                       validators=[InputRequired(message=_l("Choose a person"))])
    submit = SubmitField(_l("Add as owner"), widget=GovSubmitInput())


class LocalPledgeForm(FlaskForm):
    """A pledge or promise recorded locally, as the council published it."""

    number = IntegerField(_l("Number"), widget=GovTextInput(),
                          validators=[InputRequired(message=_l("Enter its number")),
                                      NumberRange(min=1, max=999,
                                                  message=_l("Enter a number from 1 to 999"))])
    title = StringField(_l("Wording"), widget=GovTextInput(),
                        validators=[InputRequired(message=_l("Enter its wording")),
                                    Length(max=1000)],
                        description=_l("As the council published it; nothing invented."))
    statement = TextAreaField(_l("Full statement (optional)"), widget=GovTextArea(),
                              validators=[Optional(), Length(max=4000)])
    version = VersionField()
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())
