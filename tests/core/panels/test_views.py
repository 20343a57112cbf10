"""The panels (or boards) pages: purpose, meetings, standing items and seats as published."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.content import Panel
from tests.core.growth import COUNCILS, BareCouncil, defined, main, page, plain, table_rows
from tests.plugins.herefordshire.test_content import ROLES as HEREFORDSHIRE_ROLES

HEREFORDSHIRE = "herefordshire"
PANEL = "corporate-parenting-panel"


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
        assert row[2] == {None: "Not stated", True: "Yes", False: "No"}[seat.voting]
        assert ("Chair" in row[3]) is seat.chair
        assert ("Young people" in row[3]) is seat.young_people
        assert (f"Partner agency: {seat.partner}" in row[3]) is bool(seat.partner)


def test_herefordshire_panel_has_its_fourteen_roles_in_order(client: FlaskClient) -> None:
    text = main(page(client, f"/{HEREFORDSHIRE}/panels/{PANEL}"))
    rows = table_rows(text)
    assert [row[0] for row in rows] == HEREFORDSHIRE_ROLES
    assert "14 seats" in text


def test_herefordshire_seats_do_not_invent_places_or_votes(client: FlaskClient) -> None:
    rows = table_rows(main(page(client, f"/{HEREFORDSHIRE}/panels/{PANEL}")))
    assert [(row[1], row[2]) for row in rows] == [("Not stated", "Not stated")] * 14
    notes = {row[0]: row[3] for row in rows}
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
