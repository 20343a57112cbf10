"""Forms for indicator figures: one period's figure, and a file of figures to import."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from core.forms import GovDateField, VersionField
from core.indicators.figures import NOTE_LENGTH, check_figure
from core.translations import lazy_gettext as _l
from core.widgets import GovFileInput, GovSubmitInput, GovTextArea, GovTextInput


def _number_field(label: Any, hint: Any = None) -> StringField:
    return StringField(label, widget=GovTextInput(), validators=[Optional(), Length(max=20)],
                       description=hint or "", render_kw={"inputmode": "decimal",
                                                          "spellcheck": "false"})


class FigureForm(FlaskForm):
    """One period's figure with its target and comparators."""

    period_end = GovDateField(_l("Last day of the period"),
                              validators=[InputRequired(message=_l(
                                  "Enter the last day of the period"))],
                              description=_l("For a year to 31 March 2025, 31 3 2025"))
    value = _number_field(_l("Figure"), _l("Leave it blank for a percentage to work it out "
                                           "from the two numbers below"))
    numerator = _number_field(_l("Children counted (for a percentage)"))
    denominator = _number_field(_l("Children it is a share of (for a percentage)"))
    target = _number_field(_l("Target (optional)"))
    england = _number_field(_l("England (optional)"))
    region = _number_field(_l("Region (optional)"))
    neighbours = _number_field(_l("Statistical neighbours (optional)"))
    note = TextAreaField(_l("Note (optional)"), widget=GovTextArea(),
                         validators=[Optional(), Length(max=NOTE_LENGTH)])
    version = VersionField()
    submit = SubmitField(_l("Save the figure"), widget=GovSubmitInput())

    def checked(self, unit: str | None) -> Any:
        """Validate the form and the figure's rules together, putting every problem on its
        own field; the figure's values, or ``None`` when anything is wrong."""
        valid = self.validate()
        raw = {name: getattr(self, name).data for name in (
            "period_end", "value", "numerator", "denominator", "target", "england", "region",
            "neighbours", "note")}
        values, problems = check_figure(unit, raw)
        for name, message in problems.items():
            field = getattr(self, name)
            if not field.errors:
                field.errors = [*field.errors, message]
        return values if valid and not problems else None


class ImportForm(FlaskForm):
    """A CSV or Excel file of figures."""

    upload = FileField(_l("File of figures"), widget=GovFileInput(),
                       description=_l("A CSV (.csv) or Excel (.xlsx) file laid out like the "
                                      "template"))
    submit = SubmitField(_l("Import the figures"), widget=GovSubmitInput())
