"""The audit log: every change made by someone is recorded, with before and after."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.audit import AuditEvent, acting_as, history_of
from core.extensions import db
from core.models import Council, Person


def events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_create_update_delete_are_recorded_with_values(app) -> None:
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        with acting_as(None, "clerk@example.org"):
            person = Person(council_id=council.id, name="A. Member")
            db.session.add(person)
            db.session.commit()
            person.name = "A. N. Member"
            db.session.commit()
            db.session.delete(person)
            db.session.commit()
        create, update, delete = events()
        assert (create.action, create.record_type, create.council_id) == (
            "create", "person", council.id)
        assert create.after["name"] == "A. Member" and create.before == {}
        assert (update.before, update.after) == ({"name": "A. Member"},
                                                 {"name": "A. N. Member"})
        assert delete.before["name"] == "A. N. Member" and delete.after == {}
        assert {e.actor for e in (create, update, delete)} == {"clerk@example.org"}
        assert [e.action for e in history_of("person", person.id, council.id)] == [
            "delete", "update", "create"]
        assert history_of("person", person.id, council.id + 1000) == []


def test_changes_with_no_actor_are_not_recorded(app) -> None:
    with app.app_context():
        council = db.session.scalar(select(Council))
        council.name = council.name + " (renamed by sync)"
        db.session.commit()
        assert events() == []


def test_secrets_and_noise_are_left_out(app) -> None:
    from core.auth.services import create_user

    with app.app_context(), acting_as(None, "cpt users"):
        create_user("a@example.org", "a long enough password", site_admin=True)
        [event] = [e for e in events() if e.record_type == "user_account"]
        assert "password_hash" not in event.after
        assert event.after["email"] == "a@example.org"
        assert isinstance(dt.datetime.fromisoformat(event.after["created_at"]), dt.datetime)
