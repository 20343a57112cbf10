"""Actions arising from a meeting as the admin's meeting page shows them, written by
Python: the template globals ``arising_cards`` (a summary card per action with, for a clerk
who may manage the meeting, the form that sets its status) and ``arising_status`` (an
action's status as a tag, the ``action_status`` of ``meetings/_macros.html``, which the
public meeting page shows too).

Drawn by Jinja, with a WTForms form built per action for its status radios, a card took
about 0.25 ms, a sixth of the meeting page. This writes the same elements, classes and text;
the radios are the library's ``govukRadios`` with the parameters the form's widget gives
them, through the app's memo of rendered components. A form just posted (with its errors,
or after someone else's change) is drawn from that form instead. The words every card
repeats are made once per locale; what an action holds is the council's data, escaped. A
council wanting other cards replaces ``meetings/admin_show.html``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from core.dates import day_words, moment_words
from core.meetings.forms import ACTION_STATUS_CHOICES, ActionStatusForm
from core.pledges.words import missing, tag
from core.translations import fill, once_per_locale
from core.translations import trusted_gettext as _
from core.url_makers import url_maker
from core.widgets import kept_component

#: What the status radios add to the parameters their widget gives them.
RADIO_CLASSES = "govuk-radios--inline govuk-radios--small"
LEGEND_CLASSES = "govuk-fieldset__legend--s"
SUBMIT_PARAMS = {"classes": "govuk-button--secondary"}


@dataclass(frozen=True, slots=True)
class ArisingWords:
    """The words of an action arising's card in one locale, as markup (``choices``: each
    status's value and label, as the radios' items take them)."""

    who: Markup
    due: Markup
    agreed_at: Markup
    status: Markup
    no_due_date: Markup
    closed_here: Markup
    closed_at: Markup
    change: Markup
    legend: Markup
    save: Markup
    open: Markup
    done: Markup
    dropped: Markup
    overdue: Markup
    choices: tuple[tuple[str, str], ...]


@once_per_locale
def arising_words() -> ArisingWords:
    """The words of an action arising's card in the current locale."""
    return ArisingWords(
        who=_("Who"), due=_("Due"), agreed_at=_("Agreed at"), status=_("Status"),
        no_due_date=missing(_("No due date")), closed_here=_("closed at this meeting"),
        closed_at=_("closed at the meeting of %(when)s"),
        change=_("Change the action, who will do it or its due date"),
        legend=_("Status of this action"), save=_("Save the status"),
        open=tag(_("Open"), "yellow"), done=tag(_("Done"), "green"),
        dropped=tag(_("Dropped"), "grey"), overdue=tag(_("Overdue"), "red"),
        choices=tuple((choice.value, str(choice.label)) for choice in ACTION_STATUS_CHOICES))


def _status(action: Any, today: dt.date, words: ArisingWords) -> str:
    if action.is_open:
        written = str(words.open)
    elif action.status == "done":
        written = str(words.done)
    else:
        written = str(words.dropped)
    if action.overdue_on(today):
        written += f" {words.overdue}"
    return written


def arising_status(action: Any, today: dt.date) -> Markup:
    """An action's status as a tag (open, done or dropped), and "Overdue" beside it when it
    is still open after its due date on ``today``."""
    return Markup(_status(action, today, arising_words()))


def status_params(action_id: int, status: str | None, words: ArisingWords) -> dict[str, Any]:
    """The parameters of ``govukRadios`` for the status of action ``action_id`` (``status``
    checked), as :class:`~core.meetings.forms.ActionStatusForm`'s widget gives them with
    :func:`radio_params` merged in."""
    items = []
    for value, label in words.choices:
        item: dict[str, Any] = {"text": label, "value": value}
        if value == status:
            item["checked"] = True
        items.append(item)
    return {"name": f"action-{action_id}-status", "items": items, **radio_params(words)}


def radio_params(words: ArisingWords) -> dict[str, Any]:
    """What the page adds to the status radios' parameters: inline and small, no hint, the
    legend."""
    return {"hint": None, "classes": RADIO_CLASSES,
            "fieldset": {"legend": {"text": words.legend, "classes": LEGEND_CLASSES}}}


