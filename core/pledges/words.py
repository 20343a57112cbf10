"""The words and marks every action card repeats, made once per locale (a page of a
council's pledges shows about eighty cards): the labels of its rows, its placeholders for
what is missing, and each status's GOV.UK tag. Templates reach them through the globals
``card_words`` and ``status_tag``; ``macros.html``'s ``tag``, ``missing`` and
``status_tag`` give the same markup, from the same functions."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from core.pledges.models import ActionStatus
from core.pledges.status import STATUS_LABELS
from core.translations import gettext as _
from core.translations import once_per_locale

#: Label and GOV.UK tag colour of each action status.
ACTION_STATUS = {status: (STATUS_LABELS[status], colour) for status, colour in (
    (ActionStatus.NOT_STARTED, "grey"), (ActionStatus.ON_TRACK, "green"),
    (ActionStatus.AT_RISK, "yellow"), (ActionStatus.OFF_TRACK, "red"),
    (ActionStatus.COMPLETE, "blue"))}


def tag(label: str, colour: str) -> Markup:
    """A GOV.UK tag in ``colour`` (``govuk-tag--<colour>``) holding ``label`` (escaped
    unless it is markup)."""
    return Markup('<strong class="govuk-tag govuk-tag--{}">{}</strong>').format(colour, label)


def missing(text: str) -> Markup:
    """``text`` marked as standing for something not given (escaped unless markup)."""
    return Markup('<span class="app-missing">{}</span>').format(text)


@once_per_locale
def _status_tags() -> dict[str, Markup]:
    return {status: tag(str(label), colour) for status, (label, colour) in ACTION_STATUS.items()}


def status_tag(status: str | None) -> Markup:
    """The tag of an action's (or a pledge's rolled-up) ``status``; without one, "No
    actions" marked as missing."""
    return _status_tags()[status] if status else _no_actions()


@once_per_locale
def _no_actions() -> Markup:
    return missing(_("No actions"))


@dataclass(frozen=True, slots=True)
class CardWords:
    """An action card's words in one locale: the labels of its rows, its heading's pattern
    (``%(pledge)s`` and ``%(number)s``, as markup whose values are escaped when put in),
    and its placeholders as markup. Attributes, not a dict's keys: a template reads them
    by name, which Jinja tries as an attribute first."""

    action: str
    officer: str
    timeline: str
    links: str
    outcome: str
    progress: str
    heading: Markup
    not_stated: Markup
    not_applicable: str
    no_progress: Markup
    no_wording: Markup
    due_passed: Markup


@once_per_locale
def card_words() -> CardWords:
    """The words of an action card in the current locale."""
    return CardWords(
        action=_("Action"), officer=_("Responsible officer"), timeline=_("Timeline"),
        links=_("Link to other action plans or strategy initiatives"),
        outcome=_("Expected outcome"), progress=_("Latest progress"),
        heading=Markup(_("Action %(pledge)s.%(number)s")),
        not_stated=missing(_("Not stated")), not_applicable=_("Not applicable"),
        no_progress=missing(_("No progress reported yet")),
        no_wording=missing(_("The published plan does not give this action's wording.")),
        due_passed=tag(_("Due date passed"), "red"))
