"""The action checks: which actions the database hands back, and what is made of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.checks import action_findings
from core.extensions import db
from core.models import Council
from tests.core.fakes import DictCouncil, small_council

FORUM = {"wording": "Hold a forum", "officer": "Participation lead",
         "timeline": "September 2025", "outcomes": ["Young people are heard."]}


def _action(key: str, number: int, **fields: Any) -> dict[str, Any]:
    return {"key": key, "number": number, **fields}


def _council() -> dict[str, Any]:
    """Three promises whose actions repeat one another's words in each way a check must
    tell apart."""
    return small_council(pledges={"declared": 3, "items": [
        {"key": "pledge-1", "number": 1, "title": "Listen", "actions": [
            _action("action-1.1", 1, **FORUM),
            _action("action-1.2", 2, officer="Head of service", timeline="Reviewed annually"),
            _action("action-1.3", 3, **FORUM),  # the same words within one promise
        ]},
        {"key": "pledge-2", "number": 2, "title": "Help", "actions": [
            _action("action-2.1", 1, **{**FORUM, "outcomes": ["Other."]}),  # one word apart
            _action("action-2.2", 2, **FORUM),
            _action("action-2.3", 3, officer="Head of service", timeline="Reviewed annually"),
        ]},
        {"key": "pledge-3", "number": 3, "title": "Stay", "actions": [
            _action("action-3.1", 1, **FORUM),
        ]},
    ]})


def test_actions_repeated_word_for_word_across_promises_and_those_without_wording(
        make_app) -> None:
    app = make_app({"testshire": DictCouncil(_council()),
                    "elsewhere": DictCouncil(small_council("elsewhere"))})
    with app.app_context(), app.test_request_context("/"):
        council = db.session.scalar(select(Council).where(Council.slug == "testshire"))
        findings = action_findings(council)
    # Against the first action with those words: 1.3 repeats 1.1 within its own promise,
    # 2.1 differs by an outcome, and 2.3 repeats 1.2, which has no wording of its own.
    assert [(f.check, f.message, f.items) for f in findings] == [
        ("duplicated-actions",
         "Actions 1.1, 1.2 (promise 1) are word for word the same as actions 2.2, 2.3 "
         "(promise 2).", ("1.1", "2.2", "1.2", "2.3")),
        ("duplicated-actions",
         "Action 1.1 (promise 1) is word for word the same as action 3.1 (promise 3).",
         ("1.1", "3.1")),
        ("actions-without-wording",
         "2 actions have no wording of their own in the published plan.",
         ("action-1.2", "action-2.3")),
    ]
