"""The form that records an officer or guest as in attendance at a meeting."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from core.translations import lazy_gettext as _l
from core.widgets import GovSubmitInput, GovTextInput


class InAttendanceForm(FlaskForm):
    """Someone in attendance who is not a member: their name and role or organisation."""

    guest_name = StringField(_l("Name"), widget=GovTextInput(),
                             validators=[DataRequired(message=_l(
                                 "Enter the name of the officer or guest")),
                                 Length(max=200, message=_l(
                                     "Name must be 200 characters or fewer"))])
    guest_role = StringField(_l("Role or organisation (optional)"), widget=GovTextInput(),
                             validators=[Optional(), Length(max=300, message=_l(
                                 "Role or organisation must be 300 characters or fewer"))],
                             description=_l("For example, Virtual School Head, or "
                                            "Independent Reviewing Service"))
    submit = SubmitField(_l("Add to those in attendance"), widget=GovSubmitInput())
