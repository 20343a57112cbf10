"""The strategy page: every part of the strategy and every priority, in the council's words."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.content import STATUTORY_PRINCIPLES, Priority, Strategy
from tests.core.growth import COUNCILS, BareCouncil, defined, main, page, texts


def strategy(slug: str) -> Strategy:
    result = defined(slug, "strategy_for_council", Strategy)
    assert result is not None, slug
    return result


def priorities(slug: str) -> list[Priority]:
    return defined(slug, "priorities_for_council", Priority, many=True)


@pytest.mark.parametrize("slug", COUNCILS)
def test_strategy_page_shows_every_text_of_the_strategy(client: FlaskClient, slug: str
                                                        ) -> None:
    text = main(page(client, f"/{slug}/strategy"))
    missing = [s for s in texts(strategy(slug)) if s not in text]
    assert missing == []


@pytest.mark.parametrize("slug", COUNCILS)
def test_strategy_page_lists_every_priority_in_order(client: FlaskClient, slug: str) -> None:
    text = main(page(client, f"/{slug}/strategy"))
    items = priorities(slug)
    listed = re.findall(r"<li>(.*?)(?:<br>|\n|</li>)", text)
    positions = [listed.index(p.title) for p in items]
    assert positions == sorted(positions)
    for priority in items:
        if priority.description:
            assert priority.description in text
        if priority.principles:
            assert f"Principles: {', '.join(priority.principles)}" in text


@pytest.mark.parametrize("slug", COUNCILS)
def test_strategy_sections_have_their_headings_as_anchors(client: FlaskClient, slug: str
                                                          ) -> None:
    text = main(page(client, f"/{slug}/strategy"))
    for section in strategy(slug).sections:
        if section.heading:
            assert f'id="{section.key}">{section.heading}</h2>' in text


def test_strategy_page_quotes_the_statutory_principles(client: FlaskClient) -> None:
    text = main(page(client, "/herefordshire/strategy"))
    assert len(STATUTORY_PRINCIPLES) == 7
    for principle in STATUTORY_PRINCIPLES:
        assert f"<li>({principle.letter}) {principle.text}</li>" in text
    assert "Children and Social Work Act 2017, section 1(1):" in text


def test_isle_of_wight_strategy_reads_as_published(client: FlaskClient) -> None:
    text = main(page(client, "/isle_of_wight/strategy"))
    assert ("“Through caring together, we will foster a community where every child in our "
            "care feels a true sense of belonging") in text
    assert "2025 to 2028" in text
    assert "Isle of Wight Council’s specific priorities" in text
    for title in ("Promoting educational attainment and aspiration",
                  "Opening doors to opportunities through the ‘family business’ approach"):
        assert title in text


def test_herefordshire_lists_the_seven_priorities_set_by_young_people(client: FlaskClient
                                                                       ) -> None:
    text = main(page(client, "/herefordshire/strategy"))
    published = [
        "We want our corporate parents, and other key leaders to understand and act on their "
        "responsibilities",
        "We want to have a safe and stable home and life",
        "We want to reach our potential in education",
        "We want to be physically and emotionally healthy",
        "We want to enjoy a range of play, sport, leisure and cultural opportunities",
        "We want our voice to matter",
        "When leaving care we want to live happy, healthy and financially secure lives",
    ]
    positions = [text.index(f"<li>{title}") for title in published]
    assert positions == sorted(positions)
    assert "Every good parent wants the best for their child:" in text


def test_staffordshire_strategy_shows_its_vision_principles_and_signatories(
        client: FlaskClient) -> None:
    text = main(page(client, "/staffordshire/strategy"))
    assert "<li>A home where they feel loved, valued and nurtured</li>" in text
    assert "<h2 class=\"govuk-heading-l\">Our corporate parenting principles</h2>" in text
    assert "In Staffordshire, we will:" in text
    assert "<strong>Nicholas Lakin</strong><br>Cabinet Member for Children and Young People" \
        in text
    assert "– Staffordshire Care Leaver" in text


def test_council_without_a_strategy_says_so(make_app: Callable[..., Flask]) -> None:
    client = make_app(plugins={"testshire": BareCouncil()}).test_client()
    text = main(page(client, "/testshire/strategy"))
    assert '<span class="app-missing">No strategy is published.</span>' in text
    assert "Priorities" not in text
    assert "The corporate parenting principles in law" in text
