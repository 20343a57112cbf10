"""Review cycles as the council's overview lists them, written by Python: the template
global ``review_list_markup``, each cycle's state as a GOV.UK tag, its subject and when it
is next due. Kept by what it shows (:func:`core.widgets.keyed_memo`): the locale, and each
cycle's state on the day, subject and next date. Drawn by Jinja, a tag's macro and a date
a cycle took a tenth of the overview's template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from core.dates import day_words
from core.pledges.words import tag
from core.reviews.models import ReviewState
from core.translations import WordsPerLocale, fill, page_locale_name
from core.translations import lazy_gettext as _l
from core.translations import trusted_gettext as _
from core.widgets import keyed_memo

#: Label and GOV.UK tag colour of each review state.
REVIEW_STATE = {
    ReviewState.OVERDUE: (_l("Overdue"), "red"),
    ReviewState.DUE_SOON: (_l("Due soon"), "yellow"),
    ReviewState.SCHEDULED: (_l("Scheduled"), "green"),
    ReviewState.NOT_SCHEDULED: (_l("No date set"), "grey"),
}
#: :data:`REVIEW_STATE` in the current locale (the template global ``review_state``).
REVIEW_STATE_WORDS = WordsPerLocale(REVIEW_STATE)

#: Where an app keeps its memo of review lists, in ``app.extensions``.
REVIEWS_EXTENSION = "cpt_review_lists"


def review_list_markup(cycles: Iterable[Any], today: dt.date) -> Markup:
    """``cycles`` (each with ``subject``, ``next_due`` and ``state_on``) as a GOV.UK list:
    each one's state on ``today`` as a tag, its subject, and "next due by" its next date
    when it has one."""
    lines = tuple([(cycle.state_on(today), cycle.subject, cycle.next_due)
                   for cycle in cycles])
    return keyed_memo(REVIEWS_EXTENSION).get((page_locale_name(), lines),
                                             lambda: _review_list(lines))


def _review_list(lines: tuple[tuple[ReviewState, str, dt.date | None], ...]) -> Markup:
    """The list of each cycle's (state, subject, next date), written afresh."""
    items = []
    for state, subject, next_due in lines:
        label, colour = REVIEW_STATE_WORDS[state]
        due = (f" &ndash; {fill(_('next due by %(date)s'), date=day_words(next_due))}"
               if next_due else "")
        items.append(f"<li>{tag(label, colour)} {escape(subject)}{due}</li>")
    return Markup('<ul class="govuk-list">\n    ' + "\n    ".join(items) + "\n  </ul>")
