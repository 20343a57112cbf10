"""A council's revision changes, in the same transaction, with any of its rows."""

from __future__ import annotations

import dataclasses
import datetime as dt

from flask import Flask
from sqlalchemy import delete, insert, select

from core.app import plugin_host
from core.councils.models import DEMO_PLUGIN, Directory
from core.extensions import db
from core.models import Action, Council, Priority
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update
from core.revisions import touch_directory
from core.sync import sync_all


def directory() -> str:
    db.session.expire_all()
    return db.session.scalars(select(Directory.revision)).one()


def revisions() -> dict[str, str]:
    db.session.expire_all()
    return dict(db.session.execute(select(Council.slug, Council.revision)).all())


def test_a_change_gives_only_its_council_a_new_revision(app: Flask) -> None:
    with app.app_context():
        before = revisions()
        assert len(set(before.values())) == len(before)
        action = db.session.scalar(select(Action).join(Council).where(
            Council.slug == "bracknell_forest").limit(1))
        post_update(action, reported_on=dt.date(2026, 11, 1), status=ActionStatus.AT_RISK,
                    note="Slipping", author="Officer")
        after = revisions()
        assert after["bracknell_forest"] != before["bracknell_forest"]
        assert {k: v for k, v in after.items() if k != "bracknell_forest"} == {
            k: v for k, v in before.items() if k != "bracknell_forest"}


def test_deleting_a_row_and_changing_the_council_give_new_revisions(app: Flask) -> None:
    with app.app_context():
        before = revisions()
        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        council.colour = "#000000"
        db.session.commit()
        changed = revisions()
        assert changed["herefordshire"] != before["herefordshire"]
        priority = db.session.scalar(select(Priority).join(Council).where(
            Council.slug == "isle_of_wight").limit(1))
        db.session.delete(priority)
        db.session.commit()
        assert revisions()["isle_of_wight"] != changed["isle_of_wight"]


def test_a_rolled_back_change_keeps_the_revision(app: Flask) -> None:
    with app.app_context():
        before = revisions()
        action = db.session.scalar(select(Action).limit(1))
        action.wording = "Changed"
        db.session.flush()
        db.session.rollback()
        assert revisions() == before


def test_reading_pages_keeps_every_revision(app: Flask) -> None:
    with app.app_context():
        before = revisions()
    client = app.test_client()
    for url in ("/bracknell_forest/", "/bracknell_forest/pledges/pledge-1", "/admin/"):
        client.get(url)
    with app.app_context():
        assert revisions() == before


def test_a_sync_changes_a_revision_only_where_rows_change(app: Flask) -> None:
    """A sync with nothing to do keeps every page cached; one that changes a council's rows
    renders that council's pages afresh, and no other's."""
    with app.app_context():
        before = revisions()
        sync_all(plugin_host(app))
        assert revisions() == before
        host = plugin_host(app)
        definition = host.definitions["herefordshire"]
        host.definitions["herefordshire"] = dataclasses.replace(
            definition, vocabulary=dataclasses.replace(definition.vocabulary, panel="board"))
        sync_all(host)
        after = revisions()
        assert after["herefordshire"] != before["herefordshire"]
        assert {slug: after[slug] for slug in after if slug != "herefordshire"} == {
            slug: before[slug] for slug in before if slug != "herefordshire"}


def test_the_list_of_councils_changes_only_with_a_council_s_own_row(app: Flask) -> None:
    with app.app_context():
        first = directory()
        action = db.session.scalar(select(Action).limit(1))
        post_update(action, reported_on=dt.date(2026, 11, 1), status=ActionStatus.AT_RISK,
                    note="Slipping", author="Officer")
        priority = db.session.scalar(select(Priority).limit(1))
        db.session.delete(priority)
        db.session.commit()
        assert directory() == first  # other rows, which no listing shows
        sync_all(plugin_host(app))
        assert directory() == first  # a sync putting back the priority, no council changed

        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        council.name = "Herefordshire"
        db.session.commit()
        renamed = directory()
        assert renamed != first

        db.session.add(Council(slug="new", name="New", plugin=DEMO_PLUGIN))
        db.session.commit()
        added = directory()
        assert added != renamed

        council = db.session.scalar(select(Council).where(Council.slug == "new"))
        council.name = "Renamed"
        db.session.flush()
        db.session.rollback()
        assert directory() == added  # rolled back

        db.session.delete(db.session.scalar(select(Council).where(Council.slug == "new")))
        db.session.commit()
        assert directory() != added


def test_a_core_writer_of_councils_touches_the_list(app: Flask) -> None:
    with app.app_context():
        first = directory()
        connection = db.session.connection()
        connection.execute(insert(Council).values(slug="core", name="Core", plugin=DEMO_PLUGIN))
        touch_directory(connection)
        db.session.commit()
        added = directory()
        assert added != first
        connection = db.session.connection()
        connection.execute(delete(Council).where(Council.slug == "core"))
        touch_directory(connection)
        db.session.commit()
        assert directory() not in (first, added)
