"""Pieces every admin form shares: a translated date input and edit-conflict detection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wtforms import DateField, HiddenField, ValidationError

from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.widgets import GovDateInput


class DateInput(GovDateInput):
    """GOV.UK's day, month and year boxes, with their labels translated."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        for item, label in zip(params["items"], (_("Day"), _("Month"), _("Year")), strict=True):
            item["label"] = label
        return params


#: The years a date typed in a form may fall in: outside them it is a typing slip (and some
#: would break what is made from it, such as a calendar feed).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


class GovDateField(DateField):
    """A date typed as day, month and year, from 1900 to 2100, with a message that says what
    to fix."""

    widget = DateInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        # Always day, month and year: the widget unpacks three values, even from a bad post.
        self.raw_data = valuelist = [*valuelist, "", "", ""][:3]
        if not any(part.strip() for part in valuelist):
            self.data = None
            return
        try:
            self.data = dt.datetime.strptime(" ".join(p.strip() for p in valuelist),
                                             "%d %m %Y").date()
        except ValueError:
            self.data = None
            raise ValueError(_("%(label)s must be a real date, like 27 3 2026",
                               label=self.label.text)) from None
        if not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            self.data = None
            raise ValueError(_("%(label)s must be between %(earliest)d and %(latest)d",
                               label=self.label.text, earliest=EARLIEST_YEAR,
                               latest=LATEST_YEAR))


class FieldError(ValueError):
    """A change a service refuses; ``field`` names the form field at fault, the message says
    what is wrong and what to do."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class VersionField(HiddenField):
    """The version of the record the form was filled from, to detect edits that crossed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_l("Version"), **kwargs)


class EditConflict(Exception):
    """Someone else saved the record after this form was opened."""


def check_version(record: Any, submitted: str | None) -> None:
    """Raise :class:`EditConflict` unless ``submitted`` is the record's current version."""
    if str(record.version) != (submitted or ""):
        raise EditConflict


def not_in_past(form: Any, field: Any) -> None:
    """A date still to come (or today): when something is next due."""
    if field.data and field.data < dt.date.today():
        raise ValidationError(_("%(label)s must be today or in the future",
                                label=field.label.text))


def not_in_future(form: Any, field: Any) -> None:
    """A date that has happened (a review done, a meeting held)."""
    if field.data and field.data > dt.date.today():
        raise ValidationError(_("%(label)s must be today or in the past", label=field.label.text))
