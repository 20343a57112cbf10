"""Forms for the minutes' approval and corrections, declarations of interest, agenda items'
details and papers, and a panel's forward work programme."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
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

from core.dates import moment_words
from core.forms import GovDateField, VersionField
from core.meetings.forms import MinutesForm
from core.meetings.minutes import ApprovedHow
from core.meetings.papers import EXEMPTIONS
from core.meetings.record_models import InterestKind
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

_INCOMPLETE = _l("The form was incomplete: reload the page and try again")


class MinutesCorrectionForm(MinutesForm):
    """The minutes, with the reason for a correction once they are approved."""

    minutes_reason = TextAreaField(
        _l("Why are the approved minutes being corrected?"), widget=GovTextArea(),
        validators=[Optional(), Length(max=2000)],
        description=_l("Shown in the history of the minutes, for example: the name of a "
                       "member present was missed"))


class ApproveMinutesForm(FlaskForm):
    """How the minutes were approved, and whether to publish them now."""

    approved_how = RadioField(_l("How were the minutes approved?"), widget=GovRadioInput(),
                              choices=[SelectChoice(ApprovedHow.AT_MEETING,
                                                    _l("At a later meeting of the panel")),
                                       SelectChoice(ApprovedHow.BY_CHAIR, _l("By the chair"))],
                              validators=[InputRequired(message=_l(
                                  "Choose how the minutes were approved"))])
    approved_at_meeting = SelectField(_l("The meeting that approved them"), widget=GovSelect(),
                                      coerce=str, validate_choice=False)
    approved_by = StringField(_l("Name of the chair who approved them"), widget=GovTextInput(),
                              validators=[Optional(), Length(max=200)])
    approved_on = GovDateField(_l("Date the chair approved them"), validators=[Optional()],
                               description=_l("For example, 27 3 2026"))
    publish_now = BooleanField(_l("Publish the minutes on the public meeting page now"),
                               widget=GovCheckboxInput(), default=True)
    approve_version = VersionField(validators=[InputRequired(message=_INCOMPLETE)])
    submit = SubmitField(_l("Approve the minutes"), widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        """Besides each field: the meeting when approved at one, the chair's name and the
        date when approved by the chair (every error at once)."""
        valid = super().validate(extra_validators)
        if self.approved_how.data == ApprovedHow.AT_MEETING and not self.approved_at_meeting.data:
            self.approved_at_meeting.errors.append(
                _("Choose the later meeting of the panel that approved the minutes"))
            valid = False
        if self.approved_how.data == ApprovedHow.BY_CHAIR:
            if not (self.approved_by.data or "").strip():
                self.approved_by.errors.append(
                    _("Enter the name of the chair who approved the minutes"))
                valid = False
            if self.approved_on.data is None and not self.approved_on.errors:
                self.approved_on.errors.append(_("Enter the date the chair approved the minutes"))
                valid = False
        return valid


class PublishMinutesForm(FlaskForm):
    """Publish approved minutes."""

    publish_version = VersionField(validators=[InputRequired(message=_INCOMPLETE)])
    submit = SubmitField(_l("Publish the minutes"), widget=GovSubmitInput())


KIND_CHOICES = [SelectChoice(InterestKind.PECUNIARY.value,
                             _l("Disclosable pecuniary interest")),
                SelectChoice(InterestKind.OTHER.value, _l("Other interest"))]


class DeclarationForm(FlaskForm):
    """A declaration of interest; the view fills the people and the items."""

    declaration_person = SelectField(_l("Who declared the interest"), widget=GovSelect(),
                                     validate_choice=False, validators=[InputRequired(
                                         message=_l("Choose who declared the interest"))])
    declaration_item = SelectField(_l("On which item (optional)"), widget=GovSelect(),
                                   validate_choice=False)
    declaration_kind = RadioField(
        _l("Kind of interest"), widget=GovRadioInput(), choices=KIND_CHOICES,
        validators=[InputRequired(message=_l("Choose the kind of interest"))],
        description=_l("A disclosable pecuniary interest is one the council's code of conduct "
                       "registers: work, property, contracts or shares. Any other interest "
                       "declared is recorded as other."))
    declaration_nature = TextAreaField(
        _l("Nature of the interest"), widget=GovTextArea(),
        validators=[InputRequired(message=_l("Enter the nature of the interest")),
                    Length(max=2000)],
        description=_l("For example, is a foster carer for the council"))
    submit = SubmitField(_l("Record the declaration"), widget=GovSubmitInput())


def declaration_form(people: list[Any], items: list[Any], **kwargs: Any) -> DeclarationForm:
    """A declaration form choosing among ``people`` and the meeting's ``items``."""
    form = DeclarationForm(**kwargs)
    form.declaration_person.choices = [SelectChoice("", _("Choose someone recorded")),
                                       *(SelectChoice(str(p.id), p.name) for p in people)]
    form.declaration_item.choices = [SelectChoice("", _("The whole meeting")),
                                     *(SelectChoice(str(i.id), i.title) for i in items)]
    return form


