"""The cells of a panel's seats tables, written by Python: the template globals
``admin_seat_rows`` (the admin's membership page) and ``public_seat_rows`` (the panel's
public page), and ``membership_period`` (a membership's term in words, the ``period`` of
``panels/admin_macros.html``).

Drawn by Jinja, a seat's three cells in the admin (its role, its places, who holds it with
the links to end or correct each term) took about 0.15 ms, the table a third of the
membership page; the public page's five cells a seat, about 17 µs a seat in ``{% set %}``
blocks. This writes the same elements, classes and text. The words every row repeats are
made once per locale; what a seat and a membership hold is the council's data, escaped. A
council wanting other cells replaces ``panels/admin_show.html`` or ``panels/show.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from core.dates import day_words
from core.panels.membership import PanelMembership, SeatRow
from core.pledges.words import missing, tag
from core.translations import fill, ngettext, once_per_locale, page_locale_name
from core.translations import trusted_gettext as _
from core.url_makers import text_url_maker, url_maker
from core.widgets import TABLE_MACRO, kept_component, keyed_memo

#: Where an app keeps its memo of panels' public seats tables, in ``app.extensions``.
SEATS_EXTENSION = "cpt_public_seats"


@dataclass(frozen=True, slots=True)
class SeatWords:
    """The words of the seats table in one locale, as markup; the patterns' values are
    escaped when put in."""

    chair: Markup
    young_people: Markup
    partner: Markup
    not_stated: Markup
    vacant: Markup
    over_count: Markup
    not_started: Markup
    on_behalf_of: Markup
    ending: Markup
    end_it: Markup
    correct_it: Markup
    no_one: Markup
    appoint_here: Markup
    starts: Markup
    to: Markup
    no_end_date: Markup
    held_by_no_one: Markup
    yes: Markup
    no: Markup


@once_per_locale
def seat_words() -> SeatWords:
    """The words of the seats table in the current locale."""
    return SeatWords(
        chair=tag(_("Chair"), "blue"), young_people=tag(_("Young people"), "purple"),
        partner=_("Partner agency: %(partner)s"), not_stated=missing(_("Not stated")),
        vacant=_("Vacant"), over_count=tag(_("Over the number of places"), "yellow"),
        not_started=tag(_("Not started yet"), "blue"), on_behalf_of=_("on behalf of %(body)s"),
        ending=_("ending: %(reason)s"), end_it=_("End this membership"),
        correct_it=_("Correct or withdraw"), no_one=missing(_("No one")),
        appoint_here=_("Appoint to this seat"), starts=_("From %(start)s"),
        to=_("to %(end)s"), no_end_date=missing(_("(no end date)")),
        held_by_no_one=missing(_("Vacant")), yes=_("Yes"), no=_("No"))


def _period(membership: Any, words: SeatWords) -> str:
    start = fill(words.starts, start=day_words(membership.start))
    if membership.end:
        return f'{start} {fill(words.to, end=day_words(membership.end))}'
    return f"{start} {words.no_end_date}"


def membership_period(membership: Any) -> Markup:
    """A membership's term: "From <start> to <end>", or "From <start>" and "(no end
    date)" marked as missing."""
    return Markup(_period(membership, seat_words()))


@dataclass(frozen=True, slots=True)
class _Links:
    """The URL makers of the table's links, built once per page."""

    seat: Callable[[str], str]
    appoint: Callable[[str], str]
    person: Callable[[Any], str]
    end: Callable[[Any], str]
    correct: Callable[[Any], str]


def _role(row: SeatRow, links: _Links, words: SeatWords) -> str:
    seat = row.seat
    written = f'<a class="govuk-link" href="{escape(links.seat(seat.key))}">{escape(seat.role)}</a>'
    if seat.chair:
        written += f"<br>{words.chair}"
    if seat.young_people:
        written += f"<br>{words.young_people}"
    if seat.partner:
        written += ('<br><span class="govuk-body-s">'
                    f'{fill(words.partner, partner=seat.partner)}</span>')
    return written


def _places(row: SeatRow, words: SeatWords) -> str:
    count = row.seat.count
    written = str(count) if count is not None else str(words.not_stated)
    open_places = row.open_places
    if open_places:
        vacant = (ngettext("%(num)d place vacant", "%(num)d places vacant", open_places)
                  if row.holders else words.vacant)
        written += f'<br><strong class="govuk-tag govuk-tag--red">{vacant}</strong>'
    if row.over_count:
        written += f"<br>{words.over_count}"
    return written


