"""Recording a review."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from core.forms import GovDateField, not_in_future


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
