"""Recording a review."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from core.forms import GovDateField, not_in_future, not_in_past
from core.translations import lazy_gettext as _l
from core.widgets import GovSubmitInput, GovTextArea


class RecordReviewForm(FlaskForm):
    """When a review was done and what it concluded."""

    done_on = GovDateField(_l("Date of the review"),
                           validators=[InputRequired(message=_l("Enter the date of the review")),
                                       not_in_future],
                           description=_l("For example, 27 3 2026"))
    outcome = TextAreaField(_l("Outcome"), widget=GovTextArea(),
                            validators=[InputRequired(message=_l("Enter the outcome")),
                                        Length(max=5000)])
    submit = SubmitField(_l("Record the review"), widget=GovSubmitInput())


class RecordReviewSettingDueForm(RecordReviewForm):
    """A review of a cycle whose published interval does not settle the next due date:
    the person recording it may set that date (the view explains what blank means). Left
    blank, no validator runs: an empty date input is ``None``, a partial one an error."""

    next_due = GovDateField(_l("Next review due (optional)"),
                            validators=[not_in_past],
                            description=_l("For example, 27 3 2028"))
    submit = SubmitField(_l("Record the review"), widget=GovSubmitInput())
