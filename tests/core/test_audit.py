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


def test_words_kept_from_other_rows_are_logged_where_they_are_written(app) -> None:
    """Posting an update logs the update with its note, and the action's new status, but not
    the note and author the action keeps of it; a meeting's kept agenda is not logged with
    the meeting either."""
    from core.meetings.models import Meeting
    from core.models import Action, Panel
    from core.pledges.models import ActionStatus
    from core.pledges.progress import post_update

    with app.app_context():
        action = db.session.scalar(select(Action).order_by(Action.id))
        panel = db.session.scalar(select(Panel).order_by(Panel.id))
        with acting_as(None, "clerk@example.org"):
            post_update(action, reported_on=dt.date(2026, 11, 3), status=ActionStatus.AT_RISK,
                        note="Short of health input.", author="Clerk")
            db.session.add(Meeting(council_id=panel.council_id, panel_id=panel.id,
                                   starts_at=dt.datetime(2031, 3, 4, 10, tzinfo=dt.UTC)))
            db.session.commit()
        logged = {event.record_type: event for event in events()}
        assert logged["progress_update"].after["note"] == "Short of health input."
        assert logged["action"].after == {"status": "at_risk", "status_on": "2026-11-03"}
        assert "agenda_json" not in logged["meeting"].after
