"""An action as a GOV.UK summary card, written by Python: the template global
``action_card``, which the page of a council's pledges calls for each of its actions (about
eighty) and a pledge's page for each of its own, with its latest update.

A Jinja macro took about 35 µs a card (a call, a context, a dozen attribute lookups and as
many escapes), nearly half of the page of pledges; this writes the same elements, classes
and text in about a fifth of that. The words and marks it repeats are made once per locale
(:mod:`core.pledges.words`); what an action holds is the council's data, escaped. A council
wanting other cards replaces ``pledges/index.html`` or ``pledges/show.html`` (docs/plugins.md,
section 8).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup, escape

from core.dates import day_words
from core.pledges.words import action_wording, card_words, status_tag, timeline
from core.translations import fill


def _row(key: str, value: str) -> str:
    return (f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{key}'
            f'</dt><dd class="govuk-summary-list__value">{value}</dd></div>')


def action_card(action: Any, pledge_number: Any, today: dt.date, with_update: bool = False,
                update: Any = None) -> Markup:
    """``action`` (an :class:`~core.pledges.reads.ActionCard`, or anything with its fields)
    as a summary card headed "Action <pledge_number>.<number>" with its status's tag; with
    ``with_update``, a row for its latest progress ``update`` (``None``: not reported).
    The locale's words are looked up once a card, and its text escaped as it is put in
    (a page of pledges writes eighty)."""
    words = card_words()
    outcomes = "".join([f'<p class="govuk-body">{escape(outcome)}</p>'
                        for outcome in action.outcomes]) or words.not_stated
    officer = action.officer
    rows = (_row(words.action, action_wording(action, words))
            + _row(words.officer, escape(officer) if officer else words.not_stated)
            + _row(words.timeline, timeline(action, today, words))
            + _row(words.links, escape("; ".join(action.links)) if action.links
                   else words.not_applicable)
            + _row(words.outcome, outcomes))
    if with_update:
        rows += _row(words.progress, (
            f'{escape(day_words(update.reported_on))}: {status_tag(update.status)} '
            f'{escape(update.note)} <span class="govuk-body-s">({escape(update.author)})</span>'
        ) if update else words.no_progress)
    heading = fill(words.heading, pledge=pledge_number, number=action.number)
    return Markup(
        f'<div class="govuk-summary-card" id="{escape(action.key)}">'
        '<div class="govuk-summary-card__title-wrapper">'
        f'<h3 class="govuk-summary-card__title">{heading}</h3>'
        f'<div class="govuk-summary-card__actions">{status_tag(action.status)}</div></div>'
        '<div class="govuk-summary-card__content"><dl class="govuk-summary-list">'
        f'{rows}</dl></div></div>')
