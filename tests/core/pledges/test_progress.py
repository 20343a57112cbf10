"""Progress on actions, owners, and pledges recorded locally (services)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.auth.models import Role
from core.auth.services import create_user
from core.extensions import db
from core.models import Action, Council, Pledge
from core.pledges.models import ActionStatus
from core.pledges.progress import (
    ProgressError,
    add_owner,
    may_report,
    post_update,
    record_local_pledge,
    update_local_pledge,
    updates_of,
)
from core.pledges.status import DEFAULT_RULE, RollUp
from core.sync import sync_all
from tests.conftest import PASSWORD


def council(slug: str) -> Council:
    return db.session.scalar(select(Council).where(Council.slug == slug))


def action(key: str = "action-1.1") -> Action:
    return db.session.scalar(select(Action).where(Action.key == key))


def test_the_latest_update_sets_the_status_and_an_older_one_does_not(app) -> None:
    with app.app_context():
        first = action()
        post_update(first, reported_on=dt.date(2026, 3, 1), status=ActionStatus.AT_RISK,
                    note="Recruiting", author="A")
        post_update(first, reported_on=dt.date(2026, 1, 1), status=ActionStatus.ON_TRACK,
                    note="Late entry", author="B")
        assert (first.status, first.status_on) == ("at_risk", dt.date(2026, 3, 1))
        assert [u.note for u in updates_of(first)] == ["Recruiting", "Late entry"]
        roll_up = RollUp(DEFAULT_RULE, dt.date(2026, 3, 2))
        assert roll_up.of(first.pledge) == ActionStatus.AT_RISK


def test_contributors_report_only_on_actions_they_own(app) -> None:
    with app.app_context():
        bracknell = council("bracknell_forest")
        contributor = create_user("c@example.org", PASSWORD, role=Role.CONTRIBUTOR,
                                  council_slug="bracknell_forest")
        panel_admin = create_user("p@example.org", PASSWORD, role=Role.PANEL_ADMIN,
                                  council_slug="bracknell_forest")
        viewer = create_user("v@example.org", PASSWORD, role=Role.VIEWER,
                             council_slug="bracknell_forest")
        assert not may_report(contributor, action())
        add_owner(bracknell, action(), contributor.id)
        assert may_report(contributor, action())
        assert not may_report(contributor, action("action-1.2"))
        assert may_report(panel_admin, action("action-1.2"))
        add_owner(bracknell, action(), viewer.id)
        assert not may_report(viewer, action())  # owning is not enough without the role


def test_owners_must_hold_a_role_in_the_council(app) -> None:
    with app.app_context():
        stranger = create_user("s@example.org", PASSWORD, role=Role.PANEL_ADMIN,
                               council_slug="herefordshire")
        with pytest.raises(ProgressError, match="Choose someone with a role in this council"):
            add_owner(council("bracknell_forest"), action(), stranger.id)


def test_a_local_promise_is_kept_across_sync_and_counts_toward_the_declared(app) -> None:
    with app.app_context():
        staffordshire = council("staffordshire")
        promise = record_local_pledge(staffordshire, number=1, title="A recorded promise",
                                      statement=None)
        assert (promise.key, promise.origin) == ("local-1", "local")
        with pytest.raises(ProgressError, match="Number 1 is already used"):
            record_local_pledge(staffordshire, number=1, title="Again", statement=None)
        second = record_local_pledge(staffordshire, number=2, title="Second", statement="")
        assert second.key == "local-2" and second.statement is None
        with pytest.raises(ProgressError, match="Number 2 is already used"):
            update_local_pledge(staffordshire, promise, number=2, title="x", statement=None)
        assert sync_all(app.extensions["cpt_plugins"]).lines == []
        keys = db.session.scalars(select(Pledge.key).where(
            Pledge.council_id == staffordshire.id)).all()
        assert sorted(keys) == ["local-1", "local-2"]
        from core.checks import declared_but_missing

        [finding] = declared_but_missing(staffordshire)
        assert finding.message == "4 promises declared, 2 recorded: 2 still to be recorded."
