"""The admin's seats table, as Python writes its cells: each seat's role, places and
holders, every rule of the page (vacancies, over-filled seats, terms not started, on behalf
of, ending), the council's data escaped, and the links to manage only for a manager."""

from __future__ import annotations

import datetime as dt
import html
import re
from types import SimpleNamespace

from flask import Flask, g, url_for

from core.panels.membership import Holding, Named, PanelMembership, SeatRow
from core.panels.seat_cells import admin_seat_rows, membership_period

ON = dt.date(2026, 6, 1)
COUNCIL, PANEL = "herefordshire", "corporate-parenting-panel"


def _seat(**changes: object) -> SimpleNamespace:
    values: dict[str, object] = dict(id=1, key="seat <1>", role="Chair & lead", count=2,
                                     chair=False, young_people=False, partner=None)
    values.update(changes)
    return SimpleNamespace(**values)


def _holding(seat: SimpleNamespace, **changes: object) -> Holding:
    values: dict[str, object] = dict(id=7, seat=seat, person=Named(3, "Sam <O'Neil>"),
                                     start=dt.date(2025, 5, 1), end=None, on_behalf_of=None,
                                     ended_reason=None)
    values.update(changes)
    return Holding(**values)  # type: ignore[arg-type]


def _cells(rows: list[SeatRow], can_manage: bool = True) -> list[list[dict[str, object]]]:
    membership = PanelMembership(panel=SimpleNamespace(key=PANEL),  # type: ignore[arg-type]
                                 on=ON, rows=rows, ending_soon=[])
    g.council = SimpleNamespace(slug=COUNCIL, locale="en_GB")
    g.council_slug, g.council_locale = COUNCIL, "en_GB"
    return admin_seat_rows(membership, can_manage)


def _text(html: object) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(html))).strip()


def test_a_seat_holds_its_role_its_places_and_its_holders(app: Flask) -> None:
    seat = _seat(chair=True, young_people=True, partner="NHS <ICB>")
    held = _holding(seat, end=dt.date(2027, 5, 1), on_behalf_of="Health & care")
    with app.test_request_context("/"):
        [[role, places, holders]] = _cells([SeatRow(seat, [held], [])])  # type: ignore[arg-type]
        seat_url = url_for("membership_admin.seat", panel=PANEL, seat=seat.key)
        end_url = url_for("membership_admin.end_form", panel=PANEL, membership_id=7)
        correct_url = url_for("membership_admin.correct_form", panel=PANEL, membership_id=7)
        person_url = url_for("membership_admin.person", person_id=3)
        appoint_url = url_for("membership_admin.appoint_form", panel=PANEL, seat=seat.key)
    assert role["attributes"] == {"id": "seat-seat <1>"}
    assert str(role["html"]) == (
        f'<a class="govuk-link" href="{seat_url}">Chair &amp; lead</a>'
        '<br><strong class="govuk-tag govuk-tag--blue">Chair</strong>'
        '<br><strong class="govuk-tag govuk-tag--purple">Young people</strong>'
        '<br><span class="govuk-body-s">Partner agency: NHS &lt;ICB&gt;</span>')
    assert "%20" in seat_url and "seat+%3C1%3E" in appoint_url  # the keys quoted
    assert str(places["html"]) == ('2<br><strong class="govuk-tag govuk-tag--red">'
                                   "1 place vacant</strong>")
    written = str(holders["html"])
    assert "Sam &lt;O&#39;Neil&gt;" in written and "<O'Neil>" not in written
    for url in (end_url, correct_url, person_url, appoint_url):
        assert f'href="{html.escape(url)}"' in written, url
    assert _text(written) == (  # the council's data as escaped
        "Sam &lt;O&#39;Neil&gt; From 1 May 2025 to 1 May 2027; on behalf of Health &amp; care "
        "End this membership (Sam &lt;O&#39;Neil&gt;, Chair &amp; lead) · Correct or withdraw "
        "(Sam &lt;O&#39;Neil&gt;, Chair &amp; lead) Appoint to this seat (Chair &amp; lead)")


def test_vacancies_over_filled_seats_and_terms_to_come(app: Flask) -> None:
    empty, unstated, over = _seat(id=1, count=3), _seat(id=2, count=None), _seat(id=3, count=1)
    upcoming = _holding(empty, id=8, start=dt.date(2026, 9, 1))
    leaving = _holding(over, id=9, end=dt.date(2026, 7, 1), ended_reason="Moved <away>")
    with app.test_request_context("/"):
        rows = _cells([SeatRow(empty, [], [upcoming]),  # type: ignore[arg-type]
                       SeatRow(unstated, [], []),  # type: ignore[arg-type]
                       SeatRow(over, [leaving, _holding(over, id=10)], [])])  # type: ignore[arg-type]
    places = [str(row[1]["html"]) for row in rows]
    assert places[0] == '3<br><strong class="govuk-tag govuk-tag--red">Vacant</strong>'
    assert places[1] == ('<span class="app-missing">Not stated</span><br>'
                         '<strong class="govuk-tag govuk-tag--red">Vacant</strong>')
    assert places[2] == ('1<br><strong class="govuk-tag govuk-tag--yellow">'
                         "Over the number of places</strong>")
    first = str(rows[0][2]["html"])
    assert '</a> <strong class="govuk-tag govuk-tag--blue">Not started yet</strong>' in first
    assert "From 1 September 2026 <span class=\"app-missing\">(no end date)</span>" in first
    assert str(rows[1][2]["html"]).startswith('<span class="app-missing">No one</span>')
    assert "; ending: Moved &lt;away&gt;</span>" in str(rows[2][2]["html"])


