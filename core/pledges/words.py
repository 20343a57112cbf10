"""The words and marks every action card repeats, made once per locale (a page of a
council's pledges shows about eighty cards): the labels of its rows, its placeholders for
what is missing, and each status's GOV.UK tag, as markup. Templates reach them through the
globals ``card_words``, ``status_tag_markup``, ``action_wording_markup`` and
``timeline_markup``; ``macros.html``'s ``tag``, ``missing``, ``status_tag``,
``action_wording`` and ``timeline`` are these same functions, so every page draws an
action's pieces alike.

Translations are the project's own text, trusted as markup (as Jinja's ``_()`` gives them
in a template: an apostrophe stays an apostrophe); what an action holds is the council's
data, escaped when put in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from markupsafe import Markup, escape

from core.pledges.models import ActionStatus
from core.pledges.status import STATUS_LABELS
from core.translations import once_per_locale
from core.translations import trusted_gettext as _

#: Label and GOV.UK tag colour of each action status.
ACTION_STATUS = {status: (STATUS_LABELS[status], colour) for status, colour in (
    (ActionStatus.NOT_STARTED, "grey"), (ActionStatus.ON_TRACK, "green"),
    (ActionStatus.AT_RISK, "yellow"), (ActionStatus.OFF_TRACK, "red"),
    (ActionStatus.COMPLETE, "blue"))}


def tag(label: str, colour: str) -> Markup:
    """A GOV.UK tag in ``colour`` (``govuk-tag--<colour>``) holding ``label`` (escaped
    unless it is markup)."""
    return Markup(f'<strong class="govuk-tag govuk-tag--{escape(colour)}">{escape(label)}</strong>')


def missing(text: str) -> Markup:
    """``text`` marked as standing for something not given (escaped unless markup)."""
    return Markup(f'<span class="app-missing">{escape(text)}</span>')


@once_per_locale
def _status_tags() -> dict[str, Markup]:
    return {status: tag(str(label), colour) for status, (label, colour) in ACTION_STATUS.items()}


def status_tag(status: str | None) -> Markup:
    """The tag of an action's (or a pledge's rolled-up) ``status``; without one, "No
    actions" marked as missing; a status this version does not know, grey, as it is."""
    if not status:
        return card_words().no_actions
    found = _status_tags().get(status)
    return found if found is not None else tag(status, "grey")


@dataclass(frozen=True, slots=True)
class CardWords:
    """An action card's words in one locale, as markup: the labels of its rows, its
    heading's pattern (``%(pledge)s`` and ``%(number)s``, whose values are escaped when
    put in), and its placeholders. Attributes, not a dict's keys: a template reads them by
    name, which Jinja tries as an attribute first."""

    action: Markup
    officer: Markup
    timeline: Markup
    links: Markup
    outcome: Markup
    progress: Markup
    heading: Markup
    not_stated: Markup
    not_applicable: Markup
    no_progress: Markup
    no_wording: Markup
    no_actions: Markup
    due_passed: Markup
    #: The words' hash, made once: every card's memo key holds them (eighty a page).
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash(tuple(
            getattr(self, name.name) for name in fields(self) if name.compare)))

    def __hash__(self) -> int:
        return self._hash


@once_per_locale
def card_words() -> CardWords:
    """The words of an action card in the current locale."""
    return CardWords(
        action=_("Action"), officer=_("Responsible officer"), timeline=_("Timeline"),
        links=_("Link to other action plans or strategy initiatives"),
        outcome=_("Expected outcome"), progress=_("Latest progress"),
        heading=_("Action %(pledge)s.%(number)s"),
        not_stated=missing(_("Not stated")), not_applicable=_("Not applicable"),
        no_progress=missing(_("No progress reported yet")),
        no_wording=missing(_("The published plan does not give this action's wording.")),
        no_actions=missing(_("No actions")),
        due_passed=tag(_("Due date passed"), "red"))


def action_wording(action: Any, words: CardWords | None = None) -> Markup:
    """An action's wording (escaped), or a note that the published plan does not give it
    (``words``: the locale's, when the caller has them)."""
    wording = action.wording
    return escape(wording) if wording else (words or card_words()).no_wording


def timeline(action: Any, today: dt.date, words: CardWords | None = None) -> Markup:
    """An action's timeline as the plan states it (escaped; "Not stated" marked as missing
    without one), and a red "Due date passed" tag when it is overdue on ``today``
    (``words``: the locale's, when the caller has them)."""
    words = words or card_words()
    stated = escape(action.timeline_text) if action.timeline_text else words.not_stated
    if action.overdue_on(today):
        return Markup(f"{stated}<br>{words.due_passed}")
    return stated
