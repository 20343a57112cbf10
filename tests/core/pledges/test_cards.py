"""An action's summary card, as Python writes it: every row, the council's data escaped,
the latest update's row only where asked for."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

from flask import Flask

from core.pledges.cards import action_card

TODAY = dt.date(2026, 3, 1)


def _action(**changes: object) -> SimpleNamespace:
    values: dict[str, object] = dict(
        key="action-<2>", number=3, status="at_risk", wording="Meet & greet",
        officer="Head of <Service>", timeline_text="Spring 2026", due=None,
        links=["Plan <A>", "Plan B"], outcomes=["Fewer moves", "More <say>"],
        overdue_on=lambda day: False)
    values.update(changes)
    return SimpleNamespace(**values)


def _rows(card: str) -> dict[str, str]:
    return dict(re.findall(r'<dt class="govuk-summary-list__key">(.*?)</dt>'
                           r'<dd class="govuk-summary-list__value">(.*?)</dd>', card))


def test_a_card_holds_each_row_with_the_councils_data_escaped(app: Flask) -> None:
    with app.test_request_context("/"):
        card = str(action_card(_action(), "<1>", TODAY))
    assert card.startswith('<div class="govuk-summary-card" id="action-&lt;2&gt;">')
    assert '<h3 class="govuk-summary-card__title">Action &lt;1&gt;.3</h3>' in card
    assert ('<div class="govuk-summary-card__actions"><strong class="govuk-tag '
            'govuk-tag--yellow">At risk</strong></div>') in card
    assert _rows(card) == {
        "Action": "Meet &amp; greet",
        "Responsible officer": "Head of &lt;Service&gt;",
        "Timeline": "Spring 2026",
        "Link to other action plans or strategy initiatives": "Plan &lt;A&gt;; Plan B",
        "Expected outcome": ('<p class="govuk-body">Fewer moves</p>'
                             '<p class="govuk-body">More &lt;say&gt;</p>'),
    }


def test_what_an_action_does_not_say_is_marked_missing(app: Flask) -> None:
    with app.test_request_context("/"):
        rows = _rows(str(action_card(_action(officer="", links=[], outcomes=[]), 1, TODAY)))
    assert rows["Responsible officer"] == '<span class="app-missing">Not stated</span>'
    assert rows["Link to other action plans or strategy initiatives"] == "Not applicable"
    assert rows["Expected outcome"] == '<span class="app-missing">Not stated</span>'


def test_the_latest_update_row_only_where_asked_for(app: Flask) -> None:
    update = SimpleNamespace(reported_on=dt.date(2026, 2, 27), status="complete",
                             note="Done <now>", author="Lead & co")
    with app.test_request_context("/"):
        without = _rows(str(action_card(_action(), 1, TODAY)))
        latest = _rows(str(action_card(_action(), 1, TODAY, with_update=True, update=update)))
        none_yet = _rows(str(action_card(_action(), 1, TODAY, with_update=True)))
    assert "Latest progress" not in without
    assert latest["Latest progress"] == (
        '27 February 2026: <strong class="govuk-tag govuk-tag--blue">Complete</strong> '
        'Done &lt;now&gt; <span class="govuk-body-s">(Lead &amp; co)</span>')
    assert none_yet["Latest progress"] == (
        '<span class="app-missing">No progress reported yet</span>')


def _overdue_action(**changes: object) -> SimpleNamespace:
    """An action (with an id) past due from 1 February 2026 while not complete."""
    action = _action(**{"id": 7, "due": dt.date(2026, 2, 1), **changes})
    action.overdue_on = lambda day: action.status != "complete" and day > action.due
    return action


def test_a_pledges_cards_are_each_card_kept_by_all_it_shows(app: Flask) -> None:
    """``action_cards`` writes what ``action_card`` writes, card after card, and keeps each
    card by everything it shows: a change to the action, to whether it is past due, to its
    update or to the locale is a card of its own."""
    from flask_babel import force_locale

    from core.pledges.cards import CARDS_EXTENSION, action_cards

    app.extensions.pop(CARDS_EXTENSION, None)
    update = SimpleNamespace(reported_on=dt.date(2026, 2, 27), status="on_track",
                             note="Going <well>", author="Lead")
    before_due, after_due = dt.date(2026, 1, 15), TODAY
    with app.test_request_context("/"):
        one, other = _overdue_action(), _overdue_action(id=8, key="action-8", number=4)
        both = str(action_cards([one, other], 1, after_due))
        assert both == (f"{action_card(one, 1, after_due)}\n        "
                        f"{action_card(other, 1, after_due)}")
        assert "Due date passed" in both
        assert "Due date passed" not in str(action_cards([one], 1, before_due))
        one.status = "complete"
        assert str(action_cards([one], 1, after_due)) == str(action_card(one, 1, after_due))
        with_update = str(action_cards([one], 1, after_due, {7: update}))
        assert with_update == str(action_card(one, 1, after_due, True, update))
        assert str(action_cards([one], 1, after_due, {})) == str(
            action_card(one, 1, after_due, True, None))
        with force_locale("cy"):
            welsh = str(action_cards([one], 1, after_due, {7: update}))
            assert welsh == str(action_card(one, 1, after_due, True, update))
        memo = app.extensions[CARDS_EXTENSION]
        assert (memo.misses, len(memo.entries)) == (7, 7)
        assert str(action_cards([other], 1, after_due)) in both
        assert memo.hits == 1


def test_no_card_is_kept_in_a_memo_of_no_entries(app: Flask) -> None:
    from core.pledges.cards import CARDS_EXTENSION, action_cards

    app.config["CARD_MARKUP_ENTRIES"] = 0  # as the benchmark's cold renders
    app.extensions.pop(CARDS_EXTENSION, None)
    with app.test_request_context("/"):
        action = _overdue_action()
        assert action_cards([action], 1, TODAY) == action_cards([action], 1, TODAY)
    memo = app.extensions[CARDS_EXTENSION]
    assert (memo.hits, memo.misses, len(memo.entries)) == (0, 2, 0)