def test_without_the_right_to_manage_no_links_to_change(app: Flask) -> None:
    seat = _seat()
    with app.test_request_context("/"):
        [[_role, _places, holders]] = _cells([SeatRow(seat, [_holding(seat)], [])],  # type: ignore[arg-type]
                                             can_manage=False)
    written = str(holders["html"])
    assert "End this membership" not in written and "Appoint" not in written
    assert written.endswith("</span></p>")


def test_a_term_in_words(app: Flask) -> None:
    seat = _seat()
    with app.test_request_context("/"):
        ended = str(membership_period(_holding(seat, end=dt.date(2026, 1, 2))))
        open_ended = str(membership_period(_holding(seat)))
    assert ended == "From 1 May 2025 to 2 January 2026"
    assert open_ended == 'From 1 May 2025 <span class="app-missing">(no end date)</span>'


def test_the_public_seats_table_names_members_but_only_counts_young_people(app: Flask) -> None:
    """On the public page: a seat's role, places (or "Not stated"), who holds it (names,
    whom each sits on behalf of; a young people's seat gives only how many), whether it
    votes, and its notes; the council's data escaped."""
    from core.panels.seat_cells import public_seat_rows

    chair = _seat(id=1, chair=True, voting=True, partner="NHS <ICB>")
    young = _seat(id=2, role="Young people", count=None, young_people=True, voting=False)
    empty = _seat(id=3, role="Foster carer", voting=None)
    holders = {1: [_holding(chair, on_behalf_of="Health & care"),
                   _holding(chair, id=8, person=Named(4, "Ann Lee"))],
               2: [_holding(young, id=9, person=Named(5, "Kai")),
                   _holding(young, id=10, person=Named(6, "Jo"))]}
    with app.test_request_context("/"):
        rows = public_seat_rows([chair, young, empty], holders)
    cells = [[cell.get("text", str(cell.get("html"))) for cell in row] for row in rows]
    assert cells[0] == [
        "Chair & lead", "2", "Sam &lt;O&#39;Neil&gt; (Health &amp; care)<br>Ann Lee", "Yes",
        '<strong class="govuk-tag govuk-tag--blue">Chair</strong> '
        "Partner agency: NHS &lt;ICB&gt;"]
    assert cells[1][:4] == ["Young people", '<span class="app-missing">Not stated</span>',
                            "2 young people", "No"]
    assert "Kai" not in str(rows[1]) and "Jo" not in str(rows[1])
    assert cells[2][2:4] == ['<span class="app-missing">Vacant</span>',
                             '<span class="app-missing">Not stated</span>']
    assert cells[2][4] == ""


def test_the_public_seats_table_is_kept_by_what_it_shows(app: Flask) -> None:
    """The table as written afresh from :func:`public_seat_rows`; the same seats and
    holders the same kept table; another name, or another number of young people, a new
    one (never a young person's name)."""
    from core.panels.seat_cells import public_seat_rows, public_seats_table
    from core.widgets import kept_component

    chair = _seat(id=1, chair=True, voting=True)
    young = _seat(id=2, role="Young people", count=4, young_people=True, voting=False)
    holders = {1: [_holding(chair)], 2: [_holding(young, id=9, person=Named(5, "Kai"))]}
    with app.test_request_context("/"):
        g.council = SimpleNamespace(slug=COUNCIL, locale="en_GB")
        written = public_seats_table([chair, young], holders)
        fresh = kept_component("table", "govukTable", {
            "caption": "2 seats", "captionClasses": "govuk-table__caption--s",
            "head": [{"text": "Role"}, {"text": "Places"}, {"text": "Held by"},
                     {"text": "Votes"}, {"text": "Notes"}],
            "rows": public_seat_rows([chair, young], holders)})
        again = public_seats_table([chair, young], {1: [_holding(chair)],
                                                    2: [_holding(young, id=9,
                                                                 person=Named(5, "Kai"))]})
        renamed = public_seats_table([chair, young], {
            1: [_holding(chair, person=Named(3, "Ann Lee"))], 2: holders[2]})
        more_young = public_seats_table([chair, young], {
            1: holders[1], 2: [*holders[2], _holding(young, id=10, person=Named(6, "Jo"))]})
    assert written == fresh and again is written
    assert "Ann Lee" in renamed and "Sam &lt;O&#39;Neil&gt;" not in renamed
    assert "2 young people" in more_young and "1 young person" in written
    assert "Kai" not in written + more_young and "Jo" not in more_young
