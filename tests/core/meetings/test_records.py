"""Published meetings, through the real forms as a clerk: minutes from draft to published
and corrected, declarations, papers, agenda items edited and removed, and the forward work
programme; what the public sees of each."""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile

import pytest
from sqlalchemy import select

from core.extensions import db
from core.forms import FieldError
from core.meetings.papers import read_upload
from core.meetings.record_models import MinutesRevision, Paper, PlannedItem
from core.meetings.services import local_start
from core.models import AuditEvent, Meeting
from tests.conftest import SMALL_PDF, csrf_token
from tests.core.growth import grow, main, plain
from tests.core.meetings.test_admin_views import (
    BASE,
    PANEL,
    SLUG,
    meeting_ids,
    members,  # noqa: F401  (a fixture)
    schedule_three,
    signed_in,
    value_of,
)

PUBLIC = f"/{SLUG}/meetings"


def public_text(app, path: str) -> str:
    """The main part of a public page as plain text, as the public gets it."""
    body = app.test_client().get(path).get_data(as_text=True)
    return html.unescape(plain(main(body))).replace(" :", ":")


def _attend(client, url: str, seats: dict[str, int]) -> None:
    page = client.get(f"{url}/attendance").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "recorded": value_of(page, "recorded")}
    for name, status in [("Cllr Ann Chair", "present"), ("Jo", "present"),
                         ("Dee Director", "apologies"), ("Nia Nurse", "substitute")]:
        data[f"status_{seats[name]}"] = status
    data[f"substitute_name_{seats['Nia Nurse']}"] = "Sam Stand-in"
    assert client.post(f"{url}/attendance", data=data).status_code == 302


def _save_minutes(client, url: str, text: str, reason: str | None = None):
    page = client.get(f"{url}/minutes").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "minutes": text,
            "minutes_version": value_of(page, "minutes_version")}
    if reason is not None:
        data["minutes_reason"] = reason
    return client.post(f"{url}/minutes", data=data)


def _declare(client, url: str, person_id: int, kind: str = "pecuniary"):
    page = client.get(f"{url}/minutes").get_data(as_text=True)
    return client.post(f"{url}/declarations", data={
        "csrf_token": csrf_token(page), "declaration_person": str(person_id),
        "declaration_kind": kind, "declaration_nature": "Is paid by a fostering agency"})


def _person_of(app, name: str) -> int:
    from core.models import Person

    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.name == name))


