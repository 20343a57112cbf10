"""The forms of signing in, of accounts (invitations, new passwords) and of managing them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from core.auth.services import MIN_PASSWORD_LENGTH
from core.translations import lazy_gettext as _l
from core.widgets import GovPasswordInput, GovRadioInput, GovSubmitInput, GovTextInput


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


# --- accounts --------------------------------------------------------------------------------

_PASSWORD_HINT = _l("At least %(num)d characters. A few unrelated words make a long password "
                    "that is easy to remember.", num=MIN_PASSWORD_LENGTH)


def _new_password() -> PasswordField:
    return PasswordField(_l("New password"), widget=GovPasswordInput(),
                         description=_PASSWORD_HINT,
                         validators=[InputRequired(message=_l("Enter a new password")),
                                     Length(max=200)])


def _confirm_password() -> PasswordField:
    return PasswordField(_l("Confirm the new password"), widget=GovPasswordInput(),
                         validators=[InputRequired(message=_l("Enter the new password again")),
                                     EqualTo("password",
                                             message=_l("Enter the same password twice"))])


class NewPasswordForm(FlaskForm):
    """A new password, typed twice (its length is checked with every password's rules,
    :func:`core.auth.services.set_password`)."""

    password = _new_password()
    confirm = _confirm_password()
    submit = SubmitField(_l("Set the password"), widget=GovSubmitInput())


class AcceptInvitationForm(FlaskForm):
    """An invitee's name, and the password of their new account."""

    name = StringField(_l("Your name"), widget=GovTextInput(),
                       description=_l("How you are named to colleagues in the toolkit"),
                       filters=[lambda value: value.strip() if value else value],
                       validators=[DataRequired(message=_l("Enter your name")),
                                   Length(max=200)])
    password = _new_password()
    confirm = _confirm_password()
    submit = SubmitField(_l("Create your account"), widget=GovSubmitInput())


class AcceptAsSignedInForm(FlaskForm):
    """Accepting an invitation with the account signed in."""

    submit = SubmitField(_l("Accept the invitation"), widget=GovSubmitInput())


class ForgottenPasswordForm(FlaskForm):
    """The address a password reset link goes to."""

    email = StringField(_l("Email address"), widget=GovTextInput(),
                        validators=[InputRequired(message=_l("Enter your email address")),
                                    Length(max=320)])
    submit = SubmitField(_l("Send the link"), widget=GovSubmitInput())


class InviteForm(FlaskForm):
    """Who is invited, with which role (the view fills ``role.choices``)."""

    email = StringField(_l("Email address"), widget=GovTextInput(),
                        description=_l("Their work address: the invitation goes there"),
                        validators=[InputRequired(message=_l("Enter their email address")),
                                    Length(max=320)])
    role = RadioField(_l("Role"), widget=GovRadioInput(),
                      validators=[InputRequired(message=_l("Choose a role"))])
    submit = SubmitField(_l("Send the invitation"), widget=GovSubmitInput())


#: The choice of "no role" in a council, in :class:`RoleForm`.
NO_ROLE = "none"


class RoleForm(FlaskForm):
    """Someone's role in one council, or none (the view fills ``role.choices``)."""

    role = RadioField(_l("Role in this council"), widget=GovRadioInput(),
                      validators=[InputRequired(message=_l("Choose a role"))])
    submit = SubmitField(_l("Save the role"), widget=GovSubmitInput())


class AccessForm(FlaskForm):
    """Whether an account may sign in."""

    active = RadioField(_l("Can this account sign in?"), widget=GovRadioInput(),
                        choices=[SelectChoice("yes", _l("Yes, the account is active")),
                                 SelectChoice("no", _l("No, deactivate it (this signs them "
                                                       "out now)"))],
                        validators=[InputRequired(message=_l(
                            "Choose whether the account can sign in"))])
    submit = SubmitField(_l("Save access"), widget=GovSubmitInput())


class SiteAdminForm(FlaskForm):
    """Whether an account is a site administrator."""

    site_admin = RadioField(_l("Site administrator?"), widget=GovRadioInput(),
                            choices=[SelectChoice("yes", _l("Yes: everything, in every council")),
                                     SelectChoice("no", _l("No: only the roles given in each "
                                                           "council"))],
                            validators=[InputRequired(message=_l(
                                "Choose whether they are a site administrator"))])
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())
