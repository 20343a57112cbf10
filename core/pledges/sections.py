"""A council's pledges as the page of pledges shows them, one section each, written by
Python: the template global ``pledge_sections``.

Each section is the pledge's heading (the council's word for a pledge and its number), its
statement, its status rolled up by the council's rule, an "Added locally" tag for a pledge
the council added, a link to its own page, and a table of its actions: each action's
number (linking to its card on the pledge's page), its wording, its responsible officer,
its timeline (with a tag once its due date has passed) and its status. The cards, with
each action's expected outcomes, links and latest progress, are on the pledge's own page
(:mod:`core.pledges.cards`).

A section is kept once written, by everything it shows (:func:`core.widgets.keyed_memo`):
the locale, the council's word for a pledge and its links, the council's rule on the day,
and the pledge's and its actions' fields as read (:class:`~core.pledges.reads.PlanAction`
is a tuple, so the key is the rows). A page of a council's ten pledges looks up ten
sections rather than writing eighty rows. The words every section repeats are made once
per locale and council word (:func:`section_words`). A council wanting other sections
replaces ``pledges/index.html`` (docs/plugins.md, section 8): the status tags and
placeholders are :mod:`core.pledges.words`' own, as an action card's are, not a council's
copy of ``macros.html``; the table is the library's, or a council's copy of its macro.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple
from urllib.parse import quote

from flask import current_app
from markupsafe import Markup, escape

from core.pledges.reads import PlanAction
from core.pledges.status import RollUp
from core.pledges.words import CardWords, action_wording, card_words, missing, status_tag, tag
from core.pledges.words import timeline as timeline_markup
from core.translations import fill, once_per_locale, page_locale_name
from core.translations import trusted_gettext as _
from core.url_makers import text_url_maker
from core.widgets import TABLE_MACRO, kept_component, keyed_memo

#: Where an app keeps its memo of sections, in ``app.extensions``.
SECTIONS_EXTENSION = "cpt_pledge_sections"
#: How many sections each worker keeps by default (``SECTION_MARKUP_ENTRIES``): a national
#: host's 153 councils have about 1,530 pledges, a section 5–10 KB.
DEFAULT_SECTION_ENTRIES = 2048


class SectionWords(NamedTuple):
    """What every section of one page repeats, as markup."""

    #: The heading's word: the council's word for a pledge, capitalized.
    heading: Markup
    status: Markup
    progress: Markup
    added_locally: Markup
    no_actions: Markup
    #: The actions' table: its caption's pattern (``%(pledge)s`` and ``%(number)s``) and
    #: the heads of its columns.
    caption: Markup
    heads: tuple[Markup, ...]


def section_words(pledge_word: str) -> SectionWords:
    """The words of a section in the current locale, for a council whose word for a pledge
    is ``pledge_word`` (made once for each: a host's councils have a few words between
    them)."""
    made = _made_in_this_locale()
    words = made.get(pledge_word)
    if words is None:
        card = card_words()
        words = made[pledge_word] = SectionWords(
            heading=escape(pledge_word.capitalize()), status=_("Status:"),
            progress=Markup(fill(_("Progress on this %(pledge)s"), pledge=pledge_word)),
            added_locally=tag(_("Added locally"), "purple"),
            no_actions=missing(_("No actions published.")),
            caption=_("Actions of %(pledge)s %(number)s"),
            heads=(card.action, _("What will be done"), card.officer, card.timeline,
                   _("Status")))
    return words


@once_per_locale
def _made_in_this_locale() -> dict[str, SectionWords]:
    """The words made in the current locale so far, by the council's word for a pledge."""
    return {}


def plan_actions(pledge: Any) -> tuple[PlanAction, ...]:
    """``pledge``'s actions as the sections read them: as they are when read as
    :class:`~core.pledges.reads.PlanAction`, else (a model's actions) made into them."""
    actions = pledge.actions
    if type(actions) is tuple:
        return actions
    return tuple([PlanAction(action.key, action.number, action.status, action.due,
                             action.wording, action.officer, action.timeline_text)
                  for action in actions])


def pledge_sections(council: Any, pledges: Iterable[Any], roll_up: RollUp) -> Markup:
    """Each of ``pledges`` (:class:`~core.pledges.reads.PledgePlan`, or anything with its
    fields) as a section of the page of pledges, its status and its actions' as they stand
    on ``roll_up.today``, each kept once written (see the module's docstring)."""
    pledge_word = council.word("pledge")
    words = section_words(pledge_word)
    link = text_url_maker("pledges.show", "key")
    memo = keyed_memo(SECTIONS_EXTENSION, "SECTION_MARKUP_ENTRIES", DEFAULT_SECTION_ENTRIES)
    shared = (page_locale_name(), words, link(""),
              current_app.jinja_env.council_name(TABLE_MACRO, None), roll_up)
    sections = []
    for pledge in pledges:
        actions = plan_actions(pledge)
        key = (shared, pledge.key, pledge.number, pledge.title, pledge.statement,
               pledge.added_locally, actions)
        sections.append(memo.get(key, lambda pledge=pledge, actions=actions: _section(
            pledge, actions, words, link, roll_up)))
    return Markup("\n    ".join(sections))


def _section(pledge: Any, actions: tuple[PlanAction, ...], words: SectionWords,
             link: Callable[[str], str], roll_up: RollUp) -> Markup:
    """A pledge's section as :func:`pledge_sections` keeps it."""
    key = escape(pledge.key)
    page = escape(link(pledge.key))
    table = (_actions_table(pledge, actions, words, page, roll_up) if actions
             else f'<p class="govuk-body">{words.no_actions}</p>')
    added = words.added_locally if pledge.added_locally else ""
    return Markup(
        f'<section class="govuk-!-margin-bottom-9" id="{key}" '
        f'aria-labelledby="{key}-heading">\n'
        f'      <h2 class="govuk-heading-l" id="{key}-heading">{words.heading} '
        f'{pledge.number}</h2>\n'
        f'      <p class="govuk-body-l">{escape(pledge.statement or pledge.title)}</p>\n'
        f'      <p class="govuk-body">{words.status} '
        f'{status_tag(roll_up.of_statuses((a.status, a.due) for a in actions))}\n'
        f'        {added}\n'
        f'        <a class="govuk-link" href="{page}">{words.progress}</a></p>\n'
        f'      {table}\n'
        f'    </section>')


def _actions_table(pledge: Any, actions: tuple[PlanAction, ...], words: SectionWords,
                   page: str, roll_up: RollUp) -> Markup:
    """A pledge's actions as a GOV.UK table, each number linking to the action's card on
    the pledge's page (``page``, its URL escaped)."""
    card: CardWords = card_words()
    today = roll_up.today
    rows = [[
        {"html": Markup(f'<a class="govuk-link" href="{page}#{escape(quote(action.key))}">'
                        f'{fill(card.heading, pledge=pledge.number, number=action.number)}'
                        '</a>')},
        {"html": action_wording(action, card)},
        {"html": escape(action.officer) if action.officer else card.not_stated},
        {"html": timeline_markup(action, today, card)},
        {"html": status_tag(action.status)},
    ] for action in actions]
    return kept_component("table", "govukTable", {
        "caption": Markup(fill(words.caption, pledge=words.heading, number=pledge.number)),
        "captionClasses": "govuk-visually-hidden",
        "firstCellIsHeader": True,
        "head": [{"text": head} for head in words.heads],
        "rows": rows})
