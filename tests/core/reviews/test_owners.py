"""A council administrator gives a review cycle its owners, as action owners are given;
every change is audited, and ``cpt sync`` leaves them alone."""

from __future__ import annotations

import html

from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from core.models import ReviewCycle, ReviewOwner
from core.plugins import plugin_host
from core.sync import sync_all
from tests.conftest import csrf_token, sign_in

SLUG = "isle_of_wight"
URL = f"/admin/{SLUG}/reviews/protocol-review"


def _signed_in(app, make_user, role: str, email: str | None = None):
    client = app.test_client()
    _, address = make_user(role, SLUG, email=email)
    assert sign_in(client, address).status_code == 302
    return client


def test_a_council_admin_adds_and_removes_an_owner(app, make_user) -> None:
    owner_id, _ = make_user("contributor", SLUG, email="reviewer@wight.example")
    client = _signed_in(app, make_user, "council_admin")
    page = client.get(URL).get_data(as_text=True)
    assert "No owner yet: reminders of this review go to the clerks" in page
    response = client.post(f"{URL}/owners", data={"csrf_token": csrf_token(page),
                                                  "user": str(owner_id)})
    assert response.status_code == 302
    page = html.unescape(client.get(URL).get_data(as_text=True))
    assert "Owner added." in page and "reviewer" in page
    again = client.post(f"{URL}/owners", data={"csrf_token": csrf_token(page),
                                               "user": str(owner_id)})
    assert again.status_code == 400
    assert "They already own this review." in html.unescape(again.get_data(as_text=True))
    with app.app_context():
        cycle_id = db.session.scalar(select(ReviewCycle.id).where(
            ReviewCycle.key == "protocol-review"))
        sync_all(plugin_host(app))  # a sync keeps the owners
        assert [o.user_id for o in db.session.scalars(select(ReviewOwner))] == [owner_id]
    response = client.post(f"{URL}/owners/{owner_id}/remove",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(ReviewOwner)).all() == []
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.record_type == "review_owner").order_by(AuditEvent.id)).all()
        assert [e.action for e in events] == ["create", "delete"]
        assert events[0].after["review_cycle_id"] == cycle_id
        assert events[0].actor == "council_admin.isle_of_wight@example.org"


def test_no_choice_or_someone_from_elsewhere_is_a_field_error(app, make_user) -> None:
    stranger, _ = make_user("contributor", "herefordshire", email="stranger@here.example")
    client = _signed_in(app, make_user, "council_admin")
    token = csrf_token(client.get(URL).get_data(as_text=True))
    empty = client.post(f"{URL}/owners", data={"csrf_token": token})
    assert empty.status_code == 400
    page = html.unescape(empty.get_data(as_text=True))
    assert "There is a problem" in page and 'href="#user"' in page
    assert "Choose a person" in page
    foreign = client.post(f"{URL}/owners", data={"csrf_token": token, "user": str(stranger)})
    assert foreign.status_code == 400


def test_a_panel_admin_sees_the_owners_but_may_not_change_them(app, make_user) -> None:
    client = _signed_in(app, make_user, "panel_admin")
    page = client.get(URL).get_data(as_text=True)
    assert "Owners" in page and "Add an owner" not in page
    token = csrf_token(page)
    assert client.post(f"{URL}/owners", data={"csrf_token": token, "user": "1"}
                       ).status_code == 403
