"""The red/amber/green rule, written once, and a council's own."""

from __future__ import annotations

import datetime as dt

import pytest

from core.content import RagRule
from core.content.validation import ContentError
from core.indicators.rag import (
    DEFAULT_RAG_RULE,
    Rag,
    council_rag_rule,
    describe,
    judge,
    rag_rule_from_json,
)
from core.models import Council
from tests.core.fakes import DictCouncil, small_council


@pytest.mark.parametrize(("value", "target", "higher", "expected"), [
    (90, 90, True, Rag.GREEN), (95, 90, True, Rag.GREEN), (81, 90, True, Rag.AMBER),
    (80.9, 90, True, Rag.RED), (9, 10, False, Rag.GREEN), (11, 10, False, Rag.AMBER),
    (11.5, 10, False, Rag.RED), (None, 10, True, None), (10, None, True, None),
    (10, 10, None, None),
])
def test_the_default_rule(value, target, higher, expected) -> None:
    assert judge(value, target, higher) == expected


def test_a_council_may_set_its_own_margin() -> None:
    strict = RagRule(amber_within_percent=0)
    assert judge(89.9, 90, True, strict) is Rag.RED
    assert judge(81, 90, True, RagRule(amber_within_percent=10)) is Rag.AMBER
    assert "no more than 0% of the target" in describe(strict)
    assert rag_rule_from_json(None) is DEFAULT_RAG_RULE
    assert rag_rule_from_json({"amber_within_percent": 3}) == RagRule(amber_within_percent=3)
    with pytest.raises(ContentError):
        rag_rule_from_json({"amber_within_percent": "3"})
    broken = Council(slug="x", name="X", plugin="x", rag_rule={"amber": 1})
    assert council_rag_rule(broken) is DEFAULT_RAG_RULE


def test_the_council_rule_reaches_its_pages(make_app) -> None:
    from tests.core.indicators.figures import add

    indicators = {"items": [{"key": "pep", "title": "PEPs on time", "unit": "percentage",
                             "higher_is_better": True}], "rag": {"amber_within_percent": 2}}
    app = make_app({"testshire": DictCouncil(small_council(indicators=indicators))})
    add(app, "pep", dt.date(2025, 3, 31), slug="testshire", numerator=85, denominator=100,
        target=90)
    text = app.test_client().get("/testshire/indicators").get_data(as_text=True)
    assert "Red: short of target" in text  # 5 points short: amber by the default rule
    assert "no more than 2% of the target" in text
