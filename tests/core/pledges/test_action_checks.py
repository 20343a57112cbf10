"""What the action checks find, kept on the council's row with every change to its actions
and pledges: what is kept is what reading the rows as they are gives, after each kind of
change; a change that cannot alter it (a progress update) does not work it out again; a
council whose checks were never kept has them worked out when asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager

from flask import Flask
from sqlalchemy import select, update

from core.checks import action_findings
from core.extensions import db
from core.models import Action, Council, Pledge
from core.pledges.action_checks import (
    ActionChecks,
    Repeat,
    action_checks,
    read_action_checks,
)
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update
from tests.conftest import QueryCounter

#: Bracknell Forest's plan has actions; the others' published pledges have none.
SLUGS = ("isle_of_wight", "staffordshire", "herefordshire", "bracknell_forest")


def _council(slug: str) -> Council:
    return db.session.scalar(select(Council).where(Council.slug == slug))


def _kept_and_read(council: Council) -> tuple[ActionChecks, ActionChecks]:
    """What the council's row keeps (read afresh) and what its rows give now."""
    db.session.expire(council)
    assert council.action_checks is not None, council.slug
    return (ActionChecks.from_json(council.action_checks),
            read_action_checks(db.session, council.id))


def _actions_of_two_pledges(council: Council) -> tuple[Action, Action]:
    pledges = db.session.scalars(select(Pledge).where(Pledge.council_id == council.id)
                                 .order_by(Pledge.position)).all()
    first, second = (db.session.scalars(select(Action).where(Action.pledge_id == pledge.id)
                                        .order_by(Action.position)).first()
                     for pledge in pledges[:2])
    return first, second


def test_kept_from_the_first_sync_as_the_rows_give_it(app: Flask) -> None:
    with app.app_context():
        for slug in SLUGS:
            kept, read = _kept_and_read(_council(slug))
            assert kept == read, slug


def test_a_repeat_made_and_undone_is_kept(app: Flask) -> None:
    with app.app_context():
        council = _council("bracknell_forest")
        first, second = _actions_of_two_pledges(council)
        # the second pledge's action takes the first's words, word for word
        for name in ("wording", "officer", "timeline_text", "links", "outcomes"):
            setattr(second, name, getattr(first, name))
        db.session.commit()
        kept, read = _kept_and_read(council)
        assert kept == read
        pledge_numbers = {first.pledge.number, second.pledge.number}
        assert any({repeat.pledge, repeat.earlier} == pledge_numbers
                   and (second.number, first.number) in repeat.numbers
                   for repeat in kept.repeats)
        second.archived_at = dt.datetime.now(dt.UTC)
        db.session.commit()
        kept, read = _kept_and_read(council)
        assert kept == read
        assert not any((second.number, first.number) in repeat.numbers
                       and repeat.pledge == second.pledge.number for repeat in kept.repeats)
        assert second.key not in kept.without_wording


def test_an_action_given_wording_and_a_renumbered_pledge_are_kept(app: Flask) -> None:
    with app.app_context():
        council = _council("bracknell_forest")
        first, second = _actions_of_two_pledges(council)
        # the published plan gives none of its actions' own wording
        assert first.wording is None
        assert first.key in _kept_and_read(council)[0].without_wording
        first.wording = second.wording = "Hold a forum each term."
        for name in ("officer", "timeline_text", "links", "outcomes"):
            setattr(second, name, getattr(first, name))
        db.session.commit()
        kept, read = _kept_and_read(council)
        assert kept == read
        assert first.key not in kept.without_wording
        pledge = db.session.get(Pledge, second.pledge_id)
        pledge.number += 100
        db.session.commit()
        kept, read = _kept_and_read(council)
        assert kept == read
        assert any(repeat.pledge == pledge.number for repeat in kept.repeats)


def test_a_progress_update_works_nothing_out_again(
        app: Flask, count_queries: Callable[[], AbstractContextManager[QueryCounter]]) -> None:
    with app.app_context():
        council = _council("bracknell_forest")
        first, _second = _actions_of_two_pledges(council)
        with count_queries() as counted:
            post_update(first, reported_on=dt.date.today(), status=ActionStatus.AT_RISK,
                        note="On its way", author="Officer")
        assert not [statement for statement in counted.statements
                    if "action_checks" in statement]


def test_checks_never_kept_are_worked_out_when_asked(app: Flask) -> None:
    with app.app_context(), app.test_request_context("/"):
        council = _council("bracknell_forest")
        kept = action_findings(council)
        db.session.execute(update(Council).where(Council.id == council.id)
                           .values(action_checks=None))
        db.session.expire(council)
        assert council.action_checks is None
        assert action_checks(council) == read_action_checks(db.session, council.id)
        assert action_findings(council) == kept


def test_kept_as_json_and_back() -> None:
    found = ActionChecks((Repeat(2, 1, ((1, 1), (3, 2))), Repeat(3, 1, ((1, 1),))),
                         ("action-1.2", "action-2.3"))
    assert ActionChecks.from_json(found.as_json()) == found
    assert ActionChecks.from_json(ActionChecks().as_json()) == ActionChecks()


def test_the_session_reads_what_its_own_flush_kept(app: Flask) -> None:
    """Before any commit, the council object the session holds gives what the flush kept,
    not what it read before."""
    with app.app_context():
        council = _council("bracknell_forest")
        first, _second = _actions_of_two_pledges(council)
        assert first.key in ActionChecks.from_json(council.action_checks).without_wording
        first.wording = "Hold a forum each term."
        db.session.flush()
        kept = ActionChecks.from_json(council.action_checks)
        assert first.key not in kept.without_wording
        assert kept == read_action_checks(db.session, council.id)
        db.session.rollback()
