"""The home page, each council's overview, and its content-check page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.content import Panel, Priority, Strategy
from core.extensions import db
from core.models import Council, ReviewCycle
from tests.core.growth import (
    COUNCILS,
    BareCouncil,
    defined,
    main,
    page,
    plain,
    pledge_set,
    table_rows,
)

NAMES = {"bracknell_forest": "Bracknell Forest Council", "herefordshire": "Herefordshire Council",
         "isle_of_wight": "Isle of Wight Council",
         "staffordshire": "Staffordshire County Council"}


# --- home ----------------------------------------------------------------------------------


def test_home_lists_the_four_councils_by_name(client: FlaskClient) -> None:
    text = main(page(client, "/"))
    links = [f'<a class="govuk-link govuk-!-font-size-24" href="/{slug}/">{NAMES[slug]}</a>'
             for slug in sorted(NAMES, key=NAMES.get)]
    positions = [text.index(link) for link in links]
    assert positions == sorted(positions)


def test_home_without_councils_says_none_is_loaded(make_app: Callable[..., Flask]) -> None:
    text = main(page(make_app(plugins={}).test_client(), "/"))
    assert "No council is loaded yet." in text
    assert "<ul" not in text


def test_archived_council_is_neither_listed_nor_served(app: Flask, client: FlaskClient
                                                       ) -> None:
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        council.archived_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        db.session.commit()
    assert "Herefordshire Council" not in page(client, "/")
    assert "Isle of Wight Council" in page(client, "/")
    assert client.get("/herefordshire/").status_code == 404
    assert client.get("/herefordshire/panels/corporate-parenting-panel").status_code == 404
    assert client.get("/api/councils/herefordshire").status_code == 404


# --- overview ------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", COUNCILS)
def test_overview_summarises_strategy_priorities_and_panels(client: FlaskClient, slug: str
                                                            ) -> None:
    text = main(page(client, f"/{slug}/"))
    assert f'<h1 class="govuk-heading-xl">{NAMES[slug]}</h1>' in text
    strategy = defined(slug, "strategy_for_council", Strategy)
    if strategy.title:
        assert f'<p class="govuk-body-l">{strategy.title}</p>' in text
    if strategy.vision:
        assert f'<blockquote class="govuk-inset-text">{strategy.vision}</blockquote>' in text
    assert f'href="/{slug}/strategy">Read the strategy</a>' in text
    for priority in defined(slug, "priorities_for_council", Priority, many=True):
        assert f"<li>{priority.title}</li>" in text
    for panel in defined(slug, "panels_for_council", Panel, many=True):
        assert f'href="/{slug}/panels/{panel.key}">{panel.name}</a>' in text
        if panel.seats:
            assert f"– {len(panel.seats)} seats" in text
        if panel.cycle:
            assert f"– {panel.cycle.text}" in text


@pytest.mark.parametrize("slug", COUNCILS)
def test_overview_table_counts_each_pledges_actions_and_those_past_due(
        client: FlaskClient, slug: str) -> None:
    today = dt.date.today()
    expected = []
    for p in pledge_set(slug).items:
        past_due = sum(1 for a in p.actions if a.timeline and a.timeline.due
                       and a.timeline.due < today)
        # no progress yet: not started, unless past-due work makes it a concern
        status = "No actions" if not p.actions else "At risk" if past_due else "Not started"
        expected.append([f"{p.number}. {p.title}", str(len(p.actions)), str(past_due), status,
                         "None yet"])
    rows = table_rows(main(page(client, f"/{slug}/")))
    assert rows[:len(expected)] == expected  # then the progress chart's table, if any


def test_bracknell_overview_links_each_pledge(client: FlaskClient) -> None:
    text = main(page(client, "/bracknell_forest/"))
    for pledge in pledge_set("bracknell_forest").items:
        assert f'href="/bracknell_forest/pledges/{pledge.key}">{pledge.number}.' in text
    assert "All pledges and their actions" in text


def test_staffordshire_overview_says_four_promises_declared_none_recorded(
        client: FlaskClient) -> None:
    text = main(page(client, "/staffordshire/"))
    assert '<span class="app-missing">4 promises declared, 0 recorded.</span>' in text
    assert "All promises and their actions" in text
    assert "<table" not in text


def test_overview_of_a_council_that_publishes_nothing(make_app: Callable[..., Flask]) -> None:
    text = main(page(make_app(plugins={"testshire": BareCouncil()}).test_client(),
                     "/testshire/"))
    assert "No strategy is published." in text
    assert text.count('<span class="app-missing">None published.</span>') == 3
    assert "No findings." in text


# --- checks --------------------------------------------------------------------------------


def findings(client: FlaskClient, url: str) -> list[str]:
    text = main(page(client, url))
    start = text.index('<ul class="govuk-list">') if "<ul" in text else len(text)
    return [plain(item) for item in text[start:].split("<li>")[1:]]


def test_bracknell_checks_find_repeated_and_unworded_actions(client: FlaskClient) -> None:
    assert findings(client, "/bracknell_forest/checks") == [
        "Warning Actions 9.1, 9.2, 9.3, 9.4 (pledge 9) are word for word the same as actions "
        "10.1, 10.2, 10.3, 10.4 (pledge 10).",
        "Warning 45 actions have no wording of their own in the published plan."]


def test_isle_of_wight_checks_find_the_overdue_protocol_review(client: FlaskClient) -> None:
    assert findings(client, "/isle_of_wight/checks") == [
        "Warning Review overdue: The implementation of this protocol (due by 30 September "
        "2025)."]


def test_staffordshire_checks_find_four_promises_still_to_record(client: FlaskClient) -> None:
    assert findings(client, "/staffordshire/checks") == [
        "Warning 4 promises declared, 0 recorded: 4 still to be recorded."]


def test_herefordshire_checks_find_nothing(client: FlaskClient) -> None:
    text = main(page(client, "/herefordshire/checks"))
    assert '<p class="govuk-body">No findings.</p>' in text


@pytest.mark.parametrize("slug", COUNCILS)
def test_overview_and_checks_page_show_the_same_findings(client: FlaskClient, slug: str
                                                         ) -> None:
    overview = main(page(client, f"/{slug}/"))
    checks = findings(client, f"/{slug}/checks")
    for finding in checks:
        assert finding.removeprefix("Warning ") in plain(overview)
    messages = [f["message"] for f in client.get(f"/api/councils/{slug}/findings").get_json()]
    assert [f.removeprefix("Warning ") for f in checks] == messages


def test_a_review_due_today_is_not_yet_overdue(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        cycle = db.session.scalar(select(ReviewCycle).where(
            ReviewCycle.key == "protocol-review"))
        cycle.next_due = dt.date.today()
        db.session.commit()
    assert findings(client, "/isle_of_wight/checks") == []
    assert "No findings." in page(client, "/isle_of_wight/checks")