def test_minutes_from_draft_to_published_and_corrected(app, make_user,
                                                       members) -> None:  # noqa: F811
    client = signed_in(app, make_user)
    schedule_three(client)
    first, second, _ = meeting_ids(app)
    url = f"{BASE}/{first}"
    _attend(client, url, members)
    assert _save_minutes(client, url, "The panel heard from Your Voice Matters.").status_code \
        == 302
    page = client.get(f"{url}/minutes").get_data(as_text=True)
    refused = client.post(f"{url}/declarations", data={
        "csrf_token": csrf_token(page), "declaration_nature": "Typed, kept"})
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert 'href="#declaration_person"' in body and 'href="#declaration_kind"' in body
    assert "Typed, kept" in body
    assert _declare(client, url, _person_of(app, "Cllr Ann Chair")).status_code == 302
    assert _declare(client, url, _person_of(app, "Jo"), "other").status_code == 302

    # a draft is never public
    public = client.application.test_client()
    text = public_text(app, f"{PUBLIC}/{first}")
    assert "The minutes of this meeting are not yet available." in text
    assert "Your Voice Matters." not in text

    # approving needs the meeting or the chair: every error at once, naming the field
    page = client.get(f"{url}/minutes").get_data(as_text=True)
    response = client.post(f"{url}/minutes/approve", data={
        "csrf_token": csrf_token(page), "approve_version": value_of(page, "approve_version"),
        "approved_how": "chair", "approved_by": "", "approved_on": ["", "", ""]})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'href="#approved_by"' in body and 'href="#approved_on"' in body

    # approved at the next meeting, held back, then published
    response = client.post(f"{url}/minutes/approve", data={
        "csrf_token": csrf_token(page), "approve_version": value_of(page, "approve_version"),
        "approved_how": "meeting", "approved_at_meeting": str(second)})
    assert response.status_code == 302
    assert "not yet available" in public.get(f"{PUBLIC}/{first}").get_data(as_text=True)
    page = client.get(f"{url}/minutes").get_data(as_text=True)
    assert client.post(f"{url}/minutes/publish", data={
        "csrf_token": csrf_token(page),
        "publish_version": value_of(page, "publish_version")}).status_code == 302

    text = public_text(app, f"{PUBLIC}/{first}")
    assert "The panel heard from Your Voice Matters." in text
    with app.app_context():
        start = local_start(db.session.get(Meeting, second))
    assert (f"Approved as a true record at the meeting of {start:%A} {start.day} "
            f"{start:%B %Y, %H:%M}.") in text
    assert "Cllr Ann Chair" in text and "Dee Director" in text
    assert "Sam Stand-in for Nia Nurse" in text
    assert "Jo" not in text.split()  # a young person: counted, never named
    assert "1 young person" in text
    assert "A young people's representative: Other interest." in text
    assert "Cllr Ann Chair: Disclosable pecuniary interest. Is paid by a fostering agency" \
        in text

    # a correction needs a reason, keeps the history, and the public page says so
    response = _save_minutes(client, url, "The panel heard from Your Voice Matters. Corrected.",
                             reason="")
    assert response.status_code == 400 and 'href="#minutes_reason"' in response.get_data(
        as_text=True)
    assert _save_minutes(client, url, "The panel heard from Your Voice Matters. Corrected.",
                         reason="A sentence was missing").status_code == 302
    text = public_text(app, f"{PUBLIC}/{first}")
    assert "Corrected." in text and "These minutes were corrected on" in text
    with app.app_context():
        history = db.session.scalars(select(MinutesRevision).order_by(MinutesRevision.id)).all()
        assert [(r.state, r.reason) for r in history] == [
            ("approved", None), ("published", "A sentence was missing")]
        assert history[0].text == "The panel heard from Your Voice Matters."
        assert db.session.scalar(select(AuditEvent.id).where(
            AuditEvent.record_type == "minutes_revision").limit(1))
    page = plain(client.get(f"{url}/minutes").get_data(as_text=True))
    assert "Correction: A sentence was missing" in page
    history = plain(client.get(f"{url}/history").get_data(as_text=True))
    assert "Declaration of interest" in history and "Minutes approved or corrected" in history


