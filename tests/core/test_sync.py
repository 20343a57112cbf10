"""`cpt sync`: definitions into the database by stable keys."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.app import plugin_host
from core.extensions import db
from core.modelbase import ORIGIN_LOCAL
from core.models import Action, Council, Pledge, Priority, ProgressUpdate, Review, ReviewCycle
from core.plugins import make_plugin_host
from core.sync import sync_all
from tests.core.fakes import DictCouncil, RaisingPlugin, small_council


def sync(data: dict) -> list[str]:
    """Sync a host holding one council defined by ``data``; return the report's lines."""
    return sync_all(make_plugin_host({"testshire": DictCouncil(data)})).lines


def rows(model) -> list:
    return list(db.session.scalars(select(model).order_by(model.id)))


def test_reference_councils_sync_then_a_second_run_changes_nothing(make_app) -> None:
    app = make_app(sync=False)
    with app.app_context():
        first = sync_all(plugin_host(app))
        assert first.counts["added"] == 113
        assert "bracknell_forest: action action-10.5 added" in first.lines
        second = sync_all(plugin_host(app))
        assert second.lines == []
        assert second.summary() == "No changes."
        assert db.session.scalar(select(func.count(Action.id))) == 45


def test_changed_wording_updates_the_same_row(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync(data)
        before = {row.key: row.id for row in rows(Action)}
        data["pledges"]["items"][0]["actions"][0]["officer"] = "Head of participation"
        data["priorities"][0]["title"] = "Be safe and settled"
        lines = sync(data)
        assert lines == ["testshire: priority priority-1 updated (title)",
                         "testshire: action action-1.1 updated (officer)"]
        assert {row.key: row.id for row in rows(Action)} == before
        assert db.session.get(Action, before["action-1.1"]).officer == "Head of participation"


def test_a_removed_item_is_deleted_when_nothing_points_at_it(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync(data)
        data["pledges"]["items"][0]["actions"].pop()
        assert sync(data) == ["testshire: action action-1.2 deleted (no longer defined)"]
        assert [row.key for row in rows(Action)] == ["action-1.1", "action-2.1"]


def test_a_removed_item_with_operational_data_is_archived_then_restored(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync(data)
        action = db.session.scalar(select(Action).where(Action.key == "action-2.1"))
        db.session.add(ProgressUpdate(council_id=action.council_id, action_id=action.id,
                                      reported_on=dt.date(2026, 1, 5), status="on_track",
                                      author="A. Officer"))
        db.session.commit()
        removed = data["pledges"]["items"].pop()
        assert sync(data) == [
            "testshire: action action-2.1 archived (no longer defined; still referenced by "
            "progress update)",
            "testshire: pledge pledge-2 archived (no longer defined; still referenced by action)",
        ]
        assert db.session.scalar(select(Action).where(Action.key == "action-2.1")).archived
        assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 1
        assert sync(data) == []  # archived rows stay archived, quietly
        data["pledges"]["items"].append(removed)
        assert sync(data) == ["testshire: pledge pledge-2 restored",
                              "testshire: action action-2.1 restored"]
        assert not db.session.scalar(select(Pledge).where(Pledge.key == "pledge-2")).archived


def test_locally_added_rows_are_never_touched(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync(data)
        council = db.session.scalar(select(Council))
        db.session.add(Pledge(council_id=council.id, key="local-1", number=3,
                              title="Recorded by an administrator", origin=ORIGIN_LOCAL))
        db.session.commit()
        assert sync(data) == []
        local = db.session.scalar(select(Pledge).where(Pledge.key == "local-1"))
        assert local.added_locally and not local.archived


def test_a_council_whose_plugin_is_uninstalled_is_archived(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        sync(small_council())
        report = sync_all(make_plugin_host({}))
        assert report.lines == [
            "testshire: council archived (plugin 'testshire' is not installed)"]
        assert db.session.scalar(select(Council)).archived_at is not None
        assert sync(small_council()) == ["testshire: council restored"]


def test_a_council_whose_plugin_is_broken_is_left_as_it_was(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        sync_all(make_plugin_host({"raising": DictCouncil(small_council("raising"))}))
        report = sync_all(make_plugin_host({"raising": RaisingPlugin()}))
        assert report.lines == []
        assert report.skipped == [
            "raising: left unchanged because plugin 'raising' has errors"]
        assert db.session.scalar(select(Council)).archived_at is None
        assert len(rows(Priority)) == 2


def test_next_review_date_follows_the_plugin_until_a_review_is_recorded(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync(data)
        cycle = db.session.scalar(select(ReviewCycle))
        assert cycle.next_due == dt.date(2026, 4, 30)
        data["review_cycles"][0]["next_due"] = "2026-05-31"
        assert sync(data) == [
            "testshire: review cycle review-strategy updated (defined_next_due)"]
        assert cycle.next_due == dt.date(2026, 5, 31)
        db.session.add(Review(council_id=cycle.council_id, review_cycle_id=cycle.id,
                              done_on=dt.date(2026, 5, 1), outcome="Agreed",
                              recorded_by="Clerk"))
        cycle.next_due = dt.date(2027, 5, 1)
        db.session.commit()
        data["review_cycles"][0]["next_due"] = "2026-06-30"
        sync(data)
        assert cycle.next_due == dt.date(2027, 5, 1)
        assert cycle.defined_next_due == dt.date(2026, 6, 30)


def test_reordering_is_reported_as_order(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync(data)
        data["priorities"].reverse()
        assert sync(data) == ["testshire: priority priority-2 updated (order)",
                              "testshire: priority priority-1 updated (order)"]


def test_an_action_moved_to_another_pledge_keeps_its_row(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync(data)
        before = db.session.scalar(select(Action).where(Action.key == "action-1.2")).id
        moved = data["pledges"]["items"][0]["actions"].pop()
        data["pledges"]["items"][1]["actions"].append(moved)
        assert sync(data) == ["testshire: action action-1.2 updated (pledge_id)"]
        action = db.session.get(Action, before)
        assert action.pledge.key == "pledge-2"
