"""`cpt sync`: definitions into the database by stable keys."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.app import plugin_host
from core.extensions import db
from core.modelbase import ORIGIN_LOCAL
from core.models import (
    Action,
    Council,
    Pledge,
    ProgressUpdate,
    Review,
    ReviewCycle,
    Seat,
)
from core.plugins import make_plugin_host
from core.sync import sync_all, sync_if_changed
from core.sync_state import SyncState
from tests.core.database import database_rows
from tests.core.fakes import DictCouncil, RaisingPlugin, small_council


def sync(data: dict, **options: bool) -> list[str]:
    """Sync a host holding one council defined by ``data``; return the report's lines."""
    return sync_all(make_plugin_host({"testshire": DictCouncil(data)}), **options).lines


def rows(model) -> list:
    return list(db.session.scalars(select(model).order_by(model.id)))


def test_reference_councils_sync_then_a_second_run_changes_nothing(make_app) -> None:
    app = make_app(sync=False)
    with app.app_context():
        first = sync_all(plugin_host(app))
        assert first.counts["added"] == 120  # 7 of them indicators
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


def test_a_removed_item_is_archived_never_deleted_and_comes_back_with_its_id(make_app
                                                                           ) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync(data)
        action = db.session.scalar(select(Action).where(Action.key == "action-2.1"))
        db.session.add(ProgressUpdate(council_id=action.council_id, action_id=action.id,
                                      reported_on=dt.date(2026, 1, 5), status="on_track",
                                      author="A. Officer"))
        db.session.commit()
        ids = {row.key: row.id for row in [*rows(Pledge), *rows(Action)]}
        removed = data["pledges"]["items"].pop()
        assert sync(data, allow_removals=True) == [
            "testshire: action action-2.1 archived (no longer defined)",
            "testshire: pledge pledge-2 archived (no longer defined)",
        ]
        assert db.session.get(Action, ids["action-2.1"]).archived
        assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 1
        assert sync(data) == []  # archived rows stay archived, quietly
        data["pledges"]["items"].append(removed)
        assert sync(data) == ["testshire: pledge pledge-2 restored",
                              "testshire: action action-2.1 restored"]
        assert {row.key: row.id for row in [*rows(Pledge), *rows(Action)]} == ids
        assert not db.session.get(Pledge, ids["pledge-2"]).archived


