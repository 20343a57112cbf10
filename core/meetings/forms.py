"""Forms for scheduling meetings, their agendas, attendance, minutes and actions arising."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from core.forms import GovDateField, VersionField
from core.meetings.models import ActionArisingStatus, AttendanceStatus
from core.meetings.services import MAX_FROM_CYCLE, AttendanceEntry
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

#: "18:00", "6:00pm", "6pm", "18.00", "9:30 am".
TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?\s*$", re.I)


class GovTimeField(StringField):
    """A time of day typed as hours and minutes, 24-hour or with am/pm."""

    widget = GovTextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_data = valuelist
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        match = TIME.match(text)
        hour = int(match[1]) if match else -1
        minute = int(match[2] or 0) if match else -1
        if match and match[3]:
            hour = -1 if not 1 <= hour <= 12 else hour % 12 + (12 if match[3][0] in "pP" else 0)
        elif match and match[2] is None:
            hour = -1  # "18" alone is not a time
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValueError(_("%(label)s must be a real time, like 17:30",
                               label=self.label.text))
        self.data = dt.time(hour, minute)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if isinstance(self.data, dt.time) else ""


def _location() -> StringField:
    return StringField(_l("Where (optional)"), widget=GovTextInput(),
                       validators=[Optional(), Length(max=300)],
                       description=_l("For example, Committee room 1, Shire Hall"))


def _time(label: Any, message: Any) -> GovTimeField:
    return GovTimeField(label, validators=[InputRequired(message=message)],
                        description=_l("24-hour clock, for example 17:30"))


class CycleForm(FlaskForm):
    """Schedule several meetings from the panel's cycle."""

    cycle_first_on = GovDateField(_l("Date of the first meeting"),
                                  validators=[InputRequired(message=_l(
                                      "Enter the date of the first meeting"))],
                                  description=_l("For example, 27 3 2026"))
    cycle_time = _time(_l("Start time"), _l("Enter the start time"))
    cycle_count = IntegerField(
        _l("How many meetings"), widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter how many meetings to schedule")),
                    NumberRange(min=1, max=MAX_FROM_CYCLE,
                                message=_l("Enter a number from 1 to %(most)d",
                                           most=MAX_FROM_CYCLE))])
    cycle_location = _location()
    submit = SubmitField(_l("Preview the dates"), widget=GovSubmitInput())


class ConfirmCycleForm(CycleForm):
    """The same details, carried in hidden fields from the preview, with a digest of the
    dates the clerk was shown (see :func:`core.meetings.services.proposal_digest`)."""

    proposed = HiddenField()
    submit = SubmitField(_l("Schedule these meetings"), widget=GovSubmitInput())


class ScheduleForm(FlaskForm):
    """Schedule one meeting by hand."""

    starts_on = GovDateField(_l("Date"), validators=[InputRequired(message=_l(
        "Enter the date of the meeting"))], description=_l("For example, 27 3 2026"))
    starts_time = _time(_l("Start time"), _l("Enter the start time"))
    location = _location()
    submit = SubmitField(_l("Schedule the meeting"), widget=GovSubmitInput())


class MeetingForm(ScheduleForm):
    """Change when and where a meeting is, or cancel it."""

    cancelled = BooleanField(_l("This meeting is cancelled"), widget=GovCheckboxInput())
    version = VersionField(validators=[InputRequired(message=_l(
        "The form was incomplete: reload the page and try again"))])
    submit = SubmitField(_l("Save the meeting details"), widget=GovSubmitInput())


