"""The panels (or boards) pages: purpose, meetings, standing items and seats as published."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.content import Panel
from core.extensions import db
from core.models import Council, Meeting, Membership, Person
from core.models import Panel as Panel_
from tests.core.growth import COUNCILS, BareCouncil, defined, main, page, plain, table_rows
from tests.plugins.herefordshire.test_content import ROLES as HEREFORDSHIRE_ROLES

HEREFORDSHIRE = "herefordshire"
PANEL = "corporate-parenting-panel"
YEAR = dt.timedelta(days=365)


PANELS = [(slug, panel) for slug in COUNCILS
          for panel in defined(slug, "panels_for_council", Panel, many=True)]


@pytest.mark.parametrize("slug", COUNCILS)
def test_panels_page_links_every_panel_with_its_first_purpose(client: FlaskClient, slug: str
                                                              ) -> None:
    text = main(page(client, f"/{slug}/panels"))
    panels = defined(slug, "panels_for_council", Panel, many=True)
    for panel in panels:
        assert f'href="/{slug}/panels/{panel.key}">{panel.name}</a>' in text
        if panel.purpose:
            assert f'<p class="govuk-body">{panel.purpose[0]}</p>' in text
    if not panels:
        assert '<span class="app-missing">None published.</span>' in text


@pytest.mark.parametrize(("slug", "panel"), PANELS, ids=[f"{s}-{p.key}" for s, p in PANELS])
def test_panel_page_shows_everything_the_council_defines(client: FlaskClient, slug: str,
                                                         panel: Panel) -> None:
    text = main(page(client, f"/{slug}/panels/{panel.key}"))
    assert f'<h1 class="govuk-heading-xl">{panel.name}</h1>' in text
    for part in [panel.status, panel.responsibilities_intro, panel.seats_intro]:
        if part:
            assert part in text
    for paragraph in panel.purpose:
        assert f'<p class="govuk-body">{paragraph}</p>' in text
    for item in panel.responsibilities:
        assert f"<li>{item}</li>" in text
    meetings = plain(text[text.index(">Meetings<"):text.index(">Seats<")])
    assert f"How often it meets {panel.cycle.text if panel.cycle else 'Not stated'}" in meetings
    assert f"Quorum {panel.quorum.text if panel.quorum else 'Not stated'}" in meetings
    for item in panel.standing_items:
        entry = f"<strong>{item.title}</strong>"
        assert entry + (f": {item.description}" if item.description else "") in text
    if not panel.standing_items:
        assert "Standing items at every meeting None stated" in meetings
    rows = table_rows(text)
    assert [row[0] for row in rows] == [seat.role for seat in panel.seats]
    for row, seat in zip(rows, panel.seats, strict=True):
        assert row[1] == (str(seat.count) if seat.count is not None else "Not stated")
        assert row[2] == "Vacant"
        assert row[3] == {None: "Not stated", True: "Yes", False: "No"}[seat.voting]
        assert ("Chair" in row[4]) is seat.chair
        assert ("Young people" in row[4]) is seat.young_people
        assert (f"Partner agency: {seat.partner}" in row[4]) is bool(seat.partner)


def test_herefordshire_panel_has_its_fourteen_roles_in_order(client: FlaskClient) -> None:
    text = main(page(client, f"/{HEREFORDSHIRE}/panels/{PANEL}"))
    rows = table_rows(text)
    assert [row[0] for row in rows] == HEREFORDSHIRE_ROLES
    assert "14 seats" in text


def test_herefordshire_seats_do_not_invent_places_or_votes(client: FlaskClient) -> None:
    rows = table_rows(main(page(client, f"/{HEREFORDSHIRE}/panels/{PANEL}")))
    assert [(row[1], row[3]) for row in rows] == [("Not stated", "Not stated")] * 14
    notes = {row[0]: row[4] for row in rows}
    assert notes[HEREFORDSHIRE_ROLES[0]] == "Chair"
    assert notes[HEREFORDSHIRE_ROLES[7]] == "Young people"
    assert notes[HEREFORDSHIRE_ROLES[10]] == "Partner agency: Wye Valley NHS Trust"
    assert notes[HEREFORDSHIRE_ROLES[1]] == ""


def test_herefordshire_panel_meets_every_two_months_with_your_voice_matters(
        client: FlaskClient) -> None:
    text = main(page(client, f"/{HEREFORDSHIRE}/panels/{PANEL}"))
    assert "The corporate parenting panel meets every two months." in text
    assert ("<strong>Your Voice Matters</strong>: Our children in care council, Your Voice "
            "Matters, are on the panel and they always have a time in the meeting to talk about "
            "anything that they want to raise.") in text


def test_isle_of_wight_board_without_published_seats_says_so(client: FlaskClient) -> None:
    text = main(page(client, "/isle_of_wight/panels/corporate-parenting-board"))
    assert "The published documents do not list the seats." in text
    assert "full committee of the Council" in text
    assert "<li>Reviewing the Children in care/care leavers Pledge annually.</li>" in text
    assert table_rows(text) == []


def test_panel_keys_shared_by_two_councils_show_each_councils_own_panel(client: FlaskClient
                                                                        ) -> None:
    herefordshire = main(page(client, f"/{HEREFORDSHIRE}/panels/{PANEL}"))
    staffordshire = main(page(client, f"/staffordshire/panels/{PANEL}"))
    assert "Corporate Parenting Panel’s role is to raise awareness" in staffordshire
    assert "Corporate Parenting Panel’s role" not in herefordshire
    assert "Chief finance officer" not in staffordshire


def test_council_without_panels_says_none_are_published(make_app: Callable[..., Flask]
                                                        ) -> None:
    client = make_app(plugins={"testshire": BareCouncil()}).test_client()
    text = main(page(client, "/testshire/panels"))
    assert '<span class="app-missing">None published.</span>' in text


def _herefordshire_panel(app: Flask) -> tuple[Any, Any]:
    council = db.session.scalar(select(Council).where(Council.slug == HEREFORDSHIRE))
    panel = db.session.scalar(select(Panel_).where(Panel_.council_id == council.id,
                                                   Panel_.key == PANEL))
    return council, panel


def _hold(council: Any, panel: Any, seat_key: str, name: str, start: dt.date,
          end: dt.date | None = None, on_behalf_of: str | None = None) -> None:
    seat = next(seat for seat in panel.seats if seat.key == seat_key)
    db.session.add(Membership(council_id=council.id, seat=seat, start=start, end=end,
                              on_behalf_of=on_behalf_of,
                              person=Person(council_id=council.id, name=name)))


def test_panel_page_names_who_holds_each_seat_today_but_not_young_people(
        app: Flask, client: FlaskClient) -> None:
    today = dt.date.today()
    with app.app_context():
        council, panel = _herefordshire_panel(app)
        _hold(council, panel, "seat-cabinet-member", "Cllr Ada Jones", today - YEAR)
        _hold(council, panel, "seat-councillors", "Cllr Left Early", today - YEAR,
              end=today - dt.timedelta(days=1))
        _hold(council, panel, "seat-councillors", "Cllr Bo Smith", today - YEAR)
        _hold(council, panel, "seat-councillors", "Cllr Cy Patel", today - YEAR,
              on_behalf_of="Green Party")
        _hold(council, panel, "seat-councillors", "Cllr Not Yet", today + YEAR)
        _hold(council, panel, "seat-your-voice-matters", "Sam", today - YEAR)
        _hold(council, panel, "seat-your-voice-matters", "Kit", today - YEAR)
        db.session.commit()
    text = main(page(client, f"/{HEREFORDSHIRE}/panels/{PANEL}"))
    held = {row[0]: row[2] for row in table_rows(text)}
    assert held[HEREFORDSHIRE_ROLES[0]] == "Cllr Ada Jones"
    assert held[HEREFORDSHIRE_ROLES[1]] == "Cllr Bo Smith Cllr Cy Patel (Green Party)"
    assert held[HEREFORDSHIRE_ROLES[7]] == "2 young people"
    assert held[HEREFORDSHIRE_ROLES[2]] == "Vacant"
    for hidden in ("Sam", "Kit", "Left Early", "Not Yet"):
        assert hidden not in text
    assert "Young people on the panel are not named here." in text


def test_holders_of_a_seat_from_the_same_day_are_listed_by_name(app: Flask,
                                                                client: FlaskClient) -> None:
    start = dt.date.today() - YEAR
    with app.app_context():
        council, panel = _herefordshire_panel(app)
        for name in ("Cllr Zoe Young", "Cllr Al Brown", "Cllr Mo Khan"):  # entered so
            _hold(council, panel, "seat-councillors", name, start)
        _hold(council, panel, "seat-councillors", "Cllr Early Bird", start - YEAR)
        db.session.commit()
    held = {row[0]: row[2] for row in table_rows(main(page(
        client, f"/{HEREFORDSHIRE}/panels/{PANEL}")))}
    assert held[HEREFORDSHIRE_ROLES[1]] == (
        "Cllr Early Bird Cllr Al Brown Cllr Mo Khan Cllr Zoe Young")  # by start, then name


def test_names_in_the_seats_table_are_escaped(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        council, panel = _herefordshire_panel(app)
        _hold(council, panel, "seat-cabinet-member", "<b>Cllr</b> & Co", dt.date.today() - YEAR,
              on_behalf_of="<i>Party</i>")
        db.session.commit()
    text = client.get(f"/{HEREFORDSHIRE}/panels/{PANEL}").get_data(as_text=True)  # as sent
    assert "&lt;b&gt;Cllr&lt;/b&gt; &amp; Co (&lt;i&gt;Party&lt;/i&gt;)" in text
    assert "<b>" not in text and "<i>" not in text


def test_panel_page_lists_meetings_to_come_and_the_six_latest_held(
        app: Flask, client: FlaskClient) -> None:
    today = dt.date.today()
    with app.app_context():
        council, panel = _herefordshire_panel(app)
        days = [today - dt.timedelta(days=30 * n) for n in range(1, 9)]
        days += [today, today + dt.timedelta(days=40)]
        meetings = {day: Meeting(council_id=council.id, panel_id=panel.id, location="Hall",
                                 starts_at=dt.datetime.combine(day, dt.time(10),
                                                               tzinfo=dt.UTC),
                                 cancelled=day == days[1])
                    for day in days}
        db.session.add_all(meetings.values())
        db.session.commit()
        ids = {day: meeting.id for day, meeting in meetings.items()}
    text = main(page(client, f"/{HEREFORDSHIRE}/panels/{PANEL}"))
    coming = text[text.index(">Coming up<"):text.index(">Recent meetings<")]
    recent = text[text.index(">Recent meetings<"):]
    links = re.compile(rf'href="/{HEREFORDSHIRE}/meetings/(\d+)"')
    assert [int(i) for i in links.findall(coming)] == [ids[today], ids[days[-1]]]
    assert [int(i) for i in links.findall(recent)] == [ids[day] for day in days[:6]]
    assert recent.count("Cancelled") == 1
    assert f'href="/{HEREFORDSHIRE}/panels/{PANEL}/meetings.ics"' in text


def test_panel_page_says_when_no_meetings_are_recorded(client: FlaskClient) -> None:
    text = main(page(client, f"/{HEREFORDSHIRE}/panels/{PANEL}"))
    assert "No meetings scheduled." in text and "No meetings held yet." in text
