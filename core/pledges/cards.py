"""An action as a GOV.UK summary card, written by Python: the template globals
``action_cards``, with which the page of a council's pledges writes each pledge's actions
(about eighty in all) and a pledge's page its own, with their latest updates, each card kept
once written; and ``action_card``, one card, for a council's own template.

A Jinja macro took about 35 µs a card (a call, a context, a dozen attribute lookups and as
many escapes), nearly half of the page of pledges; this writes the same elements, classes
and text in about a fifth of that. The words and marks it repeats are made once per locale
(:mod:`core.pledges.words`); what an action holds is the council's data, escaped. A council
wanting other cards replaces ``pledges/index.html`` or ``pledges/show.html`` (docs/plugins.md,
section 8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from core.dates import day_words
from core.pledges.words import CardWords, action_wording, card_words, status_tag, timeline
from core.translations import fill, page_locale_name
from core.widgets import keyed_memo


def _row(key: str, value: str) -> str:
    return (f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{key}'
            f'</dt><dd class="govuk-summary-list__value">{value}</dd></div>')


#: Where an app keeps its memo of cards, in ``app.extensions``.
CARDS_EXTENSION = "cpt_action_cards"
#: How many cards each worker keeps by default (``CARD_MARKUP_ENTRIES``): a national host's
#: public pages show about 12,000 (153 councils, 80 actions each), 1–2 KB each.
DEFAULT_CARD_ENTRIES = 16384


def action_cards(actions: Iterable[Any], pledge_number: Any, today: dt.date,
                 updates: Mapping[int, Any] | None = None) -> Markup:
    """Each of ``actions`` as :func:`action_card` writes it (with its latest update from
    ``updates``, by action id, when given), one after the other: a page's cards in one call
    of the template, not one a card. Each card is kept once written, by everything it
    shows: the locale's words, the pledge's number, the action's fields, whether it is
    past its due date on ``today`` and its update (a page of pledges writes eighty, and
    the same action is the same card until it changes)."""
    words, locale = card_words(), page_locale_name()
    memo = keyed_memo(CARDS_EXTENSION, "CARD_MARKUP_ENTRIES", DEFAULT_CARD_ENTRIES)
    with_update = updates is not None
    cards = []
    for action in actions:
        update = updates.get(action.id) if with_update else None  # type: ignore[union-attr]
        key = (locale, words, pledge_number, action.overdue_on(today), action.id, action.key,
               action.number, action.status, action.wording, action.officer,
               action.timeline_text, tuple(action.links), tuple(action.outcomes),
               with_update, update and (update.reported_on, update.status, update.note,
                                        update.author))
        cards.append(memo.get(key, lambda action=action, update=update: action_card(
            action, pledge_number, today, with_update, update, words)))
    return Markup("\n        ".join(cards))


def action_card(action: Any, pledge_number: Any, today: dt.date, with_update: bool = False,
                update: Any = None, words: CardWords | None = None) -> Markup:
    """``action`` (an :class:`~core.pledges.reads.ActionCard`, or anything with its fields)
    as a summary card headed "Action <pledge_number>.<number>" with its status's tag; with
    ``with_update``, a row for its latest progress ``update`` (``None``: not reported).
    The locale's words are looked up once a card, and its text escaped as it is put in
    (a page of pledges writes eighty); ``words``, the locale's, when the caller has them."""
    if words is None:
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
