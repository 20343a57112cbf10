"""The table of a council's pledges with their status, written by Python: the overview's
and the admin action plan's (``macros.html``'s ``pledge_table`` calls it).

As a Jinja macro each row cost about 60 µs (three ``{% set %}`` blocks, ``url_for``, a
truncating filter, a dozen lookups), a sixth of the overview's render. This builds the same
GOV.UK table's parameters in Python, the links from one ``url_for``
(:func:`core.url_makers.text_url_maker`), and hands them to the table component as the macro
did (:func:`core.widgets.kept_component`), so a council's own copy of the table macro still
draws it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from core.dates import day_words
from core.pledges.reads import PledgeLine
from core.pledges.status import RollUp
from core.pledges.words import missing, status_tag, tag
from core.translations import fill
from core.translations import trusted_gettext as _
from core.url_makers import text_url_maker
from core.widgets import kept_component

#: How much of a pledge's latest update the table quotes (characters, cut at a word).
NOTE_LENGTH = 120


def pledge_table(council: Any, pledges: Iterable[PledgeLine], roll_up: RollUp,
                 endpoint: str) -> Markup:
    """``pledges`` as a GOV.UK table: each title linked to ``endpoint`` (the public page or
    the admin's, by the pledge's key), its number of actions, how many are past their due
    date on ``roll_up.today``, its status by the council's rule, and its latest update
    (its day and the start of its note)."""
    link = text_url_maker(endpoint, "key")
    environment = current_app.jinja_env
    today = roll_up.today
    added_locally = tag(_("Added locally"), "purple")
    none_yet = missing(_("None yet"))
    rows = []
    for pledge in pledges:
        title = Markup(f'<a class="govuk-link" href="{escape(link(pledge.key))}">'
                       f'{escape(pledge.number)}. {escape(pledge.title)}</a>\n          ')
        if pledge.added_locally:
            title += added_locally
        overdue = pledge.overdue_actions_on(today)
        update = pledge.latest
        if update:
            note = escape(do_truncate(environment, update.note, NOTE_LENGTH))
            latest = Markup(f'{escape(day_words(update.reported_on))}<br>'
                            f'<span class="govuk-body-s">{note}</span>')
        else:
            latest = none_yet
        rows.append([
            {"html": title},
            {"text": str(len(pledge.actions)), "format": "numeric"},
            {"html": Markup(f'<strong class="govuk-tag govuk-tag--red">{overdue}</strong>')
             if overdue else "0", "format": "numeric"},
            {"html": status_tag(roll_up.of(pledge))},
            {"html": latest}])
    pledge_word = council.word("pledge")
    return kept_component("table", "govukTable", {
        "caption": Markup(fill(_("Status of each %(pledge)s"), pledge=pledge_word)),
        "captionClasses": "govuk-visually-hidden",
        "head": [{"text": pledge_word.capitalize()},
                 {"text": _("Actions"), "format": "numeric"},
                 {"text": _("Past due date"), "format": "numeric"},
                 {"text": _("Status")}, {"text": _("Latest update")}],
        "rows": rows})
