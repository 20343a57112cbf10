"""A meeting's public agenda page."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.meetings import services
from core.meetings.minutes import save_minutes
from core.meetings.models import ActionArisingStatus
from core.models import Council, Meeting, Panel
from tests.core.growth import main, page, plain, table_rows

SLUG, PANEL = "herefordshire", "corporate-parenting-panel"
EARLIER = dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 5, 6, 14, 30, tzinfo=dt.UTC)


def _schedule(app: Flask) -> tuple[int, int]:
    """Two meetings of Herefordshire's panel; the first agrees two actions, one of them
    closed at the second, which also gets an item added and minutes."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        earlier = services.schedule_meeting(council, panel, starts_at=EARLIER,
                                            location="Shire Hall")
        later = services.schedule_meeting(council, panel, starts_at=LATER, location=None)
        services.add_action(earlier, text="Bring the housing figures", owner="Head of Housing",
                            due=dt.date(2026, 5, 1))
        closed = services.add_action(earlier, text="Invite the youth council",
                                     owner="Participation Lead", due=None)
        services.set_action_status(later, closed, ActionArisingStatus.DONE, str(closed.version))
        services.add_agenda_item(later, title="Sufficiency strategy", description="For comment")
        save_minutes(later, "Private draft minutes.", str(later.version))
        return earlier.id, later.id


def test_meeting_page_shows_the_agenda_in_order_with_the_actions_carried(
        app: Flask, client: FlaskClient) -> None:
    _, later = _schedule(app)
    text = main(page(client, f"/{SLUG}/meetings/{later}"))
    assert "Wednesday 6 May 2026, 15:30" in text  # British Summer Time
    assert "Where Not set" in plain(text)
    agenda = plain(text[text.index('id="agenda"'):text.index('id="carried"')])
    with app.app_context():
        items = db.session.scalars(select(Meeting).where(Meeting.id == later)).one().agenda
        titles = [item.title for item in items]
    assert titles[-2:] == ["Actions arising from previous meetings", "Sufficiency strategy"]
    positions = [agenda.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "For comment" in agenda
    carried = plain(text[text.index('id="carried"'):])
    assert "Bring the housing figures Head of Housing 1 May 2026 Open" in carried
    assert "Invite the youth council Participation Lead No due date Done closed at this " \
        "meeting" in carried
    assert f'href="/{SLUG}/meetings/{later}.ics"' in text


def test_meeting_page_has_no_forms_minutes_or_attendance(app: Flask, client: FlaskClient
                                                         ) -> None:
    earlier, later = _schedule(app)
    text = page(client, f"/{SLUG}/meetings/{later}")
    assert "<form" not in main(text)
    assert "Private draft minutes." not in text
    assert "Attendance" not in text
    first = main(page(client, f"/{SLUG}/meetings/{earlier}"))
    assert "No action from an earlier meeting was open." in first


def test_meeting_of_another_council_is_a_404(app: Flask, client: FlaskClient) -> None:
    _, later = _schedule(app)
    assert client.get(f"/isle_of_wight/meetings/{later}").status_code == 404
    assert client.get(f"/{SLUG}/meetings/{later + 100}").status_code == 404


def test_an_open_action_past_its_due_date_is_marked_overdue(app: Flask, client: FlaskClient
                                                            ) -> None:
    earlier, later = _schedule(app)
    with app.app_context():
        services.add_action(db.session.get(Meeting, earlier), text="Report on sufficiency",
                            owner="Head of Service",
                            due=dt.date.today() + dt.timedelta(days=30))
    text = main(page(client, f"/{SLUG}/meetings/{later}"))
    rows = {row[0]: row for row in table_rows(text[text.index('id="carried"'):])}
    # due 1 May 2026 and still open: overdue (today is after it on this machine)
    assert dt.date.today() > dt.date(2026, 5, 1)
    assert rows["Bring the housing figures"][3] == "Open Overdue"
    assert re.search(r'<strong class="govuk-tag govuk-tag--red">\s*Overdue\s*</strong>', text)
    # not yet due, or done, or without a due date: not overdue
    assert rows["Report on sufficiency"][3] == "Open"
    assert "Overdue" not in rows["Invite the youth council"][3]
