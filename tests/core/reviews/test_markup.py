"""The overview's list of review cycles, as Python writes it (core/reviews/markup.py): each
cycle's state on the day as a tag, its subject escaped and its next date, kept by what it
shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Flask

from core.reviews.markup import review_list_markup
from core.reviews.models import DUE_SOON, ReviewState

TODAY = dt.date(2026, 12, 7)


@dataclass(frozen=True)
class _Cycle:
    subject: str
    next_due: dt.date | None

    def state_on(self, today: dt.date) -> ReviewState:
        if self.next_due is None:
            return ReviewState.NOT_SCHEDULED
        if self.next_due < today:
            return ReviewState.OVERDUE
        return ReviewState.DUE_SOON if self.next_due <= today + DUE_SOON else (
            ReviewState.SCHEDULED)


def test_each_cycle_with_its_state_subject_and_next_date(app: Flask) -> None:
    cycles = [_Cycle("Health <protocol> & more", dt.date(2026, 11, 1)),
              _Cycle("Housing", TODAY + dt.timedelta(days=10)),
              _Cycle("Education", dt.date(2027, 12, 1)), _Cycle("Leisure", None)]
    with app.test_request_context("/"):
        written = str(review_list_markup(cycles, TODAY))
        kept = review_list_markup(list(cycles), TODAY)
        later = str(review_list_markup(cycles, dt.date(2028, 1, 1)))
    assert written == str(kept)
    with app.test_request_context("/"):
        assert review_list_markup(list(cycles), TODAY) is review_list_markup(cycles, TODAY)
    assert written.splitlines()[1:] == [
        '    <li><strong class="govuk-tag govuk-tag--red">Overdue</strong> Health &lt;protocol'
        "&gt; &amp; more &ndash; next due by 1 November 2026</li>",
        '    <li><strong class="govuk-tag govuk-tag--yellow">Due soon</strong> Housing &ndash; '
        "next due by 17 December 2026</li>",
        '    <li><strong class="govuk-tag govuk-tag--green">Scheduled</strong> Education '
        "&ndash; next due by 1 December 2027</li>",
        '    <li><strong class="govuk-tag govuk-tag--grey">No date set</strong> Leisure</li>',
        "  </ul>"]
    # the same cycles on a later day: their states are worked out again
    assert later.count("Overdue") == 3