def test_a_sync_removing_much_stops_and_says_what_it_would_archive(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync(data)
        before = database_rows()
        panels = data.pop("panels")
        report = sync_all(make_plugin_host({"testshire": DictCouncil(data)}))
        assert not report.ok and report.lines == []
        assert report.held == {"testshire": [
            "testshire: held back, the sync would archive every panel, every seat, every "
            "standing item:",
            "testshire: panel panel would be archived",
            "testshire: seat chair would be archived",
            "testshire: seat young-people would be archived",
            "testshire: standing item voice would be archived"]}
        assert database_rows() == before
        ids = {row.key: row.id for row in rows(Seat)}
        assert "testshire: panel panel archived (no longer defined)" in sync(
            data, allow_removals=True)
        data["panels"] = panels
        sync(data)
        assert {row.key: row.id for row in rows(Seat) if not row.archived} == ids


def test_removing_a_small_share_needs_no_permission(make_app) -> None:
    app = make_app(sync=False)
    with app.app_context():
        sync_all(plugin_host(app))
        bracknell = make_plugin_host().definitions["bracknell_forest"]
        bracknell.pledges.items[0].actions.pop()
        host = plugin_host(app)
        host.definitions["bracknell_forest"] = bracknell
        report = sync_all(host)
        assert report.ok
        assert report.lines == ["bracknell_forest: action action-1.6 archived (no longer "
                                "defined)"]


def test_a_dry_run_prints_the_changes_and_makes_none(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync(data)
        before = database_rows()
        data["priorities"][0]["title"] = "Be safe and settled"
        report = sync_all(make_plugin_host({"testshire": DictCouncil(data)}), dry_run=True)
        assert report.lines == ["testshire: priority priority-1 updated (title)"]
        assert report.summary() == "Dry run, nothing written. Would have made: 1 updated."
        assert database_rows() == before


def test_a_sync_with_nothing_to_do_changes_no_row_not_even_a_revision(make_app) -> None:
    app = make_app(sync=False)
    with app.app_context():
        sync_all(plugin_host(app))
        before = database_rows()
        assert sync_all(plugin_host(app)).lines == []
        assert database_rows() == before


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


def test_a_council_whose_plugin_is_uninstalled_is_archived_when_allowed(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        sync(small_council())
        report = sync_all(make_plugin_host({}))
        assert report.held == {"testshire": [
            "testshire: held back, the sync would archive the council (plugin 'testshire' is "
            "not installed)"]}
        assert db.session.scalar(select(Council)).archived_at is None
        report = sync_all(make_plugin_host({}), allow_removals=True)
        assert report.lines == [
            "testshire: council archived (plugin 'testshire' is not installed)"]
        assert db.session.scalar(select(Council)).archived_at is not None
        assert sync(small_council()) == ["testshire: council restored"]


def test_a_council_whose_plugin_is_broken_is_left_as_it_was(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        sync_all(make_plugin_host({"raising": DictCouncil(small_council("raising"))}))
        before = database_rows()
        report = sync_all(make_plugin_host({"raising": RaisingPlugin()}))
        assert report.lines == [] and not report.ok
        [skipped] = report.skipped
        assert skipped.startswith(
            "raising: left unchanged, its definitions could not be loaded: plugin 'raising', "
            "hook strategy_for_council: raised RuntimeError: the data server is down")
        assert database_rows() == before


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


# --- skipping a sync whose plugins have not changed -----------------------------------------


def host_of(**councils: dict) -> object:
    """A host with one :class:`DictCouncil` per keyword: its slug and its data."""
    return make_plugin_host({slug: DictCouncil(data) for slug, data in councils.items()})


def recorded() -> str | None:
    """The fingerprint the last complete sync recorded, if any."""
    return db.session.scalar(select(SyncState.fingerprint))


def test_unchanged_plugins_are_not_synced_again_and_any_change_is(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        first = sync_if_changed(host_of(testshire=data))
        assert first is not None and first.ok and first.counts["added"] == 14
        assert sync_if_changed(host_of(testshire=data)) is None
        data["priorities"][0]["title"] = "Be safe and well"
        changed = sync_if_changed(host_of(testshire=data))
        assert changed is not None
        assert changed.lines == ["testshire: priority priority-1 updated (title)"]
        assert sync_if_changed(host_of(testshire=data)) is None
        other = small_council("otherton")
        with_new_council = sync_if_changed(host_of(testshire=data, otherton=other))
        assert with_new_council is not None
        assert "otherton: council added" in with_new_council.lines
        forced = sync_if_changed(host_of(testshire=data, otherton=other), force=True)
        assert forced is not None and forced.lines == []
        assert sync_if_changed(host_of(testshire=data)) is not None  # otherton uninstalled


def test_a_refused_plugin_records_no_fingerprint_and_is_never_skipped(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        working = {"testshire": DictCouncil(small_council()),
                   "raising": DictCouncil(small_council("raising"))}
        assert sync_if_changed(make_plugin_host(working)).ok
        assert recorded() is not None
        broken = {**working, "raising": RaisingPlugin()}
        for _ in range(2):
            report = sync_if_changed(make_plugin_host(broken))
            assert report is not None and not report.ok and report.skipped
            assert recorded() is None
        assert sync_if_changed(make_plugin_host(working)) is not None
        assert recorded() is not None


def test_a_held_back_sync_records_no_fingerprint_and_is_never_skipped(make_app) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        before = {"testshire": small_council(), "otherton": small_council("otherton")}
        assert sync_if_changed(host_of(**before)).ok
        after = {"testshire": small_council(), "otherton": small_council("otherton")}
        after["testshire"].pop("panels")  # held back: it would archive every panel
        after["otherton"]["priorities"][0]["title"] = "Be safe and well"  # synced
        for _ in range(2):
            report = sync_if_changed(host_of(**after))
            assert report is not None and list(report.held) == ["testshire"]
            assert recorded() is None
        # Going back to the definitions of the last complete sync is not skipped either:
        # otherton's change must be undone.
        undone = sync_if_changed(host_of(**before))
        assert undone is not None
        assert undone.lines == ["otherton: priority priority-1 updated (title)"]
        assert sync_if_changed(host_of(**before)) is None


def test_a_dry_run_or_a_forced_sync_with_nothing_to_do_writes_no_fingerprint(make_app
                                                                             ) -> None:
    app = make_app({}, sync=False)
    with app.app_context():
        data = small_council()
        sync_if_changed(host_of(testshire=data))
        before = db.session.execute(select(SyncState.fingerprint, SyncState.synced_at)).one()
        assert sync_if_changed(host_of(testshire=data), force=True).lines == []
        changed = {**data, "priorities": [{**data["priorities"][0], "title": "Be safe and well"},
                                          data["priorities"][1]]}
        assert sync_all(host_of(testshire=changed), dry_run=True).lines
        db.session.expire_all()
        assert db.session.execute(
            select(SyncState.fingerprint, SyncState.synced_at)).one() == before
