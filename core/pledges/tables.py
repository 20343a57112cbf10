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
from core.pledges.reads import PledgeLine, PledgeTally
from core.pledges.status import RollUp
from core.pledges.words import missing, status_tag, tag
from core.translations import fill, page_locale_name
from core.translations import trusted_gettext as _
from core.url_makers import text_url_maker
from core.widgets import TABLE_MACRO, kept_component, keyed_memo

#: How much of a pledge's latest update the table quotes (characters, cut at a word).
NOTE_LENGTH = 120


#: Where an app keeps its memo of pledge tables, in ``app.extensions``.
TABLES_EXTENSION = "cpt_pledge_tables"


def pledge_table(council: Any, pledges: Iterable[PledgeLine | PledgeTally], roll_up: RollUp,
                 endpoint: str) -> Markup:
    """``pledges`` as a GOV.UK table: each title linked to ``endpoint`` (the public page or
    the admin's, by the pledge's key), its number of actions, how many are past their due
    date on ``roll_up.today``, its status by the council's rule, and its latest update
    (its day and the start of its note). Kept by what it shows (the locale, the council's
    word and links, and each pledge's line), in a memo of the process
    (:func:`core.widgets.keyed_memo`): the statuses and counts are worked out on every
    render, the rows and their markup only when they change."""
    today = roll_up.today
    lines = tuple([(pledge.key, pledge.number, pledge.title, pledge.added_locally,
                    pledge.action_count, pledge.overdue_actions_on(today),
                    roll_up.of(pledge), pledge.latest and (pledge.latest.reported_on,
                                                           pledge.latest.note))
                   for pledge in pledges])
    pledge_word = council.word("pledge")
    link = text_url_maker(endpoint, "key")
    key = (page_locale_name(), pledge_word, link(""),
           current_app.jinja_env.council_name(TABLE_MACRO, None), lines)
    return keyed_memo(TABLES_EXTENSION).get(key, lambda: _table(pledge_word, link, lines))


def _table(pledge_word: str, link: Any, lines: tuple[Any, ...]) -> Markup:
    environment = current_app.jinja_env
    added_locally = tag(_("Added locally"), "purple")
    none_yet = missing(_("None yet"))
    rows = []
    for key, number, title, added, actions, overdue, status, latest in lines:
        title_cell = Markup(f'<a class="govuk-link" href="{escape(link(key))}">'
                            f'{escape(number)}. {escape(title)}</a>\n          ')
        if added:
            title_cell += added_locally
        if latest:
            reported_on, note = latest
            note = escape(do_truncate(environment, note, NOTE_LENGTH))
            latest_cell = Markup(f'{escape(day_words(reported_on))}<br>'
                                 f'<span class="govuk-body-s">{note}</span>')
        else:
            latest_cell = none_yet
        rows.append([
            {"html": title_cell},
            {"text": str(actions), "format": "numeric"},
            {"html": Markup(f'<strong class="govuk-tag govuk-tag--red">{overdue}</strong>')
             if overdue else "0", "format": "numeric"},
            {"html": status_tag(status)},
            {"html": latest_cell}])
    return kept_component("table", "govukTable", {
        "caption": Markup(fill(_("Status of each %(pledge)s"), pledge=pledge_word)),
        "captionClasses": "govuk-visually-hidden",
        "head": [{"text": pledge_word.capitalize()},
                 {"text": _("Actions"), "format": "numeric"},
                 {"text": _("Past due date"), "format": "numeric"},
                 {"text": _("Status")}, {"text": _("Latest update")}],
        "rows": rows})
