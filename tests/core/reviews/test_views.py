"""The reviews page: every review cycle, with overdue, due soon and undated marked."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.content import ReviewCycle as ReviewCycleShape
from core.extensions import db
from core.models import ReviewCycle
from tests.core.growth import COUNCILS, BareCouncil, defined, main, page, squash, table_rows

WIGHT = "isle_of_wight"


#: The protocol Isle of Wight's protocol review governs: named (and linked) before the
#: cycle's subject.
PROTOCOL = ("Protocol between the Corporate Parenting Board and the Safeguarding Children "
            "Partnership (IOWSCP)")


def subject(cell: str) -> str:
    """A cycle's subject, from its cell (which may name the protocol first)."""
    return cell.removeprefix(f"{PROTOCOL} ")


def rows_by_subject(client: FlaskClient, slug: str) -> dict[str, list[str]]:
    return {subject(row[0]): row for row in table_rows(main(page(client, f"/{slug}/reviews")))}


@pytest.mark.parametrize("slug", COUNCILS)
def test_reviews_page_shows_every_review_cycle_as_defined(client: FlaskClient, slug: str
                                                          ) -> None:
    cycles = defined(slug, "review_cycles_for_council", ReviewCycleShape, many=True)
    text = main(page(client, f"/{slug}/reviews"))
    rows = table_rows(text)
    assert [subject(row[0]) for row in rows] == [squash(cycle.subject) for cycle in cycles]
    for row, cycle in zip(rows, cycles, strict=True):
        assert row[1] == squash(cycle.interval_text or "Not stated")
        assert row[2] == squash(cycle.owner or "Not stated")
        if cycle.next_due:
            due = format_date(cycle.next_due, "d MMMM yyyy", locale="en_GB")
            assert row[3] == (f"{due} ({cycle.next_due_text})" if cycle.next_due_text else due)
        else:
            assert row[3] == "No date set"
            assert row[4] == "No date set"
        # each row's first cell is the cycle's anchor (the partners page links to it)
        assert re.search(rf'<tr class="govuk-table__row">\s*<td class="govuk-table__cell"\s*'
                         rf'id="{re.escape(cycle.key)}">', text), cycle.key
    if not cycles:
        assert '<span class="app-missing">None published.</span>' in text


def test_isle_of_wight_protocol_review_due_september_2025_is_overdue(client: FlaskClient
                                                                     ) -> None:
    row = rows_by_subject(client, WIGHT)["The implementation of this protocol"]
    assert row[1:] == [
        "bi-annually",
        "The Isle of Wight Corporate Parenting Board and the Isle of Wight Safeguarding "
        "Children Partnership",
        "30 September 2025 (September 2025)",
        "Overdue"]
    text = page(client, f"/{WIGHT}/reviews")
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in text


def test_review_cycles_without_a_date_are_marked_no_date_set(client: FlaskClient) -> None:
    rows = rows_by_subject(client, WIGHT)
    assert rows["Children in care/care leavers Pledge"][3:] == ["No date set", "No date set"]
    plan = next(row for subject, row in rows.items() if subject.startswith("A robust"))
    assert plan[2:] == ["Not stated", "No date set", "No date set"]
    assert page(client, f"/{WIGHT}/reviews").count(
        '<strong class="govuk-tag govuk-tag--grey">No date set</strong>') == 2


@pytest.mark.parametrize(("days", "state", "colour"), [
    (10, "Due soon", "yellow"), (60, "Due soon", "yellow"), (61, "Scheduled", "green"),
    (-1, "Overdue", "red"),
])
def test_state_follows_the_next_due_date(app: Flask, client: FlaskClient, days: int,
                                         state: str, colour: str) -> None:
    due = dt.date.today() + dt.timedelta(days=days)
    with app.app_context():
        cycle = db.session.scalar(select(ReviewCycle).where(ReviewCycle.key == "pledge-review"))
        cycle.next_due = due
        db.session.commit()
    row = rows_by_subject(client, WIGHT)["Children in care/care leavers Pledge"]
    assert row[3] == format_date(due, "d MMMM yyyy", locale="en_GB")
    assert row[4] == state
    assert f'<strong class="govuk-tag govuk-tag--{colour}">{state}</strong>' in page(
        client, f"/{WIGHT}/reviews")


def test_overview_lists_review_cycles_with_their_state(client: FlaskClient) -> None:
    text = main(page(client, f"/{WIGHT}/"))
    assert ('<strong class="govuk-tag govuk-tag--red">Overdue</strong> The implementation of '
            "this protocol – next due by 30 September 2025") in text
    assert ('<strong class="govuk-tag govuk-tag--grey">No date set</strong> Children in '
            "care/care leavers Pledge</li>") in text


def test_council_without_review_cycles_says_none_are_published(make_app: Callable[..., Flask]
                                                               ) -> None:
    client = make_app(plugins={"testshire": BareCouncil()}).test_client()
    text = main(page(client, "/testshire/reviews"))
    assert '<span class="app-missing">None published.</span>' in text
    assert "<table" not in text


def test_a_protocol_review_names_and_links_its_protocol(client: FlaskClient) -> None:
    text = main(page(client, f"/{WIGHT}/reviews"))
    assert (f'<a class="govuk-link" href="/{WIGHT}/partners#board-iowscp-protocol">'
            f"{PROTOCOL}</a>") in text
    assert rows_by_subject(client, WIGHT)["The implementation of this protocol"][0] == (
        f"{PROTOCOL} The implementation of this protocol")
