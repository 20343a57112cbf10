"""The sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired


class SignInForm(FlaskForm):
    """Email and password."""

    email = StringField(_l("Email address"), widget=GovTextInput(),
                        validators=[InputRequired(message=_l("Enter your email address"))])
    password = PasswordField(_l("Password"), widget=GovPasswordInput(),
                             validators=[InputRequired(message=_l("Enter your password"))])
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())
