"""The pledges (or promises) pages: every pledge and action as published, nothing invented,
and progress, status and due dates marked."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.content import Action as ActionShape
from core.extensions import db
from core.models import Action, Council, ProgressUpdate
from tests.core.growth import (
    COUNCILS,
    action_cards,
    action_rows,
    main,
    page,
    plain,
    pledge_set,
    record_local_pledge,
    squash,
)

BRACKNELL = "bracknell_forest"
NO_WORDING = "The published plan does not give this action's wording."


def check_card(card: str, action: ActionShape) -> None:
    """The card shows every part of the action the plugin defines, and invents none."""
    text = plain(card)
    assert squash(action.wording or NO_WORDING) in text, action.key
    assert squash(action.officer or "Not stated") in text, action.key
    assert squash(action.timeline.text if action.timeline else "Not stated") in text, action.key
    if action.links:
        assert squash("; ".join(action.links)) in text, action.key
        assert "Not applicable" not in text, action.key
    else:
        assert "Link to other action plans or strategy initiatives Not applicable" in text
    for outcome in action.outcomes:
        assert f'<p class="govuk-body">{outcome}</p>' in card, action.key


def check_row(row: str, action: ActionShape, pledge_number: int) -> None:
    """The page of pledges' row of an action: its number, linking to its card on its
    pledge's page, and what the plan says of it, inventing nothing."""
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
    assert len(cells) == 5, row
    assert plain(cells[0]) == f"Action {pledge_number}.{action.number}", action.key
    assert plain(cells[1]) == squash(action.wording or NO_WORDING), action.key
    assert plain(cells[2]) == squash(action.officer or "Not stated"), action.key
    assert plain(cells[3]).startswith(
        squash(action.timeline.text if action.timeline else "Not stated")), action.key
    assert re.fullmatch(r'<strong class="govuk-tag govuk-tag--\w+">(Not started|On track|At risk|'
                        r"Off track|Complete)</strong>", cells[4].strip()), action.key


@pytest.mark.parametrize("slug", COUNCILS)
def test_pledges_page_lists_every_pledge_and_action_as_published(client: FlaskClient,
                                                                 slug: str) -> None:
    pledges = pledge_set(slug)
    text = main(page(client, f"/{slug}/pledges"))
    if pledges.intro:
        assert pledges.intro in text
    rows = action_rows(text)
    for pledge in pledges.items:
        assert f'<a class="govuk-link" href="#{pledge.key}">{pledge.title}</a>' in text
        assert f'<p class="govuk-body-l">{pledge.statement or pledge.title}</p>' in text
        for action in pledge.actions:
            check_row(rows[action.key], action, pledge.number)
            assert f'href="/{slug}/pledges/{pledge.key}#{action.key}"' in rows[action.key]
    assert list(rows) == [a.key for p in pledges.items for a in p.actions]
    # the cards, with the outcomes and links, are on each pledge's own page
    assert action_cards(text) == {}


@pytest.mark.parametrize("slug", COUNCILS)
def test_each_pledge_page_shows_every_action_card_as_published(client: FlaskClient,
                                                               slug: str) -> None:
    for pledge in pledge_set(slug).items:
        cards = action_cards(main(page(client, f"/{slug}/pledges/{pledge.key}")))
        assert list(cards) == [action.key for action in pledge.actions], pledge.key
        for action in pledge.actions:
            check_card(cards[action.key], action)


def test_each_pledge_page_shows_the_pledge_and_each_of_its_actions(client: FlaskClient
                                                                   ) -> None:
    pledges = pledge_set(BRACKNELL).items
    assert len(pledges) == 10
    for pledge in pledges:
        text = main(page(client, f"/{BRACKNELL}/pledges/{pledge.key}"))
        assert f'<h1 class="govuk-heading-xl">{pledge.title}</h1>' in text, pledge.key
        assert f'<span class="govuk-caption-l">Pledge {pledge.number}</span>' in text
        assert pledge.statement and f'<p class="govuk-body-l">{pledge.statement}</p>' in text
        cards = action_cards(text)
        assert list(cards) == [action.key for action in pledge.actions]
        for action in pledge.actions:
            check_card(cards[action.key], action)
            assert f"Action {pledge.number}.{action.number}</h3>" in cards[action.key]
            assert "No progress reported yet" in cards[action.key]


def test_bracknell_shows_all_45_actions_without_inventing_their_wording(client: FlaskClient
                                                                         ) -> None:
    text = main(page(client, f"/{BRACKNELL}/pledges"))
    assert len(action_rows(text)) == 45
    assert text.count(NO_WORDING) == 45
    for row in action_rows(text).values():
        assert f'<span class="app-missing">{NO_WORDING}</span>' in row
    cards = {key: card for pledge in pledge_set(BRACKNELL).items
             for key, card in action_cards(main(page(
                 client, f"/{BRACKNELL}/pledges/{pledge.key}"))).items()}
    assert len(cards) == 45
    for card in cards.values():
        assert f'<span class="app-missing">{NO_WORDING}</span>' in card


