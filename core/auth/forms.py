"""The sign-in forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired

from core.translations import lazy_gettext as _l
from core.widgets import GovPasswordInput, GovSubmitInput, GovTextInput


class SignInForm(FlaskForm):
    """Email and password."""

    email = StringField(_l("Email address"), widget=GovTextInput(),
                        validators=[InputRequired(message=_l("Enter your email address"))])
    password = PasswordField(_l("Password"), widget=GovPasswordInput(),
                             validators=[InputRequired(message=_l("Enter your password"))])
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField(_l("Code"), widget=GovTextInput(),
                       validators=[InputRequired(message=_l("Enter the code"))],
                       description=_l("The 6-digit code your authenticator app shows, or one of "
                                      "your recovery codes"))
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class TurnOnForm(CodeForm):
    """Confirms that the authenticator app holds the new secret."""

    submit = SubmitField(_l("Turn on two-step sign-in"), widget=GovSubmitInput())


class TurnOffForm(CodeForm):
    """A current code, to turn the second factor off."""

    submit = SubmitField(_l("Turn off two-step sign-in"), widget=GovSubmitInput())
