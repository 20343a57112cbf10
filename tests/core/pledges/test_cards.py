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
