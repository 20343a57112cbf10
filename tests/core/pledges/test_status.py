"""The one rule that rolls a pledge's status up from its actions, past-due work counted,
on every page and endpoint that shows it, and described in the council's own terms."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.content import ContentError, StatusRule, validate
from core.extensions import db
from core.models import Action, Council, ProgressUpdate
from core.pledges.models import Action as ActionRow
from core.pledges.models import ActionStatus, Pledge
from core.pledges.status import (
    DEFAULT_RULE,
    RollUp,
    council_rule,
    rolled_up_status,
    status_rule_from_json,
    status_rule_to_json,
)
from tests.conftest import sign_in
from tests.core.growth import main, page, plain, table_rows

NOT_STARTED, ON_TRACK, AT_RISK, OFF_TRACK, COMPLETE = (
    "not_started", "on_track", "at_risk", "off_track", "complete")
TODAY = dt.date(2025, 10, 1)
PAST, FUTURE = TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=30)
BRACKNELL = "bracknell_forest"

# --- the roll-up of the statuses actions count as ------------------------------------------


def test_a_pledge_without_actions_has_no_status() -> None:
    assert rolled_up_status([]) is None


@pytest.mark.parametrize(("statuses", "expected"), [
    ([COMPLETE], ActionStatus.COMPLETE),
    ([COMPLETE, COMPLETE, COMPLETE], ActionStatus.COMPLETE),
    ([NOT_STARTED], ActionStatus.NOT_STARTED),
    ([NOT_STARTED, NOT_STARTED], ActionStatus.NOT_STARTED),
    ([ON_TRACK, NOT_STARTED], ActionStatus.ON_TRACK),
    ([ON_TRACK, AT_RISK, NOT_STARTED], ActionStatus.AT_RISK),
    ([AT_RISK, OFF_TRACK, ON_TRACK], ActionStatus.OFF_TRACK),
    ([OFF_TRACK, COMPLETE, COMPLETE], ActionStatus.OFF_TRACK),
    ([AT_RISK, COMPLETE], ActionStatus.AT_RISK),
    ([COMPLETE, NOT_STARTED], ActionStatus.ON_TRACK),
])
def test_roll_up_takes_the_most_concerning_open_status(statuses: list[str],
                                                       expected: ActionStatus) -> None:
    assert rolled_up_status(statuses) is expected
    assert rolled_up_status(reversed(statuses)) is expected


def test_roll_up_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="late"):
        rolled_up_status([ON_TRACK, "late"])


# --- past-due actions count as a concern ----------------------------------------------------


def action(due: dt.date | None, status: str = NOT_STARTED) -> ActionRow:
    return ActionRow(key="a", number=1, due=due, status=status)


def pledge(*actions: ActionRow) -> Pledge:
    return Pledge(key="p", number=1, title="P", actions=list(actions))


@pytest.mark.parametrize(("due", "status", "counts_as"), [
    (None, NOT_STARTED, NOT_STARTED),
    (FUTURE, ON_TRACK, ON_TRACK),
    (TODAY, ON_TRACK, ON_TRACK),
    (PAST, NOT_STARTED, AT_RISK),
    (PAST, ON_TRACK, AT_RISK),
    (PAST, AT_RISK, AT_RISK),
    (PAST, OFF_TRACK, OFF_TRACK),
    (PAST, COMPLETE, COMPLETE),
])
def test_a_past_due_incomplete_action_counts_as_at_risk_by_default(
        due: dt.date | None, status: str, counts_as: str) -> None:
    assert RollUp(DEFAULT_RULE, TODAY).counts_as(action(due, status)) == counts_as


def test_eight_of_nine_actions_past_due_and_not_started_is_not_on_track() -> None:
    roll_up = RollUp(DEFAULT_RULE, TODAY)
    found = pledge(action(PAST, ON_TRACK), *(action(PAST) for _ in range(8)))
    assert roll_up.of(found) is ActionStatus.AT_RISK
    # the same pledge before the due dates: work under way, nothing late
    assert RollUp(DEFAULT_RULE, PAST - dt.timedelta(days=1)).of(found) is ActionStatus.ON_TRACK


def test_a_pledge_whose_only_late_actions_are_complete_is_not_a_concern() -> None:
    found = pledge(action(PAST, COMPLETE), action(FUTURE, ON_TRACK))
    assert RollUp(DEFAULT_RULE, TODAY).of(found) is ActionStatus.ON_TRACK


def test_a_council_may_count_past_due_work_as_off_track_after_days_of_grace() -> None:
    rule = StatusRule(past_due_counts_as="off_track", grace_days=14)
    late = action(TODAY - dt.timedelta(days=15), ON_TRACK)
    within_grace = action(TODAY - dt.timedelta(days=14), ON_TRACK)
    roll_up = RollUp(rule, TODAY)
    assert roll_up.counts_as(late) is ActionStatus.OFF_TRACK
    assert roll_up.counts_as(within_grace) is ActionStatus.ON_TRACK
    assert roll_up.of(pledge(within_grace, action(FUTURE, ON_TRACK))) is ActionStatus.ON_TRACK
    assert roll_up.of(pledge(late, action(FUTURE, ON_TRACK))) is ActionStatus.OFF_TRACK


def test_a_pledges_roll_up_is_what_its_actions_count_as_rolled_up() -> None:
    """RollUp.of, written out for speed, says what counts_as and rolled_up_status say, for
    every pair of actions of every due date and status, under both kinds of rule."""
    kinds = [action(due, status) for due in (None, PAST, TODAY, FUTURE)
             for status in (NOT_STARTED, ON_TRACK, AT_RISK, OFF_TRACK, COMPLETE)]
    for rule in (DEFAULT_RULE, StatusRule(past_due_counts_as="off_track", grace_days=14)):
        roll_up = RollUp(rule, TODAY)
        for first in kinds:
            for second in kinds:
                found = pledge(first, second)
                assert roll_up.of(found) is rolled_up_status(
                    [roll_up.counts_as(each) for each in found.actions])
        assert roll_up.of(pledge()) is None


# --- the rule as JSON on the council row ---------------------------------------------------


def test_no_stored_rule_is_the_core_default() -> None:
    assert status_rule_from_json(None) is DEFAULT_RULE
    assert StatusRule(past_due_counts_as="at_risk", grace_days=0) == DEFAULT_RULE


def test_a_stored_rule_reads_back_as_it_was_written() -> None:
    rule = StatusRule(past_due_counts_as="off_track", grace_days=30)
    assert status_rule_to_json(rule) == {"past_due_counts_as": "off_track", "grace_days": 30}
    assert status_rule_from_json(status_rule_to_json(rule)) == rule
    assert status_rule_from_json({"grace_days": 7}) == StatusRule(grace_days=7)


def test_a_rule_written_out_is_a_new_dict_each_time() -> None:
    """The conversion is kept per rule; what a caller does with its copy stays its own."""
    rule = StatusRule(past_due_counts_as="off_track", grace_days=30)
    written = status_rule_to_json(rule)
    written["grace_days"] = 1
    assert status_rule_to_json(rule) == {"past_due_counts_as": "off_track", "grace_days": 30}


@pytest.mark.parametrize(("data", "field"), [
    ({"past_due_counts_as": "on_track"}, "past_due_counts_as"),
    ({"past_due_counts_as": "complete"}, "past_due_counts_as"),
    ({"grace_days": -1}, "grace_days"),
    ({"grace_days": 400}, "grace_days"),
    ({"days": 3}, "days"),
])
def test_a_rule_that_would_hide_late_work_or_makes_no_sense_is_refused(
        data: dict[str, object], field: str) -> None:
    with pytest.raises(ContentError) as raised:
        status_rule_from_json(data)
    assert field in raised.value.problems
    with pytest.raises(ContentError):
        validate(StatusRule, data)


def test_a_stored_rule_that_no_longer_validates_falls_back_to_the_default() -> None:
    council = Council(slug="x", name="X", plugin="x", status_rule={"grace_days": "soon"})
    assert council_rule(council) is DEFAULT_RULE
    assert council_rule(Council(slug="y", name="Y", plugin="y")) is DEFAULT_RULE


# --- the words --------------------------------------------------------------------------------


def test_the_rule_is_described_from_its_own_parameters(app: Flask) -> None:
    with app.test_request_context():
        default = " ".join(RollUp(DEFAULT_RULE, TODAY).describe("promise"))
        assert "The status of each promise comes from the status of its actions." in default
        assert ("An action still not complete after its due date counts as “At risk” or "
                "worse, even when its latest update says it is on track.") in default
        assert "A promise is “Complete” when every action is complete" in default
        own = " ".join(RollUp(StatusRule(past_due_counts_as="off_track", grace_days=30),
                              TODAY).describe("pledge"))
        assert ("An action still not complete more than 30 days after its due date counts "
                "as “Off track”, even when its latest update says it is on track.") in own
        one = " ".join(RollUp(StatusRule(grace_days=1), TODAY).describe("pledge"))
        assert "more than 1 day after its due date counts as “At risk” or worse" in one


# --- Bracknell Forest's pledge 6 on every page that shows its status ------------------------


def on_track_on_the_first_action_of_pledge_6(app: Flask, rule: dict | None = None) -> None:
    """One on-track progress update on action 6.1, as posting it through the admin would
    leave it; optionally store a status rule on the council."""
    with app.app_context():
        first = db.session.scalar(select(Action).join(Council).where(
            Council.slug == BRACKNELL, Action.key == "action-6.1"))
        today = dt.date.today()
        db.session.add(ProgressUpdate(council_id=first.council_id, action_id=first.id,
                                      reported_on=today, status=ON_TRACK, note="Under way",
                                      author="A. Officer"))
        first.status, first.status_on = ON_TRACK, today
        if rule is not None:
            db.session.get(Council, first.council_id).status_rule = rule
        db.session.commit()


def pledge_6_row(text: str) -> list[str]:
    return next(row for row in table_rows(text) if row[0].startswith("6. "))


def pledge_6_statuses(client: FlaskClient, admin: FlaskClient) -> dict[str, str]:
    """The status each page gives pledge 6, as its tag's text."""
    status = re.compile(r'Status:\s*<strong class="govuk-tag[^"]*">([^<]+)</strong>')
    found = {
        "overview": pledge_6_row(main(page(client, f"/{BRACKNELL}/")))[3],
        "admin action plan": pledge_6_row(main(page(admin, f"/admin/{BRACKNELL}/pledges")))[3],
    }
    for name, url in (("pledge page", f"/{BRACKNELL}/pledges/pledge-6"),
                      ("admin pledge page", f"/admin/{BRACKNELL}/pledges/pledge-6")):
        text = main(page(client if name == "pledge page" else admin, url))
        found[name] = status.search(text)[1]
    section = main(page(client, f"/{BRACKNELL}/pledges"))
    section = section[section.index('id="pledge-6"'):section.index('id="pledge-7"')]
    found["pledges page"] = status.search(section)[1]
    found["api"] = client.get(f"/api/councils/{BRACKNELL}/pledges/pledge-6").get_json()[
        "status"]
    found["api list"] = next(p["status"] for p in client.get(
        f"/api/councils/{BRACKNELL}/pledges").get_json() if p["key"] == "pledge-6")
    return found


