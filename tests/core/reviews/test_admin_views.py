"""Recording a review in the admin sets the next due date and is audited."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from core.models import Review, ReviewCycle
from tests.conftest import csrf_token, sign_in

URL = "/admin/isle_of_wight/reviews/protocol-review"
PROTOCOL = ("Protocol between the Corporate Parenting Board and the Safeguarding Children "
            "Partnership (IOWSCP)")


def post_review(client, day: str, month: str, year: str, outcome: str,
                next_due: list[str] | None = None, url: str = URL):
    token = csrf_token(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "done_on": [day, month, year], "outcome": outcome}
    if next_due is not None:
        data["next_due"] = next_due
    return client.post(url, data=data)


def test_the_overdue_protocol_review_is_on_the_admin_home(app, admin_client) -> None:
    page = admin_client.get("/admin/isle_of_wight/").get_data(as_text=True)
    assert "Overdue" in page
    assert 'href="/admin/isle_of_wight/reviews/protocol-review"' in page


def test_recording_a_review_sets_the_next_due_date_from_the_cycle(app, admin_client) -> None:
    response = post_review(admin_client, "14", "10", "2026", "Protocol reviewed; no changes.")
    assert response.status_code == 302
    page = admin_client.get(URL).get_data(as_text=True)
    assert f"Review of {PROTOCOL} recorded." in html.unescape(page)
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


# --- an interval that reads two ways: the person recording sets the next due date ---------


def test_the_review_page_names_and_links_the_protocol_it_reviews(admin_client) -> None:
    page = html.unescape(admin_client.get(URL).get_data(as_text=True))
    assert f'<h1 class="govuk-heading-xl">{PROTOCOL}</h1>' in page
    assert (f'<a class="govuk-link" href="/isle_of_wight/partners#board-iowscp-protocol">'
            f"{PROTOCOL}</a>") in page
    assert "The implementation of this protocol" in page  # what the review covers
    assert f"Record a review of {PROTOCOL}" in page
    listing = html.unescape(admin_client.get("/admin/isle_of_wight/reviews").get_data(
        as_text=True))
    assert PROTOCOL in listing
    public = html.unescape(admin_client.get("/isle_of_wight/reviews").get_data(as_text=True))
    assert f'href="/isle_of_wight/partners#board-iowscp-protocol">{PROTOCOL}</a>' in public


def test_a_cycle_without_a_protocol_is_named_by_its_subject(admin_client) -> None:
    page = html.unescape(admin_client.get("/admin/isle_of_wight/reviews/pledge-review")
                         .get_data(as_text=True))
    assert '<h1 class="govuk-heading-xl">Children in care/care leavers Pledge</h1>' in page
    assert 'name="next_due"' not in page  # "annually" settles it


def test_bi_annually_lets_the_person_recording_set_the_next_due_date(app, admin_client
                                                                    ) -> None:
    page = html.unescape(admin_client.get(URL).get_data(as_text=True))
    assert "The published interval, “bi-annually”, can be read two ways" in page
    assert 'name="next_due"' in page
    due = dt.date.today() + dt.timedelta(days=200)
    response = post_review(admin_client, "1", "10", "2026", "Reviewed with the partnership.",
                           next_due=[str(due.day), str(due.month), str(due.year)])
    assert response.status_code == 302
    with app.app_context():
        cycle = db.session.scalar(select(ReviewCycle).where(ReviewCycle.key == "protocol-review"))
        assert cycle.next_due == due
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.record_type == "review_cycle")).one()
        assert event.after == {"next_due": due.isoformat()}


@pytest.mark.parametrize(("next_due", "message"), [
    (["1", "1", "1899"], "Next review due (optional) must be between 1900 and 2100"),
    (["1", "1", "2101"], "Next review due (optional) must be between 1900 and 2100"),
    (["1", "1", "2026"], "Next review due (optional) must be today or in the future"),
    (["31", "2", "2027"], "Next review due (optional) must be a real date, like 27 3 2026"),
    (["", "3", "2027"], "Next review due (optional) must be a real date, like 27 3 2026"),
])
def test_a_next_due_date_that_cannot_be_right_is_a_field_error(app, admin_client, next_due,
                                                               message) -> None:
    response = post_review(admin_client, "1", "10", "2026", "Reviewed.", next_due=next_due)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert message in page and 'href="#next_due"' in page
    assert 'class="govuk-error-message"' in page
    with app.app_context():
        assert db.session.scalar(select(Review)) is None


def test_a_date_of_the_review_before_1900_is_refused(admin_client) -> None:
    response = post_review(admin_client, "1", "1", "1850", "Reviewed.")
    assert response.status_code == 400
    assert "Date of the review must be between 1900 and 2100" in response.get_data(as_text=True)


def test_blank_keeps_the_plugins_reading_of_the_interval(app, admin_client) -> None:
    response = post_review(admin_client, "1", "10", "2026", "Reviewed.", next_due=["", "", ""])
    assert response.status_code == 302
    with app.app_context():
        cycle = db.session.scalar(select(ReviewCycle).where(ReviewCycle.key == "protocol-review"))
        assert cycle.next_due == dt.date(2028, 10, 1)


def test_a_cycle_with_a_plain_interval_does_not_take_a_next_due_date(app, admin_client
                                                                    ) -> None:
    url = "/admin/isle_of_wight/reviews/pledge-review"
    response = post_review(admin_client, "1", "10", "2026", "Reviewed.",
                           next_due=["1", "1", "2030"], url=url)
    assert response.status_code == 302  # the field is not on its form: ignored
    with app.app_context():
        cycle = db.session.scalar(select(ReviewCycle).where(ReviewCycle.key == "pledge-review"))
        assert cycle.next_due == dt.date(2027, 10, 1)
