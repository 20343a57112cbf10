"""Pledges read as narrow rows (core/pledges/reads.py) say what the ORM's objects say, and
the pages built from them are the same bytes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import selectinload, with_loader_criteria

from core.extensions import db
from core.models import Action, Council, Pledge
from core.pledges import views
from core.pledges.reads import pledge_card, pledge_cards
from tests.core.growth import COUNCILS, grow

TODAY = dt.date(2026, 12, 3)


def _by_orm(council: Council) -> list[Pledge]:
    """The council's live pledges with their live actions, as the ORM loads them."""
    return list(db.session.scalars(
        select(Pledge).where(Pledge.council_id == council.id, Pledge.archived_at.is_(None))
        .order_by(Pledge.origin.desc(), Pledge.position, Pledge.number)
        .options(selectinload(Pledge.actions),
                 with_loader_criteria(Action, Action.archived_at.is_(None)))))


def _said(pledge: Any) -> tuple[Any, ...]:
    return (pledge.id, pledge.key, pledge.number, pledge.title, pledge.statement,
            pledge.added_locally, pledge.overdue_actions_on(TODAY),
            [(action.id, action.key, action.number, action.status, action.due,
              action.wording, action.officer, action.timeline_text, action.links,
              action.outcomes, action.status_on, action.overdue_on(TODAY))
             for action in pledge.actions])


def _council(slug: str) -> Council:
    council = db.session.scalar(select(Council).where(Council.slug == slug))
    assert council is not None
    return council


@pytest.mark.parametrize("slug", COUNCILS)
def test_cards_say_what_the_orm_says(app: Flask, slug: str, count_queries: Any) -> None:
    grow(app, slug, 2)  # local pledges, actions added to a published pledge
    with app.app_context():
        council = _council(slug)
        orm = _by_orm(council)
        with count_queries() as counted:
            cards = pledge_cards(council)
        assert len(counted) == 1
        assert [_said(card) for card in cards] == [_said(pledge) for pledge in orm]
        assert sum(len(card.actions) for card in cards) > len(cards)
        for pledge in orm:
            with count_queries() as counted:
                assert _said(pledge_card(council, pledge.key)) == _said(pledge)
            assert len(counted) == 1


def test_archived_rows_are_left_out_and_a_pledge_without_actions_is_kept(
        app: Flask) -> None:
    from werkzeug.exceptions import NotFound

    with app.app_context():
        council, (first, second, *_) = next(
            (council, pledges) for council in map(_council, COUNCILS)
            if len(pledges := _by_orm(council)) >= 2 and pledges[0].actions)
        archived_action = first.actions[0]
        archived_action.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        for action in second.actions:
            action.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        db.session.commit()
        cards = {card.key: card for card in pledge_cards(council)}
        assert archived_action.id not in [action.id for action in cards[first.key].actions]
        assert cards[second.key].actions == [] and pledge_card(council, second.key).actions == []
        second.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        db.session.commit()
        assert second.key not in [card.key for card in pledge_cards(council)]
        for key in (second.key, "no-such-pledge"):
            with pytest.raises(NotFound):
                pledge_card(council, key)


@pytest.mark.parametrize("slug", COUNCILS)
def test_the_pages_are_the_same_read_as_cards_or_as_objects(
        make_app: Any, monkeypatch: pytest.MonkeyPatch, slug: str) -> None:
    """The pledges page, and each pledge's page and chart, are the same bytes whether their
    pledges come from the narrow read or from the ORM."""
    app = make_app(config={"PAGE_CACHE_STORE": "off"})
    grow(app, slug, 1)
    client = app.test_client()
    with app.app_context():
        keys = [pledge.key for pledge in _by_orm(_council(slug))]
    urls = [f"/{slug}/pledges"] + [f"/{slug}/pledges/{key}{end}" for key in keys
                                   for end in ("", "/progress.svg")]
    for url in urls:
        narrow = client.get(url)
        with monkeypatch.context() as patched:
            patched.setattr(views, "pledge_cards", _by_orm)
            patched.setattr(views, "pledge_card", lambda council, key: next(
                pledge for pledge in _by_orm(council) if pledge.key == key))
            objects = client.get(url)
        assert narrow.status_code == objects.status_code == 200, url
        assert narrow.get_data() == objects.get_data(), url