@pytest.fixture
def admin(app: Flask, make_user) -> FlaskClient:
    client = app.test_client()
    sign_in(client, make_user("viewer", BRACKNELL)[1])
    return client


def test_bracknell_pledge_6_with_one_action_on_track_and_the_rest_past_due_is_not_on_track(
        app: Flask, client: FlaskClient, admin: FlaskClient) -> None:
    # The plan's due dates (April and September 2025) are behind today on this machine.
    due = {a.key: a.due for a in actions_of_pledge_6(app)}
    assert len(due) == 9 and all(d is not None and d < dt.date.today() for d in due.values())
    on_track_on_the_first_action_of_pledge_6(app)
    assert pledge_6_statuses(client, admin) == {
        "overview": "At risk", "admin action plan": "At risk", "pledge page": "At risk",
        "admin pledge page": "At risk", "pledges page": "At risk", "api": AT_RISK,
        "api list": AT_RISK}
    # the first action's own card still says what its update said
    card = main(page(client, f"/{BRACKNELL}/pledges/pledge-6"))
    card = card[card.index('id="action-6.1"'):card.index('id="action-6.2"')]
    assert "On track" in plain(card) and "Due date passed" in plain(card)


def test_a_council_rule_stored_on_its_row_is_applied_and_described(
        app: Flask, client: FlaskClient, admin: FlaskClient) -> None:
    on_track_on_the_first_action_of_pledge_6(
        app, {"past_due_counts_as": "off_track", "grace_days": 10})
    assert set(pledge_6_statuses(client, admin).values()) == {"Off track", OFF_TRACK}
    for url, client_ in ((f"/{BRACKNELL}/pledges", client),
                         (f"/admin/{BRACKNELL}/pledges", admin)):
        words = plain(main(page(client_, url)))
        assert ("How the status of each pledge is worked out The status of each pledge comes "
                "from the status of its actions. An action still not complete more than 10 "
                "days after its due date counts as “Off track”") in words, url
    council = client.get(f"/api/councils/{BRACKNELL}").get_json()
    assert council["status_rule"] == {"past_due_counts_as": "off_track", "grace_days": 10}


def test_the_default_rule_is_described_on_the_pledges_page(client: FlaskClient) -> None:
    words = plain(main(page(client, "/staffordshire/pledges")))
    assert "How the status of each promise is worked out" not in words  # none recorded yet
    words = plain(main(page(client, f"/{BRACKNELL}/pledges")))
    assert ("An action still not complete after its due date counts as “At risk” or worse, "
            "even when its latest update says it is on track.") in words
    assert client.get(f"/api/councils/{BRACKNELL}").get_json()["status_rule"] == {
        "past_due_counts_as": "at_risk", "grace_days": 0}


def actions_of_pledge_6(app: Flask) -> list[Action]:
    with app.app_context():
        return list(db.session.scalars(select(Action).join(Council).where(
            Council.slug == BRACKNELL, Action.key.like("action-6.%"))))