class AgendaItemDetailsForm(FlaskForm):
    """An agenda item's wording, presenter, expected time and the decision on it."""

    item_title = StringField(_l("Item"), widget=GovTextInput(),
                             validators=[InputRequired(message=_l("Enter the item")),
                                         Length(max=300)])
    item_description = TextAreaField(_l("Details (optional)"), widget=GovTextArea(),
                                     validators=[Optional(), Length(max=4000)])
    item_presenter = StringField(_l("Presented by (optional)"), widget=GovTextInput(),
                                 validators=[Optional(), Length(max=200)],
                                 description=_l("A name or a role"))
    item_duration = IntegerField(
        _l("Expected time in minutes (optional)"), widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, max=600, message=_l(
            "Enter the expected time as a number of minutes from 1 to 600"))])
    item_decision = TextAreaField(
        _l("Decision (optional)"), widget=GovTextArea(),
        validators=[Optional(), Length(max=4000)],
        description=_l("What the meeting resolved on this item; published with the minutes"))
    item_version = VersionField(validators=[InputRequired(message=_INCOMPLETE)])
    submit = SubmitField(_l("Save the item"), widget=GovSubmitInput())


class PaperForm(FlaskForm):
    """A paper uploaded on an agenda item."""

    paper_title = StringField(_l("Title of the paper"), widget=GovTextInput(),
                              validators=[InputRequired(message=_l(
                                  "Enter the title of the paper")), Length(max=300)])
    paper_file = FileField(_l("File"), widget=GovFileInput(),
                           description=_l("PDF, Word, spreadsheet or OpenDocument file"))
    paper_access = RadioField(
        _l("Who may read it"), widget=GovRadioInput(),
        choices=[SelectChoice("public", _l("Public: downloadable from the public meeting page")),
                 SelectChoice("exempt", _l("Exempt: staff only"))],
        validators=[InputRequired(message=_l("Choose whether the paper is public or exempt"))])
    paper_exemption = SelectField(
        _l("Why it is exempt"), widget=GovSelect(), validate_choice=False,
        choices=[SelectChoice("", _l("Not exempt")),
                 *(SelectChoice(key, label) for key, label in EXEMPTIONS.items())],
        description=_l("The paragraph of Schedule 12A to the Local Government Act 1972"))
    submit = SubmitField(_l("Upload the paper"), widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        """Besides each field: a file chosen, and the exemption for an exempt paper."""
        valid = super().validate(extra_validators)
        upload = self.paper_file.data
        if not upload or not getattr(upload, "filename", ""):
            self.paper_file.errors = [*self.paper_file.errors, _("Select a file")]
            valid = False
        if self.paper_access.data == "exempt" and self.paper_exemption.data not in EXEMPTIONS:
            self.paper_exemption.errors = [*self.paper_exemption.errors,
                                           _("Choose why the paper is exempt")]
            valid = False
        return valid


class ConfirmForm(FlaskForm):
    """A confirmation (removing an item, a paper, a declaration): the button sends
    ``confirm=yes``, so an empty post is refused rather than taken as a yes."""

    confirm = HiddenField(default="yes", validators=[InputRequired(message=_INCOMPLETE)])
    submit = SubmitField(_l("Yes, remove it"), widget=GovSubmitInput())


#: "3 2027", "03/2027", "March 2027", "Mar 2027".
_MONTH = re.compile(r"^\s*([A-Za-z]+|\d{1,2})[\s/.-]+(\d{4})\s*$")


class MonthField(StringField):
    """A month typed as month and year: "3 2027" or "March 2027"; the first of the month."""

    widget = GovTextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_data = valuelist
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        match = _MONTH.match(text)
        month = 0
        if match and match[1].isdigit():
            month = int(match[1])
        elif match:
            names = [name.lower() for name in calendar.month_name]
            short = [name.lower() for name in calendar.month_abbr]
            word = match[1].lower()
            month = names.index(word) if word in names else (
                short.index(word) if word in short else 0)
        if not match or not 1 <= month <= 12 or not 1900 <= int(match[2]) <= 2100:
            raise ValueError(_("%(label)s must be a month and year, like 3 2027",
                               label=self.label.text))
        self.data = dt.date(int(match[2]), month, 1)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data.month} {self.data.year}" if isinstance(self.data, dt.date) else ""


class PlannedItemForm(FlaskForm):
    """An item of a panel's forward work programme; the view fills the meetings."""

    plan_title = StringField(_l("Item"), widget=GovTextInput(),
                             validators=[InputRequired(message=_l("Enter the item")),
                                         Length(max=300)])
    plan_brought_by = StringField(_l("Who brings it (optional)"), widget=GovTextInput(),
                                  validators=[Optional(), Length(max=200)],
                                  description=_l("A name or a role"))
    plan_meeting = SelectField(_l("Planned for the meeting (optional)"), widget=GovSelect(),
                               validate_choice=False)
    plan_month = MonthField(_l("Or planned for the month (optional)"),
                            description=_l("Month and year, for example 3 2027"))
    plan_notes = TextAreaField(_l("Notes (optional)"), widget=GovTextArea(),
                               validators=[Optional(), Length(max=4000)])
    plan_version = VersionField()
    submit = SubmitField(_l("Add to the work programme"), widget=GovSubmitInput())


class SchedulePlannedForm(FlaskForm):
    """Put a planned item on a meeting's agenda; built with ``prefix=f"plan-{id}"``."""

    schedule_meeting = SelectField(_l("Meeting"), widget=GovSelect(), validate_choice=False,
                                   validators=[InputRequired(message=_l(
                                       "Choose the meeting to put the item on"))])
    schedule_version = VersionField(validators=[InputRequired(message=_INCOMPLETE)])
    submit = SubmitField(_l("Put on the agenda"), widget=GovSubmitInput())


def meeting_choices(meetings: list[Any], local: Any, empty: str) -> list[SelectChoice]:
    """Choices of meetings by their local start, after an empty choice."""
    return [SelectChoice("", empty),
            *(SelectChoice(str(m.id), moment_words(local(m)))
              for m in meetings)]
