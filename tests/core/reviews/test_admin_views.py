"""Recording a review in the admin sets the next due date and is audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from core.models import Review, ReviewCycle
from tests.conftest import csrf_token, sign_in

URL = "/admin/isle_of_wight/reviews/protocol-review"


def post_review(client, day: str, month: str, year: str, outcome: str):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    return client.post(URL, data={"csrf_token": token, "done_on": [day, month, year],
                                  "outcome": outcome})


def test_the_overdue_protocol_review_is_on_the_admin_home(app, admin_client) -> None:
    page = admin_client.get("/admin/isle_of_wight/").get_data(as_text=True)
    assert "Overdue" in page
    assert 'href="/admin/isle_of_wight/reviews/protocol-review"' in page


def test_recording_a_review_sets_the_next_due_date_from_the_cycle(app, admin_client) -> None:
    response = post_review(admin_client, "14", "10", "2026", "Protocol reviewed; no changes.")
    assert response.status_code == 302
    page = admin_client.get(URL).get_data(as_text=True)
    assert "Review recorded." in page
    assert "14 October 2026" in page and "Protocol reviewed; no changes." in page
    assert "14 October 2028" in page  # every 24 months
    with app.app_context():
        cycle = db.session.scalar(select(ReviewCycle).where(ReviewCycle.key == "protocol-review"))
        assert cycle.next_due == dt.date(2028, 10, 14)
    home = admin_client.get("/admin/isle_of_wight/").get_data(as_text=True)
    assert "protocol-review" not in home  # no longer due


def test_the_change_is_audited_and_shown_on_the_record(app, admin_client) -> None:
    post_review(admin_client, "14", "10", "2026", "Reviewed.")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert {(e.record_type, e.action) for e in events} == {("review", "create"),
                                                               ("review_cycle", "update")}
        update = next(e for e in events if e.record_type == "review_cycle")
        assert update.actor == "site_admin.all@example.org"
        assert update.before == {"next_due": "2025-09-30"}
        assert update.after == {"next_due": "2028-10-14"}
    page = admin_client.get(URL).get_data(as_text=True)
    assert "History of changes" in page and "2025-09-30 → 2028-10-14" in page


def test_bad_input_names_the_field_and_keeps_what_was_typed(app, admin_client) -> None:
    response = post_review(admin_client, "31", "2", "2026", "Kept text")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Date of the review must be a real date, like 27 3 2026" in page
    assert 'href="#done_on"' in page
    assert "Kept text" in page and 'value="31"' in page
    future = post_review(admin_client, "1", "1", "2099", "x").get_data(as_text=True)
    assert "Date of the review must be today or in the past" in future
    with app.app_context():
        assert db.session.scalar(select(Review)) is None


def test_a_viewer_sees_the_cycle_but_no_form(app, make_user) -> None:
    client = app.test_client()
    _, email = make_user("viewer", "isle_of_wight")
    sign_in(client, email)
    page = client.get(URL).get_data(as_text=True)
    assert "Record a review" not in page
    assert post_review(client, "1", "1", "2026", "x").status_code == 403
