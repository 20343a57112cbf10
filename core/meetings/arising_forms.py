"""The form that changes an action arising: its text, owner and due date."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.forms import GovDateField, VersionField
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput


class ActionEditForm(FlaskForm):
    """An action arising as it should read; :func:`action_edit_form` fills the people."""

    action_text = TextAreaField(_l("Action"), widget=GovTextArea(), validators=[
        DataRequired(message=_l("Enter the action")),
        Length(max=4000, message=_l("The action must be 4000 characters or fewer"))])
    owner_person = SelectField(_l("Who will do it: someone recorded"), widget=GovSelect(),
                               validators=[Optional()], validate_choice=True,
                               description=_l("A member, substitute or officer recorded in "
                                              "this council"))
    owner_text = StringField(_l("Or who will do it, in words"), widget=GovTextInput(),
                             validators=[Optional(), Length(max=200, message=_l(
                                 "Who will do it must be 200 characters or fewer"))],
                             description=_l("A name or a role, for example Head of Service"))
    action_due = GovDateField(_l("Due date (optional)"), validators=[Optional()],
                              description=_l("For example, 27 3 2026"))
    version = VersionField(validators=[InputRequired(message=_l(
        "The form was incomplete: reload the page and try again"))])
    submit = SubmitField(_l("Save the action"), widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        """Every field's problem at once, the owner's among them: someone recorded or
        words, one of the two."""
        valid = super().validate(extra_validators)
        if self.owner_person.errors:
            self.owner_person.errors[:] = [_("Choose someone recorded in this council")]
        chosen, typed = self.owner_person.data, (self.owner_text.data or "").strip()
        if chosen and typed:
            self.owner_text.errors.append(_(
                "Choose someone recorded or type who will do it, not both"))
            valid = False
        elif not chosen and not typed and not self.owner_person.errors:
            self.owner_person.errors.append(_(
                "Choose someone recorded or type who will do it"))
            valid = False
        return valid

    @property
    def owner_person_id(self) -> int | None:
        """The id of the person chosen, if any."""
        return int(self.owner_person.data) if self.owner_person.data else None


def action_edit_form(people: Sequence[Any], **kwargs: Any) -> ActionEditForm:
    """The form with the council's people (those not erased) to choose from."""
    form = ActionEditForm(**kwargs)
    form.owner_person.choices = [SelectChoice("", _("Choose someone recorded")), *(
        SelectChoice(str(person.id), person.name) for person in people)]
    return form