def _held(row: SeatRow, on: Any, links: _Links, words: SeatWords, can_manage: bool) -> str:
    role = escape(row.seat.role)
    parts = []
    for holding in [*row.holders, *row.upcoming]:
        name = escape(holding.person.name)
        person = escape(links.person(holding.person_id))
        written = ('<p class="govuk-body govuk-!-margin-bottom-2">'
                   f'<a class="govuk-link" href="{person}">{name}</a>')
        if holding.start > on:
            written += f" {words.not_started}"
        written += f'<br><span class="govuk-body-s">{_period(holding, words)}'
        if holding.on_behalf_of:
            written += f"; {fill(words.on_behalf_of, body=holding.on_behalf_of)}"
        if holding.ended_reason:
            written += f"; {fill(words.ending, reason=holding.ended_reason)}"
        written += "</span>"
        if can_manage:
            hidden = f'<span class="govuk-visually-hidden"> ({name}, {role})</span>'
            end, correct = escape(links.end(holding.id)), escape(links.correct(holding.id))
            written += (f'<br><a class="govuk-link govuk-body-s" href="{end}">'
                        f"{words.end_it}{hidden}</a> · "
                        f'<a class="govuk-link govuk-body-s" href="{correct}">'
                        f"{words.correct_it}{hidden}</a>")
        parts.append(written + "</p>")
    written = "".join(parts) or str(words.no_one)
    if can_manage:
        written += (f'<p class="govuk-body-s"><a class="govuk-link" '
                    f'href="{escape(links.appoint(row.seat.key))}">{words.appoint_here}'
                    f'<span class="govuk-visually-hidden"> ({role})</span></a></p>')
    return written


def admin_seat_rows(membership: PanelMembership, can_manage: bool) -> list[list[dict[str, Any]]]:
    """The rows of the seats table on a panel's membership page in the admin, for
    ``kept_component("table", …)``: each seat's role (its anchor on the first cell), its
    places and who holds it, with the links to manage each term when ``can_manage``."""
    panel, words = membership.panel.key, seat_words()
    links = _Links(
        seat=text_url_maker("membership_admin.seat", "seat", panel=panel),
        appoint=text_url_maker("membership_admin.appoint_form", "seat", panel=panel),
        person=url_maker("membership_admin.person", "person_id"),
        end=url_maker("membership_admin.end_form", "membership_id", panel=panel),
        correct=url_maker("membership_admin.correct_form", "membership_id", panel=panel))
    return [[{"html": Markup(_role(row, links, words)),
              "attributes": {"id": f"seat-{row.seat.key}"}},
             {"html": Markup(_places(row, words))},
             {"html": Markup(_held(row, membership.on, links, words, can_manage))}]
            for row in membership.rows]


def _held_in_public(seat: Any, held: list[Any], words: SeatWords) -> str:
    """Who holds ``seat`` on the public page: its members' names (and whom each sits on
    behalf of), never a young person's: a young people's seat gives their number only."""
    if not held:
        return str(words.held_by_no_one)
    if seat.young_people:
        return ngettext("%(num)d young person", "%(num)d young people", len(held))
    return "<br>".join([
        f"{escape(holding.person.name)} ({escape(holding.on_behalf_of)})"
        if holding.on_behalf_of else str(escape(holding.person.name)) for holding in held])


def _notes(seat: Any, words: SeatWords) -> str:
    notes = []
    if seat.chair:
        notes.append(str(words.chair))
    if seat.young_people:
        notes.append(str(words.young_people))
    if seat.partner:
        notes.append(fill(words.partner, partner=seat.partner))
    return " ".join(notes)


def public_seat_rows(seats: list[Any], holders: dict[int, list[Any]]
                     ) -> list[list[dict[str, Any]]]:
    """The rows of the seats table on a panel's public page, for ``kept_component("table",
    …)``: each seat's role, its places, who holds it (``holders``, by seat id: names, but
    only the number of young people), whether it votes, and its notes (chair, young
    people, partner agency)."""
    words = seat_words()
    return [[{"text": seat.role},
             {"html": Markup(str(seat.count) if seat.count is not None
                             else words.not_stated)},
             {"html": Markup(_held_in_public(seat, holders.get(seat.id, []), words))},
             {"html": words.not_stated if seat.voting is None
              else words.yes if seat.voting else words.no},
             {"html": Markup(_notes(seat, words))}]
            for seat in seats]


def public_seats_table(seats: list[Any], holders: dict[int, list[Any]]) -> Markup:
    """The seats table of a panel's public page (:func:`public_seat_rows` in GOV.UK's
    table, captioned with the number of seats), kept by what it shows
    (:func:`core.widgets.keyed_memo`): the locale, the table macro a council's plugin may
    have, and each seat's fields with its members' names and whom they sit on behalf of (a
    young people's seat, how many hold it). A template's global."""
    seat_keys = []
    for seat in seats:
        held = holders.get(seat.id, [])
        seat_keys.append((seat.role, seat.count, seat.voting, seat.chair, seat.young_people,
                          seat.partner, len(held) if seat.young_people else tuple(
                              [(holding.person.name, holding.on_behalf_of) for holding in held])))
    key = (page_locale_name(), current_app.jinja_env.council_name(TABLE_MACRO, None),
           tuple(seat_keys))
    return keyed_memo(SEATS_EXTENSION).get(key, lambda: kept_component("table", "govukTable", {
        "caption": ngettext("%(num)d seat", "%(num)d seats", len(seats)),
        "captionClasses": "govuk-table__caption--s",
        "head": [{"text": _("Role")}, {"text": _("Places")}, {"text": _("Held by")},
                 {"text": _("Votes")}, {"text": _("Notes")}],
        "rows": public_seat_rows(seats, holders)}))
