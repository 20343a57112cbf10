"""Appointing someone to a panel's seat, ending a membership, and erasing a person."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.forms import GovDateField, VersionField
from core.panels.erasure import REASON_LABELS
from core.translations import lazy_gettext as _l
from core.widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)


def _chosen(field: Any) -> bool:
    return bool(field.data) and field.data in {str(value) for value, _ in field.choices}


class AppointForm(FlaskForm):
    """Who is appointed to which seat, from when, until when and on whose behalf.

    The view fills ``seat.choices`` with the panel's seats and ``person.choices`` with the
    council's people (each led by an empty choice).
    """

    seat = SelectField(_l("Seat"), widget=GovSelect(), validate_choice=False,
                       validators=[InputRequired(message=_l("Choose a seat"))])
    person = SelectField(_l("Someone already recorded"), widget=GovSelect(),
                         validate_choice=False)
    #: Its hint, what to type for a young person, follows the council's policy (the view
    #: sets it from :func:`core.panels.young_people.name_hint`).
    new_name = StringField(_l("Or someone new: their name"), widget=GovTextInput(),
                           validators=[Optional(), Length(max=200)])
    start = GovDateField(_l("Start"),
                         validators=[InputRequired(message=_l("Enter the start date"))],
                         description=_l("For example, 27 3 2026"))
    end = GovDateField(_l("End of term (optional)"),
                       description=_l("Leave blank if the term has no fixed end. For example, "
                                      "26 3 2028"))
    on_behalf_of = StringField(_l("On behalf of (optional)"), widget=GovTextInput(),
                               validators=[Optional(), Length(max=300)],
                               description=_l("The organisation or group they represent, "
                                              "if any"))
    submit = SubmitField(_l("Appoint"), widget=GovSubmitInput())

    def validate_seat(self, field: Any) -> None:
        if not _chosen(field):
            raise ValidationError(str(_l("Choose a seat")))

    def validate_person(self, field: Any) -> None:
        new_name = (self.new_name.data or "").strip()
        if field.data and not _chosen(field):
            raise ValidationError(str(_l("Choose someone from the list")))
        if field.data and new_name:
            raise ValidationError(str(_l("Choose someone already recorded or type a new "
                                         "name, not both")))
        if not field.data and not new_name:
            raise ValidationError(str(_l("Choose someone already recorded or type the name "
                                         "of someone new")))

    def validate_end(self, field: Any) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(str(_l("End of term must be the same as or after the "
                                         "start")))

    @property
    def person_id(self) -> int | None:
        return int(self.person.data) if self.person.data else None


class EndMembershipForm(FlaskForm):
    """The last day someone holds a seat and why they leave it."""

    end = GovDateField(_l("End date"),
                       validators=[InputRequired(message=_l("Enter the end date"))],
                       description=_l("The last day they hold the seat. For example, 27 3 2026"))
    reason = TextAreaField(_l("Reason"), widget=GovTextArea(),
                           validators=[InputRequired(message=_l("Enter the reason")),
                                       Length(max=1000)],
                           description=_l("For example: resigned, term completed, left the "
                                          "council"))
    version = VersionField()
    submit = SubmitField(_l("End the membership"), widget=GovSubmitInput())


class EraseForm(FlaskForm):
    """Why a person's details are erased (a category, never free text, so that the audit
    log of the erasure cannot hold their name) and a confirmation."""

    reason = RadioField(_l("Why are their details being erased?"), widget=GovRadioInput(),
                        choices=[SelectChoice(reason.value, label)
                                 for reason, label in REASON_LABELS.items()],
                        validators=[InputRequired(message=_l("Choose why their details are "
                                                             "being erased"))])
    confirm = BooleanField(_l("I understand that erasure cannot be undone"),
                           widget=GovCheckboxInput(),
                           validators=[DataRequired(message=_l(
                               "Confirm that you understand erasure cannot be undone"))])
    submit = SubmitField(_l("Erase their details"), widget=GovSubmitInput())