def _pdf_upload(client, item_url: str, *, name: str = "report.pdf", data: bytes = SMALL_PDF,
                access: str = "public", exemption: str = ""):
    page = client.get(item_url).get_data(as_text=True)
    return client.post(f"{item_url}/papers", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page), "paper_title": "Sufficiency report",
        "paper_file": (io.BytesIO(data), name), "paper_access": access,
        "paper_exemption": exemption})


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_papers_checked_by_content_and_exempt_ones_never_public(app, make_user) -> None:
    client = signed_in(app, make_user)
    schedule_three(client)
    meeting = meeting_ids(app)[0]
    url = f"{BASE}/{meeting}"
    with app.app_context():
        item = db.session.get(Meeting, meeting).agenda[0].id
    item_url = f"{url}/agenda/{item}"

    # refused: a renamed file, an unknown type, nothing chosen, exempt without a reason
    for kwargs, message in [
            ({"name": "report.pdf", "data": b"MZ not a pdf"}, "not a real PDF file"),
            ({"name": "report.docx", "data": SMALL_PDF}, "not a real Word file"),
            ({"name": "run.exe", "data": b"MZ"}, "must be a PDF, Word document"),
            ({"access": "exempt"}, "Choose why the paper is exempt")]:
        response = _pdf_upload(client, item_url, **kwargs)
        assert response.status_code == 400, kwargs
        body = response.get_data(as_text=True)
        assert message in body and "Sufficiency report" in body  # what was typed is kept
    app.config["PAPER_MAX_MB"] = 1
    with app.app_context(), pytest.raises(FieldError) as refused:
        read_upload(io.BytesIO(SMALL_PDF + b" " * (1024 * 1024)), "big.pdf")
    assert (refused.value.field, str(refused.value)) == (
        "paper_file", "The selected file must be smaller than 1 MB")
    app.config["PAPER_MAX_MB"] = 20

    assert _pdf_upload(client, item_url).status_code == 302
    budget = _docx()
    assert _pdf_upload(client, item_url, name="budget.docx", data=budget, access="exempt",
                       exemption="para-3").status_code == 302
    with app.app_context():
        public, exempt = db.session.scalars(select(Paper).order_by(Paper.id)).all()
        assert public.stored_name != "report.pdf" and public.stored_name.endswith(".pdf")
        assert app.config["PAPERS_PATH"] not in ("", None)
        public_id, exempt_id = public.id, exempt.id

    anonymous = app.test_client()
    page = anonymous.get(f"{PUBLIC}/{meeting}").get_data(as_text=True)
    assert f"{PUBLIC}/{meeting}/papers/{public_id}" in page
    assert "budget" not in page and f"papers/{exempt_id}" not in page
    download = anonymous.get(f"{PUBLIC}/{meeting}/papers/{public_id}")
    assert download.status_code == 200 and download.data == SMALL_PDF
    assert 'filename=report.pdf' in download.headers["Content-Disposition"]
    assert anonymous.get(f"{PUBLIC}/{meeting}/papers/{exempt_id}").status_code == 404
    assert anonymous.get(f"{url}/papers/{exempt_id}").status_code == 302  # to sign in
    staff = client.get(f"{url}/papers/{exempt_id}")
    assert staff.status_code == 200 and staff.data == budget
    assert "Paragraph 3: financial or business affairs" in client.get(item_url).get_data(
        as_text=True)