class AgendaItemForm(FlaskForm):
    """An item added to the agenda."""

    item_title = StringField(_l("Item"), widget=GovTextInput(),
                             validators=[InputRequired(message=_l("Enter the item")),
                                         Length(max=300)])
    item_description = TextAreaField(_l("Details (optional)"), widget=GovTextArea(),
                                     validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Add to the agenda"), widget=GovSubmitInput())


class AgendaChangeForm(FlaskForm):
    """Move an added item up or down, or remove it (the buttons beside each item)."""

    item = IntegerField(_l("Item"), validators=[InputRequired(message=_l(
        "Choose an item of the agenda"))])
    change = RadioField(_l("Change"), choices=[SelectChoice("up", _l("Move up")),
                                               SelectChoice("down", _l("Move down")),
                                               SelectChoice("remove", _l("Remove"))],
                        validators=[InputRequired(message=_l(
                            "Choose to move the item up or down, or to remove it"))])


class MinutesForm(FlaskForm):
    """The minutes of a meeting."""

    minutes = TextAreaField(_l("Minutes"), widget=GovTextArea(),
                            validators=[InputRequired(message=_l("Enter the minutes")),
                                        Length(max=100_000)])
    minutes_version = VersionField(validators=[InputRequired(message=_l(
        "The form was incomplete: reload the page and try again"))])
    submit = SubmitField(_l("Save the minutes"), widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """An action the meeting agreed."""

    action_text = TextAreaField(_l("Action"), widget=GovTextArea(),
                                validators=[InputRequired(message=_l("Enter the action")),
                                            Length(max=4000)])
    #: The view fills its choices with the council's people (see ``with_people``).
    action_owner_person = SelectField(_l("Who will do it: someone recorded"), widget=GovSelect(),
                                      validators=[Optional()], validate_choice=True,
                                      choices=[])
    action_owner = StringField(_l("Or who will do it, in words"), widget=GovTextInput(),
                               validators=[Optional(), Length(max=200)],
                               description=_l("A name or a role"))
    action_due = GovDateField(_l("Due date (optional)"), validators=[Optional()],
                              description=_l("For example, 27 3 2026"))
    submit = SubmitField(_l("Add the action"), widget=GovSubmitInput())

    def with_people(self, people: Sequence[Any]) -> ActionForm:
        """The form, offering ``people`` as owners."""
        self.action_owner_person.choices = [SelectChoice("", _("Choose someone recorded")), *(
            SelectChoice(str(person.id), person.name) for person in people)]
        return self

    def validate(self, extra_validators: Any = None) -> bool:
        """Someone recorded or words for who will do it: one of the two."""
        valid = super().validate(extra_validators)
        chosen = self.action_owner_person.data
        typed = (self.action_owner.data or "").strip()
        if chosen and typed:
            self.action_owner.errors.append(_(
                "Choose someone recorded or type who will do it, not both"))
            valid = False
        elif not chosen and not typed and not self.action_owner_person.errors:
            self.action_owner.errors.append(_("Enter who will do it"))
            valid = False
        return valid


ACTION_STATUS_CHOICES = [
    SelectChoice(ActionArisingStatus.OPEN.value, _l("Open")),
    SelectChoice(ActionArisingStatus.DONE.value, _l("Done")),
    SelectChoice(ActionArisingStatus.DROPPED.value, _l("Dropped")),
]


class ActionStatusForm(FlaskForm):
    """Where one action arising stands; built with ``prefix=f"action-{id}"``."""

    status = RadioField(_l("Status"), choices=ACTION_STATUS_CHOICES, widget=GovRadioInput(),
                        validators=[InputRequired(message=_l("Choose a status"))])
    version = VersionField(validators=[InputRequired(message=_l(
        "The form was incomplete: reload the page and try again"))])
    submit = SubmitField(_l("Save the status"), widget=GovSubmitInput())


ATTENDANCE_CHOICES = [
    SelectChoice(AttendanceStatus.PRESENT.value, _l("Present")),
    SelectChoice(AttendanceStatus.APOLOGIES.value, _l("Apologies")),
    SelectChoice(AttendanceStatus.ABSENT.value, _l("Absent")),
    SelectChoice(AttendanceStatus.SUBSTITUTE.value, _l("Substitute")),
]


class AttendanceForm(FlaskForm):
    """Attendance of each member; :func:`attendance_form` adds three fields per membership:
    ``status_<id>``, ``substitute_<id>`` (someone recorded) and ``substitute_name_<id>``."""

    recorded = HiddenField()
    submit = SubmitField(_l("Save the attendance"), widget=GovSubmitInput())
    #: Fills the form, saving nothing: every member not yet marked is marked present
    #: (:func:`core.attendance.services.everyone_present`); the clerk checks, then saves.
    mark_all = SubmitField(_l("Mark everyone not yet marked as present"),
                           widget=GovSubmitInput())

    membership_ids: Sequence[int] = ()
    #: Each membership's person, so that no one is recorded as their own substitute.
    person_ids: dict[int, int] = {}  # noqa: RUF012

    def validate(self, extra_validators: Any = None) -> bool:
        """Every member's problem at once, each naming the member."""
        valid = super().validate(extra_validators)
        chosen = 0
        for mid in self.membership_ids:
            status = self[f"status_{mid}"]
            if status.errors:  # a value that is none of the choices
                status.errors[:] = [_("Choose present, apologies, absent or substitute for "
                                      "%(member)s", member=status.label.text)]
            if self[f"substitute_{mid}"].errors:
                self[f"substitute_{mid}"].errors[:] = [_(
                    "Choose the substitute for %(member)s from the list",
                    member=status.label.text)]
            if status.data:
                chosen += 1
            if status.data != AttendanceStatus.SUBSTITUTE:
                continue
            person, name = self[f"substitute_{mid}"], self[f"substitute_name_{mid}"]
            if person.data and person.data == str(self.person_ids.get(mid)):
                person.errors.append(_("%(member)s cannot substitute for themselves",
                                       member=status.label.text))
                valid = False
            elif not person.data and not (name.data or "").strip():
                person.errors.append(_("Choose who substituted for %(member)s or type their "
                                       "name", member=status.label.text))
                valid = False
            elif person.data and (name.data or "").strip():
                name.errors.append(_("Choose someone or type a name for %(member)s, not both",
                                     member=status.label.text))
                valid = False
        if not chosen:
            message = (_("Choose present, apologies, absent or substitute for at least one "
                         "member") if self.membership_ids else
                       _("No one holds a seat on this panel on the date of the meeting"))
            self.form_errors.append(message)
            valid = False
        return valid

    def entries(self) -> dict[int, AttendanceEntry]:
        """What the form says about each member it gives a status for."""
        found = {}
        for mid in self.membership_ids:
            status = self[f"status_{mid}"].data
            if not status:
                continue
            person = self[f"substitute_{mid}"].data
            found[mid] = AttendanceEntry(
                status=status, substitute_id=int(person) if person else None,
                substitute_name=(self[f"substitute_name_{mid}"].data or "").strip() or None)
        return found


def attendance_form(memberships: Sequence[Any], people: Sequence[Any], **kwargs: Any
                    ) -> AttendanceForm:
    """An attendance form with one group of fields per membership (each labelled with the
    person's name and seat)."""

    class Form(AttendanceForm):
        pass

    Form.membership_ids = tuple(m.id for m in memberships)
    Form.person_ids = {m.id: m.person_id for m in memberships}
    # Built for one request: the words are translated once here, not once per member.
    statuses = [SelectChoice(choice.value, str(choice.label)) for choice in ATTENDANCE_CHOICES]
    choices = [SelectChoice("", _("Choose someone recorded")),
               *(SelectChoice(str(person.id), person.name) for person in people)]
    substitute, their_name = _("Substitute: someone recorded"), _("or their name")
    for membership in memberships:
        setattr(Form, f"status_{membership.id}", RadioField(
            membership.person.name, choices=statuses, widget=GovRadioInput(),
            validators=[Optional()], description=membership.seat.role))
        setattr(Form, f"substitute_{membership.id}", SelectField(
            substitute, choices=choices, widget=GovSelect(),
            validators=[Optional()], validate_choice=True))
        setattr(Form, f"substitute_name_{membership.id}", StringField(
            their_name, widget=GovTextInput(),
            validators=[Optional(), Length(max=200)]))
    return Form(**kwargs)