def test_bracknell_action_1_6_has_its_three_published_outcomes(client: FlaskClient) -> None:
    card = action_cards(main(page(client, f"/{BRACKNELL}/pledges/pledge-1")))["action-1.6"]
    assert plain(card).count("Head of Service: Life Chances") == 1
    assert "April 2026" in card
    assert "Care Leavers Covenant; My Things Matter campaign" in card
    for outcome in (
        "Enhanced support and resources for care-experienced children and young people "
        "through partnerships with organisations dedicated to their wellbeing.",
        "Increased advocacy and awareness of the needs and rights of care-experienced "
        "individuals.",
        "Improved outcomes through coordinated efforts and shared expertise.",
    ):
        assert f'<p class="govuk-body">{outcome}</p>' in card


def test_bracknell_pledge_1_reads_as_published(client: FlaskClient) -> None:
    text = main(page(client, f"/{BRACKNELL}/pledges/pledge-1"))
    assert ("We promise to do our best to support you in the same way as if you were our own "
            "child but acknowledge your individual circumstances") in text
    card = plain(action_cards(text)["action-1.4"])
    assert "Team Manager: Conference and Review" in card
    assert ("Care Leaver review - Mark Riddell (DfE advisor); leaving care self-assessment"
            in card)
    assert "Continuous oversight and support for young people transitioning out of care." in card


def test_empty_links_read_not_applicable(client: FlaskClient) -> None:
    card = action_cards(main(page(client, f"/{BRACKNELL}/pledges/pledge-1")))["action-1.1"]
    assert re.search(r'<dt class="govuk-summary-list__key">Link to other action plans or '
                     r'strategy initiatives</dt>\s*<dd class="govuk-summary-list__value">'
                     r"Not applicable</dd>", card)


def test_staffordshire_shows_four_declared_promises_and_invents_none(client: FlaskClient
                                                                     ) -> None:
    text = main(page(client, "/staffordshire/pledges"))
    assert "The strategy declares 4 promises; 4 are not published and have not been recorded" \
        " yet." in text
    assert text.count('<span class="app-missing">Promise not yet recorded</span>') == 4
    assert "Promise 1" not in text
    assert action_cards(text) == {}
    assert "Status:" not in text


@pytest.mark.parametrize("slug", ["herefordshire", "isle_of_wight"])
def test_council_without_pledges_says_none_are_published(client: FlaskClient, slug: str
                                                         ) -> None:
    text = main(page(client, f"/{slug}/pledges"))
    assert '<span class="app-missing">None published.</span>' in text
    assert "not yet recorded" not in text


def test_a_pledge_recorded_locally_replaces_one_declared_placeholder(
        app: Flask, client: FlaskClient) -> None:
    record_local_pledge(app, "staffordshire", "promise-1", "Recorded promise")
    text = main(page(client, "/staffordshire/pledges"))
    assert "Recorded promise" in text
    assert "Added locally" in text
    assert text.count("Promise not yet recorded") == 3
    assert "3 are not published" in text
    assert '<span class="app-missing">No actions published.</span>' in text


# --- progress, status and due dates ---------------------------------------------------------


def set_progress(app: Flask, updates: dict[str, list[tuple[dt.date, str, str]]],
                 statuses: dict[str, str]) -> None:
    """Add progress updates (date, status, note) and set statuses of Bracknell actions
    (each action's ``status_on`` follows its latest update, as posting one keeps it)."""
    with app.app_context():
        actions = {a.key: a for a in db.session.scalars(select(Action).join(Council).where(
            Council.slug == BRACKNELL))}
        for key, rows in updates.items():
            for reported_on, status, note in rows:
                db.session.add(ProgressUpdate(
                    council_id=actions[key].council_id, action_id=actions[key].id,
                    reported_on=reported_on, status=status, note=note, author="A. Officer"))
                db.session.flush()
            # as post_update keeps it: the date of the action's latest update
            actions[key].status_on = max(reported_on for reported_on, _, _ in rows)
        for key, status in statuses.items():
            actions[key].status = status
        db.session.commit()


def test_pledge_page_shows_each_actions_latest_update_by_date(app: Flask,
                                                              client: FlaskClient) -> None:
    set_progress(app, {
        "action-2.1": [(dt.date(2026, 3, 1), "on_track", "Newest report"),
                       (dt.date(2026, 1, 10), "at_risk", "Oldest report"),
                       (dt.date(2026, 2, 1), "off_track", "Middle report")],
        "action-2.2": [(dt.date(2026, 5, 5), "at_risk", "First of the day"),
                       (dt.date(2026, 5, 5), "complete", "Second of the day")],
    }, {})
    cards = action_cards(main(page(client, f"/{BRACKNELL}/pledges/pledge-2")))
    first = plain(cards["action-2.1"])
    assert "Latest progress 1 March 2026: On track Newest report (A. Officer)" in first
    assert "Oldest report" not in first and "Middle report" not in first
    second = plain(cards["action-2.2"])
    assert "Latest progress 5 May 2026: Complete Second of the day (A. Officer)" in second
    assert "First of the day" not in second
    assert "No progress reported yet" in cards["action-2.3"]