def submit_button(action_id: int, words: ArisingWords) -> str:
    """The button saving action ``action_id``'s status, as the form's ``submit`` field
    draws it with :data:`SUBMIT_PARAMS`."""
    prefix = f"action-{action_id}-"
    return (f'<button type="submit" value="y" name="{prefix}submit" class="govuk-button '
            f'govuk-button--secondary" data-module="govuk-button" id="{prefix}submit">'
            f"{words.save}</button>")


def _row(key: str, value: str) -> str:
    return (f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{key}'
            f'</dt><dd class="govuk-summary-list__value">{value}</dd></div>')


@dataclass(frozen=True, slots=True)
class _Page:
    """What every card of one page shares: the meeting, the day, the words, the links."""

    meeting_id: int
    today: dt.date
    words: ArisingWords
    can_manage: bool
    posted: Mapping[int, ActionStatusForm]
    meeting_url: Any
    status_url: Any
    edit_url: Any


def _form(action: Any, page: _Page) -> str:
    """The form setting the action's status: the one just posted, else a fresh one."""
    words, posted = page.words, page.posted.get(action.id)
    prefix = f"action-{action.id}-"
    if posted is not None:
        version = escape(posted.version._value())
        radios = posted.status(params=radio_params(words))
        submit = posted.submit(params=SUBMIT_PARAMS)
    else:
        version = escape(str(action.version))
        radios = kept_component("radios", "govukRadios",
                                status_params(action.id, action.status, words))
        submit = submit_button(action.id, words)
    return (f'<form method="post" action="{escape(page.status_url(action.id))}" novalidate>'
            f'<input id="{prefix}csrf_token" name="{prefix}csrf_token" type="hidden" '
            f'value="{escape(generate_csrf())}">'
            f'<input id="{prefix}version" name="{prefix}version" type="hidden" value="{version}">'
            f"{radios}{submit}</form>"
            f'<p class="govuk-body"><a class="govuk-link" '
            f'href="{escape(page.edit_url(action.id))}">'
            f'{words.change}<span class="govuk-visually-hidden"> ({escape(action.text)})</span>'
            "</a></p>")


def _card(action: Any, carried: bool, page: _Page) -> str:
    words = page.words
    status = _status(action, page.today, words)
    if action.closed_at_meeting_id == page.meeting_id:
        status += f" {words.closed_here}"
    elif action.closed_at is not None:
        when = moment_words(action.closed_at)
        status += f" {fill(words.closed_at, when=when)}"
    rows = [_row(words.who, escape(action.owner)),
            _row(words.due, escape(day_words(action.due)) if action.due else words.no_due_date)]
    if carried:
        rows.append(_row(words.agreed_at, (
            f'<a class="govuk-link" href="{escape(page.meeting_url(action.meeting_id))}">'
            f"{escape(moment_words(action.raised_at))}</a>")))
    rows.append(_row(words.status, status))
    return (f'<div class="govuk-summary-card" id="action-{action.id}">'
            '<div class="govuk-summary-card__title-wrapper">'
            f'<h3 class="govuk-summary-card__title">{escape(action.text)}</h3></div>'
            '<div class="govuk-summary-card__content"><dl class="govuk-summary-list">'
            f'{"".join(rows)}</dl>{_form(action, page) if page.can_manage else ""}</div></div>')


def arising_cards(actions: Sequence[Any], *, meeting_id: int, carried: bool, today: dt.date,
                  can_manage: bool, posted: Mapping[int, ActionStatusForm] | None = None
                  ) -> Markup:
    """A card for each of ``actions`` (each with the columns of an action arising, where it
    stands, and the starts of the meetings that agreed and closed it, as
    :class:`~core.meetings.services.ArisingLine` has them) on the admin page of meeting
    ``meeting_id``: what it is, who does it, when it is due, (``carried``: the meeting
    that agreed it) and where it stands; with ``can_manage``, the form setting its status
    (``posted``: the forms just posted, by action id, drawn as they came back) and the link
    to change it."""
    page = _Page(
        meeting_id=meeting_id, today=today, words=arising_words(), can_manage=can_manage,
        posted=posted or {}, meeting_url=url_maker("meeting_admin.show", "meeting_id"),
        status_url=url_maker("meeting_admin.action_status", "action_id",
                             meeting_id=meeting_id),
        edit_url=url_maker("meeting_admin.edit_action_form", "action_id",
                           meeting_id=meeting_id))
    return Markup("".join([_card(action, carried, page) for action in actions]))
