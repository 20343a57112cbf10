"""Forms for indicators a council adds itself: adding or changing one, and archiving it."""

from __future__ import annotations

from typing import Any, get_args

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from core.content.indicators import Period, Unit
from core.forms import VersionField
from core.indicators.evidence import Evidenced
from core.indicators.local import LocalIndicatorValues
from core.indicators.models import Indicator
from core.indicators.words import PERIOD_LABELS, UNIT_LABELS
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

#: Which way is better, as the form asks it, and what each answer stores.
DIRECTIONS = {"higher": True, "lower": False, "neither": None}
DIRECTION_CHOICES = [
    SelectChoice("higher", _l("Higher is better")),
    SelectChoice("lower", _l("Lower is better")),
    SelectChoice("neither", _l("Neither: judge no figure red, amber or green")),
]
#: The units and periods the definition hook allows (core.content.indicators).
UNIT_CHOICES = [SelectChoice(unit, UNIT_LABELS[unit]) for unit in get_args(Unit)]
PERIOD_CHOICES = [SelectChoice(period, PERIOD_LABELS[period]) for period in get_args(Period)]

TITLE_LENGTH, DEFINITION_LENGTH, SOURCE_LENGTH = 200, 2000, 500


class LocalIndicatorForm(FlaskForm):
    """A council's own indicator, in the shape the definition hook gives a plugin's."""

    title = StringField(
        _l("Title"), widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter the indicator's title")),
                    Length(max=TITLE_LENGTH, message=_l(
                        "Enter a title of %(max)d characters or fewer"))],
        description=_l("Its key is made from the title when it is added (local- and the "
                       "title's words) and stays the same if the title changes, since figure "
                       "files name the indicator by its key."))
    definition = TextAreaField(
        _l("Definition"), widget=GovTextArea(),
        validators=[InputRequired(message=_l("Say in words what the indicator counts")),
                    Length(max=DEFINITION_LENGTH, message=_l(
                        "Enter a definition of %(max)d characters or fewer"))],
        description=_l("What is counted, in words a board member can follow"))
    unit = RadioField(_l("Unit"), choices=UNIT_CHOICES, widget=GovRadioInput(),
                      validators=[InputRequired(message=_l("Choose the unit of its figures"))])
    direction = RadioField(_l("Which way is better?"), choices=DIRECTION_CHOICES,
                           widget=GovRadioInput(),
                           validators=[InputRequired(message=_l(
                               "Choose whether a higher or a lower figure is better"))])
    period = RadioField(_l("How often it has a figure"), choices=PERIOD_CHOICES,
                        widget=GovRadioInput(),
                        validators=[InputRequired(message=_l("Choose how often it has a "
                                                             "figure"))])
    priorities = SelectMultipleField(_l("Priorities it evidences (optional)"),
                                     widget=GovCheckboxesInput(), choices=[])
    pledges = SelectMultipleField(_l("Pledges it evidences (optional)"),
                                  widget=GovCheckboxesInput(), choices=[])
    source = StringField(
        _l("Source (optional)"), widget=GovTextInput(),
        validators=[Optional(), Length(max=SOURCE_LENGTH, message=_l(
            "Enter a source of %(max)d characters or fewer"))],
        description=_l("Where the figures come from, for example the virtual school's "
                       "records"))
    version = VersionField()
    submit = SubmitField(_l("Save the indicator"), widget=GovSubmitInput())

    def offer(self, priorities: list[Evidenced], pledges: list[Evidenced],
              pledges_word: str) -> LocalIndicatorForm:
        """Offer the council's own priorities and pledges as the checkboxes' choices,
        naming pledges in the council's words; returns the form."""
        self.priorities.choices = [SelectChoice(item.key, f"{item.number}. {item.title}")
                                   for item in priorities]
        self.pledges.choices = [SelectChoice(item.key, f"{item.number}. {item.title}")
                                for item in pledges]
        self.pledges.label.text = _("%(pledges)s it evidences (optional)",
                                    pledges=pledges_word.capitalize())
        return self

    @classmethod
    def filled_from(cls, indicator: Indicator) -> LocalIndicatorForm:
        """The form holding ``indicator`` as it is saved (to change it)."""
        direction = next(name for name, value in DIRECTIONS.items()
                         if value is indicator.higher_is_better)
        return cls(data={
            "title": indicator.title, "definition": indicator.definition or "",
            "unit": indicator.unit, "direction": direction, "period": indicator.period,
            "priorities": list(indicator.priorities or []),
            "pledges": list(indicator.pledges or []), "source": indicator.source or "",
            "version": str(indicator.version)})

    def values(self) -> LocalIndicatorValues:
        """What the (validated) form says, tidied: words stripped, blanks as none, the
        priorities and pledges in the order the council numbers them."""
        def picked(field: Any) -> list[str]:
            chosen = set(field.data or [])
            return [choice.value for choice in field.choices if choice.value in chosen]

        return LocalIndicatorValues(
            title=(self.title.data or "").strip(),
            definition=(self.definition.data or "").strip() or None,
            unit=self.unit.data or "", higher_is_better=DIRECTIONS[self.direction.data or ""],
            period=self.period.data or "", priorities=picked(self.priorities),
            pledges=picked(self.pledges), source=(self.source.data or "").strip() or None)


class ArchiveForm(FlaskForm):
    """The confirmation that archives a local indicator: the button sends ``confirm=yes``
    (so an empty post is refused rather than taken as a yes) with the version seen."""

    confirm = HiddenField(default="yes", validators=[InputRequired(message=_l(
        "The form was incomplete: open the indicator again and archive it from there"))])
    version = VersionField()
    submit = SubmitField(_l("Yes, archive it"), widget=GovSubmitInput())