def test_updates_of_another_pledge_do_not_show(app: Flask, client: FlaskClient) -> None:
    set_progress(app, {"action-1.1": [(dt.date(2026, 3, 1), "on_track", "Pledge one news")]},
                 {})
    assert "Pledge one news" not in page(client, f"/{BRACKNELL}/pledges/pledge-2")
    assert "Pledge one news" in page(client, f"/{BRACKNELL}/pledges/pledge-1")


@pytest.mark.parametrize(("statuses", "due_ahead", "tag"), [
    # every action of pledge 3 is past its due date (April and September 2025)...
    ({}, False, '<strong class="govuk-tag govuk-tag--yellow">At risk</strong>'),
    ({"action-3.1": "on_track"}, False,
     '<strong class="govuk-tag govuk-tag--yellow">At risk</strong>'),
    ({"action-3.1": "off_track", "action-3.2": "at_risk"}, False,
     '<strong class="govuk-tag govuk-tag--red">Off track</strong>'),
    ({f"action-3.{n}": "complete" for n in range(1, 5)}, False,
     '<strong class="govuk-tag govuk-tag--blue">Complete</strong>'),
    # ...unless their due dates are moved ahead
    ({}, True, '<strong class="govuk-tag govuk-tag--grey">Not started</strong>'),
    ({"action-3.1": "on_track"}, True,
     '<strong class="govuk-tag govuk-tag--green">On track</strong>'),
    ({"action-3.1": "on_track", "action-3.2": "at_risk"}, True,
     '<strong class="govuk-tag govuk-tag--yellow">At risk</strong>'),
])
def test_pledge_status_tag_is_rolled_up_from_its_actions(
        app: Flask, client: FlaskClient, statuses: dict[str, str], due_ahead: bool,
        tag: str) -> None:
    set_progress(app, {}, statuses)
    if due_ahead:
        with app.app_context():
            for action in db.session.scalars(select(Action).where(
                    Action.key.in_([f"action-3.{n}" for n in range(1, 5)]))):
                action.due = dt.date.today() + dt.timedelta(days=30)
            db.session.commit()
    for url, start, end in ((f"/{BRACKNELL}/pledges/pledge-3", "<h1",
                             'class="govuk-summary-card"'),
                            (f"/{BRACKNELL}/pledges", '<section class="govuk-!-margin-bottom-9" '
                             'id="pledge-3"', '<table class="govuk-table"')):
        text = main(page(client, url))
        heading = text[text.index(start):]
        heading = heading[:heading.index(end)]
        assert f"Status: {tag}" in heading, url
        assert heading.count("Status:") == 1, url


def test_each_action_card_shows_its_own_status(app: Flask, client: FlaskClient) -> None:
    set_progress(app, {}, {"action-4.1": "off_track", "action-4.2": "complete"})
    cards = action_cards(main(page(client, f"/{BRACKNELL}/pledges/pledge-4")))
    assert "govuk-tag--red\">Off track" in cards["action-4.1"]
    assert "govuk-tag--blue\">Complete" in cards["action-4.2"]
    assert "govuk-tag--grey\">Not started" in cards["action-4.3"]


def test_due_date_passed_is_marked_on_overdue_actions_but_not_complete_ones(
        app: Flask, client: FlaskClient) -> None:
    # Pledge 3: actions 3.2 to 3.4 were due in April 2025; action 3.1 in September 2025.
    set_progress(app, {}, {"action-3.2": "complete", "action-3.3": "at_risk"})
    today = dt.date.today()
    for action in pledge_set(BRACKNELL).items[2].actions:
        assert action.timeline and action.timeline.due and action.timeline.due < today
    cards = action_cards(main(page(client, f"/{BRACKNELL}/pledges/pledge-3")))
    assert "Due date passed" not in cards["action-3.2"]
    for key in ("action-3.1", "action-3.3", "action-3.4"):
        assert "April 2025" in cards[key] or "September 2025" in cards[key]
        assert '<strong class="govuk-tag govuk-tag--red">Due date passed</strong>' in cards[key]
    text = main(page(client, f"/{BRACKNELL}/pledges/pledge-3"))
    assert "3 actions past their due date" in text


def test_a_recurring_action_has_no_due_date_to_pass(client: FlaskClient) -> None:
    card = action_cards(main(page(client, f"/{BRACKNELL}/pledges/pledge-2")))["action-2.1"]
    assert "Reviewed annually" in card
    assert "Due date passed" not in card


def test_archived_action_is_not_shown(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.key == "action-1.6"))
        action.archived_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        db.session.commit()
    rows = action_rows(main(page(client, f"/{BRACKNELL}/pledges")))
    assert "action-1.6" not in rows and "action-1.5" in rows
    cards = action_cards(main(page(client, f"/{BRACKNELL}/pledges/pledge-1")))
    assert "action-1.6" not in cards and "action-1.5" in cards