def test_items_edited_and_removed_only_after_confirmation(app, make_user) -> None:
    client = signed_in(app, make_user)
    schedule_three(client)
    meeting = meeting_ids(app)[0]
    url = f"{BASE}/{meeting}"
    page = client.get(url).get_data(as_text=True)
    client.post(f"{url}/agenda", data={"csrf_token": csrf_token(page),
                                       "item_title": "Sufficiency strategy"})
    with app.app_context():
        item = next(i for i in db.session.get(Meeting, meeting).agenda if i.added).id
    item_url = f"{url}/agenda/{item}"
    page = client.get(item_url).get_data(as_text=True)
    response = client.post(item_url, data={
        "csrf_token": csrf_token(page), "item_version": value_of(page, "item_version"),
        "item_title": "", "item_duration": "many", "item_presenter": "Head of Service"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'href="#item_title"' in body and 'href="#item_duration"' in body
    assert "Head of Service" in body
    assert client.post(item_url, data={
        "csrf_token": csrf_token(page), "item_version": value_of(page, "item_version"),
        "item_title": "Sufficiency strategy 2026", "item_duration": "20",
        "item_presenter": "Head of Service",
        "item_decision": "The panel endorsed the strategy."}).status_code == 302
    text = plain(main(app.test_client().get(f"{PUBLIC}/{meeting}").get_data(as_text=True)))
    assert "Sufficiency strategy 2026" in text
    assert "Presented by Head of Service" in text and "20 minutes" in text
    # the same form again, from the older version: a conflict, nothing saved
    stale = client.post(item_url, data={
        "csrf_token": csrf_token(page), "item_version": value_of(page, "item_version"),
        "item_title": "Something else"})
    assert stale.status_code == 409

    assert _pdf_upload(client, item_url).status_code == 302
    confirm = client.get(f"{item_url}/remove").get_data(as_text=True)
    assert "Remove “Sufficiency strategy 2026” from the agenda?" in confirm
    assert "Its paper will be removed too." in confirm
    with app.app_context():
        assert db.session.get(Meeting, meeting).agenda[-1].id == item
    assert client.post(f"{item_url}/remove", data={
        "csrf_token": csrf_token(confirm), "confirm": "yes"}).status_code == 302
    with app.app_context():
        assert item not in [i.id for i in db.session.get(Meeting, meeting).agenda]
        assert db.session.scalar(select(Paper.id)) is None


def test_the_work_programme_is_planned_pulled_into_an_agenda_and_published(app, make_user
                                                                          ) -> None:
    client = signed_in(app, make_user)
    today = dt.date.today()
    url = f"{BASE}/panels/{PANEL}/work-programme"
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(page), "plan_title": "",
                                      "plan_month": "Smarch 2027"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#plan_title"' in body and 'href="#plan_month"' in body
    assert client.post(url, data={
        "csrf_token": csrf_token(page), "plan_title": "Annual report of the virtual school",
        "plan_brought_by": "Virtual School Head",
        "plan_month": f"{today.month} {today.year + 1}"}).status_code == 302
    panel_page = plain(main(app.test_client().get(f"/{SLUG}/panels/{PANEL}").get_data(
        as_text=True)))
    assert "Annual report of the virtual school Virtual School Head" in panel_page

    # a meeting next year, then the item pulled into its agenda
    meetings = f"{BASE}/panels/{PANEL}"
    page = client.get(meetings).get_data(as_text=True)
    client.post(meetings, data={"csrf_token": csrf_token(page),
                                "starts_on": ["10", "2", str(today.year + 1)],
                                "starts_time": "18:00"})
    meeting = meeting_ids(app)[-1]
    with app.app_context():
        planned = db.session.scalar(select(PlannedItem))
        planned_id = planned.id
    page = client.get(url).get_data(as_text=True)
    response = client.post(f"{url}/{planned_id}/schedule", data={
        "csrf_token": csrf_token(page), f"plan-{planned_id}-schedule_meeting": str(meeting),
        f"plan-{planned_id}-schedule_version": value_of(
            page, f"plan-{planned_id}-schedule_version")})
    assert response.status_code == 302
    with app.app_context():
        planned = db.session.get(PlannedItem, planned_id)
        assert planned.scheduled and planned.planned_meeting_id == meeting
        item = db.session.get(Meeting, meeting).agenda[-1]
        assert (item.title, item.presenter) == ("Annual report of the virtual school",
                                                "Virtual School Head")
    assert "Scheduled" in client.get(url).get_data(as_text=True)
    assert "On the agenda" in app.test_client().get(f"/{SLUG}/panels/{PANEL}").get_data(
        as_text=True)


def test_published_meeting_page_runs_the_same_queries_as_data_grows(
        app, make_user, members, count_queries) -> None:  # noqa: F811
    client = signed_in(app, make_user)
    schedule_three(client)
    first, second, _ = meeting_ids(app)
    url = f"{BASE}/{first}"
    _attend(client, url, members)
    _save_minutes(client, url, "Minutes.")
    _declare(client, url, _person_of(app, "Cllr Ann Chair"))
    page = client.get(f"{url}/minutes").get_data(as_text=True)
    client.post(f"{url}/minutes/approve", data={
        "csrf_token": csrf_token(page), "approve_version": value_of(page, "approve_version"),
        "approved_how": "meeting", "approved_at_meeting": str(second), "publish_now": "y"})
    public = app.test_client()
    app.config["PAGE_CACHE"] = False
    counts = []
    for factor in (0, 3, 9):
        if factor:
            grow(app, SLUG, factor)
            for _ in range(factor):
                _declare(client, url, _person_of(app, "Dee Director"))
        with count_queries() as counted:
            body = public.get(f"{PUBLIC}/{first}").get_data(as_text=True)
        assert "Minutes." in body
        counts.append(len(counted))
    assert counts[0] == counts[1] == counts[2], counts
