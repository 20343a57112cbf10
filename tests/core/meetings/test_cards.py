"""Actions arising as Python writes their cards on the admin's meeting page: the status
radios and button as the form's widgets draw them, the council's data escaped, and a form
just posted drawn back with its error or after someone else's change."""

from __future__ import annotations

import datetime as dt
import html
import re
from types import SimpleNamespace

import pytest
from flask import Flask, g
from sqlalchemy import select

from core.extensions import db
from core.meetings.cards import (
    SUBMIT_PARAMS,
    arising_cards,
    arising_status,
    arising_words,
    radio_params,
    status_params,
    submit_button,
)
from core.meetings.forms import ActionStatusForm
from core.meetings.models import ActionArising
from core.widgets import kept_component
from tests.conftest import csrf_token
from tests.core.growth import main, page
from tests.core.meetings import test_admin_views as meetings_admin
from tests.core.meetings.test_admin_views import BASE, meeting_ids, schedule_three, signed_in

#: Four members of Herefordshire's panel (the fixture of the meetings admin tests).
members = meetings_admin.members
TODAY = dt.date(2026, 3, 10)


def _bare(markup: object) -> str:
    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", re.sub(r"\s+", " ", str(markup))))


@pytest.mark.parametrize("status", ["open", "done", "dropped"])
def test_the_radios_and_button_are_what_the_forms_widgets_draw(app: Flask, status: str
                                                               ) -> None:
    with app.test_request_context("/"):
        form = ActionStatusForm(formdata=None, prefix="action-42",
                                data={"status": status, "version": "3"})
        words = arising_words()
        assert _bare(kept_component("radios", "govukRadios", status_params(42, status, words))
                     ) == _bare(form.status(params=radio_params(words)))
        assert _bare(submit_button(42, words)) == _bare(form.submit(params=SUBMIT_PARAMS))


def _action(**changes: object) -> SimpleNamespace:
    values: dict[str, object] = dict(
        id=7, text="Report <soon> & well", owner="Head of <Service>", due=dt.date(2026, 3, 1),
        status="open", version=2, meeting_id=3, closed_at_meeting_id=None,
        closed_at=None, raised_at=dt.datetime(2026, 1, 5, 18),
        is_open=True, overdue_on=lambda day: day > dt.date(2026, 3, 1))
    values.update(changes)
    return SimpleNamespace(**values)


def test_a_card_escapes_the_councils_data_and_shows_where_the_action_stands(
        app: Flask) -> None:
    with app.test_request_context("/admin/herefordshire/meetings/5"):
        g.council = SimpleNamespace(slug="herefordshire", locale="en_GB")
        g.council_slug, g.council_locale = "herefordshire", "en_GB"
        card = str(arising_cards([_action()], meeting_id=5, carried=True, today=TODAY,
                                 can_manage=True))
        overdue = str(arising_status(_action(), TODAY))
        closed_here = str(arising_cards([_action(status="done", is_open=False,
                                                 closed_at_meeting_id=5,
                                                 overdue_on=lambda day: False)],
                                        meeting_id=5, carried=False, today=TODAY,
                                        can_manage=False))
    assert '<h3 class="govuk-summary-card__title">Report &lt;soon&gt; &amp; well</h3>' in card
    assert "Head of &lt;Service&gt;" in card and "<Service>" not in card
    assert ('<a class="govuk-link" href="/admin/herefordshire/meetings/3">'
            "Monday 5 January 2026, 18:00</a>") in card
    assert overdue == ('<strong class="govuk-tag govuk-tag--yellow">Open</strong> '
                       '<strong class="govuk-tag govuk-tag--red">Overdue</strong>')
    assert 'action="/admin/herefordshire/meetings/5/actions/7"' in card
    assert 'name="action-7-version" type="hidden" value="2"' in card
    assert "(Report &lt;soon&gt; &amp; well)</span>" in card
    assert ('<strong class="govuk-tag govuk-tag--green">Done</strong> closed at this meeting'
            in closed_here)
    assert "<form" not in closed_here and "Agreed at" not in closed_here


def test_a_status_posted_without_a_choice_comes_back_with_its_error(app, make_user,
                                                                   members) -> None:
    client = signed_in(app, make_user)
    schedule_three(client)
    url = f"{BASE}/{meeting_ids(app)[0]}"
    for text in ("Report on placements", "Invite care leavers"):
        client.post(f"{url}/actions", data={
            "csrf_token": csrf_token(page(client, url)), "action_text": text,
            "action_owner": "Head of Service", "action_due": ["1", "3", "2026"]})
    with app.app_context():
        first, second = db.session.scalars(select(ActionArising.id).order_by(
            ActionArising.id)).all()
    shown = page(client, url)
    response = client.post(f"{url}/actions/{first}", data={
        f"action-{first}-csrf_token": csrf_token(shown), f"action-{first}-version": "1"})
    assert response.status_code == 400
    text = html.unescape(main(response.get_data(as_text=True)))
    card = text.split(f'id="action-{first}"')[1].split('govuk-summary-card"')[0]
    assert "Choose a status" in card and "govuk-form-group--error" in card
    other = text.split(f'id="action-{second}"')[1]
    assert "Choose a status" not in other and f'name="action-{second}-status"' in other

    # someone else closes the first action: saving from the old page is a conflict, and the
    # card comes back with the action's new version, so that saving again works
    with app.app_context():
        db.session.get(ActionArising, first).status = "dropped"
        db.session.commit()
    response = client.post(f"{url}/actions/{first}", data={
        f"action-{first}-csrf_token": csrf_token(shown), f"action-{first}-version": "1",
        f"action-{first}-status": "done"})
    assert response.status_code == 409
    text = html.unescape(main(response.get_data(as_text=True)))
    assert "Someone else changed this" in text
    card = text.split(f'id="action-{first}"')[1].split('govuk-summary-card"')[0]
    assert f'name="action-{first}-version" type="hidden" value="2"' in card
    assert re.search(rf'id="action-{first}-status-2" name="action-{first}-status" '
                     r'type="radio" value="done" checked', card)  # the choice posted, kept
    response = client.post(f"{url}/actions/{first}", data={
        f"action-{first}-csrf_token": csrf_token(shown), f"action-{first}-version": "2",
        f"action-{first}-status": "done"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(ActionArising, first).status == "done"
