"""A council's pledges as the page of pledges shows them, one section each, written by
Python: the template global ``pledge_sections``.

Each section is the pledge's heading (the council's word for a pledge and its number), its
statement, its status rolled up by the council's rule, an "Added locally" tag for a pledge
the council added, a link to its own page, and its actions' cards
(:func:`core.pledges.cards.action_cards`). The template's loop took about 15 µs a pledge
in Jinja (a dozen lookups, a macro and the escapes); here the words every section repeats
are made once per locale and council word (:func:`section_words`). A council wanting other
sections replaces ``pledges/index.html`` (docs/plugins.md, section 8): the status tags and
placeholders are :mod:`core.pledges.words`' own, as an action card's are, not a council's
copy of ``macros.html``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from markupsafe import Markup, escape

from core.pledges.cards import action_cards
from core.pledges.reads import PledgeCard
from core.pledges.status import RollUp
from core.pledges.words import missing, status_tag, tag
from core.translations import fill, once_per_locale
from core.translations import trusted_gettext as _
from core.url_makers import text_url_maker


class SectionWords(NamedTuple):
    """What every section of one page repeats, as markup."""

    #: The heading's word: the council's word for a pledge, capitalized.
    heading: Markup
    status: Markup
    progress: Markup
    added_locally: Markup
    no_actions: Markup


def section_words(pledge_word: str) -> SectionWords:
    """The words of a section in the current locale, for a council whose word for a pledge
    is ``pledge_word`` (made once for each: a host's councils have a few words between
    them)."""
    made = _made_in_this_locale()
    words = made.get(pledge_word)
    if words is None:
        words = made[pledge_word] = SectionWords(
            heading=escape(pledge_word.capitalize()), status=_("Status:"),
            progress=Markup(fill(_("Progress on this %(pledge)s"), pledge=pledge_word)),
            added_locally=tag(_("Added locally"), "purple"),
            no_actions=missing(_("No actions published.")))
    return words


@once_per_locale
def _made_in_this_locale() -> dict[str, SectionWords]:
    """The words made in the current locale so far, by the council's word for a pledge."""
    return {}


def pledge_sections(council: Any, pledges: Iterable[PledgeCard], roll_up: RollUp) -> Markup:
    """Each of ``pledges`` (with their actions' cards) as a section of the page of
    pledges, its status by ``roll_up`` and its cards as they stand on ``roll_up.today``."""
    words = section_words(council.word("pledge"))
    link = text_url_maker("pledges.show", "key")
    today = roll_up.today
    sections = []
    for pledge in pledges:
        key = escape(pledge.key)
        actions = (action_cards(pledge.actions, pledge.number, today) if pledge.actions
                   else f'<p class="govuk-body">{words.no_actions}</p>')
        added = words.added_locally if pledge.added_locally else ""
        sections.append(
            f'<section class="govuk-!-margin-bottom-9" id="{key}" '
            f'aria-labelledby="{key}-heading">\n'
            f'      <h2 class="govuk-heading-l" id="{key}-heading">{words.heading} '
            f'{pledge.number}</h2>\n'
            f'      <p class="govuk-body-l">{escape(pledge.statement or pledge.title)}</p>\n'
            f'      <p class="govuk-body">{words.status} {status_tag(roll_up.of(pledge))}\n'
            f'        {added}\n'
            f'        <a class="govuk-link" href="{escape(link(pledge.key))}">'
            f'{words.progress}</a></p>\n'
            f'      {actions}\n'
            f'    </section>')
    return Markup("\n    ".join(sections))
